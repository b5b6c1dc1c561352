"""Digits the way people really write them, as stroke templates for `training.strokes.draw`.

Measured on real writers, the digits a model trained on MNIST misreads are shapes MNIST hardly
has: the slashed zero that looks like a Greek phi (a narrow oval, often leaning right, with a
long steep slash sticking out above and below), the flagged one (a long flag from low on the
left up to the top of the stem, often in one stroke: up the flag, then down the stem), the
crossed seven, open and closed fours, nines with a straight stem. Each template here draws one
such shape in the order and direction a hand does, in one-stroke and several-stroke ways where
people use both, with the shape's own proportions drawn from `r`.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.preprocess import Stroke
from training.strokes import Pen, Polylines, draw

Template = Callable[[np.random.Generator], Polylines]


@dataclass(frozen=True)
class Shape:
    digit: int
    template: Template
    weight: float  # Share of the drawn digits made in this shape.


def line(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64)


def arc(centre: tuple[float, float], radii: tuple[float, float], start: float, end: float):
    """Points on an ellipse from angle `start` to `end` in degrees; on screen (y down),
    increasing angles turn clockwise, 0 is the right-hand side and -90 the top."""
    angles = np.radians(np.linspace(start, end, max(int(abs(end - start) / 6), 2)))
    return np.column_stack(
        [centre[0] + radii[0] * np.cos(angles), centre[1] + radii[1] * np.sin(angles)]
    )


def curve(*controls: tuple[float, float], count: int = 16) -> np.ndarray:
    """A Bezier curve from the first to the last control point."""
    points = np.repeat(np.array(controls, dtype=np.float64)[None], count, axis=0)
    t = np.linspace(0.0, 1.0, count)[:, None, None]
    while points.shape[1] > 1:
        points = points[:, :-1] * (1 - t) + points[:, 1:] * t
    return points[:, 0]


def lean(parts: Polylines, degrees: float, about: tuple[float, float] = (0.5, 0.5)) -> Polylines:
    """Turn the polylines clockwise on screen (the top goes right for degrees > 0)."""
    angle = np.radians(degrees)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return [(p - about) @ turn.T + about for p in parts]


def _ring(r: np.random.Generator, width: float) -> np.ndarray:
    # From the top, anticlockwise as most people draw a zero (some clockwise), closing with a
    # small overlap or gap.
    turn = r.uniform(345, 390) * (1 if r.random() < 0.25 else -1)
    return arc((0.0, 0.5), (width / 2, 0.5), -90, -90 + turn)


def zero_slashed(r: np.random.Generator) -> Polylines:
    oval = _ring(r, r.uniform(0.28, 0.55))
    oval = lean([oval], r.uniform(0.0, 12.0), (0.0, 0.5))[0]
    # The slash: 20-45 degrees from vertical once the pen's slant is added, top to the right,
    # through the oval's middle, sticking out above and below by a fifth to a third of the
    # oval's height.
    slope = np.tan(np.radians(r.uniform(16, 38)))
    above, below = r.uniform(0.2, 0.33, 2)
    middle = r.uniform(-0.04, 0.04)
    top = (middle + (0.5 + above) * slope, -above)
    bottom = (middle - (0.5 + below) * slope, 1.0 + below)
    slash = line(top, bottom) if r.random() < 0.5 else line(bottom, top)
    return [oval, slash] if r.random() < 0.85 else [slash, oval]


def zero_plain(r: np.random.Generator) -> Polylines:
    return lean([_ring(r, r.uniform(0.45, 0.9))], r.uniform(-10, 15), (0.0, 0.5))


def one_plain(r: np.random.Generator) -> Polylines:
    stem = line((0.0, 0.0), (r.uniform(-0.03, 0.03), 1.0))
    stem = stem if r.random() < 0.9 else stem[::-1]
    return lean([stem], r.uniform(-12, 22), (0.0, 0.5))


def _flagged(r: np.random.Generator) -> Polylines:
    # The flag: a third to over half the height, rising from low on the left to the stem's top.
    length = r.uniform(0.33, 0.62)
    rise = np.radians(r.uniform(30, 62))
    start = (-length * np.cos(rise), length * np.sin(rise))
    flag = curve(start, (start[0] / 2, start[1] / 2 + r.uniform(-0.04, 0.03)), (0.0, 0.0), count=8)
    stem = line((0.0, 0.0), (r.uniform(-0.03, 0.03), 1.0))
    if r.random() < 0.7:
        return [np.vstack([flag, stem[1:]])]  # One stroke: up the flag, down the stem.
    return [flag, stem + (r.uniform(-0.02, 0.02), 0.0)]


def one_flagged(r: np.random.Generator) -> Polylines:
    return lean(_flagged(r), r.uniform(0, 18) if r.random() < 0.7 else 0.0, (0.0, 0.5))


def one_footed(r: np.random.Generator) -> Polylines:
    half = r.uniform(0.15, 0.3)
    foot = line((-half, 1.0), (half, 1.0 + r.uniform(-0.03, 0.03)))
    return lean([*_flagged(r), foot], r.uniform(0, 12), (0.0, 0.5))


def _seven(r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The bar, drawn to the right, and the stem down from its end."""
    corner = (0.85, 0.0)
    start = (r.uniform(0.0, 0.2), r.uniform(-0.04, 0.06))
    bar = curve(start, ((start[0] + corner[0]) / 2, r.uniform(-0.03, 0.06)), corner, count=8)
    if r.random() < 0.25:  # A small down-tick where the bar starts.
        bar = np.vstack([(start[0] - 0.02, start[1] + r.uniform(0.08, 0.16)), bar])
    foot = (r.uniform(0.2, 0.5), 1.0)
    middle = ((corner[0] + foot[0]) / 2 + r.uniform(-0.08, 0.05), 0.5)
    return bar, curve(corner, middle, foot, count=10)


def seven_plain(r: np.random.Generator) -> Polylines:
    bar, stem = _seven(r)
    return [np.vstack([bar, stem[1:]])] if r.random() < 0.8 else [bar, stem]


def seven_crossed(r: np.random.Generator) -> Polylines:
    parts = seven_plain(r)
    stem = parts[-1]
    at = stem[int(len(stem) * r.uniform(0.6, 0.75))]
    half = r.uniform(0.15, 0.28)
    cross = line((at[0] - half, at[1] + 0.02), (at[0] + half, at[1] - 0.02))
    return [*parts, cross]


def four_open(r: np.random.Generator) -> Polylines:
    # Down and across, then the stem from above the bar to the bottom.
    level = r.uniform(0.55, 0.7)
    hook = line((r.uniform(0.1, 0.3), 0.0), (r.uniform(0.0, 0.1), level), (1.0, level))
    stem_x = r.uniform(0.6, 0.78)
    stem = line((stem_x, r.uniform(0.0, 0.15)), (stem_x + r.uniform(-0.05, 0.02), 1.0))
    return [hook, stem]


def four_closed(r: np.random.Generator) -> Polylines:
    # The diagonal meets the stem's top, closing a triangle: stem first or last, or one stroke
    # up the stem, down the diagonal and across.
    level = r.uniform(0.58, 0.72)
    top = (r.uniform(0.58, 0.72), 0.0)
    body = line(top, (0.0, level), (1.0, level))
    stem = line(top, (top[0] + r.uniform(-0.03, 0.03), 1.0))
    choice = r.random()
    if choice < 0.3:
        return [np.vstack([stem[::-1], body[1:]])]
    return [body, stem] if choice < 0.8 else [stem, body]


def _nine_loop(r: np.random.Generator) -> tuple[np.ndarray, tuple[float, float]]:
    # From the loop's right side, up and round anticlockwise, back to the right.
    radii = (r.uniform(0.28, 0.4), r.uniform(0.18, 0.27))
    centre = (0.45, radii[1])
    loop = arc(centre, radii, 10, 10 - r.uniform(340, 370))
    return loop, (centre[0] + radii[0], centre[1])


def nine_straight(r: np.random.Generator) -> Polylines:
    loop, joint = _nine_loop(r)
    stem = line(joint, (joint[0] - r.uniform(-0.02, 0.08), 1.0))
    return [np.vstack([loop, stem])] if r.random() < 0.75 else [loop, stem]


def nine_curved(r: np.random.Generator) -> Polylines:
    loop, joint = _nine_loop(r)
    stem = curve(joint, (joint[0] + 0.03, 0.95), (r.uniform(0.1, 0.35), r.uniform(0.9, 1.0)))
    return [np.vstack([loop, stem])] if r.random() < 0.8 else [loop, stem]


def two(r: np.random.Generator) -> Polylines:
    radii = (r.uniform(0.35, 0.45), r.uniform(0.22, 0.3))
    top = arc((0.5, radii[1]), radii, r.uniform(190, 215), r.uniform(370, 395))
    corner = (r.uniform(0.0, 0.1), 1.0)
    neck = curve(top[-1], (0.45, 0.6), corner, count=10)
    base = line(corner, (r.uniform(0.85, 1.05), 1.0 + r.uniform(-0.04, 0.02)))
    return [np.vstack([top, neck[1:], base[1:]])]


def three(r: np.random.Generator) -> Polylines:
    middle = (r.uniform(0.35, 0.5), r.uniform(0.42, 0.5))
    upper = arc((0.5, middle[1] / 2), (0.4, middle[1] / 2), r.uniform(195, 220), 450)
    lower = arc((0.5, (1 + middle[1]) / 2), (0.45, (1 - middle[1]) / 2), -90, r.uniform(140, 165))
    upper[-1], lower[0] = middle, middle
    return [np.vstack([upper, lower[1:]])]


def five(r: np.random.Generator) -> Polylines:
    corner = (r.uniform(0.05, 0.2), 0.0)
    bar = line(corner, (r.uniform(0.8, 1.0), r.uniform(-0.04, 0.04)))
    waist = (corner[0] - r.uniform(0.0, 0.06), r.uniform(0.38, 0.48))
    belly = arc((0.5, 0.7), (0.45, 0.3), -145, r.uniform(135, 160))
    body = np.vstack([line(corner, waist), belly])
    if r.random() < 0.3:  # One stroke: the bar from the right, then down and round.
        return [np.vstack([bar[::-1], body[1:]])]
    return [body, bar]


def six(r: np.random.Generator) -> Polylines:
    radii = (r.uniform(0.32, 0.45), r.uniform(0.22, 0.3))
    centre = (0.5, 1.0 - radii[1])
    left = (centre[0] - radii[0], centre[1])
    down = curve((r.uniform(0.6, 0.85), 0.0), (0.1, 0.15), left, count=14)
    loop = arc(centre, radii, 180, 180 - r.uniform(320, 360))
    return [np.vstack([down, loop[1:]])]


def eight(r: np.random.Generator) -> Polylines:
    if r.random() < 0.2:  # Two loops, the top one smaller.
        split = r.uniform(0.4, 0.47)
        upper = arc((0.5, split / 2), (0.32, split / 2), -90, 270)
        lower = arc((0.5, (1 + split) / 2), (0.42, (1 - split) / 2), -90, 270)
        return [upper, lower]
    # One stroke: from the top left, down the S, and back up to close.
    t = np.linspace(-0.35, 2 * np.pi + r.uniform(-0.1, 0.25), 90)
    width = r.uniform(0.35, 0.5)
    y = (0.5 - 0.5 * np.cos(t)) ** r.uniform(0.9, 1.25)
    x = 0.5 + width * np.sin(2 * t) * np.where(y > 0.5, 1.0, 0.8)
    return [np.column_stack([x, y])]


SHAPES: dict[str, Shape] = {
    "zero slashed": Shape(0, zero_slashed, 0.14),
    "zero plain": Shape(0, zero_plain, 0.05),
    "one flagged": Shape(1, one_flagged, 0.14),
    "one plain": Shape(1, one_plain, 0.06),
    "one footed": Shape(1, one_footed, 0.04),
    "seven plain": Shape(7, seven_plain, 0.06),
    "seven crossed": Shape(7, seven_crossed, 0.07),
    "four open": Shape(4, four_open, 0.06),
    "four closed": Shape(4, four_closed, 0.06),
    "nine straight": Shape(9, nine_straight, 0.06),
    "nine curved": Shape(9, nine_curved, 0.05),
    "two": Shape(2, two, 0.05),
    "three": Shape(3, three, 0.04),
    "five": Shape(5, five, 0.04),
    "six": Shape(6, six, 0.04),
    "eight": Shape(8, eight, 0.04),
}


def drawing(name: str, rng: np.random.Generator, pen: Pen | None = None) -> list[Stroke]:
    """One drawing of the named shape as canvas strokes."""
    return draw(SHAPES[name].template(rng), rng, pen)


def drawings(
    count: int, seed: int, pen: Pen | None = None, stream: int = 0
) -> tuple[list[list[Stroke]], np.ndarray, list[str]]:
    """`count` drawings, shapes drawn by their weights: (strokes, digits, shape names).

    Drawing i has its own generator from (seed, stream, i): the same arguments give the same
    drawings, and the first n of a longer run are the n of a shorter one.
    """
    names = list(SHAPES)
    weights = np.array([SHAPES[n].weight for n in names])
    strokes, labels, chosen = [], [], []
    for index in range(count):
        rng = np.random.default_rng([seed, stream, index])
        name = names[rng.choice(len(names), p=weights / weights.sum())]
        strokes.append(drawing(name, rng, pen))
        labels.append(SHAPES[name].digit)
        chosen.append(name)
    return strokes, np.array(labels, dtype=np.int64), chosen
