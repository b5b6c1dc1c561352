"""The preprocessing properties DESIGN.md section 3 promises."""

import numpy as np
import pytest
from framing import centre_of_mass, ink_box

from game.preprocess import Stroke, preprocess


def seven(left: float, top: float, size: float, width: float = 12.0) -> list[Stroke]:
    """A 7 drawn as one stroke: the bar, then the stem, with mouse-like spacing of points."""
    corner = np.array([left + 0.6 * size, top])
    bar = np.linspace([left, top], corner, 20)
    stem = np.linspace(corner, [left + 0.2 * size, top + size], 40)
    return [Stroke.from_points(np.vstack([bar, stem]), width)]


def zero(centre_x: float, centre_y: float, size: float, width: float = 12.0) -> list[Stroke]:
    angle = np.linspace(0, 2 * np.pi, 80)
    points = np.column_stack(
        [centre_x + 0.35 * size * np.cos(angle), centre_y + 0.5 * size * np.sin(angle)]
    )
    return [Stroke.from_points(points, width)]


def test_output_is_a_28x28_float_image_of_ink_in_0_to_1() -> None:
    image = preprocess(seven(100, 100, 300))
    assert image.shape == (28, 28)
    assert image.dtype == np.float32
    assert image.min() == 0.0 and image.max() == 1.0


def test_digit_drawn_small_in_a_corner_matches_one_drawn_large_in_the_middle() -> None:
    corner = preprocess(seven(5, 8, 40, width=4))
    middle = preprocess(seven(150, 100, 380, width=30))
    assert np.abs(corner - middle).max() < 0.05


def test_brush_width_does_not_change_the_stroke_thickness() -> None:
    thin = preprocess(zero(200, 200, 300, width=2))
    thick = preprocess(zero(200, 200, 300, width=60))
    assert np.array_equal(thin, thick)


def test_longer_side_spans_20_pixels_like_mnist() -> None:
    tall = ink_box(preprocess(zero(200, 200, 300)))
    wide = ink_box(preprocess([Stroke.from_points([(10, 50), (400, 60)])]))
    assert 19 <= max(tall) <= 21
    assert tall[0] > tall[1]
    assert 19 <= wide[1] <= 21


def test_centre_of_mass_is_at_the_centre_of_the_frame() -> None:
    # A lopsided digit: the bounding box centre and the centre of mass differ.
    strokes = seven(30, 30, 200) + [Stroke.from_points([(60, 130), (140, 130)])]
    row, col = centre_of_mass(preprocess(strokes))
    assert abs(row - 14) < 0.1 and abs(col - 14) < 0.1


def test_stroke_is_two_to_three_pixels_thick() -> None:
    image = preprocess([Stroke.from_points([(100, 0), (100, 500)])])
    middle_row = image[14]
    assert 2 <= np.count_nonzero(middle_row > 0.5) <= 3
    assert 2.5 <= middle_row.sum() <= 3.5


@pytest.mark.parametrize(
    "strokes",
    [
        [],
        [Stroke.from_points([(50, 50)])],
        [Stroke.from_points([(50, 50), (52, 51), (53, 49)])],
        [Stroke.from_points([], 10)],
    ],
    ids=["empty canvas", "click", "tiny scribble", "stroke without points"],
)
def test_nothing_to_classify_gives_none(strokes: list[Stroke]) -> None:
    assert preprocess(strokes) is None


def test_fully_erased_digit_gives_none() -> None:
    eraser = Stroke.from_points(np.linspace([0, 0], [400, 400], 50), width=800, erase=True)
    assert preprocess(seven(100, 100, 200) + [eraser]) is None


def test_erasing_the_bar_of_a_seven_leaves_a_stroke_normalised_anew() -> None:
    strokes = seven(100, 100, 200)
    eraser = Stroke.from_points([(90, 100), (230, 100)], width=30, erase=True)
    erased = preprocess(strokes + [eraser])
    assert erased is not None
    assert not np.allclose(erased, preprocess(strokes))
    # What is left (the stem) is rescaled to MNIST's 20 pixels, not left at its old size.
    assert 19 <= max(ink_box(erased)) <= 21
