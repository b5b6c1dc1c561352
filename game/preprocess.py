"""Strokes in, an MNIST-style 28x28 image out: the heart of recognition quality.

MNIST digits were scaled so that the longer side of their bounding box is 20 pixels, then placed
in a 28x28 frame with the centre of mass of the ink at the centre. We do the same, but from the
recorded vector strokes rather than from screen pixels: the strokes are drawn anew at the
normalised scale with an MNIST-like pen, so the result does not depend on the brush width the
user picked or on how big they drew. Each pixel's ink comes from its distance to the nearest
stroke segment through a soft-edged pen profile, the closed-form equivalent of supersampling a
round pen and area-averaging it down.

The eraser cuts strokes rather than pixels: an ink stroke loses every part of its centre line
that a later eraser stroke covers (visible_strokes). The canvas draws its picture from the same
cut strokes, so the model sees the ink the canvas shows whatever the pen and eraser sizes; a
thin pen is drawn much wider than on screen at the normalised scale, and erasing only the
canvas' pixels would leave the model grey ghosts of erased strokes.

Pure numpy, no pygame, so training and benchmarks use exactly the function the game uses.
"""

import functools
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
# Canvas pixels between the points an erased stroke is cut at (the smallest eraser is 4 wide).
CUT_STEP = 1.0


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
    ink = visible_strokes(strokes)
    if not ink:
        return None
    all_points = np.concatenate([s.points for s in ink])
    low, high = all_points.min(axis=0), all_points.max(axis=0)
    extent = float(np.max(high - low))
    if extent < min_extent:
        return None
    scale = SKELETON_BOX / extent
    offset = IMAGE_SIZE / 2 - (low + high) / 2 * scale
    # The pen's samples along every stroke, in the 28x28 frame; centring moves them all alike.
    samples = np.concatenate([_resample(stroke.points * scale + offset) for stroke in ink])
    image = _render(samples)
    shift = CENTRE - _centre_of_mass(image)
    if np.all(np.isfinite(shift)):
        image = _render(samples + shift)
    return image


def visible_strokes(strokes: Sequence[Stroke]) -> list[Stroke]:
    """The ink strokes as the eraser left them: each cut by the eraser strokes drawn after it."""
    visible = []
    for index, stroke in enumerate(strokes):
        if not stroke.erase and len(stroke.points):
            visible += cut(stroke, [s for s in strokes[index + 1 :] if s.erase])
    return visible


def cut(stroke: Stroke, erasers: Sequence[Stroke]) -> list[Stroke]:
    """The pieces of an ink stroke whose centre line no eraser covers (the stroke itself when
    none does, so that unerased ink is classified exactly as drawn)."""
    erasers = [e for e in erasers if len(e.points)]
    if not erasers:
        return [stroke]
    points, corner = _densify(stroke.points, CUT_STEP)
    kept = np.ones(len(points), dtype=bool)
    for eraser in erasers:
        kept &= _distance_to_polyline(points, eraser.points) >= eraser.width / 2
    if kept.all():
        return [stroke]
    # Runs of kept points: where `kept` steps up, a piece starts; where it steps down, it ends.
    steps = np.flatnonzero(np.diff(np.concatenate([[0], kept.astype(np.int8), [0]])))
    pieces = []
    for start, stop in zip(steps[::2], steps[1::2], strict=True):
        # A piece keeps the stroke's own points between its two cut ends: the same line,
        # without the cutting points in between.
        keep = corner[start:stop].copy()
        keep[[0, -1]] = True
        pieces.append(Stroke(points[start:stop][keep], stroke.width))
    return pieces


def _render(samples: np.ndarray) -> np.ndarray:
    """Draw the pen at every sample (in pixels of the 28x28 image) with the normalised pen."""
    ink = np.zeros(IMAGE_SIZE * IMAGE_SIZE, dtype=np.float32)
    # All strokes' samples at once: a pixel keeps its darkest ink whichever stroke it came
    # from, so one pass gives the same image as one pass per stroke, with less overhead.
    pixels, distance = _pixels_near(samples, INK_EDGE)
    pen = np.clip((INK_EDGE - distance) / (INK_EDGE - INK_CORE), 0.0, 1.0)
    np.maximum.at(ink, pixels, pen)
    return ink.reshape(IMAGE_SIZE, IMAGE_SIZE)


def _densify(points: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """The polyline's own points and, between them, points at most `step` apart; and which of
    them are the polyline's own."""
    pieces, own = [points[:1]], [np.ones(1, dtype=bool)]
    for start, end in zip(points[:-1], points[1:], strict=True):
        count = max(int(np.ceil(np.hypot(*(end - start)) / step)), 1)
        pieces.append(start + (end - start) * (np.arange(1, count + 1) / count)[:, np.newaxis])
        own.append(np.arange(1, count + 1) == count)
    return np.concatenate(pieces), np.concatenate(own)


def _distance_to_polyline(points: np.ndarray, polyline: np.ndarray) -> np.ndarray:
    """Distance from each point to the polyline (a single point when it has one)."""
    starts = polyline if len(polyline) == 1 else polyline[:-1]
    ends = polyline if len(polyline) == 1 else polyline[1:]
    x, y = points[:, :1], points[:, 1:]
    nearest = np.full(len(points), np.inf)
    # In chunks of segments, so memory stays small however long the strokes.
    for first in range(0, len(starts), 128):
        a, b = starts[first : first + 128], ends[first : first + 128]
        dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
        length_squared = np.maximum(dx * dx + dy * dy, 1e-12)
        rx, ry = x - a[:, 0], y - a[:, 1]
        along = np.clip((rx * dx + ry * dy) / length_squared, 0.0, 1.0)
        np.minimum(nearest, np.hypot(rx - along * dx, ry - along * dy).min(axis=1), out=nearest)
    return nearest


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
    offset_x, offset_y = _window(reach)
    base = np.floor(samples).astype(np.int64)
    column = base[:, :1] + offset_x
    row = base[:, 1:] + offset_y
    # Squared distances first, the root only for the pixels kept: this runs twice a reading.
    dx = column + (0.5 - samples[:, :1])
    dy = row + (0.5 - samples[:, 1:])
    squared = dx * dx + dy * dy
    keep = squared < reach * reach
    # Only samples near the border can reach outside the image.
    side = int(offset_x.max())
    if base.min() < side or base.max() >= IMAGE_SIZE - side:
        keep &= (column >= 0) & (column < IMAGE_SIZE) & (row >= 0) & (row < IMAGE_SIZE)
    distance = np.sqrt(squared[keep]).astype(np.float32)
    return row[keep] * IMAGE_SIZE + column[keep], distance


@functools.cache
def _window(reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Column and row offsets, from the pixel a sample lies in, of the pixels whose centres
    may lie within `reach` of it: pixel centres are half a pixel in from the pixel's corner,
    so those more than ceil(reach - 0.5) pixels away on either side never are."""
    side = int(np.ceil(reach - 0.5))
    span = np.arange(-side, side + 1)
    offset_x, offset_y = (grid.ravel() for grid in np.meshgrid(span, span))
    return offset_x, offset_y


def _centre_of_mass(image: np.ndarray) -> np.ndarray:
    """(x, y) centre of mass in pixel indices, as MNIST measured it."""
    total = float(image.sum())
    if total <= 0:
        return np.array([np.nan, np.nan])
    rows, cols = np.indices(image.shape)
    return np.array([(image * cols).sum() / total, (image * rows).sum() / total])
