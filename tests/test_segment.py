"""Reading a whole number written in one go (game.segment through Reader.read_number)."""

import numpy as np
import pytest

from game.cuts import cut_parts
from game.reader import Answer, Reader
from game.segment import read_number

ONE = [(60, 100), (62, 300)]
SEVEN_BARRED = [[(40, 100), (160, 100), (80, 300)], [(60, 200), (140, 200)]]
FOUR = [[(300, 100), (240, 240), (380, 240)], [(340, 160), (340, 300)]]


def ring(centre_x: float) -> list[tuple[float, float]]:
    """A zero 200 tall, 120 wide, started at the top and drawn round once with an overlap."""
    angles = np.linspace(-1.6, -1.6 + 2 * np.pi + 0.2, 40)
    return [(centre_x + 60 * np.cos(t), 200 + 100 * np.sin(t)) for t in angles]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@pytest.fixture(scope="module")
def judging_reader(reader: Reader) -> Reader:
    """The reader, when its model has the "not a digit" output that judges the pieces a cut
    leaves (a ten-output model reads every fragment as some digit)."""
    if reader.calibrated(np.zeros((1, 28, 28), np.float32)).shape[1] <= 10:
        pytest.skip("the shipped model has no 'not a digit' output yet")
    return reader


def test_two_digits_far_apart_are_two_digits(reader):
    number = reader.read_number([ONE, ring(300)])
    assert number.text == "10"
    assert [d.strokes for d in number.digits] == [(0,), (1,)]
    assert number.confidence == pytest.approx(np.prod([d.confidence for d in number.digits]))
    assert number.digits[0].box[2] < number.digits[1].box[0]


def test_a_barred_seven_and_a_two_stroke_four_stay_one_digit_each(reader):
    number = reader.read_number(SEVEN_BARRED + FOUR)
    assert number.text == "74"
    assert [d.strokes for d in number.digits] == [(0, 1), (2, 3)]


def test_two_digits_that_touch_are_split(reader):
    # The one's line runs along the zero's left edge: their ink touches.
    number = reader.read_number([[(100, 100), (102, 300)], ring(160)])
    assert number.text == "10"


def test_an_empty_canvas_is_no_number(reader):
    number = reader.read_number([])
    assert (number.text, number.digits, number.found, number.confidence) == ("", (), False, 0.0)


def test_a_scribble_is_no_number(judging_reader):
    reader = judging_reader
    # A random walk the single-digit reader calls "not a digit": cutting it up must not turn
    # it into digits.
    scribble = [np.cumsum(np.random.default_rng(27).normal(0, 25, (40, 2)), axis=0) + 200]
    assert reader.read(scribble).digit is None
    number = reader.read_number(scribble)
    assert number.text == ""
    assert not number.found


def test_a_piece_that_is_not_a_digit_is_a_question_mark_and_the_number_has_no_confidence():
    def read_many(drawings):
        # Ink left of x=200 is a sure 1; anything else is not a digit.
        answers = []
        for strokes in drawings:
            right = max(float(s.points[:, 0].max()) for s in strokes)
            probabilities = np.full(10, 0.01, np.float32)
            if right < 200:
                probabilities[1] = 0.91
                answers.append(Answer(1, 0.91, probabilities, 0.09, np.zeros((28, 28))))
            else:
                answers.append(Answer(None, 0.9, probabilities, 0.9, np.zeros((28, 28))))
        return answers

    number = read_number(read_many, [ONE, ring(400)])
    assert number.text == "1?"
    assert number.found
    assert number.confidence == 0.0


def test_a_pair_written_in_one_stroke_is_split_into_two_digits(judging_reader):
    reader = judging_reader
    # "10" without lifting the pen: down the one, straight up to the zero's top, round it.
    joined = [[(60, 100), (62, 300), *ring(200)]]
    assert reader.read(joined).digit is None  # as one digit it is nothing
    number = reader.read_number(joined)
    assert number.text == "10"
    assert [d.strokes for d in number.digits] == [(0,), (0,)]
    assert number.digits[0].box[2] < number.digits[1].box[2]


def test_a_pair_joined_by_a_straight_line_without_a_corner_is_split(judging_reader):
    reader = judging_reader
    # "10" in one go: down the one, then a straight line up to the zero's top, meeting it at
    # a gentle bend (no sharp corner there), and round the zero.
    joined = [[(60, 100), (62, 300), *ring(240)]]
    number = reader.read_number(joined)
    assert number.text == "10"
    # The connecting line is no digit's ink: the zero's box starts right of the one.
    assert number.digits[1].box[0] > number.digits[0].box[2]


def test_a_short_last_stroke_that_runs_on_into_the_next_digit_is_cut_off(judging_reader):
    reader = judging_reader
    # A footed one: its stem, then its foot drawn left to right, and the pen runs straight on
    # up to the top of the zero. The foot is short, but the line after it is still no
    # digit's ink (this read "42" while a line needed half a digit of stroke before it).
    footed_one_then_zero = [[(60, 100), (62, 300)], [(30, 300), (90, 300), *ring(260)]]
    number = reader.read_number(footed_one_then_zero)
    assert number.text == "10"
    assert number.digits[1].box[0] > number.digits[0].box[2]


def test_a_steep_line_up_to_the_next_digit_is_cut_off(judging_reader):
    reader = judging_reader
    # A two whose base runs on steeply up to the top of a four (drawn down, across, then
    # its stem): the line rises a digit's height over a sixth of one. It read "214".
    top = [(105 - 55 * np.cos(a), 150 - 50 * np.sin(a)) for a in np.linspace(0, np.pi, 10)]
    two_then_four = [top + [(60, 300), (150, 300), (190, 100), (170, 230), (260, 230)]]
    number = reader.read_number(two_then_four + [[(230, 160), (232, 300)]])
    assert number.text == "24"


def test_a_sevens_tick_and_bar_are_not_a_line_between_two_digits():
    # A short tick up, the bar, then the stem: one digit's top, though it looks like a short
    # last stroke running on into the next digit. Only that one touches other ink.
    ticked_seven = np.array([(140, 130), (145, 100), (285, 100), (170, 300)], float)
    one_beside = np.array([(60, 100), (62, 200), (64, 300)], float)
    assert not any(link for _, link in cut_parts(ticked_seven, 200.0, [one_beside]))


def test_a_digit_written_larger_than_its_neighbours_stays_one_digit(reader):
    # A five half as tall again as the ones beside it, its flag drawn apart from its body:
    # wider than the ones' height by a third, it was read as two digits ("1551").
    body = [(156 + 144 * np.cos(a), 324 + 96 * np.sin(a)) for a in np.linspace(-0.52, 1.57, 10)]
    stem_and_belly = [(166, 100), (156, 228), *body, (140, 404)]
    flag = [(252, 100), (412, 106)]
    number = reader.read_number([ONE, stem_and_belly, flag, [(540, 100), (542, 300)]])
    assert number.text == "151"


def wide_zero(left: float) -> list[tuple[float, float]]:
    """A zero 150 wide and 120 tall in one stroke, drawn round from the top the usual way, with
    the long flat bottom some people give it (it runs right like a line joining two digits)."""
    quarter = np.linspace(0, np.pi / 2, 8)
    down_left = [(left + 75 * (1 - np.sin(t)), 140 + 60 * (1 - np.cos(t))) for t in quarter]
    into_bottom = [(left + 22 * (1 - np.cos(t)), 200 + 60 * np.sin(t)) for t in quarter[1:]]
    up_right = [(left + 128 + 22 * np.sin(t), 260 - 60 * (1 - np.cos(t))) for t in quarter]
    back_to_top = [(left + 150 - 75 * (1 - np.cos(t)), 200 - 60 * np.sin(t)) for t in quarter[1:]]
    return down_left + into_bottom + up_right + back_to_top


def test_a_wide_zero_drawn_in_one_stroke_stays_one_digit(reader):
    # Its flat bottom once read as a line joining a 6 and a 7 ("167").
    assert reader.read_number([wide_zero(40)]).text == "0"
    assert reader.read_number([[(250, 140), (252, 260)], wide_zero(300)]).text == "10"


def test_two_digits_read_as_one_candidate_are_not_a_digit(judging_reader):
    # The search tries neighbouring digits together as one candidate; the model must not read
    # such a pair as one digit with confidence. Another seed and pen than training's pairs.
    from training import not_digits
    from training.strokes import Pen, draw

    pen = Pen(width=(4.0, 24.0), slant=(-0.2, 0.4))
    pairs = [
        draw(not_digits.digit_pair(np.random.default_rng([99, i])), np.random.default_rng(i), pen)
        for i in range(60)
    ]
    answers = judging_reader.read_many(pairs)
    sure_digits = [a for a in answers if a.digit is not None and a.confidence >= 0.9]
    assert len(sure_digits) <= 3


def test_a_sevens_cross_bar_that_runs_on_into_the_next_digit_leaves_two_digits(judging_reader):
    # The bar crosses the 7's stem and the pen runs on into a 2: the 7 and that stroke overlap,
    # so they were one group; the strokes written first lie left of the rest ("?6" before).
    seven = [(75, 338), (202, 335), (98, 502)]
    bar_into_two = [(132, 392), (205, 390), (250, 365), (295, 340), (328, 340), (360, 355)]
    bar_into_two += [(345, 402), (292, 450), (245, 500), (298, 505), (368, 502)]
    number = judging_reader.read_number([seven, bar_into_two])
    assert number.text == "72"
    assert [d.strokes for d in number.digits] == [(0,), (1,)]


def test_the_pens_turn_between_two_straight_lines_is_not_a_digit(judging_reader):
    # A 2, then up to the top of a 7 in the same stroke, turning round into the 7's bar: the
    # short turn between the two straight stretches was read as a 1 of its own ("217").
    two = [(45, 180), (75, 150), (120, 147), (150, 172), (142, 210), (90, 262), (52, 315)]
    two += [(105, 315), (158, 315)]
    turn = [(202, 177), (213, 160), (225, 151), (237, 150)]
    seven = [(300, 150), (360, 153), (322, 225), (292, 315)]
    number = judging_reader.read_number([two + turn + seven])
    assert number.text == "27"


def test_a_seven_reached_along_a_joining_line_keeps_its_bar(judging_reader):
    # A 1, then up to the 7 and along its bar without lifting the pen: the bar is straight and
    # runs right, like the line before it, and the 7's stem alone reads as a 1 ("11" before).
    one = [(90, 142), (93, 315)]
    seven = [(225, 150), (285, 150), (345, 150), (308, 232), (270, 315)]
    number = judging_reader.read_number([one + seven])
    assert number.text == "17"


def test_two_narrow_digits_written_close_in_one_go_are_cut(judging_reader):
    # A 1 and a narrow 7 in one stroke, half a digit height wide together (no number before).
    number = judging_reader.read_number(
        [[(100, 100), (102, 300), (130, 110), (200, 110), (160, 300)]]
    )
    assert number.text == "17"


def test_two_digits_in_one_stroke_narrower_than_half_a_height_are_cut(judging_reader):
    # A 1, then up into a narrow 9 without lifting the pen: under half a digit height wide,
    # but the pen travels further than one digit's (no number before).
    one_into_nine = [(90, 100), (85, 200), (80, 300), (160, 190), (135, 185), (115, 165)]
    one_into_nine += [(120, 135), (140, 115), (165, 115), (180, 135), (175, 200), (172, 310)]
    number = judging_reader.read_number([one_into_nine])
    assert number.text == "19"


def test_a_line_straight_up_to_the_next_digit_is_not_a_one(judging_reader):
    # A 2, then from the end of its base straight up to the top of a 3 without lifting the
    # pen: the line barely moves right, and it read as a 1 of its own ("213" before).
    two = [(45, 180), (75, 150), (120, 147), (150, 172), (142, 210), (90, 262), (52, 315)]
    two += [(105, 315), (158, 315)]
    three = [(165, 150), (215, 147), (245, 170), (215, 225), (250, 260), (240, 305), (190, 315)]
    number = judging_reader.read_number([two + three])
    assert number.text == "23"


def test_a_tap_of_the_pen_beside_a_joining_line_does_not_make_the_line_a_digit(judging_reader):
    # A 9 joined to a 2 by a line up from its stem, and a tap of the pen under the line: the
    # tap joined the line's group, which could then not be left out and read as a 1 ("912").
    nine = [(120, 150), (80, 140), (60, 175), (85, 205), (125, 195), (130, 150), (128, 230)]
    two = [(200, 150), (240, 140), (275, 160), (265, 200), (215, 260), (190, 310), (290, 310)]
    tap = [(168, 300), (174, 296)]
    number = judging_reader.read_number([[*nine, (120, 310), *two], tap])
    assert number.text == "92"
