"""Why the reader read what it read: ask the model many small questions about one drawing.

    from game.reader import Reader
    reader = Reader.load()
    why = reader.explain(strokes)        # or reader.explain(strokes, digit=1): "why not a 1?"
    why.strokes[0].effect                # > 0: the stroke speaks for the explained answer
    why.heat                             # 28x28: where covering ink lowers (> 0) or raises it
    why.sentence                         # "" unless a removal gives a sure other reading

Stroke importance: each ink stroke is removed in turn, and each part of a long stroke (cut into
pieces of equal length), and the drawing without it is read again through the same
preprocessing, so the model sees what it would see had the user never drawn it. The effect of a
piece is the explained class's probability with it minus without it: positive speaks for,
negative speaks against. The occlusion map covers small patches of the 28x28 input with paper
and records how the probability drops. Every variant goes to the model in one batch.

The explained class is a digit, or "not a digit" (`NOT_A_DIGIT`) for a drawing the reader
rejected; probabilities come from the reader's `Answer`s, so ten- and eleven-output models work
alike. Pure numpy, no pygame, deterministic: the same strokes give the same explanation.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from game.contract import IMAGE_SIZE
from game.preprocess import Stroke, preprocess
from game.reader import NOT_A_DIGIT, SURE, Answer, as_strokes, nothing_drawn

if TYPE_CHECKING:
    from game.reader import Drawing, Reader

# A stroke at least this long (in units of the drawing's larger side) is also cut into parts,
# each about PART_LENGTH long, at most MAX_PARTS of them.
LONG_STROKE = 0.9
PART_LENGTH = 0.6
MAX_PARTS = 4
# A piece whose removal moves the probability by less than this says nothing either way.
NOTABLE = 0.05
# The occlusion patch (input pixels) and how far it moves between looks: side by side while
# following the pen (each look costs a model input), overlapping where there is time.
PATCH = 6
STRIDE = 4
FINE_STRIDE = 2


@dataclass(frozen=True)
class Piece:
    """A stroke, or part of one, and what the reading is without it."""

    stroke: int  # index in the drawing's strokes
    points: np.ndarray = field(repr=False)  # (n, 2) its centre line, in the drawing's pixels
    width: float
    whole: bool  # the whole stroke, or one part of a long one
    effect: float  # explained probability with the piece minus without it
    without: Answer = field(repr=False)

    @property
    def length(self) -> float:
        return float(_along(self.points)[-1])

    @property
    def speaks_for(self) -> bool:
        return self.effect >= NOTABLE

    @property
    def speaks_against(self) -> bool:
        return self.effect <= -NOTABLE


@dataclass(frozen=True)
class Explanation:
    """What spoke for and against one class (a digit, or NOT_A_DIGIT) in one drawing."""

    target: int | None  # 0-9, NOT_A_DIGIT, or None when nothing was drawn
    answer: Answer  # the reading of the whole drawing
    probability: float  # of the target, for the whole drawing
    strokes: tuple[Piece, ...] = ()
    parts: tuple[Piece, ...] = ()
    heat: np.ndarray | None = field(default=None, repr=False)  # (28, 28), see module doc
    deciding: Piece | None = None  # the piece the sentence is about
    sentence: str = ""

    @property
    def pieces(self) -> tuple[Piece, ...]:
        return self.strokes + self.parts

    @property
    def most_important(self) -> Piece | None:
        """The whole stroke that speaks most for the target (None: none speaks for it)."""
        best = max(self.strokes, key=lambda piece: piece.effect, default=None)
        return best if best is not None and best.effect > 0 else None


def explain(
    reader: "Reader", strokes: "Drawing", digit: int | None = None, occlude: bool = True
) -> Explanation:
    """Why `reader` reads `strokes` as it does; with `digit`, what speaks for and against that
    digit instead. One call of the model for every question asked."""
    strokes = as_strokes(strokes)
    image = preprocess(strokes)
    if image is None:
        return Explanation(None, nothing_drawn(), 0.0)
    cuts = _cuts(strokes)
    variants = [preprocess(_without(strokes, cut)) for cut in cuts]
    holes = occlusions(image, STRIDE) if occlude else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE))
    answers = _read(reader, [image, *variants, *holes])
    answer = answers[0]
    target = _target(answer, digit)
    probability = probability_of(answer, target)
    pieces = [
        Piece(c.stroke, c.points, c.width, c.whole, probability - probability_of(a, target), a)
        for c, a in zip(cuts, answers[1 : 1 + len(cuts)], strict=True)
    ]
    heat = None
    if occlude:
        drops = [probability - probability_of(a, target) for a in answers[1 + len(cuts) :]]
        heat = heat_map(image, np.asarray(drops, dtype=np.float32), STRIDE)
    deciding, sentence = _why(answer, target, pieces)
    whole = tuple(p for p in pieces if p.whole)
    parts = tuple(p for p in pieces if not p.whole)
    return Explanation(target, answer, probability, whole, parts, heat, deciding, sentence)


def explain_image(
    reader: "Reader", image: np.ndarray, digit: int | None = None, stride: int = FINE_STRIDE
) -> Explanation:
    """The occlusion map alone, for a ready 28x28 input (floats 0-1; the history's uint8 images
    are scaled): what is explainable when the strokes are gone."""
    image = np.asarray(image, dtype=np.float32)
    if image.max() > 1.0:
        image = image / 255.0
    answers = _read(reader, [image, *occlusions(image, stride)])
    target = _target(answers[0], digit)
    probability = probability_of(answers[0], target)
    drops = np.asarray([probability - probability_of(a, target) for a in answers[1:]], np.float32)
    return Explanation(target, answers[0], probability, heat=heat_map(image, drops, stride))


def probability_of(answer: Answer, target: int | None) -> float:
    """The reader's probability of a digit, or of "not a digit"; an empty drawing is no digit."""
    if target is None:
        return 0.0
    if not answer.drawn:
        return 1.0 if target == NOT_A_DIGIT else 0.0
    if target == NOT_A_DIGIT:
        return float(answer.not_a_digit)
    return float(answer.probabilities[target])


# The occlusion map ------------------------------------------------------------------------------


def _patches(image: np.ndarray, stride: int) -> list[tuple[int, int]]:
    """Top-left corners of the patches that cover some ink (covering paper changes nothing)."""
    last = IMAGE_SIZE - PATCH
    starts = sorted({*range(0, last + 1, stride), last})
    return [
        (row, col)
        for row in starts
        for col in starts
        if image[row : row + PATCH, col : col + PATCH].any()
    ]


def occlusions(image: np.ndarray, stride: int = STRIDE) -> np.ndarray:
    """The image once per inked patch, that patch painted over with paper: (N, 28, 28)."""
    corners = _patches(image, stride)
    covered = np.repeat(image[np.newaxis], len(corners), axis=0)
    for index, (row, col) in enumerate(corners):
        covered[index, row : row + PATCH, col : col + PATCH] = 0.0
    return covered


def heat_map(image: np.ndarray, drops: np.ndarray, stride: int = STRIDE) -> np.ndarray:
    """Per pixel, the mean drop in probability over the patches covering it (one drop per
    patch of `occlusions(image)`, in its order); pixels without ink are 0."""
    total = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
    count = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
    for (row, col), drop in zip(_patches(image, stride), drops, strict=True):
        total[row : row + PATCH, col : col + PATCH] += drop
        count[row : row + PATCH, col : col + PATCH] += 1
    heat = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    return np.where(image > 0, heat, 0.0).astype(np.float32)


# Strokes and their parts -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Cut:
    stroke: int
    start: float  # arc length along the stroke where the piece begins
    end: float
    points: np.ndarray
    width: float
    whole: bool


def _cuts(strokes: Sequence[Stroke]) -> list[_Cut]:
    """Every ink stroke, then the parts of the long ones, in drawing order."""
    ink = [s.points for s in strokes if not s.erase and len(s.points)]
    extent = float(np.ptp(np.concatenate(ink), axis=0).max()) if ink else 0.0
    wholes, parts = [], []
    for index, stroke in enumerate(strokes):
        if stroke.erase or not len(stroke.points):
            continue
        along = _along(stroke.points)
        length = float(along[-1])
        wholes.append(_Cut(index, 0.0, length, stroke.points, stroke.width, True))
        if extent <= 0 or length < LONG_STROKE * extent:
            continue
        count = int(min(MAX_PARTS, max(2, round(length / (PART_LENGTH * extent)))))
        edges = np.linspace(0.0, length, count + 1)
        for start, end in zip(edges[:-1], edges[1:], strict=True):
            points = _between(stroke.points, along, start, end)
            parts.append(_Cut(index, float(start), float(end), points, stroke.width, False))
    return wholes + parts


def _without(strokes: Sequence[Stroke], cut: _Cut) -> list[Stroke]:
    """The drawing with the piece lifted off: what is left of its stroke stays, in two parts."""
    kept = list(strokes[: cut.stroke])
    if not cut.whole:
        stroke = strokes[cut.stroke]
        along = _along(stroke.points)
        for start, end in ((0.0, cut.start), (cut.end, float(along[-1]))):
            if end - start > 1e-9:
                kept.append(Stroke(_between(stroke.points, along, start, end), stroke.width))
    return kept + list(strokes[cut.stroke + 1 :])


def _along(points: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])


def _between(points: np.ndarray, along: np.ndarray, start: float, end: float) -> np.ndarray:
    """The polyline from arc length `start` to `end`, its ends interpolated."""

    def at(position: float) -> np.ndarray:
        return np.array([np.interp(position, along, points[:, k]) for k in (0, 1)])

    inside = points[(along > start) & (along < end)]
    return np.vstack([at(start), inside, at(end)])


# Reading and telling ---------------------------------------------------------------------------


def _read(reader: "Reader", images: list[np.ndarray | None]) -> list[Answer]:
    """Answers for the images (None: nothing to read) with one call of the model."""
    drawn = [image for image in images if image is not None]
    answers = iter(reader.read_images(np.stack(drawn)) if drawn else [])
    return [nothing_drawn() if image is None else next(answers) for image in images]


def _target(answer: Answer, digit: int | None) -> int:
    if digit is not None:
        if not 0 <= int(digit) < NOT_A_DIGIT:
            raise ValueError(f"A digit to explain is 0 to 9, not {digit}.")
        return int(digit)
    return NOT_A_DIGIT if answer.digit is None else answer.digit


def _why(answer: Answer, target: int, pieces: list[Piece]) -> tuple[Piece | None, str]:
    """The least ink whose removal surely changes the reading in the explained way, and a
    sentence that says only what the model was seen to do."""
    if target == answer.digit or (target == NOT_A_DIGIT and answer.digit is None):
        # The answer itself: a piece without which the reader surely reads something else.
        found = [p for p in pieces if p.without.drawn and p.without.digit != answer.digit]
    else:
        # Another digit: a piece without which the reader surely reads that digit.
        found = [p for p in pieces if p.without.digit == target]
    sure = [p for p in found if p.without.confidence >= SURE and p.effect != 0]
    # The shortest such piece: removing a whole stem that leaves a lone bar changes the reading
    # too, but the bar is what turns a 1 into a 7.
    deciding = min(sure, key=lambda p: (p.length, -abs(p.effect)), default=None)
    if deciding is None:
        return None, ""
    marked = "stroke" if deciding.whole else "part"
    read = deciding.without.digit
    if read is None:
        return deciding, f"Without the marked {marked} it is no digit."
    return deciding, f"Without the marked {marked} it reads {read}."
