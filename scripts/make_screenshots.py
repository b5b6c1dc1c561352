"""Screenshots of the game for the README: a digit drawn, the prediction shown.

Runs the real app headless (SDL dummy video driver), draws with posted mouse events as a
player would, and saves the window. Run: python scripts/make_screenshots.py [OUT_DIR]
(default docs/); writes game.png (draw scene), title.png, answer.png (Classify's question) and
number.png (number mode, a year written with two digits joined).
"""

import math
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from game.app import App  # noqa: E402
from game.paths import default_model_path  # noqa: E402

# A hand-drawn looking "4": an open top, in canvas fractions, with a little wobble.
FOUR = [
    [(0.52, 0.16), (0.45, 0.3), (0.38, 0.44), (0.31, 0.58), (0.5, 0.585), (0.72, 0.58)],
    [(0.61, 0.3), (0.6, 0.48), (0.6, 0.66), (0.605, 0.84)],
]

# "2026" in number mode's wide canvas (fractions of it): the 2 runs on into the 0 without
# lifting the pen, then a 2 and a 6.
TWO = [(0.06, 0.3), (0.1, 0.2), (0.16, 0.19), (0.19, 0.28), (0.16, 0.42), (0.06, 0.72)]
TWO += [(0.17, 0.72)]
ZERO = [(0.3, 0.24), (0.34, 0.19), (0.39, 0.25), (0.4, 0.45), (0.38, 0.66)]
ZERO += [(0.33, 0.73), (0.28, 0.66), (0.27, 0.45), (0.3, 0.24)]
SIX = [(0.79, 0.18), (0.72, 0.35), (0.7, 0.55), (0.74, 0.71), (0.8, 0.7), (0.83, 0.58)]
SIX += [(0.79, 0.47), (0.73, 0.5), (0.71, 0.58)]
YEAR = [TWO + ZERO, [(x + 0.41, y) for x, y in TWO], SIX]


def post(kind: int, **attributes) -> None:
    pygame.event.post(pygame.event.Event(kind, **attributes))


def draw_strokes(app: App, strokes) -> None:
    canvas = app.top.rects["canvas"]
    for stroke in strokes:
        points = []
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            for step in range(8):  # a mouse reports many positions along the way
                t = step / 8
                wobble = math.sin((x0 + y0 + t) * 17) * 0.002
                points.append((x0 + (x1 - x0) * t + wobble, y0 + (y1 - y0) * t))
        points.append(stroke[-1])
        pixels = [(int(canvas.x + x * canvas.w), int(canvas.y + y * canvas.h)) for x, y in points]
        post(pygame.MOUSEBUTTONDOWN, pos=pixels[0], button=1)
        for pixel in pixels[1:]:
            post(pygame.MOUSEMOTION, pos=pixel, rel=(0, 0), buttons=(1, 0, 0))
        post(pygame.MOUSEBUTTONUP, pos=pixels[-1], button=1)
        app.run_frames(2)


def settle(app: App, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.step()
        time.sleep(1 / 120)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        app = App(default_model_path(), history_file=Path(data_dir) / "history.sqlite3")
        try:
            if not app.predictor.wait_ready(120):
                raise SystemExit(app.predictor.error)
            settle(app, 0.2)
            app.save_screenshot(out / "title.png")
            post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0)
            app.run_frames(2)
            draw_strokes(app, FOUR)
            canvas = app.top.rects["canvas"]
            pygame.mouse.set_pos((canvas.x + int(canvas.w * 0.8), canvas.y + int(canvas.h * 0.3)))
            settle(app)
            app.save_screenshot(out / "game.png")
            post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0)
            settle(app, 0.3)
            app.save_screenshot(out / "answer.png")
        finally:
            app.close()
        app = App(
            default_model_path(), history_file=Path(data_dir) / "history.sqlite3", start="number"
        )
        try:
            if not app.predictor.wait_ready(120):
                raise SystemExit(app.predictor.error)
            draw_strokes(app, YEAR)
            settle(app)
            app.save_screenshot(out / "number.png")
        finally:
            app.close()
    print(f"wrote title.png, game.png, answer.png and number.png to {out}")


if __name__ == "__main__":
    main()
