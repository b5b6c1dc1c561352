"""GUI fuzz: random mouse clicks and drags, keys, resizes and button presses posted to every
scene of the real game (headless), for a fixed seed; reports the events sent and the exceptions
raised (target 0). Each scene is opened in turn and played at random from there, so the monkey
also follows wherever the events lead (help, statistics, a challenge to its results).

The game runs with tests/gamedriver.py's driver and stand-in classifier (instant and always
sure of a 3): the fuzz is about the interface, not recognition. tests/test_app_monkey.py plays
the same random actions. Exceptions are caught per action, counted and listed on stderr.
"""

import importlib.util
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pygame

from benchmarks.runner import Figure

SEED = 20261125
EVENTS_PER_SCENE = 800
REPO = Path(__file__).resolve().parent.parent
KEYS = [
    pygame.K_RETURN, pygame.K_c, pygame.K_BACKSPACE, pygame.K_r, pygame.K_z, pygame.K_e,
    pygame.K_d, pygame.K_PLUS, pygame.K_MINUS, pygame.K_EQUALS, pygame.K_h, pygame.K_F1,
    pygame.K_ESCAPE, pygame.K_s, pygame.K_g, pygame.K_SPACE, pygame.K_q, pygame.K_TAB,
    pygame.K_a, pygame.K_n, pygame.K_y, pygame.K_DELETE, pygame.K_KP_ENTER,
] + [getattr(pygame, f"K_{d}") for d in range(10)]  # fmt: skip


@dataclass
class Report:
    events: int = 0
    exceptions: list[str] = field(default_factory=list)
    events_by_scene: Counter = field(default_factory=Counter)
    quits: int = 0
    seconds: float = 0.0


def gamedriver() -> ModuleType:
    """tests/gamedriver.py, the driver the tests use (the same module object under pytest)."""
    module = sys.modules.get("gamedriver")
    if module is None:
        spec = importlib.util.spec_from_file_location(
            "gamedriver", REPO / "tests" / "gamedriver.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["gamedriver"] = module
        spec.loader.exec_module(module)
    return module


def random_action(driver, rng: random.Random) -> int:
    """One random thing a player (or a cat on the keyboard) does; returns the events posted."""
    app = driver.app
    width, height = app.size
    roll = rng.random()
    posted = 0
    if roll < 0.25 and app.top.widgets:
        # Aim at a widget half the time a click is made: buttons get pressed for real.
        widget = rng.choice(app.top.widgets)
        driver.click(widget.rect.center, frames=0)
        posted = 3
    elif roll < 0.35:
        driver.click((rng.randrange(width), rng.randrange(height)), frames=0)
        posted = 3
    elif roll < 0.6:
        points = [(rng.randrange(width), rng.randrange(height)) for _ in range(6)]
        driver.stroke(points, frames=0)
        posted = len(points) + 1
    elif roll < 0.68:
        # A press without release, or a release without press: half gestures.
        kind = rng.choice([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP])
        position = (rng.randrange(width), rng.randrange(height))
        driver.post(kind, pos=position, button=rng.choice([1, 1, 2, 3]))
        posted = 1
    elif roll < 0.95:
        mod = pygame.KMOD_LCTRL if rng.random() < 0.15 else 0
        driver.post(pygame.KEYDOWN, key=rng.choice(KEYS), mod=mod, unicode="", scancode=0)
        posted = 1
    else:
        # Sizes from nothing to far beyond the screen.
        size = rng.choice([(0, 0), (1, 1), (7000, 5000)]) if rng.random() < 0.1 else None
        size = size or (rng.randrange(500, 2000), rng.randrange(400, 1200))
        driver.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        posted = 1
    if rng.random() < 0.3:
        driver.frames(rng.randrange(1, 4))
    return posted


def scene_params() -> dict[str, dict]:
    """How each scene is opened for the fuzz: a short challenge, so that its results come."""
    from game.challenge import Challenge, Settings

    finished = Challenge(Settings(rounds=1, seconds=0.2))
    return {
        "title": {},
        "draw": {},
        "help": {},
        "stats": {},
        "challenge": {"rounds": 2, "seconds": 0.5},
        "challenge_results": {"challenge": finished, "best": None},
    }


def fuzz(events_per_scene: int = EVENTS_PER_SCENE, seed: int = SEED) -> Report:
    """Open each scene in turn and play random actions until `events_per_scene` were sent."""
    # Headless unless the caller chose a display: thousands of resizes are not for a screen.
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    driver_module = gamedriver()
    report = Report()
    rng = random.Random(seed)
    started = time.perf_counter()
    for name, params in scene_params().items():
        with tempfile.TemporaryDirectory() as folder:
            app = driver_module.make_app(Path(folder))
            driver = driver_module.Driver(app)
            try:
                driver.wait_ready()
                if name != "title":
                    app.push(name, **params)
                    driver.frames(1)
                _play(driver, rng, events_per_scene, report)
            finally:
                app.close()
    report.seconds = time.perf_counter() - started
    return report


def _play(driver, rng: random.Random, events: int, report: Report) -> None:
    app = driver.app
    sent = 0
    while sent < events:
        scene = type(app.top).__name__ if app.top is not None else "none"
        try:
            count = random_action(driver, rng)
        except Exception as error:  # noqa: BLE001 - what the fuzz is looking for
            count = 1
            where = traceback.extract_tb(error.__traceback__)[-1]
            report.exceptions.append(
                f"{scene}: {type(error).__name__}: {error} ({where.filename}:{where.lineno})"
            )
        sent += count
        report.events += count
        report.events_by_scene[scene] += count
        if not app.running or app.top is None:
            # Esc on the title quits: the monkey starts again, as a player would.
            report.quits += 1
            app.running = True
            if app.top is None:
                app.push("title")
                driver.frames(1)


def figures(repeat: int) -> Iterable[Figure]:
    # One run: the seed is fixed, so more runs would repeat the same events.
    report = fuzz()
    for line in report.exceptions[:20]:
        print(f"fuzz exception: {line}", file=sys.stderr)
    scenes = ", ".join(f"{name} {count}" for name, count in sorted(report.events_by_scene.items()))
    print(f"fuzz events by scene: {scenes}", file=sys.stderr)
    yield Figure("fuzz: events sent, all scenes (seed fixed)", "events", [report.events])
    yield Figure("fuzz: exceptions raised", "exceptions", [len(report.exceptions)], "0")
    yield Figure("fuzz: scenes reached", "scenes", [len(report.events_by_scene)])
    yield Figure("fuzz: run time", "s", [report.seconds])
