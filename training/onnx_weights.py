"""Write MODEL.npz from MODEL.onnx: the layers and weights game.numpy_backend runs.

The ONNX graph is read as a chain of layers: Conv (batch normalisation is already folded into
it by the exporter), Relu, MaxPool, the flatten (Transpose + Reshape), MatMul/Gemm with the Mul
and Add that follow it (a folded batch normalisation, a bias), and Softmax; the nodes that only
compute shapes are skipped. Anything else, or a result that differs from ONNX Runtime's by more
than 1e-4 on test images, is refused: no .npz is written and the game keeps using ONNX Runtime.

    python scripts/write_model_npz.py assets/model.onnx
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from game.numpy_backend import FORMAT, load_numpy, weights_path

TOLERANCE = 1e-4
SHAPE_OPS = {"Shape", "Gather", "Cast", "Slice", "Concat", "Unsqueeze", "Squeeze", "Constant"}


class UnsupportedModel(ValueError):
    """The .onnx holds something the numpy backend does not run."""


def write_npz(onnx_path: Path, check_images: np.ndarray | None = None) -> Path:
    """Convert `onnx_path`, check it against ONNX Runtime, write the .npz atomically."""
    onnx_path = Path(onnx_path)
    arrays, layers, outputs = convert(onnx.load(str(onnx_path)))
    target = weights_path(onnx_path)
    digest = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    fd, staged = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".npz", dir=target.parent)
    os.close(fd)
    try:
        np.savez(
            staged,
            format=np.array(FORMAT),
            source_sha256=np.array(digest),
            layers=np.array(json.dumps(layers)),
            outputs=np.array(outputs),
            **arrays,
        )
        difference = _largest_difference(onnx_path, Path(staged), check_images)
        if difference > TOLERANCE:
            raise UnsupportedModel(
                f"the numpy network differs from ONNX Runtime by {difference:.2g} (> {TOLERANCE})"
            )
        os.chmod(staged, 0o644)  # mkstemp makes it private; a model file is for everyone to read
        os.replace(staged, target)
    finally:
        if os.path.exists(staged):
            os.remove(staged)
    return target


def convert(model: onnx.ModelProto) -> tuple[dict[str, np.ndarray], list[dict], int]:
    """(weights by name, the layer list, number of outputs) of an ONNX model; raises
    UnsupportedModel for a graph that is not a chain of the layers above."""
    graph = model.graph
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    current, state = graph.input[0].name, "input"
    layers: list[dict] = []
    arrays: dict[str, np.ndarray] = {}
    for node in graph.node:
        # Shape arithmetic (for the flatten's Reshape) reads the chain but never extends it.
        if node.op_type in SHAPE_OPS and (node.op_type == "Shape" or node.input[0] != current):
            continue
        if not node.input or node.input[0] != current:
            raise UnsupportedModel(f"{node.op_type} node {node.name!r} is off the main chain")
        state = _step(node, state, constants, layers, arrays)
        current = node.output[0]
    if current != graph.output[0].name or not layers or layers[-1]["op"] != "softmax":
        raise UnsupportedModel("the graph does not end in a softmax over the chain's output")
    last_dense = [layer["index"] for layer in layers if layer["op"] == "dense"][-1:]
    if not last_dense:
        raise UnsupportedModel("the graph has no dense layer before its softmax")
    return arrays, layers, int(arrays[f"w{last_dense[0]}"].shape[1])


def _step(node, state: str, constants: dict, layers: list, arrays: dict) -> str:
    """Append the layer `node` stands for; return the layout after it."""
    op, attrs = node.op_type, {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if op == "Reshape" and state == "input":
        shape = constants.get(node.input[1])
        if shape is None or list(shape[1:]) != [1, 28, 28]:
            raise UnsupportedModel("the input is not reshaped to one 28x28 channel")
        return "nchw"  # one channel: (N, 28, 28, 1) and (N, 1, 28, 28) hold the same numbers
    if op == "Transpose" and state == "input" and list(attrs.get("perm", [])) == [0, 3, 1, 2]:
        return "nchw"
    if op == "Conv" and state == "nchw":
        _conv(node, attrs, constants, layers, arrays)
        return state
    if op == "MaxPool" and state == "nchw":
        if any(attrs.get("pads", [0])) or attrs.get("ceil_mode", 0) or attrs.get("auto_pad"):
            raise UnsupportedModel("a max pooling with padding is not supported")
        size = list(attrs["kernel_shape"])
        layers.append({"op": "maxpool", "size": size, "stride": list(attrs.get("strides", size))})
        return state
    if op == "Transpose" and state == "nchw" and list(attrs.get("perm", [])) == [0, 2, 3, 1]:
        return "nhwc"
    if op in {"Reshape", "Flatten"} and state in {"nchw", "nhwc"}:
        layers.append({"op": "flatten", "order": state})
        return "flat"
    if op == "Relu":
        layers.append({"op": "relu"})
        return state
    if state == "flat" and op in {"MatMul", "Gemm", "Mul", "Add"}:
        _dense(node, attrs, constants, layers, arrays)
        return state
    if op == "Softmax" and state == "flat" and attrs.get("axis", -1) in (-1, 1):
        layers.append({"op": "softmax"})
        return state
    raise UnsupportedModel(f"the numpy backend does not run {op} here ({node.name!r})")


def _conv(node, attrs: dict, constants: dict, layers: list, arrays: dict) -> None:
    if attrs.get("group", 1) != 1 or any(d != 1 for d in attrs.get("dilations", [1, 1])):
        raise UnsupportedModel("grouped or dilated convolutions are not supported")
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedModel("convolutions with auto_pad are not supported")
    weights = constants[node.input[1]].astype(np.float32)  # (O, C, kh, kw)
    bias = constants[node.input[2]] if len(node.input) > 2 else np.zeros(len(weights))
    pads = list(attrs.get("pads", [0, 0, 0, 0]))  # ONNX: top, left, bottom, right
    index = len(layers)
    arrays[f"w{index}"] = weights.transpose(2, 3, 1, 0).copy()  # (kh, kw, C, O)
    arrays[f"b{index}"] = bias.astype(np.float32)
    layers.append(
        {"op": "conv", "index": index, "stride": list(attrs.get("strides", [1, 1])), "pads": pads}
    )


def _dense(node, attrs: dict, constants: dict, layers: list, arrays: dict) -> None:
    """MatMul/Gemm start a dense layer; a Mul or Add by a constant right after folds into it."""
    op, operand = node.op_type, constants.get(node.input[1])
    if operand is None:
        raise UnsupportedModel(f"{op} {node.name!r} does not take constant weights")
    if op in {"MatMul", "Gemm"}:
        weights = operand.T if attrs.get("transB", 0) else operand
        if op == "Gemm" and (attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0):
            raise UnsupportedModel("a Gemm with transA or alpha is not supported")
        bias = constants[node.input[2]] * attrs.get("beta", 1.0) if len(node.input) > 2 else 0
        index = len(layers)
        arrays[f"w{index}"] = weights.astype(np.float32)
        arrays[f"b{index}"] = np.broadcast_to(bias, weights.shape[1:]).astype(np.float32)
        layers.append({"op": "dense", "index": index})
        return
    if not layers or layers[-1]["op"] != "dense":
        raise UnsupportedModel(f"{op} {node.name!r} does not follow a dense layer")
    index = layers[-1]["index"]
    if op == "Mul":  # (x W + b) * s = x (W s) + b s
        arrays[f"w{index}"] = (arrays[f"w{index}"] * operand).astype(np.float32)
        arrays[f"b{index}"] = (arrays[f"b{index}"] * operand).astype(np.float32)
    else:
        arrays[f"b{index}"] = (arrays[f"b{index}"] + operand).astype(np.float32)


def _largest_difference(onnx_path: Path, npz_path: Path, images: np.ndarray | None) -> float:
    import onnxruntime

    if images is None:
        rng = np.random.default_rng(0)
        images = rng.random((64, 28, 28), dtype=np.float32)
        images[:32] *= rng.random((32, 28, 28)) > 0.7
        images[0] = 0
    batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    feed = batch if len(session.get_inputs()[0].shape) == 4 else batch[..., 0]
    expected = session.run(None, {session.get_inputs()[0].name: feed})[0]
    _, _, run = load_numpy(npz_path)
    return float(np.abs(run(batch) - expected).max())
