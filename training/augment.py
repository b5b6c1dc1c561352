"""Seeded augmentation of whole batches with TensorFlow ops, and the tf.data input pipelines.

People drawing with a mouse produce digits that are rotated, slanted, squashed, off-centre and
thicker or thinner than MNIST's; the game's preprocessing removes most of the size and position
differences, and these distortions teach the network the rest. Every random number comes from
`tf.random.stateless_uniform` seeded by (run seed, batch number), so the same seed gives the same
data order and the same augmentation, whatever the number of pipeline threads.
"""

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from game.contract import IMAGE_SIZE


@dataclass(frozen=True)
class Augmentation:
    """Ranges of the random distortions; each is drawn uniformly in [-range, +range]."""

    rotation_degrees: float = 12.0
    shear_degrees: float = 10.0
    zoom: float = 0.1  # Relative change of size, both axes together.
    aspect: float = 0.1  # Relative change of width against height.
    shift_pixels: float = 2.0
    # Stroke width: at +1 a full 3x3 dilation (about 2 pixels thicker), at -1 a full erosion.
    thicken: float = 1.0
    # Thinning is gentler: a full erosion breaks MNIST's thinnest strokes, opening the loop of
    # a 9 into a 4.
    thin: float = 0.3
    # Share of images passed through untouched, so that clean MNIST stays in view.
    untouched: float = 0.15

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def to_model_input(images: tf.Tensor) -> tf.Tensor:
    """uint8 (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1], as the model contract wants."""
    return tf.cast(images, tf.float32)[..., tf.newaxis] / 255.0


def augment_batch(images: tf.Tensor, seed: tf.Tensor, config: Augmentation) -> tf.Tensor:
    """Distort a float32 batch (N, 28, 28, 1); `seed` is an int64 pair for the stateless RNG."""
    count = tf.shape(images)[0]
    draws = tf.random.stateless_uniform((count, 8), seed=seed, minval=-1.0, maxval=1.0)
    keep = tf.cast((draws[:, 7] + 1.0) / 2.0 >= config.untouched, tf.float32)
    draws = draws * keep[:, tf.newaxis]

    images = _change_thickness(images, draws[:, 6], config)

    rotation = draws[:, 0] * math.radians(config.rotation_degrees)
    shear = draws[:, 1] * math.radians(config.shear_degrees)
    zoom = 1.0 + draws[:, 2] * config.zoom
    aspect = 1.0 + draws[:, 3] * config.aspect
    scale_x, scale_y = zoom * aspect, zoom / aspect
    shift_x, shift_y = draws[:, 4] * config.shift_pixels, draws[:, 5] * config.shift_pixels

    # The transform maps each output pixel to the input pixel it samples: the inverse of
    # "scale, shear, rotate about the centre, then shift", written out as a 2x2 matrix.
    cos, sin, tan = tf.cos(rotation), tf.sin(rotation), tf.tan(shear)
    a00, a01 = cos / scale_x, (sin + cos * tan) / scale_x
    a10, a11 = -sin / scale_y, (cos - sin * tan) / scale_y
    centre = (IMAGE_SIZE - 1) / 2.0
    a02 = centre - a00 * (centre + shift_x) - a01 * (centre + shift_y)
    a12 = centre - a10 * (centre + shift_x) - a11 * (centre + shift_y)
    zeros = tf.zeros_like(a00)
    transforms = tf.stack([a00, a01, a02, a10, a11, a12, zeros, zeros], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.constant([IMAGE_SIZE, IMAGE_SIZE]),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )


def _change_thickness(images: tf.Tensor, amount: tf.Tensor, config: Augmentation) -> tf.Tensor:
    """Blend each image towards its 3x3 dilation (amount > 0) or erosion (amount < 0)."""
    dilated = tf.nn.max_pool2d(images, 3, 1, "SAME")
    eroded = -tf.nn.max_pool2d(-images, 3, 1, "SAME")
    amount = amount[:, tf.newaxis, tf.newaxis, tf.newaxis]
    thicker = tf.maximum(amount, 0.0) * config.thicken
    thinner = tf.maximum(-amount, 0.0) * config.thin
    return images + thicker * (dilated - images) + thinner * (eroded - images)


def training_dataset(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    seed: int,
    augmentation: Augmentation | None,
) -> tf.data.Dataset:
    """Shuffled, repeated (one epoch = ceil(N / batch) steps), augmented batches."""
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    # Repeat before batching, so that the batch counter used as a seed runs on across epochs.
    dataset = dataset.repeat().batch(batch_size, drop_remainder=True).enumerate()

    def prepare(step: tf.Tensor, batch: tuple[tf.Tensor, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        batch_images, batch_labels = batch
        batch_images = to_model_input(batch_images)
        if augmentation is not None:
            batch_seed = tf.stack([tf.constant(seed, tf.int64), step])
            batch_images = augment_batch(batch_images, batch_seed, augmentation)
        return batch_images, batch_labels

    dataset = dataset.map(prepare, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


def evaluation_dataset(images: np.ndarray, labels: np.ndarray, batch_size: int) -> tf.data.Dataset:
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size)
    return dataset.map(lambda x, y: (to_model_input(x), y)).prefetch(tf.data.AUTOTUNE)
