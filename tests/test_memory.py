"""Memory cuts that change what the game holds (issue 15); the figures are in
benchmarks/bench_memory.py. A scene hidden under another full scene holds no widgets (pygame-gui
keeps ~14 pre-drawn surfaces per button) and gets them back, laid out for the window, when it is
on top again."""

import warnings

import pygame
import pytest
from gamedriver import Driver, make_app, running


@pytest.fixture
def driver(tmp_path):
    with running(make_app(tmp_path)) as driver:
        driver.frames(2)
        yield driver


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


def test_the_cut_fonts_still_have_every_letter_the_game_and_its_users_write():
    # assets/fonts are cut to a few scripts (scripts/subset_fonts.py): every non-ASCII character
    # in the game's own text, and the Latin, Greek and Cyrillic letters of model file names.
    from pathlib import Path

    from game.scenes import look

    source = "".join(path.read_text(encoding="utf-8") for path in Path("game").rglob("*.py"))
    wanted = {c for c in source if ord(c) > 127 and c.isprintable()}
    wanted |= set("éèñßøçüÆŒłąğș") | set("ΑαΩωλπ") | set("ДдЖжЯяЁё")
    pygame.font.init()
    letters = "".join(sorted(c for c in wanted if not c.isspace()))
    for weight in ("regular", "bold"):
        metrics = look.font(15, weight).metrics(letters)
        # A letter the font lacks comes back as its empty "missing glyph" box.
        missing = [c for c, m in zip(letters, metrics, strict=True) if not m or not any(m[:4])]
        assert missing == [], f"the {weight} font lacks {missing}"


def test_pygame_gui_caches_every_shape_without_warnings(driver):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for key in (pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_s, pygame.K_ESCAPE):
            driver.key(key, frames=40)
    assert type(driver.scene).__name__ == "TitleScene"
