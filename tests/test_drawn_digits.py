"""The robustness set: MNIST digits redrawn as strokes, transformed as users draw, preprocessed."""

import json
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import require_in_ci
from framing import centre_of_mass, ink_box

from benchmarks.drawn_digits import comparison_options, mnist_test_set
from benchmarks.mnist_strokes import (
    CANVAS,
    LARGEST,
    SMALLEST,
    TRANSFORMATIONS,
    robustness_sets,
    skeleton_polylines,
    transformed_strokes,
)

COUNT = 30


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    # Module-scoped (conftest's mnist_path is per test), so the sets are made once per module.
    path = os.environ.get("DIGITS_MNIST", "")
    if not path or not Path(path).is_file():
        require_in_ci("MNIST (set DIGITS_MNIST to an mnist.npz)")
    x, y = mnist_test_set(Path(path))
    return x[:COUNT], y[:COUNT]


@pytest.fixture(scope="module")
def sets(digits: tuple[np.ndarray, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return robustness_sets(*digits, seed=0)


def test_every_set_has_each_digit_once_with_its_label(sets, digits) -> None:
    assert list(sets) == ["mnist", *TRANSFORMATIONS]
    for images, labels in sets.values():
        assert images.shape == (COUNT, 28, 28) and images.dtype == np.float32
        assert np.array_equal(labels, digits[1])
        assert images.min() >= 0.0 and images.max() <= 1.0


def test_same_seed_gives_the_same_images_and_another_seed_other_ones(sets, digits) -> None:
    again = robustness_sets(*digits, seed=0, names=["rotated", "combined"])
    other = robustness_sets(*digits, seed=1, names=["rotated", "combined"])
    for name in ("rotated", "combined"):
        assert np.array_equal(again[name][0], sets[name][0])
        assert not np.allclose(other[name][0], sets[name][0], atol=0.05)


def test_drawn_digits_are_framed_like_mnist(sets) -> None:
    for name in TRANSFORMATIONS:
        for image in sets[name][0]:
            assert 19 <= max(ink_box(image)) <= 21, name
            row, col = centre_of_mass(image)
            assert abs(row - 14) < 0.5 and abs(col - 14) < 0.5, name


def test_traced_strokes_redraw_the_same_digit(sets) -> None:
    # The redrawn digit covers much of the original's ink, and little beside it (MNIST's pen
    # width varies and the app's does not, so the overlap is never complete).
    original, redrawn = sets["mnist"][0] > 0.5, sets["redrawn"][0] > 0.5
    overlap = (original & redrawn).sum(axis=(1, 2)) / (original | redrawn).sum(axis=(1, 2))
    assert np.median(overlap) > 0.5
    assert np.mean(overlap > 0.3) > 0.9


def test_rotation_turns_the_strokes_on_the_canvas(digits) -> None:
    polylines = skeleton_polylines(digits[0][0])
    plain = np.concatenate([s.points for s in transformed_strokes(polylines, "redrawn", 0, 0)])
    for index in range(5):
        turned = transformed_strokes(polylines, "rotated", 0, index)
        points = np.concatenate([s.points for s in turned])
        assert points.shape == plain.shape
        # The same shape turned (and fitted to the same height): distances between points keep
        # their proportions, positions change.
        assert np.abs(points - plain).max() > 1.0
        ratio = np.hypot(*np.diff(points, axis=0).T) / np.hypot(*np.diff(plain, axis=0).T)
        assert np.allclose(ratio, ratio[0])


def test_moved_digits_lie_on_the_canvas_at_all_sizes(digits) -> None:
    heights = []
    for index, image in enumerate(digits[0]):
        strokes = transformed_strokes(skeleton_polylines(image), "moved", 0, index)
        points = np.concatenate([s.points for s in strokes])
        assert points.min() >= 0 and points.max() <= CANVAS
        heights.append(np.ptp(points, axis=0).max())
    assert SMALLEST - 1e-6 <= min(heights) < 100 and 250 < max(heights) <= LARGEST + 1e-6


def test_brush_width_does_not_change_what_the_model_sees(sets, digits) -> None:
    # The app re-renders strokes with a normalised pen, so a 2 px or a 60 px brush looks the same.
    assert np.array_equal(sets["thin"][0], sets["redrawn"][0])
    assert np.array_equal(sets["thick"][0], sets["redrawn"][0])
    strokes = transformed_strokes(skeleton_polylines(digits[0][0]), "thick", 0, 0)
    assert all(stroke.width == 60 for stroke in strokes)


def test_size_and_place_on_the_canvas_do_not_change_what_the_model_sees(sets) -> None:
    assert np.abs(sets["moved"][0] - sets["redrawn"][0]).max() < 0.05


def test_shape_changing_transformations_change_the_model_input(sets) -> None:
    for name in ("rotated", "tilted 20", "slanted", "aspect", "wobbly", "combined"):
        difference = np.abs(sets[name][0] - sets["redrawn"][0]).mean(axis=(1, 2))
        assert np.median(difference) > 0.02, name


def test_cache_gives_back_the_same_sets(tmp_path: Path, digits) -> None:
    made = robustness_sets(*digits, seed=3, limit=4, names=["combined"], cache_dir=tmp_path)
    assert len(list(tmp_path.glob("robustness-*.npz"))) == 1
    cached = robustness_sets(*digits, seed=3, limit=4, names=["combined"], cache_dir=tmp_path)
    for name in ("mnist", "combined"):
        assert np.array_equal(made[name][0], cached[name][0])
        assert np.array_equal(made[name][1], cached[name][1])


def test_unknown_transformation_is_refused(digits) -> None:
    with pytest.raises(ValueError, match="unknown transformation 'upside down'"):
        robustness_sets(*digits, names=["upside down"])


def test_comparison_models_are_trained_like_the_shipped_one_but_for_one_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = (
        "python -m training assets/model.h5 --data ../shared/data/mnist.npz --epochs 30"
        " --style slashed_zero=0.5 --style=barred_seven=0.2 --learning-rate 0.05 --seed 7"
    )
    (tmp_path / "model.json").write_text(json.dumps({"command": command}))
    monkeypatch.setenv("DIGITS_SHIPPED_MODEL", str(tmp_path / "model.onnx"))
    monkeypatch.delenv("DIGITS_BENCH_EPOCHS", raising=False)
    assert comparison_options("no-augment") == [
        *("--epochs", "30", "--style", "slashed_zero=0.5", "--style=barred_seven=0.2"),
        *("--learning-rate", "0.05", "--seed", "7", "--no-augment"),
    ]
    assert comparison_options("no-styles") == [
        *("--epochs", "30", "--learning-rate", "0.05", "--seed", "7", "--no-styles"),
    ]
    # On a machine too busy for the shipped number of epochs, the comparison can have fewer.
    monkeypatch.setenv("DIGITS_BENCH_EPOCHS", "4")
    options = comparison_options("no-styles")
    assert options[options.index("--epochs") + 1] == "4" and "30" not in options
