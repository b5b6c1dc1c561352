"""A whole number written in one go, cut into digits and read: the reader's `read_number`.

The known approach of handwriting recognisers: propose cuts generously, let the classifier
choose. Strokes are first cut where two digits may have been written in one joined stroke
(ligature points: where the pen runs sideways at a local top or bottom, and where the ink's
x-projection is thin). The pieces are grouped when their x-extents overlap substantially (the
bar of a 7, the two strokes of a 4, a 5's flag) and ordered left to right. Every run of a few
neighbouring groups that could be one digit is a candidate; all candidates are read in one call
of the model, each through the same MNIST-style preprocessing as a single digit, and a dynamic
programme picks the split whose digits have the highest joint log confidence, pieces that are
"not a digit" penalised.

Pure numpy, no pygame; the model is whatever `read_many` function the caller passes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from game.preprocess import Stroke

if TYPE_CHECKING:
    from game.reader import Answer

ReadMany = Callable[[Sequence[Sequence[Stroke]]], list["Answer"]]

# All lengths below are shares of the typical digit height of the drawing.
# A stroke at least this wide may hold more than one digit: it gets ligature cuts.
JOINED_WIDTH = 0.9
# Ligature points are looked for over this arc length either side of a point.
LIGATURE_REACH = 0.15
LIGATURE_DEPTH = 0.03
CUSP_TURN = 130.0
# Cuts are at least this far apart along a stroke, and from its ends.
CUT_SPACING = 0.15
# Two pieces overlapping by this much of the narrower one, and by this much of the height,
# belong to one digit whatever the model says.
OVERLAP_SHARE = 0.5
OVERLAP_HEIGHT = 0.15
# Neighbouring groups further apart than this are never one digit.
MAX_GAP = 0.3
# A candidate digit spans at most this many groups and is at most this wide.
MAX_RUN = 5
MAX_WIDTH = 1.3
# A digit less tall than SHORT, or wider than WIDE, is less and less likely (a power law).
SHORT = 0.6
WIDE = 1.0
SHAPE_POWER = 3.0
# Priors on the split (probabilities, multiplied into the classifier's): merging neighbours
# whose boxes overlap, or that stand apart; cutting a stroke; two digits closer than MIN_PITCH.
MERGE_OVERLAPPING = 0.6
MERGE_APART = 0.1
CUT_STROKE = 0.7
CLOSE_DIGITS = 0.05
MIN_PITCH = 0.2
# A piece the model calls "not a digit" scores its digit probability times this.
NOT_A_DIGIT_PENALTY = 0.05
# A piece with nothing to read (a stray dot) may be left out at this cost.
DOT_SCORE = 0.5
UNREADABLE = "?"


@dataclass(frozen=True)
class Digit:
    """One digit of a number: the reader's answer for its piece of the drawing."""

    answer: "Answer"
    strokes: tuple[int, ...]  # indices of the drawing's strokes it uses (some maybe in part)
    box: tuple[float, float, float, float]  # left, top, right, bottom in canvas pixels
    ink: tuple[np.ndarray, ...] = field(repr=False)  # its own strokes' points, as read

    @property
    def digit(self) -> int | None:
        return self.answer.digit

    @property
    def confidence(self) -> float:
        return self.answer.confidence

    @property
    def not_a_digit(self) -> float:
        return self.answer.not_a_digit

    @property
    def probabilities(self) -> np.ndarray:
        return self.answer.probabilities

    @property
    def text(self) -> str:
        return UNREADABLE if self.digit is None else str(self.digit)


@dataclass(frozen=True)
class Number:
    """What the reader made of a drawing of a number; `text` is "" when there is no number."""

    digits: tuple[Digit, ...] = ()
    latency_ms: float = 0.0

    @property
    def found(self) -> bool:
        """False for an empty canvas, a dot, or ink none of whose pieces is a digit."""
        return any(d.digit is not None for d in self.digits)

    @property
    def text(self) -> str:
        return "".join(d.text for d in self.digits) if self.found else ""

    @property
    def confidence(self) -> float:
        """The probability that every digit is right: the product; 0 with an unread piece."""
        if not self.found or any(d.digit is None for d in self.digits):
            return 0.0
        return float(np.prod([d.confidence for d in self.digits]))


@dataclass(frozen=True)
class _Piece:
    stroke: int
    part: int  # its place among the pieces its stroke was cut into
    points: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, stroke: int, points: np.ndarray, part: int = 0) -> "_Piece":
        return cls(stroke, part, points, points.min(axis=0), points.max(axis=0))


def read_number(read_many: ReadMany, drawing: Sequence[Any]) -> Number:
    """Cut the drawing into digits and read them (see the module's docstring)."""
    import time

    start = time.perf_counter()
    strokes = [s if isinstance(s, Stroke) else Stroke.from_points(s) for s in drawing]
    ink = [(i, s) for i, s in enumerate(strokes) if not s.erase and len(s.points)]
    if not ink:
        return Number()
    # The digits' height, from the strokes grouped as they are, then from the groups.
    height = _digit_height([s.points for _, s in ink])
    height = max(height, _group_height(_groups([_Piece.of(i, s.points) for i, s in ink], height)))
    pieces = [p for i, s in ink for p in _cut_stroke(i, s.points, height)]
    groups = _groups(pieces, height)
    runs = _candidate_runs(groups, height)
    erasers = [s for s in strokes if s.erase and len(s.points)]
    drawings = [_drawing(groups, run, strokes, erasers) for run in runs]
    answers = read_many(drawings)
    split = _Split(groups, height)
    scores = {
        run: _score(answer) + split.inside(run) for run, answer in zip(runs, answers, strict=True)
    }
    chosen = split.best(scores)
    digits = []
    for run in chosen:
        answer = answers[runs.index(run)]
        if not answer.drawn:
            continue  # a stray dot: no digit
        members = [p for g in range(*run) for p in groups[g]]
        low = np.min([p.low for p in members], axis=0)
        high = np.max([p.high for p in members], axis=0)
        digits.append(
            Digit(
                answer,
                tuple(sorted({p.stroke for p in members})),
                (float(low[0]), float(low[1]), float(high[0]), float(high[1])),
                tuple(p.points for p in members),
            )
        )
    return Number(tuple(digits), (time.perf_counter() - start) * 1000)


def _digit_height(strokes: list[np.ndarray]) -> float:
    # Most strokes of a number span most of a digit's height; bars and flags are the few short
    # ones, so the upper quartile of the strokes' heights is the digits' height.
    heights = [float(np.ptp(points[:, 1])) for points in strokes]
    widths = [float(np.ptp(points[:, 0])) for points in strokes]
    height = float(np.percentile(heights, 75))
    return max(height, 0.25 * float(np.percentile(widths, 75)), 1.0)


def _group_height(groups: list[list["_Piece"]]) -> float:
    heights = [float(np.ptp(np.concatenate([p.points[:, 1] for p in g]))) for g in groups]
    return float(np.percentile(heights, 75))


def _cut_stroke(index: int, points: np.ndarray, height: float) -> list[_Piece]:
    """The stroke, cut at its ligature points when it is wide enough to hold two digits."""
    if float(np.ptp(points[:, 0])) < JOINED_WIDTH * height or len(points) < 3:
        return [_Piece.of(index, points)]
    path = _resample(points, height / 40)
    cuts = _ligature_points(path, height) | _thin_points(path, height) | _cusps(path)
    spacing = int(CUT_SPACING * 40)
    chosen: list[int] = []
    for cut in sorted(cuts):
        if spacing <= cut <= len(path) - 1 - spacing and (
            not chosen or cut - chosen[-1] >= spacing
        ):
            chosen.append(cut)
    bounds = [0, *chosen, len(path) - 1]
    return [
        _Piece.of(index, path[a : b + 1], part)
        for part, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]


def _resample(points: np.ndarray, step: float) -> np.ndarray:
    lengths = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    if along[-1] <= step:
        return points
    at = np.append(np.arange(0.0, along[-1], step), along[-1])
    return np.column_stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])])


def _ligature_points(path: np.ndarray, height: float) -> set[int]:
    """Local tops and bottoms of the path where it runs sideways (x moves more than y)."""
    reach = max(int(LIGATURE_REACH * 40), 1)
    y = path[:, 1]
    found = set()
    for i in range(reach, len(path) - reach):
        window = y[i - reach : i + reach + 1]
        ends = window[[0, -1]] - y[i]
        # A real top or bottom: the pen comes down to it and goes up again (or the reverse),
        # by more than a wobble; a flat bar is not one.
        rise = LIGATURE_DEPTH * height
        if not (
            (y[i] == window.max() and np.all(ends < -rise))
            or (y[i] == window.min() and np.all(ends > rise))
        ):
            continue
        chord = path[i + reach] - path[i - reach]
        if abs(chord[0]) > abs(chord[1]) and abs(chord[0]) > 0.05 * height:
            found.add(i)
    return found


def _cusps(path: np.ndarray) -> set[int]:
    """Points where the pen turns back (by more than CUSP_TURN degrees): the bottom of a
    down-stroke that runs on up into the next digit."""
    reach = max(int(LIGATURE_REACH * 40), 1)
    if len(path) <= 2 * reach:
        return set()
    before = path[reach:-reach] - path[: -2 * reach]
    after = path[2 * reach :] - path[reach:-reach]
    cosine = np.sum(before * after, axis=1) / (
        np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1) + 1e-9
    )
    turning = cosine < np.cos(np.radians(CUSP_TURN))
    # The sharpest point of each run of turning points.
    found = set()
    for run in np.split(
        np.nonzero(turning)[0], np.nonzero(np.diff(np.nonzero(turning)[0]) > 1)[0] + 1
    ):
        if len(run):
            found.add(int(run[np.argmin(cosine[run])]) + reach)
    return found


def _thin_points(path: np.ndarray, height: float) -> set[int]:
    """Points where the path crosses a local minimum of its own x-projection just once."""
    bin_width = height / 12
    bins = np.floor((path[:, 0] - path[:, 0].min()) / bin_width).astype(int)
    counts = np.bincount(bins)
    found = set()
    for b in range(1, len(counts) - 1):
        if counts[b] and counts[b] <= counts[b - 1] and counts[b] <= counts[b + 1]:
            where = np.nonzero(bins == b)[0]
            # One pass of the pen through this column: a cut there separates left from right.
            if where[-1] - where[0] == len(where) - 1:
                found.add(int(where[len(where) // 2]))
    return found


def _groups(pieces: list[_Piece], height: float) -> list[list[_Piece]]:
    """Pieces joined when their x-extents overlap substantially, ordered left to right."""
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(pieces):
        for j in range(i + 1, len(pieces)):
            b = pieces[j]
            overlap = min(a.high[0], b.high[0]) - max(a.low[0], b.low[0])
            narrower = min(a.high[0] - a.low[0], b.high[0] - b.low[0])
            if overlap >= OVERLAP_HEIGHT * height and overlap >= OVERLAP_SHARE * narrower:
                parent[root(i)] = root(j)
    members: dict[int, list[_Piece]] = {}
    for i, piece in enumerate(pieces):
        members.setdefault(root(i), []).append(piece)
    return sorted(members.values(), key=lambda g: float(np.mean([_centre(p) for p in g])))


def _centre(piece: _Piece) -> float:
    return float(piece.low[0] + piece.high[0]) / 2


def _extent(group: list[_Piece]) -> tuple[np.ndarray, np.ndarray]:
    return np.min([p.low for p in group], axis=0), np.max([p.high for p in group], axis=0)


def _candidate_runs(groups: list[list[_Piece]], height: float) -> list[tuple[int, int]]:
    """(first, end) runs of neighbouring groups that could together be one digit."""
    extents = [_extent(g) for g in groups]
    runs = []
    for first in range(len(groups)):
        low, high = extents[first]
        runs.append((first, first + 1))
        for end in range(first + 2, min(first + MAX_RUN, len(groups)) + 1):
            gap = extents[end - 1][0][0] - max(e[1][0] for e in extents[first : end - 1])
            low = np.minimum(low, extents[end - 1][0])
            high = np.maximum(high, extents[end - 1][1])
            width, tall = high - low
            if gap > MAX_GAP * height or width > MAX_WIDTH * height:
                break
            runs.append((first, end))
    return runs


def _drawing(
    groups: list[list[_Piece]], run: tuple[int, int], strokes: list[Stroke], erasers: list[Stroke]
) -> list[Stroke]:
    members = [p for g in range(*run) for p in groups[g]]
    drawn = [Stroke(p.points, strokes[p.stroke].width) for p in members]
    # An eraser stroke matters to every candidate whose ink it crosses; preprocess decides.
    low, high = _extent(members)
    near = [e for e in erasers if np.any(np.all((e.points >= low) & (e.points <= high), axis=1))]
    return drawn + near


def _score(answer: "Answer") -> float:
    if not answer.drawn:
        return float(np.log(DOT_SCORE))
    if answer.digit is None:
        return float(np.log(max(1.0 - answer.not_a_digit, 1e-6) * NOT_A_DIGIT_PENALTY))
    return float(np.log(max(answer.confidence, 1e-6)))


class _Split:
    """The priors on a split of the groups into digits, and the best split under them."""

    def __init__(self, groups: list[list[_Piece]], height: float) -> None:
        self.groups = groups
        self.height = height
        self.extents = [_extent(g) for g in groups]
        # joined[k]: groups k-1 and k hold neighbouring pieces of one cut stroke.
        self.joined = [False] + [
            any(
                a.stroke == b.stroke and abs(a.part - b.part) == 1
                for a in groups[k - 1]
                for b in groups[k]
            )
            for k in range(1, len(groups))
        ]

    def inside(self, run: tuple[int, int]) -> float:
        """The log prior of the groups of `run` being one digit."""
        low, high = _extent([p for g in self.groups[run[0] : run[1]] for p in g])
        width, tall = (high - low) / self.height
        total = SHAPE_POWER * float(np.log(min(tall / SHORT, 1.0) + 1e-3))
        total += SHAPE_POWER * float(np.log(min(WIDE / max(width, 1e-3), 1.0)))
        for k in range(run[0] + 1, run[1]):
            if self.joined[k]:
                continue
            right = max(e[1][0] for e in self.extents[run[0] : k])
            apart = self.extents[k][0][0] > right
            total += float(np.log(MERGE_APART if apart else MERGE_OVERLAPPING))
        return total

    def between(self, left: tuple[int, int], right: tuple[int, int]) -> float:
        """The log prior of a digit boundary between two neighbouring runs."""
        total = float(np.log(CUT_STROKE)) if self.joined[right[0]] else 0.0
        if abs(self._centre(right) - self._centre(left)) < MIN_PITCH * self.height:
            total += float(np.log(CLOSE_DIGITS))
        return total

    def _centre(self, run: tuple[int, int]) -> float:
        low = min(e[0][0] for e in self.extents[run[0] : run[1]])
        high = max(e[1][0] for e in self.extents[run[0] : run[1]])
        return (low + high) / 2

    def best(self, scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
        """The runs covering all groups in order with the highest total score: a dynamic
        programme over (previous run, run), since a boundary's prior depends on both."""
        best: dict[tuple[int, int], float] = {}
        back: dict[tuple[int, int], tuple[int, int] | None] = {}
        for run in sorted(scores, key=lambda r: r[1]):
            if run[0] == 0:
                best[run], back[run] = scores[run], None
                continue
            options = [
                (best[left] + self.between(left, run), left) for left in best if left[1] == run[0]
            ]
            if options:
                total, left = max(options)
                best[run], back[run] = total + scores[run], left
        count = len(self.groups)
        run: tuple[int, int] | None = max((r for r in best if r[1] == count), key=lambda r: best[r])
        chosen = []
        while run is not None:
            chosen.append(run)
            run = back[run]
        return chosen[::-1]
