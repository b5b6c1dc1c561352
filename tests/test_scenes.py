"""The title, statistics and help scenes, and the layout at every window size."""

import json

import pygame
import pytest
from gamedriver import Driver, make_app, running

from game.scenes import SCENES
from game.scenes.draw_layout import MINIMUM_SIZE, layout
from game.scenes.help import KEYS


@pytest.fixture
def driver(tmp_path):
    with running(make_app(tmp_path)) as driver:
        driver.frames(2)
        yield driver


def scene_name(driver: Driver) -> str:
    return type(driver.scene).__name__


def test_title_menu_has_start_stats_and_quit(driver):
    labels = [widget.text for widget in driver.scene.widgets]
    assert labels[0] == "Start drawing"
    assert "Statistics" in labels and labels[-1] == "Quit"
    assert ("Challenge" in labels) == ("challenge" in SCENES)


@pytest.mark.parametrize(
    ("widget", "scene"), [("draw", "DrawScene"), ("stats", "StatsScene")], ids=["start", "stats"]
)
def test_title_buttons_open_their_scene(driver, widget, scene):
    driver.click_widget(widget)
    assert scene_name(driver) == scene
    driver.key(pygame.K_ESCAPE, frames=2)
    assert scene_name(driver) == "TitleScene"
    assert all(w.visible for w in driver.scene.widgets), "the title's buttons are back"


def test_title_buttons_are_hidden_under_the_draw_scene(driver):
    title = driver.scene
    driver.key(pygame.K_RETURN, frames=2)
    assert not any(w.visible for w in title.widgets)


def test_quit_button_closes_the_app(driver):
    driver.click_widget("quit")
    assert not driver.app.running and driver.app.exit_code == 0


def test_title_keys(driver):
    driver.key(pygame.K_s, frames=2)
    assert scene_name(driver) == "StatsScene"
    driver.key(pygame.K_ESCAPE, frames=2)
    driver.key(pygame.K_F1, frames=2)
    assert scene_name(driver) == "HelpOverlay"
    driver.key(pygame.K_ESCAPE, frames=2)
    assert scene_name(driver) == "TitleScene" and driver.app.running


def test_title_names_the_model_and_its_mnist_accuracy(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"test": {"accuracy": 0.9921}}))
    app = make_app(tmp_path)
    try:
        Driver(app).wait_ready()
        parts = [text for text, _, _ in app.top.model_line()]
        assert parts == ["model.onnx", "ONNX Runtime", "99.21% on the MNIST test set"]
    finally:
        app.close()


def test_title_says_when_the_model_has_no_card(driver):
    assert "no model card" in driver.scene.model_line()[-1][0]


def test_help_lists_every_key_of_the_game():
    listed = {key for keys, _ in KEYS for key in keys}
    assert {
        "Enter",
        "C",
        "Backspace",
        "R",
        "Ctrl+Z",
        "E",
        "D",
        "+",
        "-",
        "H",
        "F1",
        "Esc",
        "S",
        "G",
        "N",
    } <= listed


def test_help_overlay_draws_over_the_scene_and_closes_on_click(driver):
    driver.key(pygame.K_h, frames=2)
    assert scene_name(driver) == "HelpOverlay" and len(driver.app.scenes) == 2
    centre = driver.app.surface.get_at(driver.app.surface.get_rect().center)
    driver.click((5, 5))
    assert scene_name(driver) == "TitleScene"
    assert driver.app.surface.get_at(driver.app.surface.get_rect().center) != centre


# The statistics scene's tests are in tests/test_stats.py.


@pytest.mark.parametrize("size", [(640, 480), (860, 600), (1180, 760), (1920, 1080), (2560, 900)])
def test_draw_layout_fits_any_window(size):
    rects = layout(size)
    # Smaller windows are refused by the window manager (minimum size); the layout holds there.
    window = pygame.Rect((0, 0), (max(size[0], MINIMUM_SIZE[0]), max(size[1], MINIMUM_SIZE[1])))
    canvas = rects["canvas"]
    assert canvas.w == canvas.h >= 200
    parts = [rects[name] for name in ("canvas", "toolbar", "prediction", "sees", "classify")]
    for index, part in enumerate(parts):
        assert window.contains(part), part
        assert all(not part.colliderect(other) for other in parts[index + 1 :])
    assert rects["prediction"].h >= 200
