"""Drawings that are not digits, as stroke templates for `training.strokes.draw`.

Letters and symbols come from the Hershey vector fonts (the `hershey-fonts` package: centre
lines in drawing order, some fonts handwriting-like); the rest are made here: scribbles, a lone
dash, crosses, arrows, stars, polygons, digits crossed out with hatching, and two digits side
by side (a number is not one digit).

Left out on purpose, because people draw them exactly like a digit: a lone upright or slanted
line (a 1), a round loop (a 0), and the letters and signs written like digits (O, o, I, l, i,
S, s, Z, z, B, b, G, g, q, |, /, parentheses...). A dot never
reaches the model at all (preprocess sees nothing), and a spiral blob is too near a 0.
"""

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from game.preprocess import Stroke
from training import drawn_digits
from training.drawn_digits import line
from training.strokes import Pen, Polylines, draw

# Fonts of the training data; the benchmark's non-digits use other ones.
TRAINING_FONTS = ("futural", "scripts", "rowmans", "cursive")
BENCHMARK_FONTS = ("futuram", "scriptc", "rowmand", "timesr", "timesi")
# Characters drawn as digits are (or nearly): never labelled "not a digit".
DIGIT_LIKE = set("0123456789OoQDIilL|!/\\()[]{}SsZzBbGgqJj'`,.:;\"-_$")
LETTERS = "".join(c for c in map(chr, range(33, 127)) if c not in DIGIT_LIKE)

Template = Callable[[np.random.Generator], Polylines]


@cache
def font_glyphs(name: str) -> dict[str, Polylines]:
    """The glyphs of one built-in Hershey font: character -> strokes (y down, as on screen)."""
    from HersheyFonts import HersheyFonts  # Only needed where non-digits are made.

    font = HersheyFonts()
    font.load_default_font(name)
    glyphs = {}
    for char, glyph in font.all_glyphs.items():
        strokes = [np.array(s, dtype=np.float64) for s in glyph.strokes if len(s) > 1]
        if char in LETTERS and strokes:
            glyphs[char] = strokes
    return glyphs


def letters(fonts: Sequence[str]) -> Template:
    def template(r: np.random.Generator) -> Polylines:
        glyphs = font_glyphs(fonts[r.integers(len(fonts))])
        chars = sorted(glyphs)
        first = glyphs[chars[r.integers(len(chars))]]
        if r.random() < 0.85:
            return first
        # Now and then two letters side by side: a word is not a digit either.
        second = glyphs[chars[r.integers(len(chars))]]
        shift = np.ptp(np.concatenate(first)[:, 0]) + 3.0
        return [*first, *[s + (shift, 0.0) for s in second]]

    return template


def scribble(r: np.random.Generator) -> Polylines:
    # A smooth random path with many turns; sometimes a second one on top.
    parts = []
    for _ in range(1 if r.random() < 0.75 else 2):
        controls = r.uniform(0.0, 1.0, (int(r.integers(6, 14)), 2))
        t = np.linspace(0, 1, len(controls))
        fine = np.linspace(0, 1, 20 * len(controls))
        parts.append(np.column_stack([np.interp(fine, t, controls[:, i]) for i in (0, 1)]))
        parts[-1] = _smooth(parts[-1], 6)
    return parts


def zigzag(r: np.random.Generator) -> Polylines:
    turns = int(r.integers(4, 10))
    x = np.linspace(0.0, 1.0, turns + 1)
    y = np.where(np.arange(turns + 1) % 2, 0.0, r.uniform(0.2, 0.8)) + r.normal(0, 0.04, turns + 1)
    return [np.column_stack([x, y])]


def dash(r: np.random.Generator) -> Polylines:
    # Within 12 degrees of horizontal: a steeper line is a 1.
    angle = np.radians(r.uniform(-12, 12))
    dash = line((0.0, 0.0), (np.cos(angle), np.sin(angle)))
    if r.random() < 0.3:  # A wavy dash (a tilde).
        x = np.linspace(0, 1, 30)
        dash = np.column_stack([x, 0.06 * np.sin(x * r.uniform(6, 14))])
    return [dash if r.random() < 0.8 else dash[::-1]]


def cross(r: np.random.Generator) -> Polylines:
    if r.random() < 0.5:  # x
        return [line((0, 0), (1, 1)), line((1, r.uniform(-0.1, 0.1)), (0, 1))]
    across = r.uniform(0.35, 0.65)  # +
    return [line((0.5, 0), (0.5, 1)), line((0, across), (1, across))]


def arrow(r: np.random.Generator) -> Polylines:
    head = r.uniform(0.25, 0.45)
    spread = np.radians(r.uniform(25, 45))
    shaft = line((0.0, 0.0), (1.0, 0.0))
    tip = np.array([1.0, 0.0])
    sides = [tip + head * np.array([-np.cos(spread), s * np.sin(spread)]) for s in (-1, 1)]
    if r.random() < 0.5:
        parts = [shaft, np.array([sides[0], tip, sides[1]])]
    else:
        parts = [np.vstack([shaft, sides[0]]), np.array([tip, sides[1]])]
    turn = r.uniform(-180, 180)
    return drawn_digits.lean(parts, turn, (0.5, 0.0))


def star(r: np.random.Generator) -> Polylines:
    if r.random() < 0.5:  # A five-pointed star in one stroke.
        angles = np.radians(-90 + 144 * np.arange(6))
        return [np.column_stack([np.cos(angles), np.sin(angles)])]
    spokes = int(r.integers(3, 5))  # An asterisk.
    return [
        line((-np.cos(a), -np.sin(a)), (np.cos(a), np.sin(a)))
        for a in np.radians(r.uniform(0, 180) + 180 / spokes * np.arange(spokes))
    ]


def polygon(r: np.random.Generator) -> Polylines:
    # Triangles and boxes only: with more corners a polygon is a round loop, a 0.
    if r.random() < 0.5:
        angles = np.radians(r.uniform(0, 360) + 120 * np.arange(4))
        return [np.column_stack([np.cos(angles), np.sin(angles)])]
    height = r.uniform(0.5, 1.3)
    return [line((0, 0), (1, 0), (1, height), (0, height), (0, r.uniform(-0.05, 0.1)))]


def crossed_out(r: np.random.Generator) -> Polylines:
    """A digit and heavy hatching over it: the writer took it back."""
    names = list(drawn_digits.SHAPES)
    digit = drawn_digits.SHAPES[names[r.integers(len(names))]].template(r)
    points = np.concatenate(digit)
    low, high = points.min(axis=0) - 0.1, points.max(axis=0) + 0.1
    strokes = int(r.integers(5, 12))
    ys = np.linspace(low[1], high[1], strokes)
    xs = np.where(np.arange(strokes) % 2, low[0], high[0]) + r.normal(0, 0.05, strokes)
    hatching = np.column_stack([xs, ys + r.normal(0, 0.05, strokes)])
    if r.random() < 0.5:
        hatching = drawn_digits.lean([hatching], r.uniform(-50, 50), tuple((low + high) / 2))[0]
    return [*digit, hatching]


def digit_pair(r: np.random.Generator) -> Polylines:
    """Two of the real writers' digit shapes written as one number (see `side_by_side`)."""
    names = list(drawn_digits.SHAPES)
    left, right = (drawn_digits.SHAPES[names[r.integers(len(names))]].template(r) for _ in range(2))
    return side_by_side(left, right, r)


def side_by_side(left: Polylines, right: Polylines, r: np.random.Generator) -> Polylines:
    """Two digits side by side, close, touching or overlapping a little, and now and then
    joined by the pen: a number, not one digit. A number's reader tries such pairs as one
    candidate digit, and must hear that they are not one."""
    left, right = _unit_height(left), _unit_height(right)
    narrower = min(np.ptp(np.concatenate(p)[:, 0]) for p in (left, right))
    # A narrow digit (a 1) keeps a gap: two 1s that touch would be one thick 1.
    shift = np.concatenate(left)[:, 0].max() + max(r.uniform(-0.1, 0.3), 0.15 - narrower / 2)
    right = [s + (shift - np.concatenate(right)[:, 0].min(), r.normal(0.0, 0.05)) for s in right]
    if r.random() < 0.35:
        # Written without lifting the pen: the left digit's last stroke runs on into the right's
        # first.
        return [*left[:-1], np.concatenate([left[-1], right[0]]), *right[1:]]
    return [*left, *right]


def _unit_height(polylines: Polylines) -> Polylines:
    points = np.concatenate(polylines)
    low, height = points.min(axis=0), max(float(np.ptp(points[:, 1])), 1e-6)
    return [(p - low) / height for p in polylines]


def _smooth(points: np.ndarray, passes: int) -> np.ndarray:
    for _ in range(passes):
        points = np.vstack(
            [points[:1], (points[:-2] + 2 * points[1:-1] + points[2:]) / 4, points[-1:]]
        )
    return points


def kinds(fonts: Sequence[str]) -> dict[str, tuple[Template, float]]:
    """name -> (template, share) of the non-digits, letters from `fonts`."""
    return {
        "letter": (letters(fonts), 0.5),
        "scribble": (scribble, 0.1),
        "zigzag": (zigzag, 0.04),
        "dash": (dash, 0.06),
        "cross": (cross, 0.05),
        "arrow": (arrow, 0.05),
        "star": (star, 0.04),
        "polygon": (polygon, 0.05),
        "crossed-out digit": (crossed_out, 0.08),
        "digit pair": (digit_pair, 0.1),
    }


def drawings(
    count: int,
    seed: int,
    fonts: Sequence[str] = TRAINING_FONTS,
    pen: Pen | None = None,
    stream: int = 1,
) -> tuple[list[list[Stroke]], list[str]]:
    """`count` non-digit drawings, kinds drawn by their shares: (strokes, kind names).

    Drawing i has its own generator from (seed, stream, i), as in `drawn_digits.drawings`.
    """
    table = kinds(fonts)
    names = list(table)
    shares = np.array([share for _, share in table.values()])
    strokes, chosen = [], []
    for index in range(count):
        rng = np.random.default_rng([seed, stream, index])
        name = names[rng.choice(len(names), p=shares / shares.sum())]
        strokes.append(draw(table[name][0](rng), rng, pen))
        chosen.append(name)
    return strokes, chosen
