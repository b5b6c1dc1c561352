"""The stroke generators of the training data: seeded, shaped as real writers draw, and the
non-digits never a digit; and a seed-style 10-output model still works."""

from pathlib import Path

import numpy as np
import pytest

from game.contract import NOT_A_DIGIT, ModelContractError, check_shapes
from game.preprocess import preprocess
from training import calibrate, drawn_digits, mixing, not_digits, traced


def points(drawing: list) -> list[np.ndarray]:
    return [stroke.points for stroke in drawing]


def test_generators_are_seeded_and_deterministic() -> None:
    first, labels, names = drawn_digits.drawings(30, seed=4)
    again, labels_again, names_again = drawn_digits.drawings(30, seed=4)
    other, _, _ = drawn_digits.drawings(30, seed=5)
    assert names == names_again and np.array_equal(labels, labels_again)
    for a, b in zip(first, again, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(points(a), points(b), strict=True))
    assert any(points(a)[0].shape != points(b)[0].shape for a, b in zip(first, other, strict=True))
    negatives, kinds = not_digits.drawings(30, seed=4)
    negatives_again, kinds_again = not_digits.drawings(30, seed=4)
    assert kinds == kinds_again
    for a, b in zip(negatives, negatives_again, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(points(a), points(b), strict=True))


def slashed_zeros(count: int) -> list[list[np.ndarray]]:
    return [
        points(drawn_digits.drawing("zero slashed", np.random.default_rng([7, i])))
        for i in range(count)
    ]


def test_slashed_zero_is_a_narrow_oval_with_a_long_steep_slash_sticking_out() -> None:
    aspects, above, below, steepness = [], [], [], []
    for strokes in slashed_zeros(60):
        # The slash is the stroke with two ends far apart; the oval closes on itself.
        gaps = [np.hypot(*(s[-1] - s[0])) / np.ptp(s, axis=0).max() for s in strokes]
        oval, slash = strokes[int(np.argmin(gaps))], strokes[int(np.argmax(gaps))]
        width, height = np.ptp(oval, axis=0)
        aspects.append(width / height)
        above.append((oval[:, 1].min() - slash[:, 1].min()) / height)
        below.append((slash[:, 1].max() - oval[:, 1].max()) / height)
        dx, dy = np.abs(slash[-1] - slash[0])
        steepness.append(np.degrees(np.arctan2(dx, dy)))  # Degrees from vertical.
    # About half as wide as tall or less (the leaning oval and the pen's slant widen it a bit).
    assert np.median(aspects) < 0.6 and np.max(aspects) < 0.95
    # Sticks out above and below by a fifth to a third of the oval's height.
    assert 0.17 < np.median(above) < 0.36 and 0.17 < np.median(below) < 0.36
    assert np.min(above) > 0.05 and np.min(below) > 0.05
    assert 20 <= np.median(steepness) <= 45 and np.max(steepness) < 65
    # Through the app's preprocessing it is a tall shape, ink where the slash overhangs.
    image = preprocess(drawn_digits.drawing("zero slashed", np.random.default_rng([7, 0])))
    rows, cols = np.nonzero(image > 0.5)
    assert np.ptp(rows) >= 17 and np.ptp(cols) < np.ptp(rows)


def test_flagged_one_has_a_long_flag_up_to_the_top_of_the_stem() -> None:
    ratios = []
    for index in range(60):
        rng = np.random.default_rng([8, index])
        parts = drawn_digits.one_flagged(rng)
        joined = np.concatenate(parts)
        top = joined[np.argmin(joined[:, 1])]
        stem = np.hypot(*(joined[-1] - top))
        ratios.append(np.hypot(*(parts[0][0] - top)) / stem)
        # The flag starts low on the left of the top of the stem.
        assert parts[0][0][0] < top[0] and parts[0][0][1] > top[1]
    assert min(ratios) >= 0.3 and max(ratios) <= 0.7
    # Most are one stroke, up the flag and down the stem.
    one_stroke = [
        len(drawn_digits.one_flagged(np.random.default_rng([8, i]))) == 1 for i in range(60)
    ]
    assert 0.5 < np.mean(one_stroke) < 0.95


def test_non_digits_never_include_a_lone_steep_line_or_a_digit_like_letter() -> None:
    drawings, kinds = not_digits.drawings(400, seed=11)
    for strokes, kind in zip(drawings, kinds, strict=True):
        if len(strokes) != 1:
            continue
        line = strokes[0].points
        chord = line[-1] - line[0]
        length = np.hypot(*chord)
        if length == 0:
            continue
        normal = np.array([-chord[1], chord[0]]) / length
        straight = np.abs((line - line[0]) @ normal).max() < 0.1 * length
        angle = np.degrees(np.arctan2(abs(chord[1]), abs(chord[0])))  # From horizontal.
        assert not (straight and angle > 25), f"a {kind} that is a lone steep line, a 1"
    for font in (*not_digits.TRAINING_FONTS, *not_digits.BENCHMARK_FONTS):
        glyphs = not_digits.font_glyphs(font)
        assert len(glyphs) > 30 and not set(glyphs) & set("0123456789OoIl|/SZB")


def test_drawn_training_data_is_rendered_by_the_app_and_labelled() -> None:
    images, labels, info = mixing.drawn_data(100, 0.5, 0.3, seed=2)
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28)
    assert len(images) == len(labels) == info["drawn"]["count"] + info["not_a_digit"]["count"]
    assert info["drawn"]["count"] == 50 and (labels == NOT_A_DIGIT).sum() == 30
    assert set(info["drawn"]["shapes"]) <= set(drawn_digits.SHAPES)
    # Every image is the app's: its longer side spans MNIST's 20-pixel box.
    for image in images:
        rows, cols = np.nonzero(image > 25)
        assert max(np.ptp(rows), np.ptp(cols)) >= 18


def test_temperature_is_fitted_to_make_an_overconfident_model_honest() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 2000)
    # A model right 70 % of the time that always says 99 %.
    guess = np.where(rng.random(2000) < 0.7, labels, (labels + 1) % 10)
    probabilities = np.full((2000, 10), 0.01 / 9)
    probabilities[np.arange(2000), guess] = 0.99
    fitted = calibrate.calibration(probabilities, labels, "test")
    assert fitted["temperature"] > 1.5
    assert fitted["ece_before"] > 0.25 and fitted["ece_after"] < 0.05


def test_contract_takes_10_or_11_outputs_and_nothing_else() -> None:
    check_shapes((None, 28, 28, 1), (None, 10))
    check_shapes((None, 28, 28, 1), (None, 11))
    with pytest.raises(ModelContractError, match="10 digit probabilities"):
        check_shapes((None, 28, 28, 1), (None, 26))


def test_seed_style_ten_output_model_still_loads_in_the_game(tmp_path: Path) -> None:
    from game.classifier import load_classifier
    from training import model

    network = model.build_model(outputs=10)
    network(np.zeros((1, 28, 28, 1), np.float32))
    network.save(tmp_path / "seed.h5")
    classifier = load_classifier(tmp_path / "seed.h5")
    assert classifier.predict(np.zeros((3, 28, 28), np.float32)).shape == (3, 10)


def test_benchmark_sets_are_another_hand_and_seed_than_training() -> None:
    from benchmarks import drawn_sets
    from training.strokes import Pen

    drawings, labels, names = drawn_sets.real_shape_set(per_shape=3)
    again, _, _ = drawn_sets.real_shape_set(per_shape=3)
    assert len(drawings) == 3 * len(drawn_digits.SHAPES) == len(labels) == len(names)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(drawings, again, strict=True))
    assert labels[names.index("zero slashed")] == 0 and labels[names.index("one flagged")] == 1
    assert all(isinstance(s, np.ndarray) and s.shape[1] == 2 for d in drawings for s in d)
    others, other_labels, kinds = drawn_sets.not_digit_set(count=50)
    assert len(others) == 50 and set(other_labels) == {NOT_A_DIGIT} and "letter" in kinds
    assert drawn_sets.PEN != Pen() and drawn_sets.SEED != 0
    assert not set(not_digits.BENCHMARK_FONTS) & set(not_digits.TRAINING_FONTS)


def _ring_and_bar() -> tuple[np.ndarray, np.ndarray]:
    """MNIST-like 28x28 images: a thick ring labelled 0 and a thick upright bar labelled 1."""
    rows, cols = np.mgrid[:28, :28]
    radius = np.hypot(rows - 14, (cols - 14) * 1.4)
    ring = ((radius > 6) & (radius < 9)).astype(np.uint8) * 255
    bar = np.zeros((28, 28), np.uint8)
    bar[4:24, 13:16] = 255
    return np.stack([ring, bar] * 10), np.array([0, 1] * 10, np.uint8)


def test_traced_mnist_digits_keep_their_label_and_shape_and_are_seeded() -> None:
    images, labels = _ring_and_bar()
    first = traced.traced_data(images, labels, 0.5, seed=3)
    again = traced.traced_data(images, labels, 0.5, seed=3)
    other = traced.traced_data(images, labels, 0.5, seed=4)
    traced_images, traced_labels, info = first
    assert len(traced_images) == len(traced_labels) == info["count"] == 10
    assert np.array_equal(traced_images, again[0]) and not np.array_equal(traced_images, other[0])
    for image, label in zip(traced_images, traced_labels, strict=True):
        rows, cols = np.nonzero(image > 100)
        if label == 0:
            # Still a ring, redrawn by the app's pen: ink all round, a hole in the middle.
            assert image[12:17, 12:17].max() < 100 and np.ptp(cols) >= 8
        else:
            assert np.ptp(rows) >= 18 and np.ptp(cols) <= 8


def test_traced_pairs_are_two_digits_side_by_side_and_seeded() -> None:
    images, _ = _ring_and_bar()
    first, info = traced.traced_pairs(images, 0.5, seed=3)
    again, _ = traced.traced_pairs(images, 0.5, seed=3)
    other, _ = traced.traced_pairs(images, 0.5, seed=4)
    assert len(first) == info["count"] == 10
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    # Two digits side by side fill MNIST's 20-pixel box across, where one 1 is a narrow bar.
    for image in first:
        rows, cols = np.nonzero(image > 100)
        assert np.ptp(cols) >= 10


def test_two_ones_side_by_side_never_touch() -> None:
    # Two 1s that touched would be one thick 1: a digit, never to be taught as "not a digit".
    bar = [np.array([[0.0, 0.0], [0.0, 1.0]])]
    for seed in range(200):
        pair = not_digits.side_by_side(bar, bar, np.random.default_rng(seed))
        left, right = np.split(np.concatenate(pair), 2)
        assert right[:, 0].min() - left[:, 0].max() >= 0.1
