"""A whole number written in one go, cut into digits and read: the reader's `read_number`.

The known approach of handwriting recognisers: propose cuts generously, let the classifier
choose. The typical digit height of the writing sets the scale. A stroke clearly wider than a
digit is cut at its ligature points (game.cuts): it may be two digits written without lifting
the pen. The pieces are grouped when their x-extents overlap substantially (the bar of a 7 or a
5, the two strokes of a 4, the disconnected bits of one digit) and ordered left to right; a
group whose strokes written first lie left of those written after is split there (two
neighbouring digits that overlap). Every run of up to MAX_RUN neighbouring groups that is not
too wide and has no wide gap inside is a candidate digit; all candidates are read in one call of
the model, each through the same MNIST-style preprocessing as a single digit, and a dynamic
programme picks the split whose digits have the highest joint log probability, with priors: a
piece "not a digit" is penalised, so is a digit much shorter or wider than the writing's
digits, merging groups that stand apart, and each extra digit.

Pure numpy, no pygame; the model is whatever `read_many` function the caller passes.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from game.cuts import cut_parts
from game.groups import Piece, extent, groups_of, is_line, writing_height
from game.preprocess import Stroke

if TYPE_CHECKING:
    from game.reader import Answer

ReadMany = Callable[[Sequence[Sequence[Stroke]]], list["Answer"]]

# A candidate digit spans at most MAX_RUN groups, at most MAX_WIDTH wide (MAX_WIDTH_TALL when
# two of its groups are TALL), no gap over MAX_GAP.
MAX_RUN = 4
MAX_WIDTH = 1.6
MAX_WIDTH_TALL = 1.3
MAX_GAP = 0.3
# A digit less tall than SHORT, or wider than WIDE, is less and less likely (a power law).
SHORT = 0.8
WIDE = 0.95
SHAPE_POWER = 5.0
# Priors (probabilities multiplied into the classifier's). Merging two neighbouring groups
# that are both at least TALL: two strokes side by side that each span the digits' height are
# nearly always two digits (the model happily reads two sevens as one wide seven). Merging
# other neighbours: MERGE_NEAR when their boxes touch or overlap, falling off by a factor e
# every GAP_SCALE of gap between them. A digit boundary inside a stroke, or between boxes that
# overlap; each digit.
TALL = 0.75
MERGE_TALL = 0.03
MERGE_NEAR = 0.5
GAP_SCALE = 0.08
CUT_STROKE = 0.3
SPLIT_OVERLAPPING = 0.5
PER_DIGIT = 0.07
# A piece the model calls "not a digit" scores its best digit's probability times this. The
# model knows that two digits side by side are not one; a heavier penalty (0.05) made the search
# split a digit it could not read into confident fragments (an 8 into "61") rather than show
# one "?" (chosen on seeds 1-3 of the number set).
NOT_A_DIGIT_PENALTY = 0.3
# A group's strokes written first and those written after, with x-centres this far apart (a
# share of the digit height), may be two digits (_split_in_time).
SPLIT_APART = 0.3
# A piece with nothing to read (a stray dot) may be left out at this cost.
DOT_SCORE = 0.5
# A straight line joining two digits (game.cuts) may be left out, at next to no cost: the
# model, which knows that two digits side by side are not one, judges the pieces. Only where
# it reads a digit as well with the line as without does the digit keep it (a 7's bar taken
# for a line; chosen on seeds 1-3).
LINK_DROP = 0.99
UNREADABLE = "?"
# The least probability a candidate scores (the log of 0 would break the search's sums); a
# joining line alone, which is not read, scores it.
LEAST = 1e-9
LINE_ALONE = float(np.log(LEAST))


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


Run = tuple[int, int]  # groups first..end-1


def read_number(read_many: ReadMany, drawing: Sequence[Any]) -> Number:
    """Cut the drawing into digits and read them (see the module's docstring)."""
    start = time.perf_counter()
    strokes = [s if isinstance(s, Stroke) else Stroke.from_points(s) for s in drawing]
    ink = [(i, s) for i, s in enumerate(strokes) if not s.erase and len(s.points)]
    if not ink:
        return Number()
    height = writing_height(groups_of([Piece.of(i, s.points) for i, s in ink], 1.0))
    pieces = [
        Piece.of(i, part, k, link)
        for i, s in ink
        for k, (part, link) in enumerate(
            cut_parts(s.points, height, [t.points for j, t in ink if j != i])
        )
    ]
    layout = _Layout(_split_in_time(groups_of(pieces, height), height), height)
    runs = layout.runs()
    # A joining line on its own is never a digit (a tenth of the candidates): not read, and
    # left out of the number unless nothing else can cover it.
    answers = _read(read_many, layout, strokes, [r for r in runs if not layout.line_alone(r)])
    scores = {
        run: _score(answers[run]) + layout.inside(run) if run in answers else LINE_ALONE
        for run in runs
    }
    chosen = layout.best(scores)
    answers.update(_read(read_many, layout, strokes, [r for r in chosen if r not in answers]))
    digits = [_digit(layout, run, answers[run]) for run in chosen if answers[run].drawn]  # no dots
    return Number(tuple(digits), (time.perf_counter() - start) * 1000)


def _split_in_time(groups: list[list[Piece]], height: float) -> list[list[Piece]]:
    """A group of several strokes whose strokes written first lie left of those written after
    (their centres SPLIT_APART apart or more) becomes two groups, split where they lie furthest
    apart: two neighbouring digits that overlap (a zero's slash or a 7's bar over the next
    digit) were grouped as one. The search may still join them again."""
    split: list[list[Piece]] = []
    for group in groups:
        best, halves = SPLIT_APART * height, [group]
        for then in sorted({p.stroke for p in group})[1:]:
            first = [p for p in group if p.stroke < then]
            after = [p for p in group if p.stroke >= then]
            apart = _centre_x(after) - _centre_x(first)
            if apart >= best:
                best, halves = apart, [first, after]
        split.extend(halves)
    return split


def _centre_x(pieces: list[Piece]) -> float:
    low, high = extent(pieces)
    return float(low[0] + high[0]) / 2


def _read(
    read_many: ReadMany, layout: "_Layout", strokes: list[Stroke], runs: list[Run]
) -> dict[Run, "Answer"]:
    """The model's answers for these candidates, in one call."""
    if not runs:
        return {}
    erasers = [s for s in strokes if s.erase and len(s.points)]
    drawings = [layout.drawing(r, strokes, erasers) for r in runs]
    return dict(zip(runs, read_many(drawings), strict=True))


def _digit(layout: "_Layout", run: Run, answer: "Answer") -> Digit:
    members = layout.members(run)
    low, high = extent(members)
    return Digit(
        answer,
        tuple(sorted({p.stroke for p in members})),
        (float(low[0]), float(low[1]), float(high[0]), float(high[1])),
        tuple(p.points for p in members),
    )


def _score(answer: "Answer") -> float:
    """The log probability that the candidate is a digit, by the model."""
    if not answer.drawn:
        return float(np.log(DOT_SCORE))
    best = float(np.max(answer.probabilities))
    penalty = 1.0 if answer.digit is not None else NOT_A_DIGIT_PENALTY
    return float(np.log(max(best * penalty, LEAST)))


class _Layout:
    """The groups left to right, the candidate digits among them, their priors, and the best
    split of the groups into digits."""

    def __init__(self, groups: list[list[Piece]], height: float) -> None:
        self.groups, self.height = groups, height
        self.extents = [extent(g) for g in groups]
        self.lows = np.array([e[0] for e in self.extents])
        self.highs = np.array([e[1] for e in self.extents])
        # gap[k]: from the right edge of groups before k to the left edge of group k.
        self.gap = [0.0] + [
            (self.extents[k][0][0] - max(e[1][0] for e in self.extents[:k])) / height
            for k in range(1, len(groups))
        ]
        self.tall = [float(e[1][1] - e[0][1]) / height for e in self.extents]
        # joined[k]: groups k-1 and k hold neighbouring pieces of one cut stroke.
        self.joined = [False] + [
            any(
                a.stroke == b.stroke and abs(a.part - b.part) == 1
                for a in groups[k - 1]
                for b in groups[k]
            )
            for k in range(1, len(groups))
        ]

    def extent(self, run: Run) -> tuple[np.ndarray, np.ndarray]:
        """The box of the groups of `run`, from the groups' own boxes."""
        lows, highs = self.lows[run[0] : run[1]], self.highs[run[0] : run[1]]
        return lows.min(axis=0), highs.max(axis=0)

    def members(self, run: Run) -> list[Piece]:
        return [p for g in self.groups[run[0] : run[1]] for p in g]

    def runs(self) -> list[Run]:
        """Runs of neighbouring groups that could together be one digit."""
        runs = []
        for first in range(len(self.groups)):
            runs.append((first, first + 1))
            for end in range(first + 2, min(first + MAX_RUN, len(self.groups)) + 1):
                low, high = self.extent((first, end))
                width = (high[0] - low[0]) / self.height
                if self.gap[end - 1] > MAX_GAP or width > MAX_WIDTH:
                    break
                # Only a digit with a part of its own apart (a 5's flag) is that wide; two
                # strokes each a digit tall side by side are two digits.
                if (
                    width > MAX_WIDTH_TALL
                    and sum(self.tall[k] >= TALL for k in range(first, end)) > 1
                ):
                    break
                runs.append((first, end))
        return runs

    def drawing(self, run: Run, strokes: list[Stroke], erasers: list[Stroke]) -> list[Stroke]:
        members = self.members(run)
        drawn = [Stroke(p.points, strokes[p.stroke].width) for p in members]
        # An eraser stroke matters to every candidate whose ink it crosses; preprocess decides.
        low, high = self.extent(run)
        near = [e for e in erasers if np.any(np.all((e.points >= low) & (e.points <= high), 1))]
        return drawn + near

    def inside(self, run: Run) -> float:
        """The log prior of the groups of `run` being one digit."""
        low, high = self.extent(run)
        width, tall = (high - low) / self.height
        total = SHAPE_POWER * float(np.log(min(tall / SHORT, 1.0) + 1e-3))
        total += SHAPE_POWER * float(np.log(min(WIDE / max(width, 1e-3), 1.0)))
        for k in range(run[0] + 1, run[1]):
            total += self.merge(k)
        return total + float(np.log(PER_DIGIT))

    def merge(self, k: int) -> float:
        """The log prior of groups k-1 and k being parts of one digit."""
        if self.joined[k]:
            return 0.0
        if min(self.tall[k - 1], self.tall[k]) >= TALL:
            return float(np.log(MERGE_TALL))
        return float(np.log(MERGE_NEAR)) - max(self.gap[k], 0.0) / GAP_SCALE

    def between(self, k: int) -> float:
        """The log prior of a digit boundary just before group k."""
        if self.droppable(k - 1) or self.droppable(k):
            return 0.0  # a connecting line ends or starts a digit
        if self.joined[k]:
            return float(np.log(CUT_STROKE))
        return float(np.log(SPLIT_OVERLAPPING)) if self.gap[k] < 0 else 0.0

    def line_alone(self, run: Run) -> bool:
        return run[1] - run[0] == 1 and self.droppable(run[0])

    def droppable(self, k: int) -> bool:
        """Whether group k is only a connecting line, which need not be part of any digit."""
        return is_line(self.groups[k])

    def best(self, scores: dict[Run, float]) -> list[Run]:
        """The runs covering all groups in order (but connecting lines, which may be left out)
        with the highest total score."""
        count = len(self.groups)
        best = [0.0] + [-np.inf] * count
        back: list[Run | None] = [None] * (count + 1)
        dropped = [False] * (count + 1)
        for run in sorted(scores, key=lambda r: r[1]):
            first, end = run
            total = best[first] + scores[run] + (self.between(first) if first else 0.0)
            if total > best[end]:
                best[end], back[end], dropped[end] = total, run, False
            if (
                end < count
                and self.droppable(end)
                and best[end] + np.log(LINK_DROP) > best[end + 1]
            ):
                best[end + 1], back[end + 1], dropped[end + 1] = (
                    best[end] + np.log(LINK_DROP),
                    (end, end + 1),
                    True,
                )
        chosen, at = [], count
        while at:
            run = back[at]
            assert run is not None  # every single group is a run
            if not dropped[at]:
                chosen.append(run)
            at = run[0]
        return chosen[::-1]
