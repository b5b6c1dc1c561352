"""The pieces of a drawing of a number, grouped into the parts of digits they surely are.

Pieces (whole strokes, or the parts game.cuts cut a stroke into) are joined when their
x-extents overlap substantially (the bar of a 7 or a 5, the two strokes of a 4, the broken bits
of one digit) and specks join their nearer neighbour; the groups come out left to right. The
typical digit height of the writing is the median height of the groups. Pure numpy.
"""

from dataclasses import dataclass

import numpy as np

# All lengths below are shares of the typical digit height of the drawing.
# Two pieces overlapping on the x axis by this much of the narrower one, and by this much of
# the height, belong to one digit whatever the model says.
OVERLAP_SHARE = 0.5
OVERLAP_MIN = 0.1
# Groups shorter than this share of the tallest do not count for the typical height (dashes).
TALL_ENOUGH = 0.4
# A group less than SPECK wide and tall is part of its nearer neighbour, unless both are
# further than MAX_GAP away.
SPECK = 0.3
MAX_GAP = 0.3
SAME_STROKE = 1.0


@dataclass(frozen=True)
class Piece:
    stroke: int
    part: int  # its place among the pieces its stroke was cut into
    points: np.ndarray
    low: np.ndarray
    high: np.ndarray
    link: bool = False  # a straight line joining two digits (game.cuts), maybe no digit's ink

    @classmethod
    def of(cls, stroke: int, points: np.ndarray, part: int = 0, link: bool = False) -> "Piece":
        return cls(stroke, part, points, points.min(axis=0), points.max(axis=0), link)


def writing_height(groups: list[list[Piece]]) -> float:
    """The typical digit height: the median height of the groups that are not dashes."""
    heights = np.array([float(extent(g)[1][1] - extent(g)[0][1]) for g in groups])
    return max(float(np.median(heights[heights >= TALL_ENOUGH * heights.max()])), 1.0)


def groups_of(pieces: list[Piece], height: float) -> list[list[Piece]]:
    """Pieces joined when their x-extents overlap substantially, ordered left to right. A
    connecting line between two digits is left alone: it overlaps both."""
    parent = list(range(len(pieces)))
    # x-extent of each group, by its root: pieces of one cut stroke are joined only while
    # their group stays about a digit wide (the stroke was cut because it held two digits).
    span = {i: (float(p.low[0]), float(p.high[0])) for i, p in enumerate(pieces)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(pieces):
        for j in range(i + 1, len(pieces)):
            b = pieces[j]
            # A connecting line overlaps both its digits; the model decides where it belongs.
            if a.link or b.link:
                continue
            overlap = min(a.high[0], b.high[0]) - max(a.low[0], b.low[0])
            narrower = min(a.high[0] - a.low[0], b.high[0] - b.low[0])
            if overlap >= OVERLAP_SHARE * narrower and (
                overlap >= OVERLAP_MIN * height or _inside(a, b, height) or _inside(b, a, height)
            ):
                left, right = root(i), root(j)
                joined = (min(span[left][0], span[right][0]), max(span[left][1], span[right][1]))
                if a.stroke == b.stroke and joined[1] - joined[0] > SAME_STROKE * height:
                    continue
                parent[left], span[right] = right, joined
    members: dict[int, list[Piece]] = {}
    for i, piece in enumerate(pieces):
        members.setdefault(root(i), []).append(piece)
    groups = sorted(members.values(), key=lambda g: float(np.mean([_centre(p) for p in g])))
    return _absorb_specks(groups, height)


def _absorb_specks(groups: list[list[Piece]], height: float) -> list[list[Piece]]:
    """Groups smaller than SPECK each way joined to the nearer neighbour: a tick or a broken-off
    bit of a digit is never a digit of its own, and must not use up a candidate's run."""
    k = 0
    while len(groups) > 1 and k < len(groups):
        low, high = extent(groups[k])
        if np.max(high - low) >= SPECK * height:
            k += 1
            continue
        gaps = [
            low[0] - extent(groups[k - 1])[1][0] if k else np.inf,
            extent(groups[k + 1])[0][0] - high[0] if k + 1 < len(groups) else np.inf,
        ]
        other = k - 1 if gaps[0] <= gaps[1] else k + 1
        if min(gaps) > MAX_GAP * height:
            k += 1
            continue
        speck = groups.pop(k)
        k = other if other < k else k  # the neighbour's place once the speck is gone
        groups[k] = groups[k] + speck
    return groups


def _inside(a: Piece, b: Piece, height: float) -> bool:
    """Whether the thin piece a stands well inside b's x-extent (a 1's stem under its flag)."""
    margin = OVERLAP_MIN * height
    return b.low[0] + margin <= _centre(a) <= b.high[0] - margin


def _centre(piece: Piece) -> float:
    return float(piece.low[0] + piece.high[0]) / 2


def extent(pieces: list[Piece]) -> tuple[np.ndarray, np.ndarray]:
    return np.min([p.low for p in pieces], axis=0), np.max([p.high for p in pieces], axis=0)
