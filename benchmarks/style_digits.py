"""The style test set: digits the way much of the world writes them, drawn as a user would.

Each style is a stroke template, a few polylines in a unit box (x to the right, y down, the digit
one unit tall), written in the order and direction a hand would. A digit is one template with its
corners moved a little, drawn with a random size, slant, tilt, proportions, brush width and place
on the 400x400 canvas and a smooth wobble, then put through `game.preprocess.preprocess` like any
drawing in the app. `style_test_set(seed)` is deterministic.
"""

from collections.abc import Callable

import numpy as np

from benchmarks.mnist_strokes import Polylines, draw, render

Template = Callable[[np.random.Generator], Polylines]


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64)


def _arc(
    centre: tuple[float, float], radii: tuple[float, float], start: float, end: float
) -> np.ndarray:
    """Points on an ellipse from angle `start` to `end` in degrees; on screen (y down),
    increasing angles turn clockwise, 0 is the right-hand side and -90 the top."""
    angles = np.radians(np.linspace(start, end, max(int(abs(end - start) / 8), 2)))
    return np.column_stack(
        [centre[0] + radii[0] * np.cos(angles), centre[1] + radii[1] * np.sin(angles)]
    )


def _curve(*controls: tuple[float, float], count: int = 16) -> np.ndarray:
    """A Bezier curve through the first and last control points."""
    return _bezier(np.array(controls, dtype=np.float64), np.linspace(0.0, 1.0, count))


def _bezier(controls: np.ndarray, t: np.ndarray) -> np.ndarray:
    points = np.repeat(controls[None], len(t), axis=0)
    while points.shape[1] > 1:
        points = points[:, :-1] * (1 - t[:, None, None]) + points[:, 1:] * t[:, None, None]
    return points[:, 0]


# Templates. `r` is the digit's own generator: shapes vary a little (a longer flag, a rounder
# loop), as they do between writers.


def zero_plain(r: np.random.Generator) -> Polylines:
    # Started at the top and drawn anticlockwise, closing with a small overlap; some zeros are
    # egg-shaped (wider at the top or the bottom) and tilted.
    ring = _arc((0.0, 0.0), (r.uniform(0.28, 0.38), 0.5), -95, -95 - r.uniform(355, 385))
    ring[:, 0] *= 1 + r.uniform(-0.15, 0.15) * ring[:, 1] / 0.5
    tilt = np.radians(r.uniform(-12, 12))
    turn = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    return [ring @ turn.T + 0.5]


def zero_slashed(r: np.random.Generator) -> Polylines:
    ring = zero_plain(r)
    reach = r.uniform(0.0, 0.12)
    slash = _line((0.85 + reach, 0.02 - reach), (0.15 - reach, 0.98 + reach))
    return [*ring, slash]


def one_plain(r: np.random.Generator) -> Polylines:
    return [_line((0.5, 0.0), (0.5 + r.uniform(-0.04, 0.04), 1.0))]


def one_flag(r: np.random.Generator) -> Polylines:
    # The continental 1: a long up-stroke to the top, then straight down.
    length = r.uniform(0.4, 0.65)
    angle = np.radians(r.uniform(35, 55))
    top = (0.6, 0.0)
    start = (top[0] - length * np.sin(angle), top[1] + length * np.cos(angle))
    return [_line(start, top, (0.6, 1.0))]


def one_flag_foot(r: np.random.Generator) -> Polylines:
    foot = r.uniform(0.2, 0.32)
    return [*one_flag(r), _line((0.6 - foot, 1.0), (0.6 + foot, 1.0))]


def one_short_flag(r: np.random.Generator) -> Polylines:
    length = r.uniform(0.15, 0.25)
    angle = np.radians(r.uniform(45, 70))
    start = (0.6 - length * np.sin(angle), length * np.cos(angle))
    return [_line(start, (0.6, 0.0), (0.6, 1.0))]


def _seven(r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    corner = (0.88, 0.02)
    start = (r.uniform(0.08, 0.25), 0.06 + r.uniform(-0.03, 0.03))
    # Some writers start the bar with a small down-tick; some bars sag a little.
    sag = r.uniform(-0.04, 0.06)
    bar = _curve(start, ((start[0] + corner[0]) / 2, start[1] + sag), corner, count=10)
    if r.random() < 0.3:
        bar = np.vstack([(start[0] - 0.03, start[1] + r.uniform(0.08, 0.15)), bar])
    foot = (r.uniform(0.25, 0.45), 1.0)
    # A slightly bowed stem, as a quick downward stroke is.
    middle = ((corner[0] + foot[0]) / 2 + r.uniform(-0.08, 0.04), 0.5)
    stem = _curve(corner, middle, foot)
    return bar, stem


def seven_plain(r: np.random.Generator) -> Polylines:
    bar, stem = _seven(r)
    return [np.vstack([bar, stem[1:]])]


def seven_barred(r: np.random.Generator) -> Polylines:
    bar, stem = _seven(r)
    # The cross bar goes through the stem a little above its middle.
    at = stem[int(len(stem) * r.uniform(0.45, 0.55))]
    half = r.uniform(0.17, 0.25)
    cross = _line((at[0] - half, at[1] + 0.02), (at[0] + half, at[1] - 0.02))
    return [np.vstack([bar, stem[1:]]), cross]


def four_open(r: np.random.Generator) -> Polylines:
    # Down and across in one stroke, then the stem from above the cross bar to the bottom.
    level = r.uniform(0.55, 0.68)
    hook = _line((0.18 + r.uniform(-0.04, 0.06), 0.0), (0.08, level), (0.95, level))
    stem_x = r.uniform(0.62, 0.75)
    stem = _line((stem_x, r.uniform(0.0, 0.1)), (stem_x - 0.02, 1.0))
    return [hook, stem]


def four_closed(r: np.random.Generator) -> Polylines:
    # The printed 4: the diagonal meets the stem at the top, closing a triangle.
    level = r.uniform(0.6, 0.72)
    top = (r.uniform(0.6, 0.7), 0.0)
    body = _line(top, (0.05, level), (0.95, level))
    stem = _line(top, (top[0], 1.0))
    return [body, stem]


def _nine_loop(r: np.random.Generator) -> tuple[np.ndarray, tuple[float, float]]:
    # The loop is drawn from its right side, up and round anticlockwise, back to the right.
    radii = (r.uniform(0.3, 0.36), r.uniform(0.2, 0.27))
    centre = (0.45, radii[1])
    loop = _arc(centre, radii, 10, 10 - 360)
    return loop, (centre[0] + radii[0], centre[1])


def nine_straight(r: np.random.Generator) -> Polylines:
    loop, joint = _nine_loop(r)
    return [np.vstack([loop, _line(joint, (joint[0] - r.uniform(0.0, 0.05), 1.0))])]


def nine_curved(r: np.random.Generator) -> Polylines:
    loop, joint = _nine_loop(r)
    end = (r.uniform(0.15, 0.35), r.uniform(0.92, 1.0))
    stem = _curve(joint, (joint[0] + 0.02, 0.95), end)
    return [np.vstack([loop, stem])]


# name -> (digit, template). Names say how a person would describe the style.
STYLES: dict[str, tuple[int, Template]] = {
    "zero plain": (0, zero_plain),
    "zero slashed": (0, zero_slashed),
    "one plain": (1, one_plain),
    "one long flag": (1, one_flag),
    "one flag+foot": (1, one_flag_foot),
    "one short flag": (1, one_short_flag),
    "seven plain": (7, seven_plain),
    "seven barred": (7, seven_barred),
    "four open": (4, four_open),
    "four closed": (4, four_closed),
    "nine straight": (9, nine_straight),
    "nine curved": (9, nine_curved),
}


def style_strokes(name: str, rng: np.random.Generator) -> list:
    """One hand-drawn instance of a style as canvas strokes (game.preprocess.Stroke)."""
    _, template = STYLES[name]
    polylines = [p + rng.normal(0.0, 0.03, p.shape) * _corner_mask(p) for p in template(rng)]
    return draw(
        polylines,
        rng,
        height=float(np.exp(rng.uniform(np.log(60), np.log(360)))),
        position="random",
        rotation=float(rng.uniform(-8, 8)),
        # Most hands lean their writing to the right (positive slant), some to the left.
        slant=float(rng.uniform(-0.12, 0.3)),
        aspect=float(np.exp(rng.uniform(np.log(0.8), np.log(1.25)))),
        wobble=float(rng.uniform(0.01, 0.025)),
        width=float(rng.uniform(3, 40)),
    )


def _corner_mask(points: np.ndarray) -> np.ndarray:
    # Jitter every point of a short polyline (its corners) but not of a sampled curve, where
    # independent noise would make it jagged; curves vary through their template and the wobble.
    return np.ones((len(points), 1)) if len(points) <= 4 else np.zeros((len(points), 1))


def style_test_set(seed: int = 0, per_style: int = 60) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(images (N, 28, 28) float32 in [0, 1], labels (N,) int64, style name of each image):
    `per_style` drawings of every style in STYLES, grouped by style, the same for the same seed."""
    if per_style < 1:
        raise ValueError(f"per_style must be at least 1, got {per_style}")
    images, labels, names = [], [], []
    for number, (name, (digit, _)) in enumerate(STYLES.items()):
        for index in range(per_style):
            rng = np.random.default_rng([seed, number, index])
            images.append(render(style_strokes(name, rng)))
            labels.append(digit)
            names.append(name)
    return np.stack(images), np.array(labels, dtype=np.int64), names
