"""The pieces of a drawing of a number, grouped into the parts of digits they surely are.

Pieces (whole strokes, or the parts game.cuts cut a stroke into) are joined when their
x-extents overlap substantially (the bar of a 7 or a 5, the two strokes of a 4, the broken bits
of one digit) and specks join their nearer neighbour that is not a connecting line; the groups
come out left to right. The typical digit height of the writing is the median height of the
groups. Pure numpy.
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
    heights = np.array([float(high[1] - low[1]) for low, high in map(extent, groups)])
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

    for i, j in _overlapping(pieces, height):
        left, right = root(i), root(j)
        joined = (min(span[left][0], span[right][0]), max(span[left][1], span[right][1]))
        if pieces[i].stroke == pieces[j].stroke and joined[1] - joined[0] > SAME_STROKE * height:
            continue
        parent[left], span[right] = right, joined
    members: dict[int, list[Piece]] = {}
    for i, piece in enumerate(pieces):
        members.setdefault(root(i), []).append(piece)
    groups = sorted(members.values(), key=lambda g: float(np.mean([_centre(p) for p in g])))
    return _absorb_specks(groups, height)


def _overlapping(pieces: list[Piece], height: float) -> list[tuple[int, int]]:
    """The pairs (i < j) of pieces whose x-extents overlap substantially, or one of which
    stands well inside the other. A connecting line overlaps both its digits: it is left to
    the model where it belongs. All pairs at once, in numpy: this runs on every live reading."""
    low = np.array([p.low[0] for p in pieces], dtype=np.float64)
    high = np.array([p.high[0] for p in pieces], dtype=np.float64)
    centre, margin = (low + high) / 2, OVERLAP_MIN * height
    overlap = np.minimum.outer(high, high) - np.maximum.outer(low, low)
    narrower = np.minimum.outer(high - low, high - low)
    # inside[i, j]: piece i's centre well inside piece j's extent (a 1's stem under its flag).
    inside = (centre[:, None] >= low[None, :] + margin) & (
        centre[:, None] <= high[None, :] - margin
    )
    close = (overlap >= OVERLAP_SHARE * narrower) & ((overlap >= margin) | inside | inside.T)
    links = np.array([p.link for p in pieces])
    close &= ~(links[:, None] | links[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(close, 1)), strict=True)]


def _absorb_specks(groups: list[list[Piece]], height: float) -> list[list[Piece]]:
    """Groups smaller than SPECK each way joined to the nearer neighbour that holds digit ink: a
    tick or a broken-off bit of a digit is never a digit of its own, and must not use up a
    candidate's run."""
    k = 0
    while len(groups) > 1 and k < len(groups):
        low, high = extent(groups[k])
        if np.max(high - low) >= SPECK * height:
            k += 1
            continue
        # A connecting line is no digit's ink: a speck next to one belongs to a digit.
        gaps = [
            low[0] - extent(groups[k - 1])[1][0] if k and not is_line(groups[k - 1]) else np.inf,
            extent(groups[k + 1])[0][0] - high[0]
            if k + 1 < len(groups) and not is_line(groups[k + 1])
            else np.inf,
        ]
        other = k - 1 if gaps[0] <= gaps[1] else k + 1
        if min(gaps) > MAX_GAP * height:
            k += 1
            continue
        speck = groups.pop(k)
        k = other if other < k else k  # the neighbour's place once the speck is gone
        groups[k] = groups[k] + speck
    return groups


def is_line(group: list[Piece]) -> bool:
    """Whether the group is only a connecting line between two digits: no digit's ink."""
    return all(p.link for p in group)


def _centre(piece: Piece) -> float:
    return float(piece.low[0] + piece.high[0]) / 2


def extent(pieces: list[Piece]) -> tuple[np.ndarray, np.ndarray]:
    if len(pieces) == 1:  # most groups: no arrays to build (this runs on every live reading)
        return pieces[0].low, pieces[0].high
    return np.min([p.low for p in pieces], axis=0), np.max([p.high for p in pieces], axis=0)
