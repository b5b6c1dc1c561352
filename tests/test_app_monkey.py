"""A monkey plays: thousands of random clicks, drags, keys and resizes, and nothing breaks."""

import random

import pygame
import pytest
from gamedriver import Driver, make_app

KEYS = [
    pygame.K_RETURN, pygame.K_c, pygame.K_BACKSPACE, pygame.K_r, pygame.K_z, pygame.K_e,
    pygame.K_d, pygame.K_PLUS, pygame.K_MINUS, pygame.K_EQUALS, pygame.K_h, pygame.K_F1,
    pygame.K_ESCAPE, pygame.K_s, pygame.K_g, pygame.K_SPACE, pygame.K_q, pygame.K_TAB,
    pygame.K_a, pygame.K_DELETE, pygame.K_KP_ENTER,
] + [getattr(pygame, f"K_{d}") for d in range(10)]  # fmt: skip
EVENTS = 4000


@pytest.mark.slow
def test_monkey_thousands_of_random_events_without_an_exception(tmp_path):
    rng = random.Random(20261125)
    app = make_app(tmp_path)
    driver = Driver(app)
    driver.wait_ready()
    seen_scenes = set()
    quits = 0
    try:
        for _ in range(EVENTS):
            width, height = app.size
            roll = rng.random()
            if roll < 0.25 and app.top.widgets:
                # Aim at a widget half the time a click is made: buttons get pressed for real.
                widget = rng.choice(app.top.widgets)
                driver.click(widget.rect.center, frames=0)
            elif roll < 0.35:
                driver.click((rng.randrange(width), rng.randrange(height)), frames=0)
            elif roll < 0.6:
                points = [(rng.randrange(width), rng.randrange(height)) for _ in range(6)]
                driver.stroke(points, frames=0)
            elif roll < 0.68:
                # A press without release, or a release without press: half gestures.
                kind = rng.choice([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP])
                position = (rng.randrange(width), rng.randrange(height))
                driver.post(kind, pos=position, button=rng.choice([1, 1, 2, 3]))
            elif roll < 0.95:
                mod = pygame.KMOD_LCTRL if rng.random() < 0.15 else 0
                driver.post(pygame.KEYDOWN, key=rng.choice(KEYS), mod=mod, unicode="", scancode=0)
            else:
                size = (rng.randrange(500, 2000), rng.randrange(400, 1200))
                driver.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
            if rng.random() < 0.3:
                driver.frames(rng.randrange(1, 4))
            seen_scenes.add(type(app.top).__name__)
            if not app.running:
                # Esc on the title quits: the monkey starts again, as a player would.
                assert app.exit_code == 0
                quits += 1
                app.running = True
        driver.frames(5)
    finally:
        app.close()
    assert {"TitleScene", "DrawScene", "HelpOverlay", "StatsScene"} <= seen_scenes
    assert quits > 0
