"""A real (quick) training run: it learns, writes model, ONNX and card, and never half-writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import onnxruntime
import pytest
from conftest import REPO, require_in_ci

from training import card, data, export, train
from training.__main__ import main
from training.cli_options import DEFAULT_WEIGHT_DECAY

CARD_FIELDS = {
    "format",
    "created",
    "versions",
    "parameters",
    "command",
    "options",
    "training_seconds",
    "test",
    "history",
    "files",
    "augmentation",
    "styles",
    "user_drawings",
    "outputs",
    "calibration",
    "drawn",
    "not_a_digit",
}


@pytest.fixture(scope="module")
def mnist_file() -> Path:
    path = os.environ.get("DIGITS_MNIST", "")
    if not path or not Path(path).is_file():
        require_in_ci("MNIST (set DIGITS_MNIST to an mnist.npz)")
    return Path(path)


@pytest.fixture(scope="module")
def quick_command(
    tmp_path_factory: pytest.TempPathFactory, mnist_file: Path
) -> tuple[Path, subprocess.CompletedProcess]:
    """One `--quick` run through the real command line; the tests below read what it wrote."""
    folder = tmp_path_factory.mktemp("quick")
    result = subprocess.run(
        [sys.executable, "-m", "training", str(folder / "digits.h5"), "--quick", "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=os.environ | {"DIGITS_MNIST": str(mnist_file)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Test accuracy" in result.stdout
    return folder / "digits.h5", result


@pytest.fixture(scope="module")
def quick_run(quick_command: tuple[Path, subprocess.CompletedProcess]) -> Path:
    return quick_command[0]


@pytest.mark.slow
def test_quick_run_prints_only_its_own_words(
    quick_command: tuple[Path, subprocess.CompletedProcess],
) -> None:
    """No TensorFlow/absl log lines, no Keras "legacy" warning, no numpy FutureWarning."""
    result = quick_command[1]
    for chatter in ("absl", "considered legacy", "FutureWarning", "np.object", "tensorflow"):
        assert chatter not in result.stderr, result.stderr[-2000:]
    assert " after 1 epoch in " in result.stdout


@pytest.mark.slow
def test_quick_run_writes_model_onnx_and_card_and_nothing_else(quick_run: Path) -> None:
    names = sorted(p.name for p in quick_run.parent.iterdir())
    assert names == ["digits.h5", "digits.json", "digits.npz", "digits.onnx"]


@pytest.mark.slow
def test_quick_run_learns_well_above_chance(quick_run: Path, mnist_file: Path) -> None:
    mnist = data.load_mnist(mnist_file)
    model = keras.models.load_model(quick_run)
    accuracy = train.predict(model, mnist.x_test[:500]).argmax(axis=1) == mnist.y_test[:500]
    assert accuracy.mean() > 0.4  # Chance is 0.1.


@pytest.mark.slow
def test_card_has_every_field_and_agrees_with_the_model(quick_run: Path, mnist_file: Path) -> None:
    model_card = json.loads(quick_run.with_suffix(".json").read_text())
    assert set(model_card) >= CARD_FIELDS
    assert model_card["files"]["h5"]["sha256"] == card.sha256(quick_run)
    assert model_card["files"]["onnx"]["sha256"] == card.sha256(quick_run.with_suffix(".onnx"))
    model = keras.models.load_model(quick_run)
    assert model_card["parameters"] == model.count_params()
    test = model_card["test"]
    confusion = np.array(test["confusion_matrix"])
    # Rows: the true digit; columns: the answer, "not a digit" last.
    assert confusion.shape == (10, 11) and confusion.sum() == test["count"] == 1000
    # The quick test set is the first 1000 MNIST test digits: recompute what the card says.
    mnist = data.load_mnist(mnist_file)
    predicted = train.predict(model, mnist.x_test[:1000]).argmax(axis=1)
    assert abs((predicted == mnist.y_test[:1000]).mean() - test["accuracy"]) < 0.003
    assert np.trace(confusion) / confusion.sum() == pytest.approx(test["accuracy"])
    per_class = confusion.diagonal() / confusion.sum(axis=1)
    np.testing.assert_allclose(per_class, test["per_class_accuracy"], atol=1e-5)
    assert len(model_card["history"]["val_accuracy"]) == model_card["options"]["epochs"] == 1
    assert model_card["styles"]["slashed_zero"]["count"] > 0
    assert model_card["options"]["weight_decay"] == DEFAULT_WEIGHT_DECAY
    assert model_card["command"].startswith("python -m training ")


@pytest.mark.slow
def test_card_says_the_model_can_answer_not_a_digit_and_how_it_was_calibrated(
    quick_run: Path,
) -> None:
    model_card = json.loads(quick_run.with_suffix(".json").read_text())
    assert model_card["outputs"] == {"classes": 11, "not_a_digit": 10}
    assert keras.models.load_model(quick_run).output_shape == (None, 11)
    calibration = model_card["calibration"]
    assert calibration["temperature"] > 0 and "held-out" in calibration["method"]
    assert 0 <= calibration["ece_after"] <= 1 and 0 <= calibration["ece_before"] <= 1
    # --quick: 3000 MNIST images, so a quarter as many drawn digits and 15 % non-digits.
    assert model_card["drawn"]["count"] == 750 and model_card["drawn"]["shapes"]["zero slashed"]
    assert model_card["not_a_digit"]["count"] == 450 and model_card["not_a_digit"]["label"] == 10
    assert model_card["options"]["drawn"] == 0.25 and model_card["options"]["not_a_digit"] == 0.15
    # 5 % of the 3000 as traced pairs of digits, "not a digit" too.
    assert model_card["traced_pairs"]["count"] == 150 and model_card["options"]["pairs"] == 0.05


@pytest.mark.slow
def test_keras_and_onnx_files_give_the_same_probabilities(
    quick_run: Path, mnist_file: Path
) -> None:
    images = data.load_mnist(mnist_file).x_test[:300].astype(np.float32)[..., None] / 255
    keras_probabilities = np.asarray(keras.models.load_model(quick_run)(images, training=False))
    session = onnxruntime.InferenceSession(str(quick_run.with_suffix(".onnx")))
    onnx_probabilities = session.run(None, {session.get_inputs()[0].name: images})[0]
    np.testing.assert_allclose(onnx_probabilities, keras_probabilities, atol=1e-4)


@pytest.mark.slow
def test_loaded_model_has_no_lambda_layer(quick_run: Path) -> None:
    model = keras.models.load_model(quick_run)
    assert not any(isinstance(layer, keras.layers.Lambda) for layer in model.layers)


def old_model(folder: Path) -> dict[str, bytes]:
    files = {"model.h5": b"old h5", "model.onnx": b"old onnx", "model.json": b'{"old": 1}'}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return files


def folder_contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


class Interrupt(keras.callbacks.Callback):
    """What Ctrl+C does to a running fit: a KeyboardInterrupt at some batch."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if batch == 2:
            raise KeyboardInterrupt


@pytest.mark.slow
def test_interrupted_run_leaves_the_existing_model_untouched(
    tmp_path: Path,
    mnist_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    before = old_model(tmp_path)
    real_run = train.run
    monkeypatch.setattr(
        train, "run", lambda settings, mnist=None: real_run(settings, [Interrupt()], mnist)
    )
    code = main([str(tmp_path / "model.h5"), "--quick", "--data", str(mnist_file)])
    assert code == 130
    error = capsys.readouterr().err
    assert "interrupted" in error and error.count("\n") == 1
    assert folder_contents(tmp_path) == before


@pytest.mark.slow
def test_failure_while_writing_leaves_the_existing_model_untouched(
    tmp_path: Path,
    mnist_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    before = old_model(tmp_path)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # The .h5 is already staged when the ONNX export fails.
    monkeypatch.setattr(keras.Model, "export", disk_full)
    code = main([str(tmp_path / "model.h5"), "--quick", "--data", str(mnist_file)])
    assert code == 1
    error = capsys.readouterr().err
    assert "No space left on device" in error and error.count("\n") == 1
    assert folder_contents(tmp_path) == before


def test_outputs_are_named_after_the_model_file() -> None:
    paths = export.sibling_paths(Path("out/digits.keras"))
    assert [p.name for p in paths.values()] == [
        "digits.keras",
        "digits.onnx",
        "digits.npz",
        "digits.json",
    ]


def make_history(path: Path, images: np.ndarray, labels: np.ndarray) -> None:
    """A history database as the game writes it (schema in the team brief), labelled rows."""
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE drawings (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, "
        "model_sha256 TEXT NOT NULL, image BLOB NOT NULL, probabilities BLOB NOT NULL, "
        "prediction INTEGER NOT NULL, label INTEGER, latency_ms REAL NOT NULL, mode TEXT NOT NULL)"
    )
    connection.executemany(
        "INSERT INTO drawings (created_at, model_sha256, image, probabilities, prediction, label,"
        " latency_ms, mode) VALUES ('2026-01-01T00:00:00+00:00', 'x', ?, ?, 0, ?, 1.0, 'free')",
        [
            (image.tobytes(), np.full(10, 0.1, np.float32).tobytes(), int(label))
            for image, label in zip(images, labels, strict=True)
        ],
    )
    # Schema version 1, as the game's first history databases were made.
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


@pytest.mark.slow
def test_fine_tuning_on_user_drawings_writes_a_valid_model_and_counts_them(
    tmp_path: Path, quick_run: Path, mnist_file: Path
) -> None:
    mnist = data.load_mnist(mnist_file)
    make_history(tmp_path / "history.sqlite3", mnist.x_test[-30:], mnist.y_test[-30:])
    output = tmp_path / "mine.h5"
    args = [str(output), "--user-data", str(tmp_path), "--base-model", str(quick_run)]
    assert main([*args, "--quick", "--data", str(mnist_file)]) == 0
    model_card = json.loads(output.with_suffix(".json").read_text())
    assert model_card["user_drawings"] == 30
    assert model_card["options"]["base_model"] == str(quick_run)
    model = keras.models.load_model(output)
    probabilities = train.predict(model, mnist.x_test[:100])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert (probabilities.argmax(axis=1) == mnist.y_test[:100]).mean() > 0.4
