"""End to end: digits drawn with the mouse on the game's canvas, classified by the shipped model.

Mouse events in, through the canvas, preprocessing, the live-prediction worker and the ONNX
model, to the Classify key and the row in the history: the whole path a player's digit takes.
"""

import math
import os
import subprocess
import sys

import pygame
import pytest
from conftest import REPO
from gamedriver import SHIPPED_MODEL, Driver, make_app, running

from game.history import History
from game.predictor import default_loader

# Strokes in a unit box (x right, y down), as a person draws them.
ONE = [[(0.3, 0.18), (0.55, 0.0), (0.55, 1.0)]]
SEVEN = [[(0.05, 0.02), (0.5, 0.0), (0.95, 0.02), (0.7, 0.4), (0.5, 0.75), (0.4, 1.0)]]
ZERO = [
    [
        (0.5 + 0.38 * math.sin(2 * math.pi * t / 48), 0.5 - 0.5 * math.cos(2 * math.pi * t / 48))
        for t in range(49)
    ]
]
DIGITS = {1: ONE, 7: SEVEN, 0: ZERO}
# (left, top, size) as fractions of the canvas: small in a corner, large in the middle,
# medium towards the bottom right; each with its own brush.
PLACES = {
    "small-top-left": ((0.04, 0.05, 0.28), pygame.K_MINUS),
    "large-centre": ((0.12, 0.08, 0.82), pygame.K_PLUS),
    "medium-bottom-right": ((0.5, 0.45, 0.45), None),
}


@pytest.fixture
def driver(tmp_path):
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    with running(make_app(tmp_path, model=SHIPPED_MODEL, loader=default_loader)) as driver:
        driver.key(pygame.K_RETURN, frames=2)
        yield driver


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("digit", list(DIGITS))
def test_drawn_digit_is_classified_and_recorded(driver, tmp_path, digit, place):
    (left, top, size), brush_key = PLACES[place]
    if brush_key is not None:
        driver.key(brush_key)
    for stroke in DIGITS[digit]:
        driver.canvas_stroke([(left + x * size * 0.8, top + y * size) for x, y in stroke])
    prediction = driver.wait_prediction()
    assert prediction.digit == digit, f"read as {prediction.digit} ({prediction.confidence:.0%})"
    driver.key(pygame.K_RETURN, frames=2)
    driver.key(pygame.K_RETURN, frames=2)  # "Yes": the model was right
    driver.app.recorder.flush()
    with History.open(tmp_path / "history.sqlite3") as history:
        (row,) = history.drawings()
    assert (row.prediction, row.label) == (digit, digit)
    assert row.model_sha256 == driver.app.predictor.classifier.info.sha256


@pytest.mark.slow
def test_keras_model_plays_the_same_game(tmp_path):
    keras_model = SHIPPED_MODEL.with_suffix(".h5")
    if not keras_model.is_file():
        pytest.skip(f"the shipped Keras model {keras_model} is not there yet (make train)")
    app = make_app(tmp_path, model=keras_model, loader=default_loader)
    try:
        driver = Driver(app)
        driver.key(pygame.K_RETURN, frames=2)
        (left, top, size), _ = PLACES["large-centre"]
        for stroke in SEVEN:
            driver.canvas_stroke([(left + x * size * 0.8, top + y * size) for x, y in stroke])
        driver.wait_ready(300)
        assert app.predictor.classifier.info.backend == "keras"
        assert driver.wait_prediction(60).digit == 7
    finally:
        app.close()


@pytest.mark.slow
def test_closing_while_keras_still_loads_exits_cleanly(tmp_path):
    keras_model = SHIPPED_MODEL.with_suffix(".h5")
    if not keras_model.is_file():
        pytest.skip(f"the shipped Keras model {keras_model} is not there yet (make train)")
    environment = dict(os.environ, DIGITS_SCREENSHOT=str(tmp_path / "first.png"))
    # The first frame is saved and the window closed long before TensorFlow is imported.
    result = subprocess.run(
        [sys.executable, "-m", "game", str(keras_model), "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert "terminate called" not in result.stderr
