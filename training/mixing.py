"""The drawn training data mixed with MNIST: real writers' digit shapes and non-digits.

Both are made as strokes (training.drawn_digits, training.not_digits) and rendered by the game's
own preprocessing, so training sees what the app feeds the model. Their numbers are shares of
the MNIST training images; the same seed gives the same drawings.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from game.contract import IMAGE_SIZE, NOT_A_DIGIT
from game.preprocess import Stroke, preprocess
from training import drawn_digits, not_digits
from training.strokes import Pen

DEFAULT_DRAWN = 0.25
DEFAULT_NOT_A_DIGIT = 0.15
# Generator streams, so that digits and non-digits of one seed are independent.
DRAWN_STREAM, NOT_DIGIT_STREAM = 0, 1


def rendered(drawings: Sequence[Sequence[Stroke]]) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 28, 28) of the drawings the app would classify, and which those are
    (a dot renders to nothing and never reaches the model)."""
    images = [preprocess(strokes) for strokes in drawings]
    kept = np.array([image is not None for image in images], dtype=bool)
    stack = [np.round(image * 255).astype(np.uint8) for image in images if image is not None]
    empty = np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    return (np.stack(stack) if stack else empty), kept


def drawn_data(
    mnist_count: int, drawn_share: float, not_digit_share: float, seed: int
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(images uint8, labels, card entries "drawn" and "not_a_digit") for one training run."""
    pen = Pen()
    strokes, labels, shapes = drawn_digits.drawings(
        int(round(drawn_share * mnist_count)), seed, pen, DRAWN_STREAM
    )
    digit_images, kept = rendered(strokes)
    digit_labels = labels[kept]
    shapes = [name for name, keep in zip(shapes, kept, strict=True) if keep]
    negatives, kinds = not_digits.drawings(
        int(round(not_digit_share * mnist_count)),
        seed,
        not_digits.TRAINING_FONTS,
        pen,
        NOT_DIGIT_STREAM,
    )
    negative_images, kept = rendered(negatives)
    kinds = [name for name, keep in zip(kinds, kept, strict=True) if keep]
    info = {
        "drawn": {
            "share": drawn_share,
            "seed": [seed, DRAWN_STREAM],
            "count": len(digit_labels),
            "shapes": _counts(shapes),
            "pen": pen.as_dict(),
        },
        "not_a_digit": {
            "share": not_digit_share,
            "seed": [seed, NOT_DIGIT_STREAM],
            "label": NOT_A_DIGIT,
            "count": len(kinds),
            "kinds": _counts(kinds),
            "fonts": list(not_digits.TRAINING_FONTS),
        },
    }
    images = np.concatenate([digit_images, negative_images])
    all_labels = np.concatenate([digit_labels, np.full(len(kinds), NOT_A_DIGIT, np.int64)])
    return images, all_labels.astype(np.uint8), info


def _counts(names: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for name in names:
        found[name] = found.get(name, 0) + 1
    return found
