"""Reader.explain (game.explain): which strokes decided the reading, where the model looked."""

import numpy as np
import pytest
from test_reader import Fixed

from game.explain import NOT_A_DIGIT, explain_image
from game.reader import Reader

BAR = [(120, 80), (300, 80)]
STEM = [(300, 80), (180, 340)]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


def test_the_bar_of_a_seven_is_what_decides_it(reader: Reader) -> None:
    why = reader.explain([STEM, BAR])
    assert why.answer.digit == 7 and why.target == 7
    bar = why.strokes[1]
    assert bar.stroke == 1 and bar.whole and bar.speaks_for
    assert bar.without.digit == 1  # the stem alone is a 1
    assert why.deciding is bar
    assert why.sentence == "Without the marked stroke it reads 1."


def test_a_seven_in_one_stroke_names_the_part_that_decides_it(reader: Reader) -> None:
    why = reader.explain([[*BAR, STEM[1]]])
    assert why.answer.digit == 7
    assert why.deciding is not None and not why.deciding.whole
    # The deciding part is the bar: it lies along the top of the drawing.
    assert np.ptp(why.deciding.points[:, 1]) < 0.2 * np.ptp(why.deciding.points[:, 0])


def test_why_not_a_one_marks_the_bar_against_it(reader: Reader) -> None:
    why = reader.explain([STEM, BAR], digit=1)
    assert why.target == 1
    assert why.strokes[1].speaks_against and why.strokes[1].without.digit == 1
    assert why.sentence == "Without the marked stroke it reads 1."


def test_explanations_are_deterministic(reader: Reader) -> None:
    first, second = reader.explain([STEM, BAR]), reader.explain([STEM, BAR])
    assert [p.effect for p in first.pieces] == [p.effect for p in second.pieces]
    assert np.array_equal(first.heat, second.heat)
    assert first.sentence == second.sentence


def test_the_occlusion_map_lies_on_the_ink(reader: Reader) -> None:
    why = reader.explain([STEM, BAR])
    image = why.answer.image
    assert why.heat.shape == (28, 28)
    assert np.all(why.heat[image == 0] == 0)
    assert np.abs(why.heat).max() > 0


def test_nothing_drawn_explains_nothing(reader: Reader) -> None:
    why = reader.explain([])
    assert why.target is None and why.pieces == () and why.heat is None and why.sentence == ""


def test_a_not_a_digit_answer_explains_not_a_digit() -> None:
    # A ten-output model unsure of everything: every drawing is "not a digit".
    reader = Reader(Fixed(*[0.1] * 10))
    why = reader.explain([STEM, BAR])
    assert why.answer.digit is None and why.target == NOT_A_DIGIT
    assert why.probability == pytest.approx(0.9)
    # Nothing changes the reading: no stroke speaks either way, and no sentence is made up.
    assert not any(p.speaks_for or p.speaks_against for p in why.pieces)
    assert why.sentence == ""


def test_an_eleven_output_model_explains_through_its_answers() -> None:
    reader = Reader(Fixed(*[0.01] * 10, 0.9))
    why = reader.explain([STEM, BAR], digit=3)
    assert why.target == 3 and why.probability == pytest.approx(0.01, abs=1e-3)


def test_a_saved_image_is_explained_by_its_occlusion_map(reader: Reader) -> None:
    image = reader.read([STEM, BAR]).image
    why = explain_image(reader, np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8), digit=7)
    assert why.answer.digit == 7 and why.heat.shape == (28, 28) and why.pieces == ()


def test_a_digit_out_of_range_is_refused(reader: Reader) -> None:
    with pytest.raises(ValueError, match="0 to 9"):
        reader.explain([STEM, BAR], digit=10)
