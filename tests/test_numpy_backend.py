"""The numpy backend: the same probabilities as ONNX Runtime, and the shipped model loads
without ONNX Runtime in memory (issue 15: ONNX Runtime cost the window ~46 MB)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from game.classifier import load_classifier
from game.numpy_backend import load_numpy, weights_path
from game.paths import default_model_path
from training.onnx_weights import UnsupportedModel, write_npz

REPO = Path(__file__).resolve().parent.parent


def onnx_probabilities(path: Path, images: np.ndarray) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    batch = images.reshape(-1, 28, 28, 1).astype(np.float32)
    return session.run(None, {session.get_inputs()[0].name: batch})[0]


def mnist_images(path: Path, count: int) -> np.ndarray:
    with np.load(path) as data:
        return data["x_test"][:count].astype(np.float32) / 255


def test_shipped_npz_was_written_from_the_shipped_onnx() -> None:
    # A new model.onnx without its .npz would quietly fall back to ONNX Runtime (46 MB more):
    # rerun `python scripts/write_model_npz.py` after replacing the model.
    model = default_model_path()
    classifier = load_classifier(model)
    assert classifier.info.backend == "numpy", f"{weights_path(model)} is missing or stale"


def test_numpy_backend_matches_onnx_runtime_on_mnist(mnist_path: Path) -> None:
    model = default_model_path()
    images = mnist_images(mnist_path, 1000)
    _, _, run = load_numpy(weights_path(model))
    ours = run(images[..., np.newaxis])
    np.testing.assert_allclose(ours, onnx_probabilities(model, images), atol=1e-4)
    assert ours.shape == (1000, load_classifier(model).info.output_shape[1])


def test_the_shipped_model_loads_without_onnx_runtime() -> None:
    code = (
        "import json, sys; from game.classifier import load_classifier;"
        "from game.paths import default_model_path;"
        "c = load_classifier(default_model_path());"
        "print(json.dumps([c.info.backend, 'onnxruntime' in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["numpy", False]


def small_onnx(
    path: Path, middle: str = "Relu", classes: int = 11, digit_or_not: bool = False
) -> Path:
    """A CNN in the shipped graph's shape (asymmetric padding, stride 2, max pooling, flatten
    after a transpose, a dense layer with a folded batch normalisation), made without Keras;
    `digit_or_not`: with training.model's eleven outputs, (1 - sigmoid) * softmax of ten and the
    sigmoid, instead of one softmax."""
    rng = np.random.default_rng(3)

    def const(name: str, value: np.ndarray) -> onnx.TensorProto:
        return numpy_helper.from_array(np.asarray(value), name)

    weights = [
        const("shape", np.array([-1, 1, 28, 28], dtype=np.int64)),
        const("w1", rng.normal(0, 0.3, (8, 1, 5, 5)).astype(np.float32)),
        const("b1", rng.normal(0, 0.1, 8).astype(np.float32)),
        const("w2", rng.normal(0, 0.2, (6, 8, 3, 3)).astype(np.float32)),
        const("b2", rng.normal(0, 0.1, 6).astype(np.float32)),
        const("flat", np.array([-1, 7 * 7 * 6], dtype=np.int64)),
        const("d1", rng.normal(0, 0.1, (7 * 7 * 6, 16)).astype(np.float32)),
        const("s1", rng.uniform(0.5, 2, 16).astype(np.float32)),
        const("a1", rng.normal(0, 0.1, 16).astype(np.float32)),
        const("d2", rng.normal(0, 0.3, (classes, 16)).astype(np.float32)),
        const("a2", rng.normal(0, 0.1, classes).astype(np.float32)),
    ]
    nodes = [
        helper.make_node("Reshape", ["x", "shape"], ["r"]),
        helper.make_node("Conv", ["r", "w1", "b1"], ["c1"], strides=[2, 2], pads=[1, 1, 2, 2]),
        helper.make_node(middle, ["c1"], ["h1"]),
        helper.make_node("Conv", ["h1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["h2"]),
        helper.make_node("MaxPool", ["h2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Transpose", ["p2"], ["t"], perm=[0, 2, 3, 1]),
        helper.make_node("Reshape", ["t", "flat"], ["f"]),
        helper.make_node("MatMul", ["f", "d1"], ["m1"]),
        helper.make_node("Mul", ["m1", "s1"], ["n1"]),
        helper.make_node("Add", ["n1", "a1"], ["e1"]),
        helper.make_node("Relu", ["e1"], ["h3"]),
        helper.make_node("Gemm", ["h3", "d2", "a2"], ["g"], transB=1),
        helper.make_node("Softmax", ["g"], ["y"]),
    ]
    if digit_or_not:
        weights += [
            const("dn", rng.normal(0, 0.3, (16, 1)).astype(np.float32)),
            const("an", np.array([0.2], dtype=np.float32)),
            const("minus", np.array(-1.0, dtype=np.float32)),
            const("one", np.array(1.0, dtype=np.float32)),
        ]
        nodes[-1] = helper.make_node("Softmax", ["g"], ["digits"])
        nodes += [
            helper.make_node("MatMul", ["h3", "dn"], ["mn"]),
            helper.make_node("Add", ["mn", "an"], ["ln"]),
            helper.make_node("Sigmoid", ["ln"], ["not_digit"]),
            helper.make_node("Mul", ["not_digit", "minus"], ["negated"]),
            helper.make_node("Add", ["negated", "one"], ["is_digit"]),
            helper.make_node("Mul", ["digits", "is_digit"], ["given"]),
            helper.make_node("Concat", ["given", "not_digit"], ["y"], axis=1),
        ]
    graph = helper.make_graph(
        nodes,
        "small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 28, 28, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", classes + digit_or_not])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def test_a_converted_model_gives_onnx_runtimes_probabilities(tmp_path: Path) -> None:
    path = small_onnx(tmp_path / "small.onnx")
    write_npz(path)
    classifier = load_classifier(path)
    assert classifier.info.backend == "numpy" and classifier.info.output_shape == (None, 11)
    rng = np.random.default_rng(0)
    images = rng.random((40, 28, 28), dtype=np.float32) * (rng.random((40, 28, 28)) > 0.6)
    np.testing.assert_allclose(
        classifier.predict(images), onnx_probabilities(path, images), atol=1e-4
    )


def test_the_digit_or_not_head_converts_with_its_branches(tmp_path: Path) -> None:
    # Ten digits from a softmax times "is a digit", and "not a digit" from a sigmoid: the
    # numpy backend must run both branches off the shared features and join them.
    path = small_onnx(tmp_path / "split.onnx", classes=10, digit_or_not=True)
    write_npz(path)
    classifier = load_classifier(path)
    assert classifier.info.backend == "numpy" and classifier.info.output_shape == (None, 11)
    rng = np.random.default_rng(1)
    images = rng.random((40, 28, 28), dtype=np.float32) * (rng.random((40, 28, 28)) > 0.6)
    ours = classifier.predict(images)
    np.testing.assert_allclose(ours, onnx_probabilities(path, images), atol=1e-4)
    np.testing.assert_allclose(ours.sum(axis=1), 1, atol=1e-5)
    assert ours[:, 10].std() > 0  # the sigmoid branch is not a constant


def test_a_changed_onnx_file_goes_back_to_onnx_runtime(tmp_path: Path) -> None:
    path = small_onnx(tmp_path / "small.onnx")
    write_npz(path)
    other = small_onnx(tmp_path / "other.onnx", classes=10)
    shutil.copyfile(other, path)  # the .npz beside it now describes another model
    assert load_classifier(path).info.backend == "onnx"


def test_a_layer_the_numpy_backend_lacks_writes_no_npz(tmp_path: Path) -> None:
    path = small_onnx(tmp_path / "tanh.onnx", middle="Tanh")
    with pytest.raises(UnsupportedModel, match="Tanh"):
        write_npz(path)
    assert not weights_path(path).exists() and load_classifier(path).info.backend == "onnx"
    result = subprocess.run(
        [sys.executable, "scripts/write_model_npz.py", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 1 and "Tanh" in result.stdout
    assert "Traceback" not in result.stderr
