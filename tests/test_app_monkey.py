"""A monkey plays: thousands of random clicks, drags, keys and resizes, and nothing breaks.

The random actions are benchmarks/bench_fuzz.py's (`python -m benchmarks fuzz` reports them).
"""

import random

import pytest
from gamedriver import Driver, make_app

from benchmarks.bench_fuzz import fuzz, random_action

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
            random_action(driver, rng)
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


def test_fuzz_reaches_every_scene_and_raises_nothing():
    report = fuzz(events_per_scene=40)
    assert report.exceptions == []
    assert report.events >= 6 * 40
    assert {"TitleScene", "DrawScene", "StatsScene", "ChallengeScene"} <= set(
        report.events_by_scene
    )
