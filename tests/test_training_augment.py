"""Augmentation and input pipeline: seeded, whole batches, digits stay digits."""

from pathlib import Path

import numpy as np
import tensorflow as tf

from training import augment, data


def first_batches(images: np.ndarray, labels: np.ndarray, seed: int, count: int = 3) -> list:
    dataset = augment.training_dataset(images, labels, 32, seed, augment.Augmentation())
    return [(x.numpy(), y.numpy()) for x, y in dataset.take(count)]


def sample(mnist_path: Path, count: int = 256) -> tuple[np.ndarray, np.ndarray]:
    mnist = data.load_mnist(mnist_path)
    return mnist.x_train[:count], mnist.y_train[:count]


def test_same_seed_gives_the_same_order_and_augmentation(mnist_path: Path) -> None:
    images, labels = sample(mnist_path)
    first, again = first_batches(images, labels, 7), first_batches(images, labels, 7)
    other = first_batches(images, labels, 8)
    for (x1, y1), (x2, y2) in zip(first, again, strict=True):
        np.testing.assert_array_equal(y1, y2)
        np.testing.assert_allclose(x1, x2, atol=1e-6)
    assert not all(np.array_equal(y1, y2) for (_, y1), (_, y2) in zip(first, other, strict=True))


def test_augmented_batches_follow_the_contract_and_keep_the_ink(mnist_path: Path) -> None:
    images, labels = sample(mnist_path)
    batch = tf.constant(images[:128].astype(np.float32)[..., None] / 255)
    distorted = augment.augment_batch(batch, tf.constant([3, 0], tf.int64), augment.Augmentation())
    distorted = distorted.numpy()
    assert distorted.shape == (128, 28, 28, 1) and distorted.dtype == np.float32
    assert distorted.min() >= 0.0 and distorted.max() <= 1.0 + 1e-6
    ink_before = batch.numpy().sum(axis=(1, 2, 3))
    ink_after = distorted.sum(axis=(1, 2, 3))
    # Thicker, thinner, zoomed: the ink changes, but a digit never vanishes or floods the frame.
    assert np.all(ink_after > 0.3 * ink_before) and np.all(ink_after < 3.0 * ink_before)
    changed = np.abs(distorted - batch.numpy()).max(axis=(1, 2, 3)) > 0.05
    assert 0.7 < changed.mean() < 1.0  # A share is left untouched on purpose.


def test_batches_of_different_steps_are_distorted_differently(mnist_path: Path) -> None:
    images, _ = sample(mnist_path, 8)
    batch = tf.constant(images.astype(np.float32)[..., None] / 255)
    config = augment.Augmentation(untouched=0.0)
    one = augment.augment_batch(batch, tf.constant([0, 1], tf.int64), config).numpy()
    two = augment.augment_batch(batch, tf.constant([0, 2], tf.int64), config).numpy()
    assert np.abs(one - two).max() > 0.5


def test_one_epoch_covers_the_training_set_once(mnist_path: Path) -> None:
    images, labels = sample(mnist_path, 96)
    dataset = augment.training_dataset(images, labels, 32, 0, None)
    seen = np.concatenate([x.numpy() for x, _ in dataset.take(3)])
    assert seen.shape == (96, 28, 28, 1)
    as_bytes = {np.round(s * 255).astype(np.uint8).tobytes() for s in seen}
    assert as_bytes == {image.tobytes() for image in images}
