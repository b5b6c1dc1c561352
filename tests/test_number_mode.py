"""Number mode: written through the game driver, read live, answered, recorded in the history."""

import sqlite3
import time
from pathlib import Path

import numpy as np
import pygame
import pytest
from gamedriver import SHIPPED_MODEL, Driver, make_app, running
from test_history import _version_1_database

from game.history import History
from game.number_history import number_digit_strokes, numbers
from game.predictor import default_loader
from game.settings import load_mode, settings_path

ONE = [(0.08, 0.15), (0.09, 0.85)]
ZERO = [(0.3 + 0.06 * np.cos(t), 0.5 + 0.35 * np.sin(t)) for t in np.linspace(-1.6, 4.9, 30)]
SEVEN = [(0.5, 0.15), (0.62, 0.15), (0.54, 0.85)]


def wait_number(driver: Driver, timeout: float = 10.0):
    scene = driver.scene
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        driver.frames(1)
        prediction = scene.prediction
        if prediction is not None and prediction.version == scene.canvas.version:
            return prediction.number
        time.sleep(0.002)
    raise AssertionError("no number arrived for the current strokes")


@pytest.fixture
def driver(tmp_path):
    if not SHIPPED_MODEL.is_file():
        pytest.skip("the shipped model is not there (make train)")
    with running(
        make_app(tmp_path, model=SHIPPED_MODEL, loader=default_loader, start="number")
    ) as driver:
        yield driver


def test_a_number_written_is_read_live_corrected_and_recorded_with_its_digits(driver, tmp_path):
    for stroke in (ONE, ZERO, SEVEN):
        driver.canvas_stroke(stroke)
    number = wait_number(driver)
    assert number.text == "107"
    driver.key(pygame.K_RETURN, frames=3)
    scene = driver.scene
    assert scene.answering is not None
    assert scene.widget_named("confirm").text == "Yes, it's 107"
    # The player says the last digit was a 1: click its box, press 1, then confirm.
    driver.click(scene.digit_boxes()[2].center)
    driver.key(pygame.K_1)
    assert scene.widget_named("confirm").text == "Save 101"
    driver.key(pygame.K_RETURN, frames=2)
    assert scene.answering is None and scene.canvas.is_empty
    assert driver.app.recorder.flush()
    with History.open(tmp_path / "history.sqlite3") as history:
        [row] = numbers(history)
        assert (row.reading, row.label, row.digits, row.mode) == ("107", "101", 3, "number")
        digits = number_digit_strokes(history, row.id)
    assert [label for label, _ in digits] == [1, 0, 1]
    # Each digit keeps its own strokes, in canvas pixels: the one's is its single line.
    assert len(digits[0][1]) == 1 and len(digits[0][1][0]) == 2


def test_typing_the_number_replaces_the_reading(driver, tmp_path):
    for stroke in (ONE, ZERO):
        driver.canvas_stroke(stroke)
    wait_number(driver)
    driver.key(pygame.K_RETURN, frames=3)
    for key in (pygame.K_1, pygame.K_6):
        driver.key(key)
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.app.recorder.flush()
    with History.open(tmp_path / "history.sqlite3") as history:
        [row] = numbers(history)
    assert (row.reading, row.label) == ("10", "16")


def test_n_switches_modes_and_the_menu_opens_the_last_one(tmp_path):
    app = make_app(tmp_path)
    driver = Driver(app)
    try:
        driver.key(pygame.K_RETURN, frames=2)
        assert type(driver.scene).__name__ == "DrawScene"
        driver.key(pygame.K_n, frames=2)
        assert type(driver.scene).__name__ == "NumberScene"
        assert load_mode(settings_path(tmp_path / "history.sqlite3")) == "number"
        driver.key(pygame.K_ESCAPE, frames=2)
        driver.key(pygame.K_RETURN, frames=2)
        assert type(driver.scene).__name__ == "NumberScene"
    finally:
        app.close()


def test_a_version_2_database_gains_the_number_tables(tmp_path):
    path = tmp_path / "old.sqlite3"
    _version_1_database(path)
    with History.open(path) as history:
        assert history.schema_version == 3
        assert history.count() == 3
        assert numbers(history) == []
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert {("numbers",), ("number_digits",)} <= set(tables)


def test_an_unreadable_settings_file_means_one_digit_mode(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    assert load_mode(path) == "draw"


def test_the_launcher_lists_recorded_numbers(tmp_path):
    from game.number_history import add_number, set_number_label
    from game.reader import Reader
    from launcher import dashboard

    number = Reader.load().read_number([[(60, 100), (62, 300)], [(160, 100), (160, 300)]])
    path = tmp_path / "history.sqlite3"
    with History.open(path) as history:
        set_number_label(history, add_number(history, number, "a" * 64), "11")
    [(when, read, said, sure, count)] = dashboard.load_history(path).numbers
    assert (read, said, count) == ("11", "11", 2)


def test_the_help_overlay_says_that_n_switches_number_mode():
    from game.scenes.help import KEYS

    meanings = [meaning for keys, meaning in KEYS if "N" in keys]
    assert meanings and "Number mode" in meanings[0]
