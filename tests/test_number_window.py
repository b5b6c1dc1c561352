"""Number mode in the real (virtual) X window, driven like a person: xdotool moves the mouse and
presses keys in `python -m game` under Xvfb; the history then holds the number and its digits."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, require_program
from gamedriver import SHIPPED_MODEL
from test_window_xvfb import xvfb  # noqa: F401 (the fixture)

from game.app import DEFAULT_SIZE
from game.scenes.number import number_layout


def xdotool(display: str, *arguments: str) -> str:
    result = subprocess.run(
        [require_program("xdotool"), *arguments],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def write(display: str, origin: tuple[int, int], points: list[tuple[float, float]]) -> None:
    """One pen stroke through window points, pressed at the first and released at the last."""
    x0, y0 = origin
    xdotool(display, "mousemove", str(x0 + int(points[0][0])), str(y0 + int(points[0][1])))
    xdotool(display, "mousedown", "1")
    for x, y in points[1:]:
        xdotool(display, "mousemove", str(x0 + int(x)), str(y0 + int(y)))
        time.sleep(0.01)  # a few frames between moves, as a hand gives
    xdotool(display, "mouseup", "1")
    time.sleep(0.2)


def screenshot(display: str, path: Path) -> None:
    """The whole virtual screen as a PNG, where ImageMagick's `import` is installed (for a
    person to look at: the window as the X server shows it)."""
    program = shutil.which("import")
    if program is not None:
        environment = {**os.environ, "DISPLAY": display}
        command = [program, "-window", "root", str(path)]
        subprocess.run(command, env=environment, timeout=30, check=False)


def labelled_numbers(database: Path) -> list[tuple]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        try:
            return connection.execute(
                "SELECT n.reading, n.label, d.position, d.label, d.strokes FROM numbers n"
                " JOIN number_digits d ON d.number_id = n.id WHERE n.label IS NOT NULL"
                " ORDER BY d.position"
            ).fetchall()
        except sqlite3.OperationalError:  # the tables are not made yet
            return []


@pytest.mark.slow
def test_a_number_written_with_the_mouse_in_the_real_window_is_recorded(xvfb, tmp_path):  # noqa: F811
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    require_program("xdotool")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    environment.update(DISPLAY=xvfb, SDL_AUDIODRIVER="dummy")
    game = subprocess.Popen(
        [sys.executable, "-m", "game", str(SHIPPED_MODEL), "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        window = xdotool(xvfb, "search", "--sync", "--pid", str(game.pid)).split()[0]
        geometry = xdotool(xvfb, "getwindowgeometry", "--shell", window)
        position = dict(line.split("=") for line in geometry.split())
        origin = (int(position["X"]), int(position["Y"]))
        time.sleep(3)  # the model loads
        xdotool(xvfb, "mousemove", str(origin[0] + 5), str(origin[1] + 5))
        xdotool(xvfb, "key", "--window", window, "Return")  # title -> draw
        time.sleep(0.5)
        xdotool(xvfb, "key", "--window", window, "n")  # draw -> number mode
        time.sleep(0.5)
        canvas = number_layout(DEFAULT_SIZE)["canvas"]
        height = canvas.height * 0.6
        top = canvas.centery - height / 2
        # "10": a one's down stroke, then a zero well to its right.
        one_x = canvas.x + canvas.width * 0.3
        write(xvfb, origin, [(one_x, top + height * t) for t in np.linspace(0, 1, 12)])
        centre_x = canvas.x + canvas.width * 0.45
        ring = np.linspace(-np.pi / 2, 1.6 * np.pi, 30)
        zero = [
            (centre_x + height * 0.3 * np.cos(a), canvas.centery + height * 0.5 * np.sin(a))
            for a in ring
        ]
        write(xvfb, origin, zero)
        time.sleep(1)
        xdotool(xvfb, "key", "--window", window, "Return")  # classify
        time.sleep(1)
        screenshot(xvfb, tmp_path / "number-mode.png")
        xdotool(xvfb, "key", "--window", window, "Return")  # yes, it was 10
        deadline = time.monotonic() + 20
        rows = []
        while not rows and time.monotonic() < deadline:
            rows = labelled_numbers(tmp_path / "history.sqlite3")
            time.sleep(0.2)
        assert game.poll() is None, game.stderr.read().decode()
    finally:
        game.terminate()
        game.wait(20)
    assert [(r[0], r[1]) for r in rows] == [("10", "10")] * 2, rows
    assert [(r[2], r[3]) for r in rows] == [(0, 1), (1, 0)]
    assert all(len(r[4]) > 10 for r in rows), "each digit keeps its strokes"
