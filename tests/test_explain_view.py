"""Why it read what it read, in the game: X colours the strokes, a bar asks about another digit.

The shipped model through the real worker thread; what the player sees is checked on the
window's own pixels, saved with app.save_screenshot as the screenshot hook does.
"""

import os
import subprocess
import sys
import time

import pygame
import pytest
from conftest import REPO
from gamedriver import SHIPPED_MODEL, Driver, make_app, running
from test_window_xvfb import xvfb  # noqa: F401 - the fixture

from game.predictor import default_loader
from game.scenes.prediction_view import bars_rect

# A 7 in two strokes, in fractions of the canvas: the stem first, then the bar.
STEM = [(0.75, 0.2), (0.45, 0.85)]
BAR = [(0.3, 0.2), (0.75, 0.2)]


@pytest.fixture
def driver(tmp_path):
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    with running(make_app(tmp_path, model=SHIPPED_MODEL, loader=default_loader)) as driver:
        driver.key(pygame.K_RETURN, frames=2)
        driver.canvas_stroke(STEM)
        driver.canvas_stroke(BAR)
        yield driver


def explained(driver: Driver, target: int, timeout: float = 10.0):
    """Step frames until the scene holds an explanation of `target` for the strokes as they are."""
    scene = driver.scene
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        driver.frames(1)
        prediction = scene.prediction
        if (
            prediction is not None
            and prediction.version == scene.canvas.version
            and prediction.explanation is not None
            and prediction.explanation.target == target
        ):
            driver.frames(2)
            return prediction.explanation
        time.sleep(0.002)
    raise AssertionError(f"no explanation of {target} arrived")


def shot(driver: Driver, path) -> pygame.Surface:
    driver.app.save_screenshot(path)
    return pygame.image.load(str(path))


def bar_middle(driver: Driver) -> tuple[int, int]:
    canvas = driver.scene.rects["canvas"]
    return (int(canvas.x + 0.52 * canvas.w), int(canvas.y + 0.2 * canvas.h))


def tint(colour) -> str:
    r, g, b = colour[:3]
    if g > r + 40 and b > r + 20:
        return "teal"
    if r > g + 40 and r > b + 40:
        return "red"
    return "plain"


def test_explanations_are_off_until_asked_then_colour_the_deciding_bar(driver, tmp_path):
    prediction = driver.wait_prediction()
    assert prediction.digit == 7 and prediction.explanation is None
    before = shot(driver, tmp_path / "off.png")
    assert tint(before.get_at(bar_middle(driver))) == "plain"

    driver.key(pygame.K_x)
    explanation = explained(driver, 7)
    assert explanation.deciding is explanation.strokes[1]  # the bar
    after = shot(driver, tmp_path / "why-7.png")
    assert tint(after.get_at(bar_middle(driver))) == "teal"
    # The occlusion map lies over "what the model sees": some of its pixels turn teal.
    sees = driver.scene.rects["sees"]
    box = pygame.Rect(sees.x + 18, sees.y + 38, 28 * 4, 28 * 4)
    tints = {tint(after.get_at((x, y))) for x in range(box.x, box.right, 2) for y in (box.y,)}
    tints |= {
        tint(after.get_at((x, y)))
        for x in range(box.x, box.right, 3)
        for y in range(box.y, box.bottom, 3)
    }
    assert "teal" in tints

    driver.key(pygame.K_x)
    driver.frames(3)
    assert tint(shot(driver, tmp_path / "off-again.png").get_at(bar_middle(driver))) == "plain"


def test_a_click_on_the_bar_of_one_asks_why_not_one(driver, tmp_path):
    driver.wait_prediction()
    bars = bars_rect(driver.scene.rects["prediction"])
    driver.click((bars.x + bars.width * 0.15, bars.bottom - 6))
    explanation = explained(driver, 1)
    assert explanation.strokes[1].speaks_against
    picture = shot(driver, tmp_path / "why-not-1.png")
    assert tint(picture.get_at(bar_middle(driver))) == "red"
    assert explanation.sentence == "Without the marked stroke it reads 1."


def test_shift_and_a_digit_explains_that_digit(driver):
    driver.wait_prediction()
    driver.key(pygame.K_1, mod=pygame.KMOD_LSHIFT)
    assert explained(driver, 1).target == 1
    driver.key(pygame.K_1, mod=pygame.KMOD_LSHIFT)  # the same again: back to the answer
    assert explained(driver, 7).target == 7


# The same in a real X window (Xvfb): the app is driven in a child process with a display.
WINDOW_SCRIPT = """
import sys, pygame
sys.path.insert(0, "tests")
from gamedriver import SHIPPED_MODEL, Driver, make_app
from test_explain_view import BAR, STEM, explained
from game.predictor import default_loader
from pathlib import Path
out = Path(sys.argv[1])
app = make_app(out.parent, model=SHIPPED_MODEL, loader=default_loader)
assert pygame.display.get_driver() == "x11", pygame.display.get_driver()
driver = Driver(app)
driver.wait_ready()
driver.key(pygame.K_RETURN, frames=2)
driver.canvas_stroke(STEM)
driver.canvas_stroke(BAR)
driver.key(pygame.K_x)
explained(driver, 7)
app.save_screenshot(out)
canvas = driver.scene.rects["canvas"]
print(tuple(app.surface.get_at((int(canvas.x + 0.52 * canvas.w), int(canvas.y + 0.2 * canvas.h)))))
app.close()
"""


@pytest.mark.slow
def test_the_overlay_appears_in_a_real_window(xvfb, tmp_path):  # noqa: F811
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    environment.update(DISPLAY=xvfb, SDL_AUDIODRIVER="dummy")
    result = subprocess.run(
        [sys.executable, "-c", WINDOW_SCRIPT, str(tmp_path / "window-why-7.png")],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    colour = [int(v) for v in result.stdout.strip().splitlines()[-1].strip("()").split(",")]
    assert tint(colour) == "teal"
    assert (tmp_path / "window-why-7.png").is_file()
