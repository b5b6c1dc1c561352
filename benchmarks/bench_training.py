"""The shipped model as training made it: MNIST test accuracy, training time, Keras vs ONNX.

    python -m benchmarks training

Accuracy is recomputed on the full MNIST test set through ONNX Runtime (the app's backend) and
compared with the model card; the training time is the one the card recorded for the command that
made the shipped model; the Keras/ONNX agreement is the largest absolute difference of any
probability over the 10,000 test digits.
"""

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.runner import Figure
from game.modelcard import load_card
from game.paths import assets_dir


def _mnist_test() -> tuple[np.ndarray, np.ndarray] | None:
    from benchmarks.drawn_digits import mnist_path, mnist_test_set

    path = mnist_path()
    return None if path is None else mnist_test_set(path)


def _onnx_probabilities(path: Path, images: np.ndarray) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return np.concatenate(
        [session.run(None, {name: images[i : i + 1000]})[0] for i in range(0, len(images), 1000)]
    )


def _keras_probabilities(path: Path, images: np.ndarray) -> np.ndarray:
    import keras  # Slow to import: only here.

    model = keras.models.load_model(path, compile=False)
    return np.concatenate(
        [
            np.asarray(model(images[i : i + 1000], training=False))
            for i in range(0, len(images), 1000)
        ]
    )


def figures(repeat: int) -> Iterable[Figure]:
    # Accuracy and agreement on a fixed set are the same on every run: `repeat` does not apply.
    h5, onnx = assets_dir() / "model.h5", assets_dir() / "model.onnx"
    card = load_card(h5) or {}
    if "command_seconds" in card:
        yield Figure("shipping command wall time (card)", "s", [card["command_seconds"]], "<= 900")
    if "training_seconds" in card:
        yield Figure("model.fit time of that command (card)", "s", [card["training_seconds"]])
    if card.get("test"):
        yield Figure("MNIST test accuracy (card)", "%", [card["test"]["accuracy"] * 100])
    test = _mnist_test()
    if test is None or not onnx.is_file():
        return
    images = test[0].astype(np.float32)[..., np.newaxis] / 255.0
    labels = test[1]
    from_onnx = _onnx_probabilities(onnx, images)
    predicted = from_onnx.argmax(axis=1)
    yield Figure(
        "MNIST test accuracy (ONNX, recomputed)",
        "%",
        [float((predicted == labels).mean() * 100)],
        ">= 99.6 (aim 99.7)",
    )
    for digit in range(10):
        chosen = labels == digit
        share = float((predicted[chosen] == digit).mean() * 100)
        yield Figure(f"MNIST test accuracy, digit {digit}", "%", [share])
    if h5.is_file():
        difference = np.abs(_keras_probabilities(h5, images) - from_onnx).max()
        yield Figure("Keras .h5 vs ONNX, largest probability difference", "", [float(difference)])
