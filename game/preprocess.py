"""Strokes in, an MNIST-style 28x28 image out: the heart of recognition quality.

MNIST digits were scaled so that the longer side of their bounding box is 20 pixels, then placed
in a 28x28 frame with the centre of mass of the ink at the centre. We do the same, but from the
recorded vector strokes rather than from screen pixels: the strokes are drawn anew at the
normalised scale with an MNIST-like pen, so the result does not depend on the brush width the
user picked or on how big they drew. Each pixel's ink comes from its distance to the nearest
stroke segment through a soft-edged pen profile, the closed-form equivalent of supersampling a
round pen and area-averaging it down.

Pure numpy, no pygame, so training and benchmarks use exactly the function the game uses.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from game.contract import IMAGE_SIZE

# Radii of the normalised pen in output pixels: full ink up to INK_CORE from the stroke's
# centre line, fading to nothing at INK_EDGE. Their sum (3.0) is the ink per unit of stroke
# length, as measured on MNIST's training set (a "1" of height 20 holds about 60 units of ink).
INK_CORE = 1.0
INK_EDGE = 2.0
# The stroke centre lines fill this box, so that the visible ink (above 0.1), the pen's reach
# on both sides included, spans MNIST's 20 pixels.
SKELETON_BOX = 20.0 - 2 * (INK_EDGE - 0.1)
# MNIST's centre of mass sits at pixel index 14 (measured: 13.99 rows, 14.00 columns).
CENTRE = 14.0
# Strokes are sampled every SAMPLE_STEP output pixels and each pixel takes its distance to the
# nearest sample: at the pen's core edge that differs from the distance to the true polyline by
# under 0.04 pixels, and it lets every sample touch only the few pixels around it.
SAMPLE_STEP = 0.5
# Ink spanning less than this many canvas pixels is a dot, not a digit.
MIN_EXTENT = 6.0


@dataclass(frozen=True)
class Stroke:
    """One press-drag-release of the mouse: points (x, y) in canvas pixels, in drawing order."""

    points: np.ndarray
    width: float = 16.0
    erase: bool = False

    @classmethod
    def from_points(
        cls, points: Iterable[Sequence[float]], width: float = 16.0, erase: bool = False
    ) -> "Stroke":
        array = np.asarray(list(points), dtype=np.float64).reshape(-1, 2)
        return cls(array, float(width), erase)


def preprocess(strokes: Sequence[Stroke], min_extent: float = MIN_EXTENT) -> np.ndarray | None:
    """The model's 28x28 float32 input for these strokes, or None if there is nothing to classify.

    Nothing to classify: no ink, ink that was all erased, or ink spanning less than
    `min_extent` canvas pixels (a lone dot or a tap).
    """
    ink_strokes = [s for s in strokes if not s.erase and len(s.points)]
    if not ink_strokes:
        return None
    all_points = np.concatenate([s.points for s in ink_strokes])
    low, high = all_points.min(axis=0), all_points.max(axis=0)
    if any(s.erase for s in strokes):
        visible = _visible_bounds(strokes, low, high)
        if visible is None:
            return None
        low, high = visible
    extent = float(np.max(high - low))
    if extent < min_extent:
        return None
    scale = SKELETON_BOX / extent
    offset = IMAGE_SIZE / 2 - (low + high) / 2 * scale
    image = _render(strokes, scale, offset)
    shift = CENTRE - _centre_of_mass(image)
    if np.all(np.isfinite(shift)):
        image = _render(strokes, scale, offset + shift)
    return image


def _visible_bounds(
    strokes: Sequence[Stroke], low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Canvas bounds of the ink the eraser left, found on a coarse render of the ink's box."""
    extent = max(float(np.max(high - low)), 1.0)
    scale = (IMAGE_SIZE - 4) / extent
    offset = IMAGE_SIZE / 2 - (low + high) / 2 * scale
    image = _render(strokes, scale, offset)
    rows, cols = np.nonzero(image > 0.5)
    if rows.size == 0:
        return None
    # Pixel bounds back to canvas coordinates, trimmed by the pen's reach at ink 0.5 so that
    # only the centre line counts, as it does without an eraser.
    pen = (INK_CORE + INK_EDGE) / 2
    visible_low = (np.array([cols.min(), rows.min()]) + pen - offset) / scale
    visible_high = (np.array([cols.max(), rows.max()]) + 1 - pen - offset) / scale
    return np.minimum(visible_low, visible_high), np.maximum(visible_low, visible_high)


def _render(strokes: Sequence[Stroke], scale: float, offset: np.ndarray) -> np.ndarray:
    """Draw the strokes, mapped by `canvas * scale + offset`, with the normalised pen."""
    ink = np.zeros(IMAGE_SIZE * IMAGE_SIZE, dtype=np.float32)
    for stroke in strokes:
        if not len(stroke.points):
            continue
        if stroke.erase:
            radius = stroke.width / 2 * scale
            # Distances from every pixel to the polyline itself: an eraser can be many times
            # the image's size at this scale, too wide for the per-sample neighbourhoods below.
            pixels, distance = _pixels_near_polyline(stroke.points * scale + offset, radius + 1.0)
            # A hard edge (one pixel of anti-aliasing): what the user erased is gone.
            np.minimum.at(ink, pixels, np.clip(distance - radius + 0.5, 0.0, 1.0) * ink[pixels])
        else:
            pixels, distance = _pixels_near(_resample(stroke.points * scale + offset), INK_EDGE)
            pen = np.clip((INK_EDGE - distance) / (INK_EDGE - INK_CORE), 0.0, 1.0)
            np.maximum.at(ink, pixels, pen)
    return ink.reshape(IMAGE_SIZE, IMAGE_SIZE)


def _resample(points: np.ndarray) -> np.ndarray:
    """Points every SAMPLE_STEP along the polyline through `points` (both ends included)."""
    lengths = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    if along[-1] == 0:
        return points[:1]
    at = np.append(np.arange(0.0, along[-1], SAMPLE_STEP), along[-1])
    return np.column_stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])])


def _pixels_near(samples: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices of the pixels whose centres lie within `reach` of a sample, and distances."""
    span = np.arange(-int(np.ceil(reach)) - 1, int(np.ceil(reach)) + 1)
    offset_x, offset_y = (grid.ravel() for grid in np.meshgrid(span, span))
    base = np.floor(samples).astype(np.int64)
    column = base[:, :1] + offset_x
    row = base[:, 1:] + offset_y
    distance = np.hypot(column + 0.5 - samples[:, :1], row + 0.5 - samples[:, 1:])
    keep = (distance < reach) & (column >= 0) & (column < IMAGE_SIZE)
    keep &= (row >= 0) & (row < IMAGE_SIZE)
    return row[keep] * IMAGE_SIZE + column[keep], distance[keep].astype(np.float32)


def _pixels_near_polyline(points: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices of the pixels whose centres lie within `reach` of the polyline; distances."""
    starts = points if len(points) == 1 else points[:-1]
    ends = points if len(points) == 1 else points[1:]
    # Only segments that come within reach of the image matter.
    low, high = np.minimum(starts, ends), np.maximum(starts, ends)
    near = np.all((low < IMAGE_SIZE + reach) & (high > -reach), axis=1)
    starts, ends = starts[near].astype(np.float32), ends[near].astype(np.float32)
    rows, cols = np.indices((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    centre_x, centre_y = cols.reshape(-1, 1) + 0.5, rows.reshape(-1, 1) + 0.5
    nearest = np.full(IMAGE_SIZE * IMAGE_SIZE, np.inf, dtype=np.float32)
    # In chunks of segments, so memory stays small however long the stroke.
    for first in range(0, len(starts), 128):
        a, b = starts[first : first + 128], ends[first : first + 128]
        dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
        length_squared = np.maximum(dx * dx + dy * dy, 1e-12)
        rx, ry = centre_x - a[:, 0], centre_y - a[:, 1]
        along = np.clip((rx * dx + ry * dy) / length_squared, 0.0, 1.0)
        distance = np.hypot(rx - along * dx, ry - along * dy).min(axis=1)
        np.minimum(nearest, distance, out=nearest)
    keep = np.nonzero(nearest < reach)[0]
    return keep, nearest[keep]


def _centre_of_mass(image: np.ndarray) -> np.ndarray:
    """(x, y) centre of mass in pixel indices, as MNIST measured it."""
    total = float(image.sum())
    if total <= 0:
        return np.array([np.nan, np.nan])
    rows, cols = np.indices(image.shape)
    return np.array([(image * cols).sum() / total, (image * rows).sum() / total])
