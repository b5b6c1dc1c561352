"""Reading real shapes honestly (issue 12): accuracy per real-writer shape, non-digits called
digits, and calibration, all through the app's own `game.reader.Reader`.

Sets (benchmarks/drawn_sets.py): real-writer digit shapes drawn with another pen, seed and setup
than training's, and non-digits the training never saw (other fonts, other seeds). MNIST's test
set gives the reference accuracy and calibration error.

    python -m benchmarks reading
    DIGITS_SHIPPED_MODEL=old/model.onnx python -m benchmarks reading   # another model, to compare
"""

from collections.abc import Iterable, Sequence

import numpy as np

from benchmarks.drawn_digits import mnist_path, mnist_test_set, shipped_model
from benchmarks.drawn_sets import not_digit_set, real_shape_set
from benchmarks.runner import Figure
from game.reader import SURE, Answer, Reader
from training.calibrate import expected_calibration_error

CHUNK = 500


def figures(repeat: int) -> Iterable[Figure]:
    # Fixed sets give the same figures on every run, so `repeat` does not apply.
    reader = Reader.load(shipped_model())
    mnist = mnist_path()
    if mnist is not None:
        x, y = mnist_test_set(mnist)
        answers = reader.read_images(x.astype(np.float32) / 255.0)
        yield from _digit_figures("MNIST test", answers, y, ">= 99.6 %")
    drawings, labels, names = real_shape_set()
    answers = _read(reader, drawings)
    yield from _digit_figures("real shapes", answers, labels, ">= 97 %")
    names = np.array(names)
    for shape in sorted(set(names)):
        chosen = np.flatnonzero(names == shape)
        right = np.mean([answers[i].digit == labels[i] for i in chosen]) * 100
        yield Figure(f"real shape {shape}, read right", "%", [float(right)], ">= 97 %")
    drawings, _, kinds = not_digit_set()
    answers = _read(reader, drawings)
    called = np.array([a.digit is not None for a in answers])
    sure = np.array([a.digit is not None and a.confidence >= SURE for a in answers])
    yield Figure("non-digits called a digit at >= 90 %", "%", [float(sure.mean() * 100)], "<= 5 %")
    yield Figure("non-digits called a digit at all", "%", [float(called.mean() * 100)])
    kinds = np.array(kinds)
    for kind in sorted(set(kinds)):
        share = float(sure[kinds == kind].mean() * 100)
        yield Figure(f"non-digit {kind}, called a digit at >= 90 %", "%", [share])


def _read(reader: Reader, drawings: Sequence) -> list[Answer]:
    return [
        a for i in range(0, len(drawings), CHUNK) for a in reader.read_many(drawings[i : i + CHUNK])
    ]


def _digit_figures(name: str, answers: list[Answer], labels: np.ndarray, target: str):
    labels = np.asarray(labels)
    read = np.array([-1 if a.digit is None else a.digit for a in answers])
    confident = np.array([a.confidence >= SURE for a in answers])
    yield Figure(f"{name}: read right", "%", [float(np.mean(read == labels) * 100)], target)
    right_and_sure = float(np.mean((read == labels) & confident) * 100)
    yield Figure(f"{name}: read right at >= 90 %", "%", [right_and_sure], ">= 97 %")
    yield Figure(f"{name}: called not a digit", "%", [float(np.mean(read == -1) * 100)])
    yield Figure(f"{name}: expected calibration error", "", [_ece(answers, labels)], "small")


def _ece(answers: list[Answer], labels: np.ndarray) -> float:
    """ECE over every output the model has (ten digits, and "not a digit" where it has one)."""
    rows = np.array([[*a.probabilities, a.not_a_digit] for a in answers if a.drawn])
    kept = labels[[a.drawn for a in answers]]
    if np.allclose(rows[:, :10].sum(axis=1), 1.0, atol=1e-3):
        rows = rows[:, :10]  # a ten-output model: its not_a_digit is only 1 - the best digit
    return expected_calibration_error(rows, kept)
