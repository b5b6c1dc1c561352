"""Accuracy on MNIST test digits drawn the way users draw them (see benchmarks/mnist_strokes.py).

One figure per transformation per model: the shipped model (assets/model.onnx), the same
architecture trained without augmentation, and the one trained without style data. The
comparison models are trained once and kept under build/bench-models/; the drawn digits are
generated once per seed and kept under build/bench-cache/.

    python -m benchmarks robustness
    python -m benchmarks.bench_robustness --grid docs/robustness_grid.png
"""

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.drawn_digits import (
    BENCH_CACHE,
    REPO,
    accuracy,
    comparison_model,
    grid_command,
    mnist_path,
    mnist_test_set,
    save_grid,
    shipped_model,
    trained_epochs,
)
from benchmarks.mnist_strokes import (
    TRANSFORMATIONS,
    render,
    robustness_sets,
    skeleton_polylines,
    transformed_strokes,
)
from benchmarks.runner import Figure

SEED = 0
# Comparison models: (figure label, change to the shipped model's training command, the
# environment variable that may name a ready model instead).
COMPARISONS = (
    ("no augmentation", "no-augment", "DIGITS_NO_AUGMENT_MODEL"),
    ("no style data", "no-styles", "DIGITS_NO_STYLES_MODEL"),
)


def models(mnist: Path | None) -> list[tuple[str, Path]]:
    """(figure label, model path) for every model there is to measure."""
    found = []
    shipped = shipped_model()
    if shipped.is_file():
        found.append(("shipped", shipped))
    else:
        print(f"There is no shipped model at {shipped}; skipping it.", file=sys.stderr)
    shipped_epochs = trained_epochs(shipped)
    for label, change, env_var in COMPARISONS:
        path = comparison_model(change, env_var, mnist)
        if path is not None:
            epochs = trained_epochs(path)
            # A comparison trained for another number of epochs says so in its figures' names.
            if epochs is not None and epochs != shipped_epochs:
                label = f"{label}, {epochs} epochs"
            found.append((label, path))
    return found


def figures(repeat: int) -> Iterable[Figure]:
    # Accuracy on a fixed set is the same on every run, so `repeat` does not apply.
    mnist = mnist_path()
    if mnist is None:
        print("No MNIST (set DIGITS_MNIST); skipping the robustness figures.", file=sys.stderr)
        return
    x, y = mnist_test_set(mnist)
    limit = int(os.environ["DIGITS_BENCH_LIMIT"]) if os.environ.get("DIGITS_BENCH_LIMIT") else None
    sets = robustness_sets(x, y, seed=SEED, limit=limit, cache_dir=BENCH_CACHE)
    for label, path in models(mnist):
        drawn = []
        for name, (images, labels) in sets.items():
            share = accuracy(path, images, labels)
            target = ">= 99.6 %" if (name, label) == ("mnist", "shipped") else ""
            yield Figure(f"robustness {name} ({label})", "%", [share], target)
            if name != "mnist":
                drawn.append(share)
        # Every set holds the same digits, so the mean is the accuracy over all drawn versions.
        yield Figure(f"robustness all drawn, mean ({label})", "%", [float(np.mean(drawn))])


def write_grid(path: Path, seed: int = SEED) -> None:
    """One MNIST test digit of each class: what the user drew on the canvas (left of each pair
    of rows) and the 28x28 image the model then sees, for every transformation."""
    mnist = mnist_path()
    if mnist is None:
        raise SystemExit("No MNIST (set DIGITS_MNIST); cannot draw the grid.")
    x, y = mnist_test_set(mnist)
    rows = []
    for digit in (0, 1, 2, 4, 7, 9):
        index = int(np.flatnonzero(y == digit)[0])
        polylines = skeleton_polylines(x[index])
        strokes = {
            name: transformed_strokes(polylines, name, seed, index) for name in TRANSFORMATIONS
        }
        rows.append((f"{digit} drawn", [x[index] / 255.0, *strokes.values()]))
        rows.append((f"{digit} seen", [x[index] / 255.0, *(render(s) for s in strokes.values())]))
    save_grid(path, rows, ["mnist", *TRANSFORMATIONS])


def main(argv: list[str] | None = None) -> int:
    return grid_command(
        argv,
        "bench_robustness",
        "Draw the robustness transformations as a PNG grid.",
        REPO / "docs" / "robustness_grid.png",
        write_grid,
    )


if __name__ == "__main__":
    sys.exit(main())
