"""Write MODEL.npz from MODEL.onnx: the layers and weights game.numpy_backend runs.

The ONNX graph is read node by node: Conv (batch normalisation is already folded into it by the
exporter), Relu, MaxPool, the flatten (Transpose + Reshape), MatMul/Gemm with the Mul and Add
that follow it (a folded batch normalisation, a bias), Softmax and Sigmoid, and the joins of the
"digit or not" head (a Mul of two values, a Concat); the nodes that only compute shapes are
skipped. Each layer names the layers it reads, so the network may branch. Anything else, or a
result that differs from ONNX Runtime's by more than 1e-4 on test images, is refused: no .npz is
written and the game keeps using ONNX Runtime.

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
    UnsupportedModel for a graph made of anything but the layers above."""
    graph = model.graph
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    consumers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    # Each tensor the network computes: (the layer that makes it, -1 for the input; its layout).
    tensors: dict[str, tuple[int, str]] = {graph.input[0].name: (-1, "input")}
    layers: list[dict] = []
    arrays: dict[str, np.ndarray] = {}
    network = _Graph(constants, consumers, tensors, layers, arrays)
    for node in graph.node:
        # Shape arithmetic (for the flatten's Reshape) reads the network but never extends it.
        if node.op_type in SHAPE_OPS and (node.op_type == "Shape" or node.input[0] not in tensors):
            continue
        if not node.input or node.input[0] not in tensors:
            raise UnsupportedModel(f"{node.op_type} node {node.name!r} is off the network")
        tensors[node.output[0]] = network.step(node)
    final = tensors.get(graph.output[0].name)
    if final is None or final[0] < 0 or final[1] != "flat":
        raise UnsupportedModel("the graph's output is not computed by the network's layers")
    layers.append({"op": "output", "inputs": [final[0]]})
    dims = graph.output[0].type.tensor_type.shape.dim
    if len(dims) != 2 or not dims[1].dim_value:
        raise UnsupportedModel("the graph's output is not (N, classes)")
    return arrays, layers, int(dims[1].dim_value)


class _Graph:
    """The conversion's state: the tensors computed so far, and the layers and weights written."""

    def __init__(self, constants, consumers, tensors, layers, arrays) -> None:
        self.constants, self.consumers, self.tensors = constants, consumers, tensors
        self.layers, self.arrays = layers, arrays

    def add(self, entry: dict, *inputs: str) -> int:
        entry["inputs"] = [self.tensors[name][0] for name in inputs]
        self.layers.append(entry)
        return len(self.layers) - 1

    def step(self, node) -> tuple[int, str]:
        """The layer (or folded layer) and layout of `node`'s output."""
        op = node.op_type
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        source, state = self.tensors[node.input[0]]
        if op == "Reshape" and state == "input":
            shape = self.constants.get(node.input[1])
            if shape is None or list(shape[1:]) != [1, 28, 28]:
                raise UnsupportedModel("the input is not reshaped to one 28x28 channel")
            return source, "nchw"  # one channel: NHWC and NCHW hold the same numbers
        perm = list(attrs.get("perm", []))
        if op == "Transpose" and state == "input" and perm == [0, 3, 1, 2]:
            return source, "nchw"
        if op == "Transpose" and state == "nchw" and perm == [0, 2, 3, 1]:
            return source, "nhwc"
        if op == "Conv" and state == "nchw":
            return self.add(_conv(node, attrs, self.constants, self.arrays), node.input[0]), state
        if op == "MaxPool" and state == "nchw":
            if any(attrs.get("pads", [0])) or attrs.get("ceil_mode", 0) or attrs.get("auto_pad"):
                raise UnsupportedModel("a max pooling with padding is not supported")
            size = list(attrs["kernel_shape"])
            pool = {"op": "maxpool", "size": size, "stride": list(attrs.get("strides", size))}
            return self.add(pool, node.input[0]), state
        if op in {"Reshape", "Flatten"} and state in {"nchw", "nhwc"}:
            return self.add({"op": "flatten", "order": state}, node.input[0]), "flat"
        if op == "Relu" and self.consumers.get(node.input[0]) == 1:
            # The numpy backend rectifies in place: only a tensor nothing else reads.
            return self.add({"op": "relu"}, node.input[0]), state
        if state == "flat":
            return self._flat(node, op, attrs), state
        raise UnsupportedModel(f"the numpy backend does not run {op} here ({node.name!r})")

    def _flat(self, node, op: str, attrs: dict) -> int:
        if op in {"Softmax", "Sigmoid"} and attrs.get("axis", -1) in (-1, 1):
            return self.add({"op": op.lower()}, node.input[0])
        if op == "Concat" and attrs.get("axis") in (-1, 1):
            if not all(name in self.tensors for name in node.input):
                raise UnsupportedModel(f"Concat {node.name!r} joins constants")
            return self.add({"op": "concat"}, *node.input)
        if op == "Mul" and node.input[1] in self.tensors:
            return self.add({"op": "multiply"}, *node.input)
        if op in {"MatMul", "Gemm", "Mul", "Add"}:
            return _dense(node, op, attrs, self)
        raise UnsupportedModel(f"the numpy backend does not run {op} here ({node.name!r})")


def _conv(node, attrs: dict, constants: dict, arrays: dict) -> dict:
    if attrs.get("group", 1) != 1 or any(d != 1 for d in attrs.get("dilations", [1, 1])):
        raise UnsupportedModel("grouped or dilated convolutions are not supported")
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedModel("convolutions with auto_pad are not supported")
    weights = constants[node.input[1]].astype(np.float32)  # (O, C, kh, kw)
    bias = constants[node.input[2]] if len(node.input) > 2 else np.zeros(len(weights))
    pads = list(attrs.get("pads", [0, 0, 0, 0]))  # ONNX: top, left, bottom, right
    name = f"conv{len(arrays)}"
    arrays[f"w_{name}"] = weights.transpose(2, 3, 1, 0).copy()  # (kh, kw, C, O)
    arrays[f"b_{name}"] = bias.astype(np.float32)
    return {
        "op": "conv",
        "weights": name,
        "stride": list(attrs.get("strides", [1, 1])),
        "pads": pads,
    }


def _dense(node, op: str, attrs: dict, graph: _Graph) -> int:
    """MatMul/Gemm start a dense layer; a Mul or Add by a constant right after folds into it
    (a batch normalisation, a bias), and elsewhere is a layer of its own (x * a + b)."""
    operand = graph.constants.get(node.input[1])
    if operand is None:
        raise UnsupportedModel(f"{op} {node.name!r} does not take constant weights")
    operand = operand.astype(np.float32)
    source = graph.tensors[node.input[0]][0]
    if op in {"MatMul", "Gemm"}:
        weights = operand.T if attrs.get("transB", 0) else operand
        if op == "Gemm" and (attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0):
            raise UnsupportedModel("a Gemm with transA or alpha is not supported")
        bias = graph.constants[node.input[2]] * attrs.get("beta", 1.0) if len(node.input) > 2 else 0
        name = f"dense{len(graph.arrays)}"
        graph.arrays[f"w_{name}"] = weights.astype(np.float32)
        graph.arrays[f"b_{name}"] = np.broadcast_to(bias, weights.shape[1:]).astype(np.float32)
        return graph.add({"op": "dense", "weights": name}, node.input[0])
    previous = graph.layers[source] if source >= 0 else {}
    if previous.get("op") in {"dense", "affine"} and graph.consumers[node.input[0]] == 1:
        # Only this node reads the layer's output: fold into it, (x W + b) * s = x (W s) + b s.
        name = previous["weights"]
        if op == "Mul":
            for key in (f"w_{name}", f"b_{name}"):
                graph.arrays[key] = (graph.arrays[key] * operand).astype(np.float32)
        else:
            graph.arrays[f"b_{name}"] = (graph.arrays[f"b_{name}"] + operand).astype(np.float32)
        return source
    name = f"affine{len(graph.arrays)}"
    scale, offset = (
        (operand, np.zeros_like(operand)) if op == "Mul" else (np.ones_like(operand), operand)
    )
    graph.arrays[f"w_{name}"], graph.arrays[f"b_{name}"] = scale, offset
    return graph.add({"op": "affine", "weights": name}, node.input[0])


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
