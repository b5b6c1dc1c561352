"""Where one stroke may hold two digits written without lifting the pen: its ligature points.

A joined pair ("10" in one go) is cut where the pen passed from one digit to the next: a local
top or bottom where the pen runs sideways, a corner where it turns sharply, or a thin place
of the stroke's x-projection that the pen crosses once. Only a stroke clearly wider or longer
than a digit is cut, and only at points that leave a digit's stroke at both ends, so a single
digit's own corners (a 2's base, a 7's corner) are not proposed. `game.segment` lets the
model decide which of the proposed cuts are real.

Pure numpy. All lengths are shares of the typical digit height of the drawing.
"""

from collections.abc import Sequence

import numpy as np

# A stroke at least this wide (a share of the digit height) may hold two digits: two narrow
# digits written close in one go ("17") are about half a height wide (chosen on seeds 1-3).
# So may a narrower stroke whose path is at least JOINED_LENGTH long: a joined "11" or "19"
# that leans can be narrower still, but its pen travels further than one digit's (an 8's is
# about 3, and reading it whole stays a candidate).
JOINED_WIDTH = 0.5
JOINED_LENGTH = 2.5
# A stroke whose ends are closer than this is closed: one digit.
CLOSED = 0.25
# Points every 1/STEPS of the height along the path; ligatures are looked for over REACH.
STEPS = 40
REACH = 0.15
DEPTH = 0.03
# Corners: where the pen turns by more than CORNER_TURN degrees (the sharpest point of each).
CORNER_TURN = 75.0
# A thin place has THIN_DIP times its ink within THIN_REACH columns (of 1/12 height) on both sides.
THIN_DIP = 2.0
THIN_REACH = 3
# The end pieces a cut leaves are at least MIN_PIECE long along the path, and cuts at least
# CUT_SPACING apart.
MIN_PIECE = 0.5
CUT_SPACING = 0.3
# A connecting line: a straight stretch of the path at least LINK_LENGTH long (its chord over
# every LINK_LENGTH window at least STRAIGHT of the path's length) with digit strokes on both
# sides. It is cut off at both ends, wherever it meets the digits, corner or not.
LINK_LENGTH = 0.35
STRAIGHT = 0.995
# The line runs LINK_RIGHT to the right, or climbs LINK_RISE straight up: from a digit that
# ends at the bottom (a 2's base) to the top of the next, where a 1 is written downwards
# (chosen on seeds 1-3).
LINK_RIGHT = 0.15
LINK_RISE = 0.6
LINK_TURN = 35.0
LINK_APART = 0.3
# Path before the line: LINK_BEFORE, or only LINK_SHORT if that comes within LINK_TOUCH of
# another stroke; after it, LINK_AFTER.
LINK_BEFORE = 0.5
LINK_SHORT = 0.1
LINK_TOUCH = 0.1
LINK_AFTER = 0.5


def cut_parts(
    points: np.ndarray, height: float, others: Sequence[np.ndarray] = ()
) -> list[tuple[np.ndarray, bool]]:
    """The stroke's points cut at its ligature points, in the stroke's order, each piece with
    whether it is a straight connecting line between two digits that the reading may leave
    out; the stroke whole when it is neither clearly wider nor longer than a digit. `others`:
    the points of the drawing's other strokes, (N, 2) each."""
    if len(points) < 3:
        return [(points, False)]
    narrow = np.ptp(points[:, 0]) < JOINED_WIDTH * height
    if narrow and path_length(points) < JOINED_LENGTH * height:
        return [(points, False)]
    # A stroke that ends where it began is one closed digit (a wide 0, an 8), not two: the
    # pen would have had to come back across the first digit.
    if float(np.hypot(*(points[-1] - points[0]))) < CLOSED * height:
        return [(points, False)]
    path = resample(points, height / STEPS)
    links = _links(path, height, others)
    proposed = _ligature_points(path, height) | _thin_points(path, height) | _corners(path)
    # A cut inside a connecting line would hide it; its two ends are cut instead.
    ends = [end for link in links for end in link]
    spacing = int(CUT_SPACING * STEPS)
    proposed = {c for c in proposed if not any(a - spacing < c < b + spacing for a, b in links)}
    # Leave a digit's stroke on both ends (a 1 is one stroke of about the height), and one cut
    # per place along the path.
    end = len(path) - 1
    chosen: list[int] = []
    for cut in sorted(proposed):
        if MIN_PIECE * STEPS <= cut <= end - MIN_PIECE * STEPS and (
            not chosen or cut - chosen[-1] >= spacing
        ):
            chosen.append(cut)
    chosen = sorted({*chosen, *ends})
    bounds = [0, *chosen, len(path) - 1]
    spans = list(zip(bounds, bounds[1:], strict=False))
    lines = [span in links for span in spans]
    # Between two lines, a bit shorter than the spacing of cuts is the pen turning from one to
    # the other (up to the next digit, then along its bar), no digit's ink: part of the line.
    for k in range(1, len(spans) - 1):
        a, b = spans[k]
        if lines[k - 1] and lines[k + 1] and b - a < spacing:
            lines[k] = True
    return [(path[a : b + 1], line) for (a, b), line in zip(spans, lines, strict=True)]


def _links(path: np.ndarray, height: float, others: Sequence[np.ndarray]) -> list[tuple[int, int]]:
    """(first, last) path indices of the straight stretches with enough path on both sides."""
    window = int(LINK_LENGTH * STEPS)
    if len(path) <= window + (LINK_SHORT + LINK_AFTER) * STEPS:
        return []
    # Points are evenly spaced: a stretch is straight when its chord is nearly its length.
    steps = np.hypot(*np.diff(path, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    ahead = path[window:] - path[:-window]
    straight = np.hypot(*ahead.T) >= STRAIGHT * (along[window:] - along[:-window])
    heading = np.degrees(np.arctan2(ahead[:, 1], ahead[:, 0]))
    # Overlapping straight windows make one stretch while they keep its heading: where the
    # pen turns by more than LINK_TURN degrees (a 1's foot, however gentle) a new one starts.
    stretches: list[list[int]] = []
    for start in np.nonzero(straight)[0]:
        if stretches and start == stretches[-1][1] + 1:
            turn = abs((heading[start] - heading[stretches[-1][0]] + 180) % 360 - 180)
            if turn <= LINK_TURN:
                stretches[-1][1] = int(start)
                continue
        stretches.append([int(start), int(start)])
    return [(a, b + window) for a, b in stretches if _joins(path, a, b + window, height, others)]


def _joins(
    path: np.ndarray, first: int, last: int, height: float, others: Sequence[np.ndarray]
) -> bool:
    """Whether the straight stretch path[first..last] may be a line from one digit to the next."""
    before, after = path[: first + 1], path[last:]
    if first < LINK_SHORT * STEPS or len(after) - 1 < LINK_AFTER * STEPS:
        return False
    # The pen moves on to the next digit: rightwards by a fair share of a digit, or up to its
    # top, and the ink after the line lies right of the ink before it (not a digit's own side).
    right, rise = path[last, 0] - path[first, 0], path[first, 1] - path[last, 1]
    if right < LINK_RIGHT * height and rise < LINK_RISE * height:
        return False
    if np.mean(after[:, 0]) - np.mean(before[:, 0]) < LINK_APART * height:
        return False
    # A digit's last stroke may be short (a 5's flag, a 7's cross-bar, a one's foot) before
    # the pen runs on, but then it touches the digit's other strokes; a short start on its
    # own, then a straight line, is one digit's top (a 7's tick and bar, a flat-topped 3).
    if first >= LINK_BEFORE * STEPS:
        return True
    if not others:
        return False
    # Gathered only here, for the few short starts: the search cuts every stroke of a number.
    ink = np.concatenate(others)
    gaps = np.min(np.sum((before[:, None, :] - ink[None, :, :]) ** 2, axis=2), axis=1)
    return bool(np.min(gaps) <= (LINK_TOUCH * height) ** 2)


def path_length(points: np.ndarray) -> float:
    """The length of the polyline through `points` (N, 2)."""
    return float(np.hypot(*np.diff(points, axis=0).T).sum())


def resample(points: np.ndarray, step: float) -> np.ndarray:
    lengths = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    if along[-1] <= step:
        return points
    at = np.append(np.arange(0.0, along[-1], step), along[-1])
    return np.column_stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])])


def _ligature_points(path: np.ndarray, height: float) -> set[int]:
    """Local tops and bottoms of the path where it runs sideways (x moves more than y)."""
    reach = max(int(REACH * STEPS), 1)
    if len(path) <= 2 * reach:
        return set()
    y = path[:, 1]
    windows = np.lib.stride_tricks.sliding_window_view(y, 2 * reach + 1)
    middle = y[reach:-reach]
    rise = DEPTH * height
    # A real top or bottom: the pen comes down to it and goes up again (or the reverse) by
    # more than a wobble; a flat bar is not one.
    top = (middle == windows.max(axis=1)) & (windows[:, 0] - middle < -rise)
    top &= windows[:, -1] - middle < -rise
    bottom = (middle == windows.min(axis=1)) & (windows[:, 0] - middle > rise)
    bottom &= windows[:, -1] - middle > rise
    chord = path[2 * reach :] - path[: -2 * reach]
    sideways = (np.abs(chord[:, 0]) > np.abs(chord[:, 1])) & (np.abs(chord[:, 0]) > 0.05 * height)
    return {int(i) + reach for i in np.nonzero((top | bottom) & sideways)[0]}


def _corners(path: np.ndarray) -> set[int]:
    """Points where the pen turns sharply (by more than CORNER_TURN degrees): the bottom of a
    down-stroke that runs on up into the next digit, or where a joining line meets a digit."""
    reach = max(int(REACH * STEPS), 1)
    if len(path) <= 2 * reach:
        return set()
    before = path[reach:-reach] - path[: -2 * reach]
    after = path[2 * reach :] - path[reach:-reach]
    cosine = np.sum(before * after, axis=1) / (
        np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1) + 1e-9
    )
    turning = np.nonzero(cosine < np.cos(np.radians(CORNER_TURN)))[0]
    # The sharpest point of each run of turning points.
    runs = np.split(turning, np.nonzero(np.diff(turning) > 1)[0] + 1)
    return {int(run[np.argmin(cosine[run])]) + reach for run in runs if len(run)}


def _thin_points(path: np.ndarray, height: float) -> set[int]:
    """Points where the path crosses a local minimum of its own x-projection just once."""
    bins = np.floor((path[:, 0] - path[:, 0].min()) / (height / 12)).astype(int)
    counts = np.bincount(bins)
    found = set()
    for b in range(1, len(counts) - 1):
        left, right = counts[max(b - THIN_REACH, 0) : b], counts[b + 1 : b + 1 + THIN_REACH]
        # A real narrowing: more ink on both sides nearby (a straight slash is not one).
        if counts[b] and min(left.max(), right.max()) >= THIN_DIP * counts[b]:
            if counts[b] > min(left.min(), right.min()):
                continue
            where = np.nonzero(bins == b)[0]
            # One pass of the pen through this column: a cut there separates left from right.
            if where[-1] - where[0] == len(where) - 1:
                found.add(int(where[len(where) // 2]))
    return found
