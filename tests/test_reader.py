"""game.reader.Reader: the public API for reading drawings, used by the app and the benchmarks."""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from gamedriver import SHIPPED_MODEL

from game.reader import Reader, calibrate, card_temperature


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@dataclass(frozen=True)
class FixedInfo:
    name: str = "fixed.onnx"
    backend: str = "onnx"


class Fixed:
    """A model that gives the same probabilities for every image."""

    info = FixedInfo()

    def __init__(self, *probabilities: float) -> None:
        self.row = np.asarray(probabilities, dtype=np.float32)

    def predict(self, images: np.ndarray) -> np.ndarray:
        return np.tile(self.row, (len(images), 1))


UPRIGHT_LINE = [[(200, 60), (200, 340)]]
SEVEN = [[(120, 80), (300, 80), (180, 340)]]


def test_loads_the_shipped_model_by_default(reader: Reader) -> None:
    assert reader.info.path.resolve() == SHIPPED_MODEL.resolve()


def test_empty_drawing_is_no_digit_and_nothing_drawn(reader: Reader) -> None:
    answer = reader.read([])
    assert answer.digit is None and not answer.drawn and answer.confidence == 0.0


def test_a_dot_is_nothing_to_read(reader: Reader) -> None:
    answer = reader.read([[(100, 100), (102, 101)]])
    assert answer.digit is None and not answer.drawn


@pytest.mark.parametrize("lean", [0, 40, -30], ids=["upright", "leaning right", "leaning left"])
def test_a_lone_line_reads_one(reader: Reader, lean: int) -> None:
    answer = reader.read([[(200 - lean, 60), (200 + lean, 340)]])
    assert answer.digit == 1 and answer.confidence > 0.5


def test_points_and_strokes_read_alike(reader: Reader) -> None:
    from game.preprocess import Stroke

    as_points = reader.read(SEVEN)
    as_strokes = reader.read([Stroke.from_points(SEVEN[0])])
    assert as_points.digit == as_strokes.digit == 7
    np.testing.assert_allclose(as_points.probabilities, as_strokes.probabilities)


def test_answer_carries_ten_probabilities_and_the_model_input(reader: Reader) -> None:
    answer = reader.read(SEVEN)
    assert answer.probabilities.shape == (10,) and answer.image.shape == (28, 28)
    assert answer.confidence == pytest.approx(float(answer.probabilities[7]))
    outputs = reader.calibrated(answer.image[np.newaxis]).shape[1]
    rest = answer.not_a_digit if outputs == 11 else 0.0
    assert answer.probabilities.sum() + rest == pytest.approx(1.0, abs=1e-4)


def test_read_many_gives_the_same_answers_as_read(reader: Reader) -> None:
    drawings = [SEVEN, [], UPRIGHT_LINE]
    many = reader.read_many(drawings)
    assert [a.digit for a in many] == [reader.read(d).digit for d in drawings]


def test_ten_output_keras_model_loads_and_reads(tmp_path: Path) -> None:
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.save(tmp_path / "seed.h5")
    answer = Reader.load(tmp_path / "seed.h5").read(SEVEN)
    assert answer.drawn and answer.probabilities.shape == (10,)
    assert answer.probabilities.sum() == pytest.approx(1.0, abs=1e-4)


def test_ten_output_model_that_is_unsure_says_not_a_digit() -> None:
    answer = Reader(Fixed(*[0.1] * 10)).read(SEVEN)
    assert answer.digit is None and answer.drawn and answer.confidence == pytest.approx(0.9)


def test_eleventh_output_says_not_a_digit() -> None:
    answer = Reader(Fixed(0.2, *[0.0] * 9, 0.8)).read(SEVEN)
    assert answer.digit is None and answer.confidence == pytest.approx(0.8, abs=1e-4)


def test_not_a_digit_under_one_half_leaves_the_answer_to_the_digits() -> None:
    # 45 % not a digit: the ten digits together (55 %) outweigh it, so the answer is the 4,
    # unsure, with the 9 as its alternative; at 50 % the answer is "not a digit".
    answer = Reader(Fixed(0, 0, 0, 0, 0.35, 0, 0, 0, 0, 0.2, 0.45)).read(SEVEN)
    assert answer.digit == 4 and answer.confidence == pytest.approx(0.35, abs=1e-4)
    assert answer.alternatives == [9] and not answer.sure
    assert Reader(Fixed(0, 0, 0, 0, 0.3, 0, 0, 0, 0, 0.2, 0.5)).read(SEVEN).digit is None


def test_unsure_digit_names_its_alternative() -> None:
    answer = Reader(Fixed(0, 0.3, 0, 0, 0, 0, 0, 0.65, 0, 0, 0.05)).read(SEVEN)
    assert answer.digit == 7 and not answer.sure and answer.alternatives == [1]


def test_temperature_softens_overconfident_probabilities() -> None:
    sharp = np.array([[0.98, 0.02]])
    softened = calibrate(sharp, 2.0)
    assert 0.5 < softened[0, 0] < 0.98
    np.testing.assert_allclose(calibrate(sharp, 1.0), sharp, atol=1e-6)


def test_model_card_temperature_is_applied(tmp_path: Path) -> None:
    model = tmp_path / "m.onnx"
    model.with_suffix(".json").write_text(json.dumps({"calibration": {"temperature": 2.5}}))
    from game.modelcard import load_card

    assert card_temperature(load_card(model)) == 2.5
    assert card_temperature({"calibration": {"temperature": "nan"}}) == 1.0
    assert card_temperature(None) == 1.0


def test_unusable_temperature_is_refused() -> None:
    with pytest.raises(ValueError, match="temperature"):
        Reader(Fixed(*[0.1] * 10), temperature=0.0)


@pytest.mark.parametrize(
    "strokes",
    [
        [[(60, 200), (340, 200)]],
        [[(100, 340), (200, 60), (300, 340)], [(140, 230), (260, 230)]],
        [[(100, 60), (100, 340)], [(300, 60), (300, 340)], [(100, 200), (300, 200)]],
    ],
    ids=["lone dash", "capital A", "capital H"],
)
def test_shipped_model_says_not_a_digit(reader: Reader, strokes) -> None:
    answer = reader.read(strokes)
    assert answer.drawn and answer.digit is None and answer.confidence > 0.5
