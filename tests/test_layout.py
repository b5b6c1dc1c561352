"""Every scene at the smallest window (860x600) and a large one (1600x1000): no text or widget
leaves the window or its card, none is cut off, and no two overlap.

Widgets are pygame-gui's (their rects); text and cards are what game.scenes.look drew while
`look.recording()` listened. Each screenshot is saved (DIGITS_LAYOUT_SHOTS=folder) to be looked at.
"""

import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pygame
import pygame_gui
import pytest
from gamedriver import Driver, make_app, running
from test_stats import fill_history

from game.challenge import Challenge, Guess, Settings
from game.scenes import look

# Room a button's label needs on each side not to touch the button's border.
BUTTON_PADDING = 6
SIZES = [(860, 600), (1600, 1000)]
# Rows for the statistics: enough labelled drawings for every chart, some unanswered.
ROWS = [
    (digit % 10, None if index % 7 == 0 else (digit if index % 4 else (digit + 3) % 10), 1.5, mode)
    for index, (digit, mode) in enumerate(
        (index * 7 % 10, "free" if index % 3 else "challenge") for index in range(60)
    )
]


def visible_widgets(app) -> list[pygame_gui.core.UIElement]:
    """The top scene's widgets (an overlay covers those of the scene below it)."""
    return [widget for widget in app.top.widgets if widget.visible]


def problems_with_widgets(app) -> list[str]:
    window = pygame.Rect((0, 0), app.size)
    found = []
    widgets = visible_widgets(app)
    for widget in widgets:
        name = widget.get_object_ids()[-1]
        container = widget.ui_container.get_rect() if widget.ui_container else window
        if not window.contains(widget.rect):
            found.append(f"widget {name} {widget.rect} leaves the window {window}")
        elif not container.contains(widget.rect):
            found.append(f"widget {name} {widget.rect} leaves its container {container}")
        text = getattr(widget, "text", "")
        font = getattr(widget, "font", None)
        if text and font is not None and font.size(text)[0] + 2 * BUTTON_PADDING > widget.rect.w:
            found.append(f"widget {name}: {text!r} touches its border ({widget.rect.w} px wide)")
    for index, first in enumerate(widgets):
        for second in widgets[index + 1 :]:
            if first.rect.colliderect(second.rect):
                found.append(
                    f"widgets {first.get_object_ids()[-1]} and {second.get_object_ids()[-1]} "
                    "overlap"
                )
    return found


def problems_with_text(app, drawn: list[look.Drawn]) -> list[str]:
    window = pygame.Rect((0, 0), app.size)
    texts = [(words, visible, whole) for kind, words, visible, whole in drawn if kind == "text"]
    cards = [whole for kind, _, _, whole in drawn if kind == "card"]
    buttons = [widget.rect for widget in visible_widgets(app)]
    found = []
    for words, visible, whole in texts:
        if visible != whole or not window.contains(whole):
            found.append(f"{words!r} is cut off ({whole}, visible {visible})")
        for card in cards:
            if whole.colliderect(card) and not card.contains(whole):
                found.append(f"{words!r} {whole} runs out of its card {card}")
        inner = whole.inflate(-2, -2)  # anti-aliased edges may touch: not an overlap
        for button in buttons:
            if inner.colliderect(button):
                found.append(f"{words!r} {whole} is under a widget at {button}")
    for card in cards:
        for button in buttons:
            if card.colliderect(button) and not card.contains(button):
                found.append(f"card {card} and widget {button} overlap")
    for index, (words, _, whole) in enumerate(texts):
        for other, _, rect in texts[index + 1 :]:
            if whole.inflate(-2, -2).colliderect(rect.inflate(-2, -2)):
                found.append(f"{words!r} {whole} overlaps {other!r} {rect}")
    return sorted(set(found))


def look_at(app, name: str) -> list[str]:
    """One frame recorded; the problems found in it (and a screenshot to look at)."""
    app.run_frames(2)
    folder = os.environ.get("DIGITS_LAYOUT_SHOTS")
    if folder:
        width, height = app.size
        app.save_screenshot(Path(folder) / f"{name}-{width}x{height}.png")
    if getattr(app.top, "page", None) is not None:
        app.top.page = None  # drawn once and kept: drawn again while recording
    with look.recording() as drawn:
        app.top.draw(app.surface)
    return problems_with_widgets(app) + problems_with_text(app, drawn)


def check(app, name: str) -> None:
    found = look_at(app, name)
    assert not found, "\n".join(found)


def wait_for(driver: Driver, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        driver.frames(1)
        time.sleep(0.005)
    assert condition()


def seven(driver: Driver) -> None:
    driver.canvas_stroke([(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)])


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def driver(request, tmp_path):
    fill_history(tmp_path / "history.sqlite3", ROWS)
    with running(make_app(tmp_path, size=request.param)) as driver:
        driver.frames(2)
        yield driver


def test_title(driver):
    check(driver.app, "title")


def test_help(driver):
    driver.key(pygame.K_h, frames=2)
    check(driver.app, "help")


def test_draw_empty(driver):
    driver.key(pygame.K_RETURN, frames=3)
    check(driver.app, "draw-empty")


def test_draw_with_a_prediction(driver):
    driver.key(pygame.K_RETURN, frames=3)
    seven(driver)
    driver.wait_prediction()
    check(driver.app, "draw-predicted")


def test_draw_answering(driver):
    driver.key(pygame.K_RETURN, frames=3)
    seven(driver)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=3)
    check(driver.app, "draw-answering")


def test_number(driver):
    driver.key(pygame.K_RETURN, frames=3)
    driver.key(pygame.K_n, frames=3)
    seven(driver)
    driver.frames(10)
    check(driver.app, "number")


def open_stats(driver):
    driver.key(pygame.K_s, frames=2)
    wait_for(driver, lambda: driver.scene.page is not None)


def test_stats(driver):
    open_stats(driver)
    check(driver.app, "stats")


def test_mistakes(driver):
    open_stats(driver)
    driver.key(pygame.K_m, frames=3)
    wait_for(driver, lambda: type(driver.scene).__name__ == "MistakesScene")
    wait_for(driver, lambda: driver.scene.answer is not None and driver.scene.answer.done)
    check(driver.app, "mistakes")


def test_challenge(driver):
    driver.key(pygame.K_g, frames=3)
    driver.app.run_frames(30)
    seven(driver)
    driver.frames(5)
    check(driver.app, "challenge")


def test_stats_reset_dialog(driver):
    open_stats(driver)
    driver.click_widget("reset_stats")
    assert driver.scene.confirming
    check(driver.app, "stats-reset")
    behind = [driver.scene.widget_named(name) for name in ("back", "reset_stats", "export")]
    assert not any(widget.visible for widget in behind), "bright and clickable-looking"


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_before_the_trend_says_when_it_comes(tmp_path, size):
    fill_history(tmp_path / "history.sqlite3", ROWS[:8])
    app = make_app(tmp_path, size=size)
    try:
        driver = Driver(app)
        driver.wait_ready()
        open_stats(driver)
        check(app, "stats-few")
        app.top.page = None
        with look.recording() as drawn:
            app.top.draw(app.surface)
        words = " ".join(words for kind, words, _, _ in drawn if kind == "text")
        answered = sum(label is not None for _, label, _, _ in ROWS[:8])
        assert "from 10 answered" in words and f"({answered} so far)" in words, words
    finally:
        app.close()


def test_challenge_results(driver):
    challenge = Challenge(Settings(), rng=random.Random(3))
    image = np.zeros((28, 28), dtype=np.float32)
    image[6:22, 12:16] = 1.0
    while not challenge.finished:
        if len(challenge.results) % 3:
            challenge.offer(Guess(challenge.asked, 0.97, image))
        else:
            challenge.offer(Guess((challenge.asked + 1) % 10, 0.6, image))
            challenge.skip()
        challenge.start_round()
    best = driver.app.recorder.ask(lambda current: 1234)
    driver.app.push("challenge_results", challenge=challenge, best=best)
    wait_for(driver, lambda: best.done)
    check(driver.app, "challenge-results")
