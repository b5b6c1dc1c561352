"""The draw scene with honest answers: "not a digit" and "or maybe" as the player sees them."""

import numpy as np
import pygame
import pytest
from gamedriver import Driver, FakeInfo, make_app, running

from game.history import History
from game.predictor import Prediction
from game.reader import NOT_A_DIGIT, Answer
from game.scenes.prediction_view import verdict


class Scribble:
    """A model with a not-a-digit output that calls everything a scribble."""

    info = FakeInfo()

    def predict(self, images: np.ndarray) -> np.ndarray:
        probabilities = np.full((len(images), 11), 0.01, dtype=np.float32)
        probabilities[:, NOT_A_DIGIT] = 0.9
        return probabilities


@pytest.fixture
def driver(tmp_path):
    with running(make_app(tmp_path, loader=lambda path: Scribble())) as driver:
        driver.key(pygame.K_RETURN, frames=2)
        yield driver


def scribble(driver: Driver) -> None:
    driver.canvas_stroke([(0.2, 0.3), (0.8, 0.4), (0.2, 0.6), (0.8, 0.7)])


def rows(tmp_path):
    with History.open(tmp_path / "history.sqlite3") as history:
        return history.drawings()


def prediction(*probabilities: float) -> Prediction:
    probabilities = np.asarray(probabilities, dtype=np.float32)
    digit = int(np.argmax(probabilities))
    answer = Answer(digit, float(probabilities[digit]), probabilities, 0.0, np.zeros((28, 28)))
    return Prediction.of(1, answer)


def test_sure_answer_is_stated():
    glyph, _, title, _ = verdict(prediction(0, 0, 0, 0, 0, 0, 0, 0.97, 0, 0.03))
    assert (glyph, title) == ("7", "97% sure")


def test_doubtful_answer_names_the_alternative():
    glyph, _, title, detail = verdict(prediction(0, 0.35, 0, 0, 0, 0, 0, 0.65, 0, 0))
    assert (glyph, title) == ("7", "or maybe 1") and "65%" in detail and "35%" in detail


def test_doubtful_answer_says_when_not_a_digit_is_the_alternative():
    # 48 % not a digit is not enough to say "not a digit", but it is the likelier alternative.
    glyph, _, title, detail = verdict(prediction(0, 0, 0, 0.31, 0, 0.15, 0, 0, 0.06, 0))
    assert (glyph, title) == ("3", "or not a digit") and "31%" in detail and "48%" in detail


def test_scribble_shows_not_a_digit_live(driver):
    scribble(driver)
    shown = driver.wait_prediction()
    assert shown.not_a_digit and shown.digit is None
    glyph, _, title, detail = verdict(shown)
    assert title == "Not a digit" and "90% sure" in detail


def test_classify_not_a_digit_then_agree_keeps_it_unlabelled(driver, tmp_path):
    scribble(driver)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.widget_named("confirm").text == "Right, not a digit"
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.answering is None and driver.scene.canvas.is_empty
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert (row.prediction, row.label) == (NOT_A_DIGIT, None)


def test_classify_not_a_digit_then_correct_it(driver, tmp_path):
    scribble(driver)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    driver.key(pygame.K_8)
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert (row.prediction, row.label) == (NOT_A_DIGIT, 8)
    assert driver.scene.toast.message.startswith("Noted: it was an 8."), 'no second "not"'
