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
