"""Teaching the model your handwriting: accuracy on held-out drawing-like digits before and after
fine-tuning the shipped model on a user's labelled drawings.

The "user" draws like the robustness benchmark's "combined" transformation (MNIST test digits
redrawn as strokes, moved, rotated, slanted, stretched, with another brush and a wobble). The
first USER_DRAWINGS of them are stored through the game's own history code (History.add with
the digit as label, as the draw scene does after a correction) in a temporary data folder; the
training command fine-tunes assets/model.h5 on MNIST mixed with them (`--user-data DIR`).
Accuracy is measured on drawings made from other MNIST digits (indices HELD_OUT onwards), and
on the plain MNIST test set, so that a gain on drawings is not paid for with MNIST.

    python -m benchmarks finetune            # --quick fine-tuning: 3000 MNIST images, 1 epoch
    DIGITS_FINETUNE_EPOCHS=3 python -m benchmarks finetune   # the real thing, on all of MNIST
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.drawn_digits import (
    BENCH_CACHE,
    REPO,
    accuracy,
    mnist_path,
    mnist_test_set,
    predict,
)
from benchmarks.mnist_strokes import robustness_sets
from benchmarks.runner import Figure

STYLE = "combined"
USER_DRAWINGS = 1000
HELD_OUT = 5000  # drawings from MNIST test digits 5000.. are never shown to fine-tuning
SEED = 0
BASE_MODEL = REPO / "assets" / "model.h5"


def store_drawings(data_dir: Path, images: np.ndarray, labels: np.ndarray) -> Path:
    """Write the drawings into a history database the way the game does; returns its path."""
    from game.history import History
    from game.paths import history_path

    path = history_path(data_dir)
    guesses = predict(BASE_MODEL, images)
    with History.open(path) as history:
        for image, label, guess in zip(images, labels, guesses, strict=True):
            probabilities = np.full(10, 0.01, dtype=np.float32)
            probabilities[int(guess)] = 0.91
            history.add(image, probabilities, int(guess), 1.0, "bench", "free", int(label))
    return path


def fine_tune(data_dir: Path, output: Path, mnist: Path) -> float:
    """Run the training command; returns its wall-clock seconds."""
    command = [
        sys.executable,
        "-m",
        "training",
        str(output),
        "--user-data",
        str(data_dir),
        "--base-model",
        str(BASE_MODEL),
        "--data",
        str(mnist),
        "--seed",
        str(SEED),
    ]
    epochs = os.environ.get("DIGITS_FINETUNE_EPOCHS")
    command += ["--epochs", epochs] if epochs else ["--quick"]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def figures(repeat: int) -> Iterable[Figure]:
    # One fine-tuning run (minutes of CPU); `repeat` does not apply to accuracies on fixed sets.
    mnist = mnist_path()
    if mnist is None or not BASE_MODEL.is_file():
        print("No MNIST or no assets/model.h5; skipping the fine-tuning figures.", file=sys.stderr)
        return
    x, y = mnist_test_set(mnist)
    images, labels = robustness_sets(x, y, seed=SEED, names=(STYLE,), cache_dir=BENCH_CACHE)[STYLE]
    user_images = np.clip(images[:USER_DRAWINGS] * 255 + 0.5, 0, 255).astype(np.uint8)
    held_images, held_labels = images[HELD_OUT:], labels[HELD_OUT:]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "user"
        store_drawings(data_dir, user_images, labels[:USER_DRAWINGS])
        output = Path(folder) / "mine.h5"
        seconds = fine_tune(data_dir, output, mnist)
        kind = os.environ.get("DIGITS_FINETUNE_EPOCHS")
        kind = f"{kind} epochs" if kind else "--quick"
        held = f"{len(held_labels)} held-out '{STYLE}' drawings"
        yield Figure(
            f"finetune: before, {held}", "%", [accuracy(BASE_MODEL, held_images, held_labels)]
        )
        yield Figure(
            f"finetune: after {USER_DRAWINGS} user drawings ({kind}), {held}",
            "%",
            [accuracy(output, held_images, held_labels)],
        )
        x_float = x.astype(np.float32) / 255
        yield Figure("finetune: before, MNIST test set", "%", [accuracy(BASE_MODEL, x_float, y)])
        yield Figure(
            f"finetune: after ({kind}), MNIST test set", "%", [accuracy(output, x_float, y)]
        )
        yield Figure(f"finetune: training command ({kind})", "s", [seconds])
