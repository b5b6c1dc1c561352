"""Memory cuts that change what the game holds (issue 15); the figures are in
benchmarks/bench_memory.py. A scene hidden under another full scene holds no widgets (pygame-gui
keeps ~14 pre-drawn surfaces per button) and gets them back, laid out for the window, when it is
on top again."""

import pygame
import pytest
from gamedriver import Driver, make_app


@pytest.fixture
def driver(tmp_path):
    app = make_app(tmp_path)
    driver = Driver(app)
    driver.wait_ready()
    driver.frames(2)
    yield driver
    app.close()


def button_names(driver: Driver) -> set[str]:
    sprites = driver.app.manager.get_sprite_group().sprites()
    return {s.get_object_ids()[-1] for s in sprites if type(s).__name__ == "UIButton"}


def test_the_title_under_the_draw_scene_holds_no_buttons(driver):
    title = driver.scene
    driver.key(pygame.K_RETURN, frames=2)
    assert type(driver.scene).__name__ == "DrawScene"
    assert title.widgets == [] and "#quit" not in button_names(driver)
    driver.key(pygame.K_ESCAPE, frames=2)
    assert driver.scene is title and "#quit" in button_names(driver)
    driver.click_widget("stats")
    assert type(driver.scene).__name__ == "StatsScene"


def test_a_hidden_title_comes_back_laid_out_for_a_resized_window(driver):
    title = driver.scene
    before = title.widget_named("draw").rect.center
    driver.key(pygame.K_RETURN, frames=2)
    driver.post(pygame.VIDEORESIZE, size=(1500, 980), w=1500, h=980)
    driver.frames(2)
    driver.key(pygame.K_ESCAPE, frames=2)
    assert driver.scene is title
    after = title.widget_named("draw").rect.center
    assert after != before and driver.app.surface.get_rect().contains(
        title.widget_named("quit").rect
    )
    assert all(widget.visible for widget in title.widgets)
