"""MNIST training digits traced into pen strokes and drawn again: real writers' shapes, made
the way the app sees them.

Each picked digit is binarised, skeletonised and its skeleton walked into polylines (the centre
lines a mouse would have drawn); training.strokes.draw then draws them with a varied pen and the
game's own `preprocess` renders them. The model so learns the look of strokes drawn in the app
(even width, no MNIST pen pressure, broken or doubled skeleton lines) on thousands of real shapes
by real writers, instead of calling a sloppy drawn digit "not a digit".
"""

from typing import Any

import numpy as np

from game.cuts import path_length
from training import not_digits
from training.mixing import rendered
from training.strokes import Pen, Polylines, draw

DEFAULT_TRACED = 0.2
DEFAULT_PAIRS = 0.05
# Generator streams, independent of the drawn digits' and non-digits' (training.mixing).
TRACED_STREAM, PAIRS_STREAM = 2, 3
# Ink at or above this share of full intensity counts as stroke when binarising MNIST.
INK_THRESHOLD = 0.5
# Skeleton branches shorter than this (in MNIST pixels) are spurs of a thick stroke.
SPUR = 2.5


def traced_data(
    images: np.ndarray, labels: np.ndarray, share: float, seed: int
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(images uint8 (N, 28, 28), labels, card entry "traced") for `share` of `images`, picked
    at random with the seed, each traced and drawn once with its own pen."""
    count = int(round(share * len(images)))
    rng = np.random.default_rng([seed, TRACED_STREAM])
    picked = np.sort(rng.permutation(len(images))[:count])
    pen = Pen()
    drawings = [draw(skeleton_polylines(images[i]), rng, pen) for i in picked]
    traced, kept = rendered(drawings)
    info = {"share": share, "seed": [seed, TRACED_STREAM], "count": int(kept.sum())}
    return traced, np.asarray(labels)[picked][kept].astype(np.uint8), info


def traced_pairs(images: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, dict[str, Any]]:
    """(images uint8 (N, 28, 28), card entry "traced_pairs"): `share` of len(images) drawings of
    two MNIST training digits traced and written side by side, sometimes joined by the pen
    (`not_digits.side_by_side`), all "not a digit".

    A number's reader tries two neighbours as one candidate digit; the drawn shapes' pairs
    alone are too few and too tidy to teach that real writers' pairs (a joined "41", a "49")
    are not one 4 or one 8.
    """
    count = int(round(share * len(images)))
    rng = np.random.default_rng([seed, PAIRS_STREAM])
    pen = Pen()
    drawings = []
    for _ in range(count):
        left, right = (skeleton_polylines(images[rng.integers(len(images))]) for _ in range(2))
        drawings.append(draw(not_digits.side_by_side(left, right, rng), rng, pen))
    pairs, kept = rendered(drawings)
    info = {"share": share, "seed": [seed, PAIRS_STREAM], "count": int(kept.sum())}
    return pairs, info


def skeleton_polylines(image: np.ndarray) -> Polylines:
    """The centre lines of one MNIST digit as polylines of (x, y) points in its 28x28 frame.

    The skeleton's pixels are linked to their 8-connected neighbours (a diagonal link only where
    no right-angle path joins the two, so the graph has no tiny triangles), and the links are
    walked into as few polylines as a pen would need: start at line ends, go as straight as the
    skeleton allows at forks, and finish closed loops.
    """
    from skimage.morphology import skeletonize  # scikit-image is slow to import; only here

    array = np.asarray(image, dtype=np.float32)
    if array.max() > 1.0:
        array = array / 255.0
    skeleton = skeletonize(array >= INK_THRESHOLD)
    pixels = {(int(r), int(c)) for r, c in zip(*np.nonzero(skeleton), strict=True)}
    neighbours = {pixel: _linked(pixel, pixels) for pixel in pixels}
    unused = {frozenset((p, q)) for p, qs in neighbours.items() for q in qs}

    def free(pixel: tuple[int, int]) -> list[tuple[int, int]]:
        return [q for q in neighbours[pixel] if frozenset((pixel, q)) in unused]

    polylines: Polylines = []
    # Sorted so that the result does not depend on set order; strokes start top-left first.
    order = sorted(pixels)
    while unused:
        open_ends = [p for p in order if len(free(p)) % 2 == 1]
        start = open_ends[0] if open_ends else next(p for p in order if free(p))
        path = [start]
        heading = np.zeros(2)
        while options := free(path[-1]):
            here = np.array(path[-1])
            # Go as straight as possible at a fork, as a pen would.
            step = max(options, key=lambda q: float(np.dot(_unit(np.array(q) - here), heading)))
            unused.discard(frozenset((path[-1], step)))
            heading = _unit(np.array(step) - here)
            path.append(step)
        polylines.append(_smooth(np.array(path, dtype=np.float64)[:, ::-1] + 0.5))
    # Skeletons of thick strokes grow short spurs at corners and ends; a pen would not draw them.
    # A short piece on its own (the bar of some 5s) is kept.
    polylines = [
        p for i, p in enumerate(polylines) if path_length(p) >= SPUR or not _attached(i, polylines)
    ]
    if not polylines and pixels:
        # A digit whose skeleton is a single pixel: a dot (the app will call it nothing).
        polylines.append(np.array([order[0]], dtype=np.float64)[:, ::-1] + 0.5)
    return polylines


def _smooth(points: np.ndarray, passes: int = 2) -> np.ndarray:
    """The pixel staircase of a skeleton path rounded into a pen's line (ends kept)."""
    for _ in range(passes):
        if len(points) < 3:
            break
        inner = (points[:-2] + 2 * points[1:-1] + points[2:]) / 4
        points = np.vstack([points[:1], inner, points[-1:]])
    return points


def _attached(index: int, polylines: Polylines) -> bool:
    others = [p for i, p in enumerate(polylines) if i != index]
    if not others:
        return False
    ends = polylines[index][[0, -1]]
    rest = np.concatenate(others)
    return bool((np.hypot(*(ends[:, None] - rest[None]).transpose(2, 0, 1)) < 1.6).any())


def _linked(pixel: tuple[int, int], pixels: set[tuple[int, int]]) -> list[tuple[int, int]]:
    r, c = pixel
    linked = [(r + dr, c + dc) for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0))]
    linked = [q for q in linked if q in pixels]
    for dr, dc in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        corner = (r + dr, c + dc)
        if corner in pixels and (r + dr, c) not in pixels and (r, c + dc) not in pixels:
            linked.append(corner)
    return linked


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.hypot(*vector))
    return vector / norm if norm else vector
