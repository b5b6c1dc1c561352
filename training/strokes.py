"""A hand with a mouse or pen: shape templates become canvas strokes, as the app records them.

A template is a few polylines in a box about one unit tall (x to the right, y down, as on the
screen), in the order and direction a person draws them. `draw` gives it what varies between
writers and between drawings: size and place on the 400x400 canvas, slant, tilt, proportions,
brush width, a hand's wobble, and speed (how far apart the points the app receives lie). The
result is a list of `game.preprocess.Stroke`, so `render` turns it into exactly the 28x28 image
the app would give the model. Every random number comes from the generator passed in.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from game.preprocess import Stroke, preprocess

CANVAS = 400.0
Polylines = list[np.ndarray]


@dataclass(frozen=True)
class Pen:
    """Ranges of what varies between drawings; each drawing draws its own values."""

    height: tuple[float, float] = (60.0, 360.0)  # Longer side in canvas pixels (log-uniform).
    slant: tuple[float, float] = (-0.12, 0.32)  # Shear of x by height; most hands lean right.
    rotation: tuple[float, float] = (-8.0, 8.0)  # Degrees, clockwise on screen.
    aspect: tuple[float, float] = (0.8, 1.25)  # Width factor (log-uniform).
    width: tuple[float, float] = (3.0, 40.0)  # Brush in canvas pixels.
    wobble: tuple[float, float] = (0.0, 0.025)  # Hand tremor, share of the drawing's size.
    # "waves": a few smooth waves over the page; "walk": a smoothed random walk along the stroke.
    wobble_model: str = "waves"
    spacing: tuple[float, float] = (2.0, 12.0)  # Canvas pixels between reported points (speed).
    corner_jitter: float = 0.03  # Moves the corners of short polylines (share of the height).

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def draw(polylines: Polylines, rng: np.random.Generator, pen: Pen | None = None) -> list[Stroke]:
    """One drawing of the template's polylines as canvas strokes, varied as `pen` says."""
    pen = pen or Pen()
    parts = [np.asarray(p, np.float64).reshape(-1, 2) for p in polylines if len(p)]
    parts = [
        p + rng.normal(0.0, pen.corner_jitter, p.shape) if len(p) <= 4 else p.copy() for p in parts
    ]
    parts = [_resample(p, 0.02) for p in parts]
    points = np.concatenate(parts)
    ends = np.cumsum([len(p) for p in parts])[:-1]
    points = points - (points.min(axis=0) + points.max(axis=0)) / 2
    points = points / (float(np.max(np.ptp(points, axis=0))) or 1.0)
    amplitude = rng.uniform(*pen.wobble)
    if amplitude:
        if pen.wobble_model == "walk":
            shake = np.concatenate([_walk(len(p), rng) for p in np.split(points, ends)])
        else:
            shake = smooth_waves(points, rng)
        points = points + amplitude * shake
    angle = np.radians(rng.uniform(*pen.rotation))
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1.0, -rng.uniform(*pen.slant)], [0.0, 1.0]])
    stretch = np.diag([_log_uniform(rng, pen.aspect), 1.0])
    points = points @ (rotate @ shear @ stretch).T
    low, high = points.min(axis=0), points.max(axis=0)
    points = (points - (low + high) / 2) * (
        _log_uniform(rng, pen.height) / float(np.max(high - low) or 1)
    )
    extent = np.ptp(points, axis=0)
    room = np.maximum(CANVAS - extent - 20.0, 0.0)
    points = points + 10.0 + extent / 2 + rng.uniform(0.0, 1.0, 2) * room
    width = float(rng.uniform(*pen.width))
    step = float(rng.uniform(*pen.spacing))
    return [Stroke(_resample(p, step, rng), width) for p in np.split(points, ends)]


def render(strokes: Sequence[Stroke]) -> np.ndarray | None:
    """The app's 28x28 float image of the strokes, or None where the app sees nothing (a dot)."""
    return preprocess(strokes)


def _log_uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(np.exp(rng.uniform(np.log(bounds[0]), np.log(bounds[1]))))


def _resample(
    points: np.ndarray, step: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Points about every `step` along the polyline, both ends kept: what a mouse reports.

    With `rng`, the steps vary by a third either way, as a hand's speed does.
    """
    lengths = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    if len(points) < 2 or along[-1] <= step:
        return points[[0, -1]] if len(points) > 1 else points
    count = int(along[-1] / step) + 1
    steps = np.full(count, step) if rng is None else step * rng.uniform(0.67, 1.33, count)
    at = np.cumsum(steps)
    at = np.concatenate([[0.0], at[at < along[-1]], [along[-1]]])
    return np.column_stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])])


def smooth_waves(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A smooth displacement of each point: a few long waves across the drawing."""
    waves = 3
    frequency = rng.uniform(1.0, 3.0, (2, waves, 1)) * 2 * np.pi
    direction = rng.normal(size=(2, waves, 2))
    direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
    phase = rng.uniform(0, 2 * np.pi, (2, waves, 1))
    argument = frequency * np.einsum("awk,nk->awn", direction, points) + phase
    return (np.sin(argument).sum(axis=1) / np.sqrt(waves)).T


def _walk(count: int, rng: np.random.Generator) -> np.ndarray:
    """A random walk along the stroke, smoothed and scaled to about unit size."""
    steps = rng.normal(size=(count + 16, 2))
    kernel = np.hanning(17)
    smooth = np.column_stack([np.convolve(steps[:, i], kernel, "valid") for i in (0, 1)])
    walk = np.cumsum(smooth, axis=0)[:count]
    walk -= walk.mean(axis=0)
    return walk / (np.abs(walk).max() or 1.0)
