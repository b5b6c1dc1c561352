"""The style transformation: seeded, and only the digits and shares asked for change."""

from pathlib import Path

import numpy as np
import pytest

from training import data, styles


@pytest.fixture
def sample(mnist_path: Path) -> tuple[np.ndarray, np.ndarray]:
    mnist = data.load_mnist(mnist_path)
    return mnist.x_train[:3000], mnist.y_train[:3000]


def changed_images(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return np.flatnonzero((before != after).any(axis=(1, 2)))


def test_same_seed_gives_the_same_styled_digits(sample: tuple) -> None:
    images, labels = sample
    first, _ = styles.apply_styles(images, labels, styles.DEFAULT_SHARES, seed=5)
    second, _ = styles.apply_styles(images, labels, styles.DEFAULT_SHARES, seed=5)
    other, _ = styles.apply_styles(images, labels, styles.DEFAULT_SHARES, seed=6)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_only_the_asked_digit_changes_in_the_asked_share(sample: tuple) -> None:
    images, labels = sample
    styled, counts = styles.apply_styles(images, labels, {"slashed_zero": 0.25}, seed=0)
    changed = changed_images(images, styled)
    zeros = int((labels == 0).sum())
    assert set(labels[changed]) == {0}
    # A few zeros may have ink the slash cannot be placed on; never more than asked.
    assert 0.22 * zeros <= len(changed) <= round(0.25 * zeros)
    assert counts == {"slashed_zero": len(changed)}


def test_the_input_images_are_not_modified(sample: tuple) -> None:
    images, labels = sample
    copy = images.copy()
    styles.apply_styles(images, labels, styles.DEFAULT_SHARES, seed=0)
    np.testing.assert_array_equal(images, copy)


def test_two_styles_of_one_digit_go_to_different_images(sample: tuple) -> None:
    images, labels = sample
    flagged, _ = styles.apply_styles(images, labels, {"flagged_one": 0.3}, seed=1)
    both, counts = styles.apply_styles(
        images, labels, {"flagged_one": 0.3, "footed_one": 0.3}, seed=1
    )
    ones = int((labels == 1).sum())
    assert set(labels[changed_images(images, both)]) == {1}
    assert len(changed_images(images, both)) > 0.55 * ones
    assert counts["flagged_one"] > 0.25 * ones and counts["footed_one"] > 0.25 * ones
    assert len(changed_images(images, flagged)) <= round(0.3 * ones)


def test_slash_adds_ink_across_the_middle_of_a_zero(sample: tuple) -> None:
    images, labels = sample
    zeros = images[labels == 0][:50].astype(np.float32) / 255
    slashed, found = styles.draw_style(zeros, "slashed_zero", np.random.default_rng(0))
    assert found.mean() > 0.9
    # The hole of a zero is empty; a slash puts ink in the middle of the frame.
    before = zeros[found][:, 13:16, 13:16].max(axis=(1, 2))
    after = slashed[found][:, 13:16, 13:16].max(axis=(1, 2))
    assert after.mean() > 0.9 and (after - before).mean() > 0.5


def test_styled_digits_stay_centred_like_mnist(sample: tuple) -> None:
    images, labels = sample
    styled, _ = styles.apply_styles(images, labels, {"flagged_one": 1.0}, seed=0)
    ones = styled[labels == 1].astype(np.float32)
    rows = (ones.sum(axis=2) * np.arange(28)).sum(axis=1) / ones.sum(axis=(1, 2))
    cols = (ones.sum(axis=1) * np.arange(28)).sum(axis=1) / ones.sum(axis=(1, 2))
    assert np.abs(rows - 14).max() < 1.0 and np.abs(cols - 14).max() < 1.0


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"curly_two": 0.3}, "no style"),
        ({"slashed_zero": 1.5}, "between 0 and 1"),
        ({"flagged_one": 0.7, "footed_one": 0.6}, "more than 1"),
    ],
)
def test_impossible_shares_are_refused(shares: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        styles.check_shares(shares)
