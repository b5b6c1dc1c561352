"""The number test set: whole numbers of 2 to 8 digits written the way people write them.

Each number is composed from the project's drawn digits: MNIST test digits traced into strokes
(benchmarks/mnist_strokes.py), the real writers' shapes (training/drawn_digits.py: slashed and
plain zeros, flagged ones, crossed sevens, open and closed fours, ... as benchmarks/drawn_sets.py
tests them) and the handwriting styles' templates (benchmarks/style_digits.py),
written left to right on one canvas with one hand: one slant, pen and size per number, each digit
a little larger or smaller, the baseline drifting, gaps from slightly overlapping boxes to a
digit's width. In a "joined" number some neighbouring digits are written without lifting the
pen: the last stroke of one runs on into the first stroke of the next. Seeded: the same seed
gives the same numbers.
"""

from dataclasses import dataclass

import numpy as np

from benchmarks.mnist_strokes import Polylines, draw, skeleton_polylines
from benchmarks.style_digits import STYLES
from game.preprocess import Stroke
from training.drawn_digits import SHAPES

MIN_DIGITS, MAX_DIGITS = 2, 8
# Shares of the digits drawn from a real writer's shape (every digit has one or more, picked by
# their weights) and from a style template (for the digits that have styles); the rest are
# traced MNIST digits.
REAL_SHARE = 0.4
STYLE_SHARE = 0.15
# Gaps between digits' boxes, in shares of an average digit's width (0.6 of its height).
GAP_RANGE = (-0.1, 1.0)
JOINED_GAP_RANGE = (0.0, 0.35)
# In a joined number, each neighbouring pair is joined with this probability (at least one).
JOIN_CHANCE = 0.35
# Canvas pixels: the number's digit height, the pen, and where the first digit starts.
HEIGHT_RANGE = (50.0, 120.0)
BRUSH_RANGE = (4.0, 24.0)
LEFT, BASELINE = 30.0, 200.0


@dataclass(frozen=True)
class WrittenNumber:
    text: str
    strokes: list[Stroke]  # the whole number as the canvas holds it
    digits: list[list[Stroke]]  # each digit on its own (before any joining): the ceiling
    joined: bool


class DigitShapes:
    """Polylines of every digit: traced MNIST test digits, real writers' shapes, style templates."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, limit: int = 2000) -> None:
        self.images, self.labels = images[:limit], np.asarray(labels[:limit])
        self._traced: dict[int, Polylines] = {}
        self.styles = {d: [t for digit, t in STYLES.values() if digit == d] for d in range(10)}
        self.real = {d: [s for s in SHAPES.values() if s.digit == d] for d in range(10)}

    def polylines(self, digit: int, rng: np.random.Generator) -> Polylines:
        pick = rng.random()
        if pick < REAL_SHARE:
            shapes = self.real[digit]
            weights = np.array([s.weight for s in shapes])
            shape = shapes[rng.choice(len(shapes), p=weights / weights.sum())]
            # Templates are one unit tall with y down; `draw` scales them to the digit's size.
            return [np.asarray(p, np.float64) * 28.0 for p in shape.template(rng)]
        if self.styles[digit] and pick < REAL_SHARE + STYLE_SHARE:
            template = self.styles[digit][rng.integers(len(self.styles[digit]))]
            # Style templates are in a unit box with y down; MNIST traces in a 28-pixel frame.
            return [p * 28.0 for p in template(rng)]
        choices = np.nonzero(self.labels == digit)[0]
        index = int(choices[rng.integers(len(choices))])
        if index not in self._traced:
            self._traced[index] = skeleton_polylines(self.images[index])
        return self._traced[index]


def number_set(shapes: DigitShapes, seed: int = 0, count: int = 2000, joined_share: float = 0.4):
    """`count` written numbers; the last `joined_share` of them have joined pairs."""
    first_joined = int(round(count * (1 - joined_share)))
    return [written_number(shapes, seed, i, joined=i >= first_joined) for i in range(count)]


def written_number(shapes: DigitShapes, seed: int, index: int, joined: bool) -> WrittenNumber:
    rng = np.random.default_rng([seed, index])
    length = int(rng.integers(MIN_DIGITS, MAX_DIGITS + 1))
    text = "".join(str(d) for d in rng.integers(0, 10, length))
    height = float(rng.uniform(*HEIGHT_RANGE))
    hand = {
        "slant": float(rng.uniform(-0.1, 0.3)),
        "width": float(rng.uniform(*BRUSH_RANGE)),
    }
    joins = rng.random(length - 1) < JOIN_CHANCE if joined else np.zeros(length - 1, bool)
    if joined and not joins.any():
        joins[rng.integers(length - 1)] = True
    digits: list[list[Stroke]] = []
    x, baseline = LEFT, BASELINE
    for position, character in enumerate(text):
        size = height * float(np.exp(rng.normal(0.0, 0.08)))
        strokes = draw(
            shapes.polylines(int(character), rng),
            rng,
            height=size,
            rotation=float(rng.uniform(-5, 5)),
            wobble=float(rng.uniform(0.0, 0.02)),
            **hand,
        )
        if position:
            joined_here = bool(joins[position - 1])
            gap = rng.uniform(*(JOINED_GAP_RANGE if joined_here else GAP_RANGE))
            x += gap * 0.6 * height
        baseline += float(rng.normal(0.0, 0.05 * height))
        strokes = _placed(strokes, x, baseline)
        x = max(float(s.points[:, 0].max()) for s in strokes)
        digits.append(strokes)
    return WrittenNumber(text, _joined(digits, joins), digits, bool(joins.any()))


def _placed(strokes: list[Stroke], left: float, bottom: float) -> list[Stroke]:
    points = np.concatenate([s.points for s in strokes])
    shift = np.array([left - points[:, 0].min(), bottom - points[:, 1].max()])
    return [Stroke(s.points + shift, s.width) for s in strokes]


def _joined(digits: list[list[Stroke]], joins: np.ndarray) -> list[Stroke]:
    """The canvas strokes: where a pair is joined, the pen runs from the end of the left
    digit's last stroke straight on into the right digit's first stroke."""
    strokes = list(digits[0])
    for digit, join in zip(digits[1:], joins, strict=True):
        if join:
            last = strokes.pop()
            strokes.append(Stroke(np.concatenate([last.points, digit[0].points]), last.width))
            strokes.extend(digit[1:])
        else:
            strokes.extend(digit)
    return strokes
