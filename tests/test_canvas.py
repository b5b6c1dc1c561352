"""The canvas records strokes as point lists and shows them as smooth, gap-free ink."""

import time

import numpy as np
import pygame
import pytest

from game.canvas import Canvas
from game.preprocess import preprocess


@pytest.fixture(autouse=True)
def display():
    pygame.display.init()
    yield
    pygame.display.quit()


def draw(canvas: Canvas, points, width=16, erase=False) -> None:
    canvas.begin(points[0], width, erase)
    for point in points[1:]:
        canvas.extend(point)
    canvas.end()


def test_stroke_is_recorded_as_its_points():
    canvas = Canvas((300, 300))
    draw(canvas, [(10, 10), (50, 60), (90, 20)], width=12)
    (stroke,) = canvas.strokes
    assert stroke.points.tolist() == [[10, 10], [50, 60], [90, 20]]
    assert stroke.width == 12 and not stroke.erase


def test_fast_move_leaves_no_gap_between_far_apart_positions():
    canvas = Canvas((400, 400))
    # Two mouse positions 300 pixels apart, as a fast flick gives them.
    draw(canvas, [(50, 200), (350, 200)], width=10)
    assert all(canvas.ink_at((x, 200)) == 1.0 for x in range(50, 351))
    assert canvas.ink_at((200, 230)) == 0.0


def test_stroke_has_round_ends():
    canvas = Canvas((200, 200))
    draw(canvas, [(50, 100), (150, 100)], width=20)
    # Beyond the end point: ink along the axis, none at the corner of a square cap.
    assert canvas.ink_at((155, 100)) == 1.0
    assert canvas.ink_at((158, 108)) == 0.0


def test_edges_are_anti_aliased():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 100.3), (180, 100.3)], width=9)
    column = [canvas.ink_at((100, y)) for y in range(90, 111)]
    partial = [value for value in column if 0.0 < value < 1.0]
    assert partial, "no partly covered pixels at the stroke's edge"
    pixel = canvas.surface.get_at((100, 95))
    assert canvas.paper.tolist()[0] < pixel.r < canvas.ink.tolist()[0]


def test_eraser_removes_ink_and_is_recorded():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 100), (180, 100)], width=10)
    draw(canvas, [(100, 60), (100, 140)], width=30, erase=True)
    assert canvas.ink_at((100, 100)) == 0.0
    assert canvas.ink_at((40, 100)) == 1.0
    assert [s.erase for s in canvas.strokes] == [False, True]


def test_undo_removes_the_last_stroke_from_strokes_and_picture():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 50), (180, 50)])
    draw(canvas, [(20, 150), (180, 150)])
    assert canvas.undo()
    assert len(canvas.strokes) == 1
    assert canvas.ink_at((100, 150)) == 0.0 and canvas.ink_at((100, 50)) == 1.0
    assert canvas.undo() and canvas.is_empty
    assert not canvas.undo()


def test_clear_empties_canvas_and_changes_version():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 50), (180, 50)])
    version = canvas.version
    canvas.clear()
    assert canvas.is_empty and canvas.version != version
    assert canvas.ink_at((100, 50)) == 0.0


def test_pen_stays_on_the_paper():
    canvas = Canvas((100, 100))
    draw(canvas, [(50, 50), (400, -300)])
    points = canvas.strokes[0].points
    assert points.min() >= 0 and points.max() <= 99


def test_resize_scales_strokes_and_keeps_the_picture():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 100), (180, 100)], width=10)
    before = preprocess(canvas.strokes)
    canvas.resize((400, 400))
    assert canvas.strokes[0].points.tolist() == [[40, 200], [360, 200]]
    assert canvas.strokes[0].width == 20
    assert canvas.ink_at((300, 200)) == 1.0
    np.testing.assert_allclose(preprocess(canvas.strokes), before, atol=1e-4)


def test_stroke_in_progress_is_classifiable():
    canvas = Canvas((200, 200))
    canvas.begin((100, 20), 12)
    canvas.extend((100, 180))
    assert canvas.drawing and len(canvas.all_strokes()) == 1
    assert preprocess(canvas.all_strokes()) is not None


def test_wide_eraser_over_a_tiny_ink_spot_is_classified_quickly():
    # Found by the monkey test: at the scale of a tiny spot, a wide eraser is hundreds of
    # output pixels wide; it must neither exhaust memory nor stall the live prediction.
    canvas = Canvas((600, 600))
    draw(canvas, [(100, 100), (112, 104)], width=6)
    draw(canvas, [(x, 300 + 200 * np.sin(x / 40)) for x in range(0, 600, 3)], width=56, erase=True)
    start = time.perf_counter()
    image = preprocess(canvas.strokes)
    assert time.perf_counter() - start < 1.0
    assert image is not None and image.max() > 0.9


def test_undoable_clear_is_undone_and_a_plain_clear_forgets_it():
    canvas = Canvas((200, 200))
    draw(canvas, [(20, 50), (180, 50)])
    canvas.clear(undoable=True)
    canvas.resize((400, 400))
    assert canvas.undo()
    assert canvas.strokes[0].points.tolist() == [[40, 100], [360, 100]]
    assert canvas.ink_at((200, 100)) == 1.0
    canvas.clear(undoable=True)
    canvas.clear()
    assert not canvas.undo() and canvas.is_empty


@pytest.mark.parametrize("width", [6, 20, 56])
def test_a_stroke_leaving_the_canvas_stays_whole_on_it(width):
    """The pen stops at the border with all of its width on the paper, not cut in half."""
    canvas = Canvas((200, 200))
    draw(canvas, [(100, 100), (260, 100), (260, -40), (-30, 250)], width=width)
    (stroke,) = canvas.strokes
    radius = width / 2
    assert stroke.points.min() >= radius and stroke.points.max() <= 199 - radius
    assert (stroke.points[1] == [199 - radius, 100]).all()
