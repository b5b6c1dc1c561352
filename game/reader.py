"""Read drawings: the public Python API that the app, the benchmarks and other programs use.

    from game.reader import Reader
    reader = Reader.load()                      # the shipped model, or Reader.load("my.onnx")
    answer = reader.read([[(10, 10), (10, 90)]])  # strokes: point sequences in screen pixels
    answer.digit, answer.confidence, answer.probabilities

A drawing goes through the MNIST-style preprocessing (`game.preprocess`), the model, and the
model card's calibration (temperature scaling), so the confidence is an honest probability.
A model with an eleventh output answers "not a digit" when that output is at least 0.5: when
it is likelier that the drawing is no digit at all than that it is one of the ten. For a
ten-output model, a drawing none of whose digits reaches `REJECT_BELOW` is not a digit.

Pure and fast (well under a millisecond a drawing with ONNX Runtime): no pygame, no threads.
Loading a Keras model imports TensorFlow, so load off the UI thread.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from game.contract import NOT_A_DIGIT, NUM_CLASSES
from game.modelcard import load_card
from game.preprocess import Stroke, preprocess
from game.segment import Number, read_number

if TYPE_CHECKING:
    from game.explain import Explanation

# A digit this probable or more is an answer the panel states without a doubt.
SURE = 0.9
# Ten outputs: a best digit below this is no answer at all, the drawing is "not a digit".
REJECT_BELOW = 0.4
# Another digit at least this probable is named as the alternative ("7, or maybe 1").
MAYBE = 0.1

# A drawing as callers give it: Stroke objects, or sequences of (x, y) points.
Drawing = Sequence[Stroke | Sequence[Sequence[float]]]


@dataclass(frozen=True)
class Answer:
    """What the reader made of one drawing.

    `digit` is 0-9, or None when nothing was drawn (`image` is None) or the drawing is not a
    digit. `confidence` is the calibrated probability of that answer: of `digit`, or that it is
    not a digit. `probabilities` are the ten digits' calibrated probabilities; with a model that
    knows non-digits they sum to 1 - `not_a_digit`.
    """

    digit: int | None
    confidence: float
    probabilities: np.ndarray
    not_a_digit: float
    image: np.ndarray | None = field(default=None, repr=False)
    latency_ms: float = 0.0

    @property
    def drawn(self) -> bool:
        """False when there was nothing to read (an empty canvas or a dot)."""
        return self.image is not None

    @property
    def sure(self) -> bool:
        return self.digit is not None and self.confidence >= SURE and not self.alternatives

    @property
    def alternatives(self) -> list[int]:
        """Other digits worth naming, most probable first (only for a digit answer)."""
        if self.digit is None:
            return []
        order = np.argsort(self.probabilities)[::-1]
        return [int(d) for d in order if d != self.digit and self.probabilities[d] >= MAYBE][:2]


class Reader:
    """A loaded model plus its calibration; `read` strokes, `read_images` 28x28 inputs."""

    def __init__(self, classifier: Any, temperature: float = 1.0) -> None:
        if not (np.isfinite(temperature) and temperature > 0):
            raise ValueError(f"The calibration temperature must be positive, not {temperature}.")
        self.classifier = classifier
        self.temperature = float(temperature)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Reader":
        """The model at `path` (default: the shipped one) with its card's calibration.

        Raises game.classifier.ModelLoadError with one sentence for a file that cannot be used.
        """
        from game.classifier import load_classifier
        from game.paths import default_model_path

        path = Path(path) if path is not None else default_model_path()
        return cls(load_classifier(path), card_temperature(load_card(path)))

    @property
    def info(self) -> Any:
        return self.classifier.info

    def read(self, strokes: Drawing) -> Answer:
        """Read one drawing (see the module's docstring)."""
        return self.read_many([strokes])[0]

    def read_many(self, drawings: Sequence[Drawing]) -> list[Answer]:
        """Read several drawings with one call of the model (benchmarks, explanations)."""
        start = time.perf_counter()
        images = [preprocess(as_strokes(strokes)) for strokes in drawings]
        drawn = [image for image in images if image is not None]
        probabilities = iter(self.calibrated(np.stack(drawn)) if drawn else [])
        latency_ms = (time.perf_counter() - start) * 1000 / max(1, len(drawings))
        return [
            nothing_drawn(latency_ms)
            if image is None
            else _answer(next(probabilities), image, latency_ms)
            for image in images
        ]

    def read_number(self, strokes: Drawing) -> Number:
        """Read a whole number written in one go: `text`, `digits`, `confidence` (game.segment)."""
        return read_number(self.read_many, strokes)

    def read_images(self, images: np.ndarray) -> list[Answer]:
        """Answers for ready 28x28 model inputs (N, 28, 28), e.g. MNIST's own images."""
        return [_answer(p, image) for p, image in zip(self.calibrated(images), images, strict=True)]

    def calibrated(self, images: np.ndarray) -> np.ndarray:
        """The model's probabilities (N, 10 or 11) for 28x28 inputs, after calibration."""
        return calibrate(self.classifier.predict(images), self.temperature)

    def explain(self, strokes: Drawing, digit: int | None = None) -> "Explanation":
        """Why this drawing reads as it does, or what speaks for and against `digit` instead:
        stroke importance and an occlusion map, one model call (see game.explain)."""
        from game.explain import explain  # game.explain reads through this module

        return explain(self, strokes, digit)


def as_strokes(strokes: Drawing) -> list[Stroke]:
    return [s if isinstance(s, Stroke) else Stroke.from_points(s) for s in strokes]


def calibrate(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Temperature scaling applied to softmax outputs: softmax(log(p) / T)."""
    logits = np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-12, None))
    logits /= temperature
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return (scaled / scaled.sum(axis=-1, keepdims=True)).astype(np.float32)


def card_temperature(card: dict[str, Any] | None) -> float:
    """The calibration temperature a model card records, 1.0 (none) when it has none."""
    try:
        temperature = float(card["calibration"]["temperature"])
    except (TypeError, KeyError, ValueError):
        return 1.0
    return temperature if np.isfinite(temperature) and temperature > 0 else 1.0


def nothing_drawn(latency_ms: float = 0.0) -> Answer:
    return Answer(None, 0.0, np.zeros(NUM_CLASSES, np.float32), 0.0, None, latency_ms)


def _answer(probabilities: np.ndarray, image: np.ndarray, latency_ms: float = 0.0) -> Answer:
    digits = np.asarray(probabilities[:NUM_CLASSES], dtype=np.float32)
    best = int(np.argmax(digits))
    if len(probabilities) > NUM_CLASSES:
        not_a_digit = float(probabilities[NOT_A_DIGIT])
        # A digit, even an unsure one, while the ten digits together outweigh "not a digit":
        # the panel then names it as unsure rather than saying "not a digit, 40 % sure".
        refused = not_a_digit >= 0.5
    else:
        not_a_digit = 1.0 - float(digits[best])
        refused = digits[best] < REJECT_BELOW
    if refused:
        return Answer(None, not_a_digit, digits, not_a_digit, image, latency_ms)
    return Answer(best, float(digits[best]), digits, not_a_digit, image, latency_ms)
