"""The statistics' mistakes page: the player's wrongly read drawings, explained by occlusion."""

import time

import numpy as np
import pygame
import pytest
from gamedriver import SHIPPED_MODEL, Driver, make_app
from test_stats import open_stats

from game.history import History
from game.mistakes import load_mistakes
from game.predictor import default_loader
from game.reader import Reader

BAR = [(120, 80), (300, 80)]
STEM = [(300, 80), (180, 340)]


def seven_image() -> np.ndarray:
    image = Reader.load().read([STEM, BAR]).image
    return np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8)


def fill(path) -> None:
    """A 7 the model once called a 1, a 7 it got right, and an unanswered one."""
    image, probabilities = seven_image(), np.full(10, 0.1, np.float32)
    with History.open(path) as history:
        history.add(image, probabilities, 1, 1.0, "x", label=7)
        history.add(image, probabilities, 7, 1.0, "x", label=7)
        history.add(image, probabilities, 4, 1.0, "x")


def test_only_labelled_drawings_read_wrong_are_mistakes(tmp_path):
    fill(tmp_path / "h.sqlite3")
    found = load_mistakes(tmp_path / "h.sqlite3")
    assert [(m.prediction, m.label) for m in found] == [(1, 7)]
    assert load_mistakes(tmp_path / "none.sqlite3") == []


@pytest.fixture
def app(tmp_path):
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    fill(tmp_path / "history.sqlite3")
    app = make_app(tmp_path, model=SHIPPED_MODEL, loader=default_loader)
    Driver(app).wait_ready()
    yield app
    app.close()


def test_the_mistakes_page_shows_each_mistake_with_its_maps(app, tmp_path):
    driver = Driver(app)
    stats = open_stats(driver)
    driver.frames(2)
    assert stats.widget_named("mistakes").visible
    driver.click_widget("mistakes", frames=3)
    scene = driver.scene
    deadline = time.monotonic() + 20
    while scene.message() and time.monotonic() < deadline:
        driver.frames(1)
        time.sleep(0.01)
    assert scene.message() == ""
    [mistake] = scene.answer.value
    assert (mistake.prediction, mistake.label) == (1, 7)
    assert mistake.said.target == 7  # the model reads it as a 7 now
    assert mistake.truth.target == 7 and mistake.truth.heat.shape == (28, 28)
    driver.frames(2)
    app.save_screenshot(tmp_path / "mistakes.png")
    picture = pygame.image.load(str(tmp_path / "mistakes.png"))
    assert picture.get_size() == app.size
    driver.key(pygame.K_ESCAPE, frames=2)
    assert driver.scene is stats
