"""The real game in a real (virtual) X window: it opens, draws, and its screenshot is the window.

Starts Xvfb on a free display, runs `python -m game` there with DIGITS_SCREENSHOT set (the app
saves the window after a number of frames and exits 0), and checks the PNG.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from conftest import REPO, require_program
from gamedriver import SHIPPED_MODEL

from game.app import DEFAULT_SIZE


def free_display() -> int:
    for number in range(91, 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    pytest.fail("no free X display number between :91 and :199")


@pytest.fixture
def xvfb():
    program = require_program("Xvfb")
    number = free_display()
    server = subprocess.Popen(
        [program, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 15
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"Xvfb did not start on :{number}")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(10)


@pytest.mark.slow
def test_real_window_under_xvfb_saves_a_screenshot_of_itself(xvfb, tmp_path):
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    screenshot = tmp_path / "window.png"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    environment.update(
        DISPLAY=xvfb,
        SDL_AUDIODRIVER="dummy",
        DIGITS_SCREENSHOT=str(screenshot),
        DIGITS_SCREENSHOT_FRAMES="30",
    )
    result = subprocess.run(
        [sys.executable, "-m", "game", str(SHIPPED_MODEL), "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pygame.display.init()  # image loading wants a video system, here the dummy one
    image = pygame.image.load(str(screenshot))
    assert image.get_size() == DEFAULT_SIZE
    grid = [(x, y) for x in range(0, DEFAULT_SIZE[0], 7) for y in range(0, DEFAULT_SIZE[1], 7)]
    colours = {tuple(image.get_at(point)) for point in grid}
    assert len(colours) > 20, "the window is blank"


def _game(display: str, tmp_path: Path, model: Path, **extra: str) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    environment.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", **extra)
    return subprocess.Popen(
        [sys.executable, "-m", "game", str(model), "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_window_list_names_the_app_not_its_script(xvfb, tmp_path):
    """A taskbar groups and names windows by their class: "digit-recognizer", not "__main__.py"."""
    xwininfo = require_program("xwininfo")
    # A screenshot after so many frames that the window stays up while we look at it.
    shot = str(tmp_path / "shot.png")
    game = _game(
        xvfb, tmp_path, SHIPPED_MODEL, DIGITS_SCREENSHOT=shot, DIGITS_SCREENSHOT_FRAMES="99999"
    )
    try:
        deadline, line = time.monotonic() + 30, ""
        while "Digit Recognizer" not in line and time.monotonic() < deadline:
            tree = subprocess.run(
                [xwininfo, "-root", "-tree"], env={"DISPLAY": xvfb}, capture_output=True, text=True
            ).stdout
            line = next((row for row in tree.splitlines() if "Digit Recognizer" in row), "")
            time.sleep(0.1)
    finally:
        game.kill()
        game.wait()
    assert '"Digit Recognizer": ("digit-recognizer" "digit-recognizer")' in line, line


@pytest.mark.slow
def test_game_with_a_keras_model_ends_at_once_when_closed(xvfb, tmp_path):
    """TensorFlow's interpreter shutdown kept the process alive seconds after the window closed."""
    keras_model = SHIPPED_MODEL.with_suffix(".h5")
    if not keras_model.is_file():
        pytest.skip(f"no Keras model {keras_model}")
    # The startup report closes the window as soon as the model is ready.
    game = _game(xvfb, tmp_path, keras_model, DIGITS_STARTUP_REPORT="1")
    try:
        for line in game.stdout:
            if line.startswith("model_ready"):
                closed = time.monotonic()
                break
        code = game.wait(30)
        lingered = time.monotonic() - closed
    finally:
        game.kill()
    assert code == 0, game.stderr.read()
    # TensorFlow's own shutdown took 1.3 to 3.6 s; a quick exit takes about 0.2 s.
    assert lingered < 1.0, f"the process lived {lingered:.1f} s after the window closed"
