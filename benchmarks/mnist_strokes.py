"""MNIST test digits as a drawing user would make them, through the game's own preprocessing.

Each MNIST digit becomes pen strokes: binarised, skeletonised, and its skeleton traced into
polylines (the centre lines a mouse would have drawn). The strokes are then drawn the way users
draw: anywhere and at any size on a 400x400 canvas, tilted, slanted, wider or narrower, with a
thin or a fat brush, with a shaky hand, and all of these at once. Every variant is passed through
`game.preprocess.preprocess`, exactly as the app does, so a benchmark on these images measures what
a user sees. Everything is seeded: the same seed gives the same arrays.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from game.preprocess import Stroke, preprocess
from training.strokes import Polylines, smooth_waves
from training.traced import skeleton_polylines

CANVAS = 400.0
# The brush the app starts with, and the largest and smallest the benchmark uses.
DEFAULT_BRUSH = 16.0
THIN_BRUSH = 2.0
THICK_BRUSH = 60.0
# A digit drawn "normally" fills half the canvas; moved digits are 40 to 380 px tall.
DEFAULT_HEIGHT = 200.0
SMALLEST, LARGEST = 40.0, 380.0
MAX_ROTATION = 20.0
# Shear of x by y: 0.35 slants the digit by about 19 degrees either way.
MAX_SLANT = 0.35
# Width over height changes by up to this factor either way (log-uniform).
MAX_ASPECT = 1.4
# Hand tremor: a smooth displacement of up to about this share of the digit's size.
WOBBLE = 0.03
# Bump when anything changes what the generator produces, so that old caches are not reused.
GENERATOR_VERSION = 2

TRANSFORMATIONS: tuple[str, ...] = (
    "redrawn",
    "moved",
    "rotated",
    "tilted 20",
    "slanted",
    "aspect",
    "thin",
    "thick",
    "wobbly",
    "combined",
)
DESCRIPTIONS: dict[str, str] = {
    "mnist": "the MNIST test image itself (reference)",
    "redrawn": "strokes traced from the digit, drawn 200 px tall mid-canvas, brush 16",
    "moved": "drawn anywhere on the 400x400 canvas, 40 to 380 px tall",
    "rotated": "rotated by a random angle within +-20 degrees",
    "tilted 20": "rotated by exactly 20 degrees, left or right",
    "slanted": "sheared (italic) by up to +-19 degrees",
    "aspect": "drawn up to 1.4 times wider or narrower",
    "thin": "brush 2 px",
    "thick": "brush 60 px",
    "wobbly": "a shaky hand: smooth random displacement of the strokes",
    "combined": "all of the above at once, each drawn at random",
}


def draw(
    polylines: Polylines,
    rng: np.random.Generator | None = None,
    *,
    height: float = DEFAULT_HEIGHT,
    position: str = "centre",
    rotation: float = 0.0,
    slant: float = 0.0,
    aspect: float = 1.0,
    wobble: float = 0.0,
    width: float = DEFAULT_BRUSH,
) -> list[Stroke]:
    """Draw polylines (any units) as canvas strokes: a user's version of the digit.

    The digit is rotated by `rotation` degrees (clockwise on screen), sheared by `slant` (x moves
    by slant times the height above the middle), made `aspect` times wider, displaced by a smooth
    random field of amplitude `wobble` (share of its size), scaled so that its longer side is
    `height` canvas pixels, and put at the canvas centre or, with position="random", anywhere it
    fits. `rng` is needed for wobble and random positions.
    """
    if not polylines:
        return []
    points = np.concatenate(polylines)
    ends = np.cumsum([len(p) for p in polylines])[:-1]
    points = points - (points.min(axis=0) + points.max(axis=0)) / 2
    size = float(np.max(points.max(axis=0) - points.min(axis=0))) or 1.0
    points = points / size
    if wobble:
        points, ends = _densify(points, ends, 0.02)
        points = points + wobble * smooth_waves(points, rng)
    angle = np.radians(rotation)
    # Screen y points down, so this matrix turns the digit clockwise on screen for angle > 0.
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1.0, -slant], [0.0, 1.0]])
    stretch = np.diag([aspect, 1.0])
    points = points @ (rotate @ shear @ stretch).T
    low, high = points.min(axis=0), points.max(axis=0)
    points = (points - (low + high) / 2) * (height / float(np.max(high - low) or 1.0))
    extent = points.max(axis=0) - points.min(axis=0)
    if position == "random":
        room = np.maximum(CANVAS - extent - 2 * 10.0, 0.0)
        centre = 10.0 + extent / 2 + rng.uniform(0.0, 1.0, 2) * room
    else:
        centre = np.array([CANVAS / 2, CANVAS / 2])
    points = points + centre
    return [Stroke(part, width) for part in np.split(points, ends)]


def _densify(points: np.ndarray, ends: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every `step` along each polyline, as a mouse reports them: room for a wobble."""
    parts = []
    for part in np.split(points, ends):
        lengths = np.hypot(*np.diff(part, axis=0).T)
        along = np.concatenate([[0.0], np.cumsum(lengths)])
        at = np.append(np.arange(0.0, along[-1], step), along[-1])
        parts.append(
            np.column_stack([np.interp(at, along, part[:, 0]), np.interp(at, along, part[:, 1])])
        )
    return np.concatenate(parts), np.cumsum([len(p) for p in parts])[:-1]


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def _signed(rng: np.random.Generator, limit: float) -> float:
    return float(rng.uniform(-limit, limit))


# Each transformation: the keyword arguments of `draw` for one digit, from the digit's own rng.
_DRAWING: dict[str, Callable[[np.random.Generator], dict[str, float | str]]] = {
    "redrawn": lambda rng: {},
    "moved": lambda rng: {
        "height": _log_uniform(rng, SMALLEST, LARGEST),
        "position": "random",
    },
    "rotated": lambda rng: {"rotation": _signed(rng, MAX_ROTATION)},
    "tilted 20": lambda rng: {"rotation": float(rng.choice([-MAX_ROTATION, MAX_ROTATION]))},
    "slanted": lambda rng: {"slant": _signed(rng, MAX_SLANT)},
    "aspect": lambda rng: {"aspect": _log_uniform(rng, 1 / MAX_ASPECT, MAX_ASPECT)},
    "thin": lambda rng: {"width": THIN_BRUSH},
    "thick": lambda rng: {"width": THICK_BRUSH},
    "wobbly": lambda rng: {"wobble": WOBBLE},
    "combined": lambda rng: {
        "height": _log_uniform(rng, SMALLEST, LARGEST),
        "position": "random",
        "rotation": _signed(rng, MAX_ROTATION),
        "slant": _signed(rng, MAX_SLANT),
        "aspect": _log_uniform(rng, 1 / MAX_ASPECT, MAX_ASPECT),
        "width": _log_uniform(rng, THIN_BRUSH, THICK_BRUSH),
        "wobble": WOBBLE,
    },
}


def transformed_strokes(polylines: Polylines, name: str, seed: int, index: int) -> list[Stroke]:
    """The canvas strokes of digit number `index` under the named transformation.

    Each (seed, digit, transformation) has its own random stream, so a subset of the digits or
    of the transformations gives the same drawings.
    """
    if name not in _DRAWING:
        raise ValueError(f"unknown transformation {name!r}; known: {', '.join(TRANSFORMATIONS)}")
    rng = np.random.default_rng([seed, index, TRANSFORMATIONS.index(name)])
    return draw(polylines, rng, **_DRAWING[name](rng))


def render(strokes: Sequence[Stroke]) -> np.ndarray:
    """The app's 28x28 input for these strokes; a blank image where the app sees nothing."""
    image = preprocess(strokes)
    return np.zeros((28, 28), np.float32) if image is None else image


def robustness_sets(
    x: np.ndarray,
    y: np.ndarray,
    seed: int = 0,
    limit: int | None = None,
    names: Sequence[str] = TRANSFORMATIONS,
    cache_dir: Path | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{name: (images (N, 28, 28) float32 in [0, 1], labels (N,) int64)} for "mnist" and each
    transformation, from the first `limit` digits of `x` (uint8 or [0, 1] floats) and labels `y`.

    Digit i of every set comes from MNIST digit i, drawn by `transformed_strokes`.
    With `cache_dir`, the sets are stored there as an .npz keyed by every input and reused.
    """
    unknown = [name for name in names if name not in _DRAWING]
    if unknown:
        raise ValueError(
            f"unknown transformation {unknown[0]!r}; known: {', '.join(TRANSFORMATIONS)}"
        )
    x = np.asarray(x)[:limit]
    labels = np.asarray(y)[:limit].astype(np.int64)
    if len(x) != len(labels):
        raise ValueError(f"{len(x)} images but {len(labels)} labels")
    cache = None
    if cache_dir is not None:
        cache = Path(cache_dir) / f"robustness-{_cache_key(x, labels, seed, names)}.npz"
        if cache.is_file():
            with np.load(cache) as stored:
                return {name: (stored[name], labels) for name in ("mnist", *names)}
    reference = x.astype(np.float32)
    if reference.max(initial=0.0) > 1.0:
        reference /= 255.0
    sets = {"mnist": reference}
    drawn = {name: np.zeros((len(x), 28, 28), np.float32) for name in names}
    for index, image in enumerate(x):
        polylines = skeleton_polylines(image)
        for name in names:
            drawn[name][index] = render(transformed_strokes(polylines, name, seed, index))
    sets.update(drawn)
    if cache is not None:
        _save_atomically(cache, sets)
    return {name: (images, labels) for name, images in sets.items()}


def _cache_key(x: np.ndarray, labels: np.ndarray, seed: int, names: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in (np.ascontiguousarray(x).tobytes(), labels.tobytes()):
        digest.update(part)
    digest.update(repr((GENERATOR_VERSION, seed, tuple(names))).encode())
    return digest.hexdigest()[:16]


def _save_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez_compressed(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
