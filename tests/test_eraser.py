"""The eraser: the model sees exactly the ink the canvas shows, whatever the pen and eraser sizes.

Issue 16: a T drawn with a thin pen and its bar erased with a wide eraser showed `|` on the
canvas while the model still read two grey lines where the bar had been.
"""

import numpy as np
import pygame
import pytest

from game.canvas import Canvas
from game.preprocess import Stroke, preprocess


@pytest.fixture(autouse=True)
def display():
    pygame.display.init()
    yield
    pygame.display.quit()


def draw(canvas: Canvas, points, width: float, erase: bool = False) -> None:
    canvas.begin(points[0], width, erase)
    for point in points[1:]:
        canvas.extend(point)
    canvas.end()


def sweep(canvas: Canvas, left, top, right, bottom, width: float) -> None:
    """Erase a rectangle as a user would: back and forth, rows half an eraser apart."""
    rows = np.arange(top, bottom + width / 2, width / 2)
    points = []
    for index, y in enumerate(rows):
        ends = [(left, y), (right, y)]
        points += ends if index % 2 == 0 else ends[::-1]
    draw(canvas, points, width, erase=True)


def coverage(canvas: Canvas) -> np.ndarray:
    """The canvas as shown, rows by columns, ink in [0, 1]."""
    width, height = canvas.size
    return np.array([[canvas.ink_at((x, y)) for x in range(width)] for y in range(height)])


SIZES = [(pen, eraser) for pen in (4, 10, 34, 64) for eraser in (8, 20, 56)]


@pytest.mark.parametrize(("pen", "eraser"), SIZES, ids=[f"pen{p}-eraser{e}" for p, e in SIZES])
def test_erasing_the_bar_of_a_t_leaves_only_the_stem_in_the_model_input(pen, eraser):
    canvas = Canvas((400, 400))
    draw(canvas, [(200, 100), (200, 330)], pen)  # the stem
    draw(canvas, [(80, 100), (320, 100)], pen)  # the bar
    reach = pen / 2 + 2
    sweep(canvas, 80 - reach, 100 - reach, 320 + reach, 100 + reach, eraser)
    shown = coverage(canvas)
    # The canvas shows no bar: nothing but the stem's column has ink.
    columns = np.flatnonzero(shown.max(axis=0) > 0)
    assert columns.min() >= 200 - reach and columns.max() <= 200 + reach
    # The model sees what the canvas shows: the stem from where its ink now starts, alone.
    top = np.flatnonzero(shown[:, 200] > 0.5).min()
    stem_alone = preprocess([Stroke.from_points([(200, top), (200, 330)], pen)])
    image = preprocess(canvas.all_strokes())
    assert image is not None
    assert np.abs(image - stem_alone).max() < 0.15
    inked_columns = np.flatnonzero(image.max(axis=0) > 0.05)
    assert len(inked_columns) <= 4, "ink of the erased bar is left in the model input"


@pytest.mark.parametrize(("pen", "eraser"), SIZES, ids=[f"pen{p}-eraser{e}" for p, e in SIZES])
def test_erasing_everything_leaves_nothing_to_classify(pen, eraser):
    canvas = Canvas((400, 400))
    draw(canvas, [(200, 100), (200, 330)], pen)
    draw(canvas, [(80, 100), (320, 100)], pen)
    reach = pen / 2 + 2
    sweep(canvas, 80 - reach, 100 - reach, 320 + reach, 330 + reach, eraser)
    assert coverage(canvas).max() == 0.0
    assert preprocess(canvas.all_strokes()) is None


def test_ink_whose_centre_line_was_erased_is_gone_from_canvas_and_model_alike():
    # A narrow eraser along the middle of a fat stroke: the canvas does not keep two slivers
    # that the model would not see (or the other way round).
    canvas = Canvas((400, 400))
    draw(canvas, [(200, 60), (200, 340)], 64)
    draw(canvas, [(60, 200), (340, 200)], 10)
    draw(canvas, [(200, 40), (200, 360)], 12, erase=True)
    shown = coverage(canvas)
    assert shown[100, 170:231].max() == 0.0  # the fat stroke, away from the bar
    image = preprocess(canvas.all_strokes())
    # Left of the bar and right of it, cut where the eraser crossed it; nothing vertical.
    assert image is not None and len(np.flatnonzero(image.max(axis=1) > 0.05)) <= 4


def test_ink_drawn_after_the_eraser_is_not_erased():
    canvas = Canvas((300, 300))
    draw(canvas, [(150, 20), (150, 280)], 60, erase=True)
    draw(canvas, [(150, 40), (150, 260)], 10)
    assert canvas.ink_at((150, 150)) == 1.0
    assert preprocess(canvas.all_strokes()) is not None


def test_undoing_the_eraser_brings_the_ink_back_on_canvas_and_in_the_model_input():
    canvas = Canvas((400, 400))
    draw(canvas, [(200, 100), (200, 330)], 10)
    draw(canvas, [(80, 100), (320, 100)], 10)
    before = preprocess(canvas.all_strokes())
    sweep(canvas, 70, 90, 330, 110, 56)
    assert canvas.ink_at((100, 100)) == 0.0
    canvas.undo()
    assert canvas.ink_at((100, 100)) == 1.0
    np.testing.assert_array_equal(preprocess(canvas.all_strokes()), before)
