"""Accuracy per handwriting style on the style test set (see benchmarks/style_digits.py).

One figure per style per model: the shipped model (assets/model.onnx), the same architecture
trained without style data, and the one trained without augmentation. Target: every style at
least 95% for the shipped model.

    python -m benchmarks styles
    python -m benchmarks.bench_styles --grid docs/style_grid.png
"""

import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.bench_robustness import models
from benchmarks.drawn_digits import REPO, accuracy, grid_command, mnist_path, predict, save_grid
from benchmarks.runner import Figure
from benchmarks.style_digits import STYLES, style_test_set

SEED = 0
PER_STYLE = 60
TARGET = ">= 95 %"


def figures(repeat: int) -> Iterable[Figure]:
    # Accuracy on a fixed set is the same on every run, so `repeat` does not apply.
    images, labels, names = style_test_set(seed=SEED, per_style=PER_STYLE)
    styles = np.array(names)
    for label, path in models(mnist_path()):
        predicted = predict(path, images)
        for style in STYLES:
            chosen = styles == style
            share = float(np.mean(predicted[chosen] == labels[chosen]) * 100)
            target = TARGET if label == "shipped" else ""
            yield Figure(f"style {style} ({label})", "%", [share], target)
            wrong = misreading(predicted[chosen], labels[chosen])
            print(f"  {style} ({label}): {wrong}", file=sys.stderr)
        everything = accuracy(path, images, labels)
        yield Figure(f"style set, all {len(images)} ({label})", "%", [everything])


def misreading(predicted: np.ndarray, labels: np.ndarray) -> str:
    """What a style is most often mistaken for, e.g. "read as 7 in 40% (24 of 60)"; -1 is the
    reader's "not a digit"."""
    wrong = predicted[predicted != labels]
    if not len(wrong):
        return "never misread"
    values, counts = np.unique(wrong, return_counts=True)
    digit, count = int(values[counts.argmax()]), int(counts.max())
    read = "not a digit" if digit < 0 else f"as {digit}"
    return f"read {read} in {count / len(labels):.0%} ({count} of {len(labels)})"


def write_grid(path: Path, seed: int = SEED, per_row: int = 12) -> None:
    """`per_row` drawings of every style, one labelled row each, as the model sees them."""
    images, _, names = style_test_set(seed=seed, per_style=per_row)
    styles = np.array(names)
    save_grid(path, [(style, images[styles == style]) for style in STYLES])


def main(argv: list[str] | None = None) -> int:
    return grid_command(
        argv,
        "bench_styles",
        "Draw the style test set as a PNG grid, one row per style.",
        REPO / "docs" / "style_grid.png",
        write_grid,
    )


if __name__ == "__main__":
    sys.exit(main())
