"""The model contract, defined once and imported by both the game and the training code.

A model takes float32 images of shape (N, 28, 28, 1) with values in [0, 1], 0 the background
and 1 the ink (a white digit on black, as in MNIST), and returns float32 softmax probabilities
of shape (N, 10) for the digits 0-9, or (N, 11) where output NOT_A_DIGIT says "not a digit"
(a letter, a scribble, a shape). A model of the first kind can only fall back on its confidence.
"""

from collections.abc import Sequence

import numpy as np

IMAGE_SIZE = 28
INPUT_SHAPE = (IMAGE_SIZE, IMAGE_SIZE, 1)
NUM_CLASSES = 10
# The 11th output of a model that can say a drawing is not a digit at all.
NOT_A_DIGIT = 10
OUTPUT_SIZES = (NUM_CLASSES, NUM_CLASSES + 1)


def not_a_digit_share(digits: np.ndarray) -> float:
    """What ten digit probabilities leave over: "not a digit" for a model with the eleventh
    output, nothing for a ten-output one (its digits alone sum to 1)."""
    return max(0.0, 1.0 - float(np.sum(digits)))


class ModelContractError(ValueError):
    """A model file that does not fit the contract; the message names what is wrong."""


def check_shapes(input_shape: Sequence[int | None], output_shape: Sequence[int | None]) -> None:
    """Raise ModelContractError unless the shapes are (batch, 28, 28, 1) -> (batch, 10 or 11)."""
    image_shape = tuple(input_shape[1:])
    if image_shape not in (INPUT_SHAPE, INPUT_SHAPE[:2]):
        raise ModelContractError(
            f"it expects input of shape {image_shape}, but the app gives 28x28x1 images"
        )
    if tuple(output_shape[1:]) not in [(size,) for size in OUTPUT_SIZES]:
        raise ModelContractError(
            f"it outputs shape {tuple(output_shape[1:])}, but the app needs 10 digit probabilities"
        )


def to_model_input(images: np.ndarray) -> np.ndarray:
    """Shape one image (28, 28) or a batch (N, 28, 28[, 1]) into the contract's float32 batch."""
    array = np.asarray(images, dtype=np.float32)
    if array.shape[-2:] == INPUT_SHAPE[:2]:
        array = array[..., np.newaxis]
    if array.ndim == 3:
        array = array[np.newaxis]
    if array.shape[1:] != INPUT_SHAPE:
        raise ValueError(f"images must be 28x28, got shape {np.shape(images)}")
    return array
