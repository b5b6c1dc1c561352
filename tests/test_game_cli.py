"""`python -m game` on bad input: one clear sentence, exit code 2, no traceback, no window."""

import json
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from game.history import History

REPO = Path(__file__).resolve().parent.parent


def game(*arguments: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "game", *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
    )


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2 and one sentence on stderr naming the problem; nothing else."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def onnx_model(
    path: Path,
    classes: int = 10,
    image: int = 28,
    batch: int | str = "batch",
    seed: int | None = None,
) -> Path:
    """A tiny ONNX model (flatten, dense, softmax), made without TensorFlow; zero weights unless
    a seed is given."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    pixels = image * image
    weights = np.zeros((pixels, classes), dtype=np.float32)
    if seed is not None:
        weights = np.random.default_rng(seed).normal(0, 0.1, weights.shape).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Reshape", ["image", "flat_shape"], ["flat"]),
            helper.make_node("MatMul", ["flat", "weights"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1),
        ],
        "tiny",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [batch, image, image, 1])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [batch, classes])],
        initializer=[
            numpy_helper.from_array(np.array([-1, pixels], dtype=np.int64), "flat_shape"),
            numpy_helper.from_array(weights, "weights"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)
    return path


def keras_h5(path: Path, layers: list[dict]) -> Path:
    """An .h5 whose model config is written as Keras writes it, without TensorFlow."""
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = json.dumps(config)
        file.attrs["keras_version"] = "3.15.0"
        file["model_weights/dense/kernel"] = np.zeros((784, 10), dtype=np.float32)
    return path


def input_layer(*shape: int) -> dict:
    return {"class_name": "InputLayer", "config": {"batch_shape": [None, *shape]}}


def test_missing_model_file(tmp_path: Path) -> None:
    assert_refused(game(tmp_path / "absent.h5"), "absent.h5", "does not exist")


def test_file_of_another_type(tmp_path: Path) -> None:
    path = tmp_path / "digits.txt"
    path.write_text("7")
    assert_refused(game(path), "digits.txt", "unsupported type")


def test_text_file_that_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "model.h5"
    path.write_text("hello, I am not HDF5\n")
    assert_refused(game(path), "model.h5", "not a readable HDF5 file")


def test_corrupt_h5(tmp_path: Path) -> None:
    whole = keras_h5(tmp_path / "whole.h5", [input_layer(28, 28, 1)])
    path = tmp_path / "corrupt.h5"
    path.write_bytes(whole.read_bytes()[:1500])
    assert_refused(game(path), "corrupt.h5", "not a readable HDF5 file")


def test_model_for_32x32_images(tmp_path: Path) -> None:
    path = keras_h5(tmp_path / "wide.h5", [input_layer(32, 32, 1)])
    assert_refused(game(path), "wide.h5", "(32, 32, 1)")


def test_model_with_a_lambda_layer(tmp_path: Path) -> None:
    lambda_layer = {"class_name": "Lambda", "config": {"name": "run_me", "function": "..."}}
    path = keras_h5(tmp_path / "lambda.h5", [input_layer(28, 28, 1), lambda_layer])
    assert_refused(game(path), "lambda.h5", "Lambda layer 'run_me'")


def test_garbage_onnx_in_self_test(tmp_path: Path) -> None:
    path = tmp_path / "garbage.onnx"
    path.write_bytes(os.urandom(2000))
    assert_refused(game(path, "--self-test"), "garbage.onnx", "not a valid ONNX model")


def test_model_with_26_classes_in_self_test(tmp_path: Path) -> None:
    path = onnx_model(tmp_path / "letters.onnx", classes=26)
    assert_refused(game(path, "--self-test"), "letters.onnx", "(26,)")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["garbage", "26 classes"])
def test_model_refused_while_the_window_loads_it(tmp_path: Path, kind: str) -> None:
    """The window loads the model in the background; a refusal there still exits 2, one line."""
    if not (REPO / "game" / "app.py").is_file():
        pytest.skip("the game window (game/app.py) is not in this checkout yet")
    if kind == "garbage":
        path = tmp_path / "bad.onnx"
        path.write_bytes(b"\x08\x07" + os.urandom(500))
    else:
        path = onnx_model(tmp_path / "bad.onnx", classes=26)
    assert_refused(game(path, "--data-dir", tmp_path / "data", timeout=60), "bad.onnx")


def test_self_test_of_a_model_that_gets_digits_wrong_exits_1(tmp_path: Path) -> None:
    # Zero weights: the same 10 % for every digit, which the reader calls no digit at all.
    path = onnx_model(tmp_path / "untrained.onnx")
    result = game(path, "--self-test")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["backend"] == "onnx"
    assert report["model"] == "untrained.onnx"
    assert {r["predicted"] for r in report["results"]} == {None}
    assert report["correct"] == 0 < report["total"]


def test_export_drawings_writes_mnist_layout(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with History.open(data / "history.sqlite3") as history:
        for digit in (2, 5, 9):
            image = np.zeros((28, 28), dtype=np.float32)
            image[4:24, 13:15] = 1.0
            probabilities = np.eye(10, dtype=np.float32)[digit]
            history.add(image, probabilities, digit, 0.4, "00" * 32, label=digit)
    out = tmp_path / "mine.npz"
    result = game("--export-drawings", out, "--data-dir", data)
    assert result.returncode == 0, result.stderr
    assert "Exported 3 labelled drawings" in result.stdout
    with np.load(out) as exported:
        assert exported["x_train"].shape == (3, 28, 28)
        assert exported["y_train"].tolist() == [2, 5, 9]


def test_export_without_history(tmp_path: Path) -> None:
    result = game("--export-drawings", tmp_path / "out.npz", "--data-dir", tmp_path)
    assert_refused(result, "no history database", str(tmp_path))
    assert not (tmp_path / "out.npz").exists()


def test_export_from_an_unreadable_history(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite3"
    database.write_bytes(b"scrambled" * 1000)
    result = game("--export-drawings", tmp_path / "out.npz", "--data-dir", tmp_path)
    assert_refused(result, str(database))
    assert database.read_bytes() == b"scrambled" * 1000


def test_self_test_and_export_together_is_a_usage_error(tmp_path: Path) -> None:
    result = game("--self-test", "--export-drawings", tmp_path / "out.npz")
    assert result.returncode == 2
    assert "not allowed with" in result.stderr and "Traceback" not in result.stderr
