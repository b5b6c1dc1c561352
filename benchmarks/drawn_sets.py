"""The project's own drawn test sets: real writers' digit shapes, and drawings that are not digits.

Made with the training generators' shapes (training.drawn_digits, training.not_digits) but by a
different hand and seed: other size, slant, tilt and proportion ranges, other brushes, a sparser
or denser point spacing, a random-walk tremor instead of smooth waves, and, for the non-digits,
Hershey fonts the training never used. Nothing is cached: each set takes seconds to make.

Each set is (drawings, labels, names): a drawing is a list of strokes, each an (n, 2) array of
(x, y) canvas pixels (y down) as `Reader.read` takes them; labels are digits, or
game.contract.NOT_A_DIGIT; names say which shape or kind each drawing is.
"""

import sys
from pathlib import Path

import numpy as np

from game.contract import NOT_A_DIGIT
from training import drawn_digits, not_digits
from training.strokes import Pen

SEED = 1012
# Another hand than training's Pen(): wider ranges, a random-walk tremor, other point spacing.
PEN = Pen(
    height=(40.0, 380.0),
    slant=(-0.18, 0.38),
    rotation=(-12.0, 12.0),
    aspect=(0.75, 1.3),
    width=(2.0, 60.0),
    wobble=(0.005, 0.03),
    wobble_model="walk",
    spacing=(1.0, 18.0),
    corner_jitter=0.04,
)
Drawings = list[list[np.ndarray]]


def real_shape_set(
    per_shape: int = 300, seed: int = SEED
) -> tuple[Drawings, np.ndarray, list[str]]:
    """`per_shape` drawings of every shape in training.drawn_digits.SHAPES, grouped by shape."""
    drawings, labels, names = [], [], []
    for number, (name, shape) in enumerate(drawn_digits.SHAPES.items()):
        for index in range(per_shape):
            rng = np.random.default_rng([seed, 100 + number, index])
            strokes = drawn_digits.drawing(name, rng, PEN)
            drawings.append([stroke.points for stroke in strokes])
            labels.append(shape.digit)
            names.append(name)
    return drawings, np.array(labels, dtype=np.int64), names


def not_digit_set(count: int = 2400, seed: int = SEED) -> tuple[Drawings, np.ndarray, list[str]]:
    """`count` non-digits (letters and symbols of fonts training never saw, scribbles, shapes,
    crossed-out digits); every label is NOT_A_DIGIT."""
    strokes, kinds = not_digits.drawings(count, seed, not_digits.BENCHMARK_FONTS, PEN, stream=7)
    drawings = [[stroke.points for stroke in drawing] for drawing in strokes]
    return drawings, np.full(count, NOT_A_DIGIT, dtype=np.int64), kinds


def _write_grid(path: Path) -> None:
    from benchmarks.drawn_digits import save_grid
    from game.preprocess import Stroke

    digits, _, shapes = real_shape_set(per_shape=12)
    others, _, kinds = not_digit_set(count=120)
    rows: dict[str, list] = {}
    for drawing, name in [*zip(digits, shapes, strict=True), *zip(others, kinds, strict=True)]:
        cells = rows.setdefault(name, [])
        if len(cells) < 12:
            cells.append([Stroke.from_points(points, 8.0) for points in drawing])
    save_grid(path, list(rows.items()))


def main(argv: list[str] | None = None) -> int:
    from benchmarks.drawn_digits import REPO, grid_command

    return grid_command(
        argv,
        "drawn_sets",
        "Draw samples of the real-shape and not-a-digit test sets as a PNG grid.",
        REPO / "build" / "drawn_sets.png",
        _write_grid,
    )


if __name__ == "__main__":
    sys.exit(main())
