"""The style test set: crossed zeros, flagged ones, barred sevens... drawn and preprocessed."""

import numpy as np
import pytest
from framing import centre_of_mass, ink_box

from benchmarks.style_digits import STYLES, style_strokes, style_test_set

PER_STYLE = 4


@pytest.fixture(scope="module")
def style_set() -> tuple[np.ndarray, np.ndarray, list[str]]:
    return style_test_set(seed=0, per_style=PER_STYLE)


def images_of(style_set, style: str) -> np.ndarray:
    images, _, names = style_set
    return images[[name == style for name in names]]


def test_every_style_is_drawn_the_asked_number_of_times_with_its_digit(style_set) -> None:
    images, labels, names = style_set
    assert images.shape == (len(STYLES) * PER_STYLE, 28, 28) and images.dtype == np.float32
    assert len(labels) == len(names) == len(images)
    for style, (digit, _) in STYLES.items():
        assert names.count(style) == PER_STYLE
        assert set(labels[[name == style for name in names]]) == {digit}
    assert set(labels) == {0, 1, 4, 7, 9}


def test_the_issue_s_styles_and_their_plain_forms_are_all_there() -> None:
    wanted = {
        "zero plain",
        "zero slashed",
        "one plain",
        "one long flag",
        "one flag+foot",
        "seven plain",
        "seven barred",
        "four open",
        "four closed",
        "nine straight",
        "nine curved",
    }
    assert wanted <= set(STYLES)


def test_same_seed_gives_the_same_set_and_another_seed_another(style_set) -> None:
    again = style_test_set(seed=0, per_style=PER_STYLE)
    other = style_test_set(seed=1, per_style=PER_STYLE)
    assert np.array_equal(again[0], style_set[0]) and again[2] == style_set[2]
    assert np.array_equal(other[1], style_set[1])
    assert not np.allclose(other[0], style_set[0], atol=0.05)


def test_drawings_vary_in_size_place_and_brush_on_the_canvas() -> None:
    sizes, places, widths = [], [], []
    for index in range(20):
        strokes = style_strokes("seven barred", np.random.default_rng(index))
        points = np.concatenate([s.points for s in strokes])
        sizes.append(np.ptp(points, axis=0).max())
        places.append(points.mean(axis=0))
        widths.append(strokes[0].width)
    assert max(sizes) > 2 * min(sizes)
    assert np.ptp(np.array(places), axis=0).min() > 50
    assert max(widths) > 2 * min(widths)


def test_images_are_framed_like_mnist(style_set) -> None:
    images = style_set[0]
    assert images.min() >= 0.0 and images.max() <= 1.0
    for image in images:
        assert 19 <= max(ink_box(image)) <= 21
        row, col = centre_of_mass(image)
        assert abs(row - 14) < 0.5 and abs(col - 14) < 0.5


def test_a_slashed_zero_has_ink_through_its_middle_and_a_plain_one_does_not(style_set) -> None:
    middle = np.s_[:, 12:16, 12:16]
    assert images_of(style_set, "zero slashed")[middle].mean(axis=(1, 2)).min() > 0.2
    assert images_of(style_set, "zero plain")[middle].mean(axis=(1, 2)).max() < 0.05


def test_flagged_ones_are_wider_than_plain_ones_and_the_foot_widens_the_bottom(style_set) -> None:
    def width(images: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        return np.array([ink_box(image[rows])[1] for image in images])

    plain = width(images_of(style_set, "one plain"))
    flag = width(images_of(style_set, "one long flag"))
    assert flag.mean() > plain.mean() + 2
    bottom = slice(18, 28)
    footed = width(images_of(style_set, "one flag+foot"), bottom)
    assert footed.min() > width(images_of(style_set, "one long flag"), bottom).max()


def widest_middle_row(image: np.ndarray) -> int:
    """Pixels of ink in the fullest row of the digit's middle (35% to 75% down its height)."""
    rows = np.flatnonzero(image.max(axis=1) > 0.5)
    top, height = rows[0], rows[-1] - rows[0]
    band = image[top + int(0.35 * height) : top + int(0.75 * height) + 1]
    return max(np.count_nonzero(row > 0.5) for row in band)


def test_a_barred_seven_has_a_bar_across_its_stem_and_a_plain_one_does_not(style_set) -> None:
    barred = [widest_middle_row(image) for image in images_of(style_set, "seven barred")]
    plain = [widest_middle_row(image) for image in images_of(style_set, "seven plain")]
    assert np.median(barred) >= np.median(plain) + 3
    assert min(barred) > np.median(plain)


def ink_runs(row: np.ndarray) -> int:
    """How many separate stretches of ink a pixel row crosses."""
    ink = row > 0.5
    return int(ink[0]) + int(np.count_nonzero(ink[1:] & ~ink[:-1]))


def test_a_closed_four_comes_to_a_point_at_the_top_and_an_open_one_has_two_arms(
    style_set,
) -> None:
    def top_runs(image: np.ndarray, below: int) -> int:
        first = int(np.flatnonzero(image.max(axis=1) > 0.5)[0])
        return ink_runs(image[first + below])

    assert all(top_runs(image, 1) == 1 for image in images_of(style_set, "four closed"))
    assert all(top_runs(image, 4) == 2 for image in images_of(style_set, "four open"))


def test_too_few_drawings_per_style_is_refused() -> None:
    with pytest.raises(ValueError, match="per_style must be at least 1"):
        style_test_set(per_style=0)
