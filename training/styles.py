"""Digits the way much of the world writes them, made from MNIST by adding strokes.

MNIST's writers were American; a slashed zero, a one with a flag (and sometimes a foot) and a
seven with a bar through its stem are rare in it, and a model trained on it alone reads them as
other digits. Each style here finds where the stroke belongs from the digit's own ink (its
bounding box, the top of a one's stem, the stem of a seven at mid-height), draws it with a round
pen of MNIST-like width, and moves the digit so that its centre of mass is back at the frame's
centre, as MNIST and the game's preprocessing place it. Numpy on whole batches, seeded.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from game.contract import IMAGE_SIZE

# Ink above this (in 0..1) counts as part of the digit when locating strokes.
INK = 0.3
# MNIST's centre of mass (row and column index of the 28x28 frame).
CENTRE = 14.0

# A locator finds, for each image of a batch, where one stroke goes: (start, end, found), with
# start and end (N, 2) as (x, y) pixel indices and found false where the digit's ink is unusable.
Locator = Callable[[np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Style:
    digit: int
    description: str
    strokes: tuple[Locator, ...]


def _slashed_zero(images: np.ndarray, rng: np.random.Generator) -> tuple:
    """A slash from below the lower left of the oval to above its upper right (Ø)."""
    top, bottom, left, right = _bounds(images)
    count = len(images)
    # The slash reaches just outside the oval sideways, and up to its top and bottom.
    over_x = rng.uniform(-0.5, 2.5, (count, 2))
    over_y = rng.uniform(-2.5, 0.0, (count, 2))
    start = np.column_stack([left - over_x[:, 0], bottom + over_y[:, 0]])
    end = np.column_stack([right + over_x[:, 1], top - over_y[:, 1]])
    return start, end, np.ones(count, bool)


def _flag(images: np.ndarray, rng: np.random.Generator) -> tuple:
    """A long up-stroke from the left, ending at the top of the stem."""
    top_x, top_y = _ink_end(images, from_top=True)
    count = len(images)
    # From a short tick to half the height of the digit.
    length = rng.uniform(3.5, 9.0, count)
    # Below the horizontal; steeper than the top bar of a seven, which is nearly level.
    angle = np.radians(rng.uniform(35.0, 65.0, count))
    start = np.column_stack([top_x - length * np.cos(angle), top_y + length * np.sin(angle)])
    end = np.column_stack([top_x, top_y])
    return start, end, np.isfinite(top_x)


def _foot(images: np.ndarray, rng: np.random.Generator) -> tuple:
    """A short horizontal base under the stem."""
    bottom_x, bottom_y = _ink_end(images, from_top=False)
    count = len(images)
    half = rng.uniform(3.0, 5.5, (count, 2))
    tilt = rng.uniform(-0.7, 0.7, count)
    start = np.column_stack([bottom_x - half[:, 0], bottom_y + tilt])
    end = np.column_stack([bottom_x + half[:, 1], bottom_y - tilt])
    return start, end, np.isfinite(bottom_x)


def _bar(images: np.ndarray, rng: np.random.Generator) -> tuple:
    """A bar across the stem of a seven, a little below mid-height."""
    top, bottom, _, _ = _bounds(images)
    count = len(images)
    row = np.round(top + (bottom - top) * rng.uniform(0.45, 0.6, count)).astype(int)
    ink = images[np.arange(count), np.clip(row, 0, IMAGE_SIZE - 1)]
    weight = np.where(ink > INK, ink, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        stem = (weight * np.arange(IMAGE_SIZE)).sum(axis=1) / weight.sum(axis=1)
    half = rng.uniform(3.0, 5.5, (count, 2))
    tilt = rng.uniform(-1.0, 1.0, count)
    start = np.column_stack([stem - half[:, 0], row + tilt])
    end = np.column_stack([stem + half[:, 1], row - tilt])
    return start, end, np.isfinite(stem)


STYLES: dict[str, Style] = {
    "slashed_zero": Style(0, "a zero with a slash through it", (_slashed_zero,)),
    "flagged_one": Style(1, "a one with a long flag", (_flag,)),
    "footed_one": Style(1, "a one with a flag and a foot", (_flag, _foot)),
    "barred_seven": Style(7, "a seven with a bar across its stem", (_bar,)),
}
DEFAULT_SHARES: dict[str, float] = {
    # Kept small: each styled digit is one fewer of MNIST's own, and every flagged one is also a
    # reason to read a real MNIST seven as a one. These shares still teach every style.
    "slashed_zero": 0.15,
    "flagged_one": 0.15,
    "footed_one": 0.05,
    "barred_seven": 0.1,
}


def check_shares(shares: Mapping[str, float]) -> None:
    """Raise ValueError (one sentence) for unknown styles or shares that cannot be met."""
    for name, share in shares.items():
        if name not in STYLES:
            raise ValueError(f"There is no style {name!r}; the styles are {', '.join(STYLES)}.")
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"The share of {name} must be between 0 and 1, not {share}.")
    for digit in range(10):
        total = sum(s for n, s in shares.items() if STYLES[n].digit == digit)
        if total > 1.0:
            raise ValueError(f"The style shares of the digit {digit} add up to more than 1.")


def apply_styles(
    images: np.ndarray, labels: np.ndarray, shares: Mapping[str, float], seed: int
) -> tuple[np.ndarray, dict[str, int]]:
    """A copy of the uint8 images with the styles drawn on the asked share of each digit.

    Returns the images and how many digits received each style. The styles of one digit go to
    disjoint, seeded random subsets of that digit's images; all other images are unchanged.
    """
    check_shares(shares)
    rng = np.random.default_rng(seed)
    result = images.copy()
    counts = {}
    for digit in range(10):
        order = rng.permutation(np.flatnonzero(labels == digit))
        start = 0
        for name in sorted(n for n in shares if STYLES[n].digit == digit):
            chosen = order[start : start + int(round(shares[name] * len(order)))]
            start += len(chosen)
            styled, changed = draw_style(images[chosen].astype(np.float32) / 255.0, name, rng)
            result[chosen[changed]] = np.round(styled[changed] * 255.0).astype(np.uint8)
            counts[name] = int(changed.sum())
    return result, counts


def draw_style(
    images: np.ndarray, name: str, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Float images (N, 28, 28) in [0, 1] with the style's strokes, recentred; and which changed."""
    drawn, found = images, np.ones(len(images), bool)
    for locate in STYLES[name].strokes:
        start, end, located = locate(drawn, rng)
        radius = rng.uniform(0.6, 1.3, len(images))
        located &= found
        with np.errstate(invalid="ignore"):
            stroke = _segments(np.nan_to_num(start), np.nan_to_num(end), radius)
        drawn = np.where(located[:, None, None], np.maximum(drawn, stroke), drawn)
        found = located
    return np.where(found[:, None, None], _recentre(drawn), images), found


def _segments(start: np.ndarray, end: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """(N, 28, 28) ink of one straight segment per image, drawn with a soft round pen."""
    rows, cols = np.indices((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    points = np.stack([cols, rows], axis=-1)[np.newaxis]  # (1, 28, 28, 2) as (x, y)
    start = start[:, np.newaxis, np.newaxis, :]
    direction = end[:, np.newaxis, np.newaxis, :] - start
    length2 = np.maximum((direction**2).sum(axis=-1), 1e-6)
    along = np.clip(((points - start) * direction).sum(axis=-1) / length2, 0.0, 1.0)
    nearest = start + along[..., np.newaxis] * direction
    distance = np.sqrt(((points - nearest) ** 2).sum(axis=-1))
    # Full ink up to `radius`, fading to nothing one pixel further, like MNIST's soft edges.
    return np.clip(radius[:, np.newaxis, np.newaxis] + 1.0 - distance, 0.0, 1.0).astype(np.float32)


def _bounds(images: np.ndarray) -> tuple[np.ndarray, ...]:
    """(top, bottom, left, right) pixel indices of each image's ink."""
    rows = (images > INK).any(axis=2)
    cols = (images > INK).any(axis=1)
    last = IMAGE_SIZE - 1
    top, bottom = rows.argmax(axis=1), last - rows[:, ::-1].argmax(axis=1)
    left, right = cols.argmax(axis=1), last - cols[:, ::-1].argmax(axis=1)
    return tuple(a.astype(np.float32) for a in (top, bottom, left, right))


def _ink_end(images: np.ndarray, from_top: bool) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the top (or bottom) end of each digit: the middle of its first inked row."""
    top, bottom, _, _ = _bounds(images)
    row = (top if from_top else bottom).astype(int)
    ink = images[np.arange(len(images)), row]
    weight = np.where(ink > INK, ink, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (weight * np.arange(IMAGE_SIZE)).sum(axis=1) / weight.sum(axis=1)
    return x, row.astype(np.float32)


def _recentre(images: np.ndarray) -> np.ndarray:
    """Shift each image by whole pixels so that its centre of mass is at MNIST's (14, 14)."""
    total = np.maximum(images.sum(axis=(1, 2)), 1e-6)
    index = np.arange(IMAGE_SIZE, dtype=np.float32)
    row_mass = (images.sum(axis=2) * index).sum(axis=1) / total
    col_mass = (images.sum(axis=1) * index).sum(axis=1) / total
    dy = np.round(CENTRE - row_mass).astype(int)
    dx = np.round(CENTRE - col_mass).astype(int)
    rows = np.arange(IMAGE_SIZE)[np.newaxis, :, np.newaxis] - dy[:, np.newaxis, np.newaxis]
    cols = np.arange(IMAGE_SIZE)[np.newaxis, np.newaxis, :] - dx[:, np.newaxis, np.newaxis]
    inside = (rows >= 0) & (rows < IMAGE_SIZE) & (cols >= 0) & (cols < IMAGE_SIZE)
    batch = np.arange(len(images))[:, np.newaxis, np.newaxis]
    shifted = images[batch, np.clip(rows, 0, IMAGE_SIZE - 1), np.clip(cols, 0, IMAGE_SIZE - 1)]
    return np.where(inside, shifted, 0.0).astype(np.float32)
