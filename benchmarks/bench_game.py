"""The game window: how soon it shows, how soon the model is ready in it, and frame times.

- Process start to first frame drawn, and to the model ready, for `python -m game` with the
  ONNX and the Keras model (assets/model.onnx, assets/model.h5; DIGITS_BENCH_MODEL names
  another .onnx, its .h5 sibling used for Keras). The app prints both moments when
  DIGITS_STARTUP_REPORT=1 and closes once the model is ready.
- Frame time over a scripted 10-second drawing session at 60 frames a second, live prediction
  on: digits drawn with several mouse positions per frame, as a real mouse reports them.
Headless (SDL dummy video driver): no screen needed, and the figures exclude the display's
vsync wait.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from benchmarks.runner import Figure
from game.paths import default_model_path

SESSION_SECONDS = 10.0
FPS = 60


def _model_paths() -> dict[str, Path]:
    onnx = Path(os.environ.get("DIGITS_BENCH_MODEL", default_model_path()))
    return {"ONNX": onnx, "Keras": onnx.with_suffix(".h5")}


def startup_seconds(model: Path) -> tuple[float, float, float]:
    """(first frame, model ready) in seconds after the process was started, and the CPU time
    the process had used at its first frame (what it costs, however busy the machine)."""
    environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    environment["DIGITS_STARTUP_REPORT"] = "1"
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-m", "game", str(model), "--data-dir", data_dir],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
    moments = {}
    for line in result.stdout.splitlines():
        if line.startswith(("first_frame ", "model_ready ")):
            name, wall, cpu = line.split()
            moments[name] = (float(wall), float(cpu))
    if result.returncode != 0 or "model_ready" not in moments:
        raise RuntimeError(f"the game did not start: {result.stderr.strip()[-300:]}")
    first, ready = moments["first_frame"], moments["model_ready"]
    return first[0] - started, ready[0] - started, first[1]


def drawing_session(
    model: Path, seconds: float = SESSION_SECONDS, keys_first: tuple[int, ...] = ()
) -> tuple[list[float], list[float]]:
    """Frame times and frame CPU times (ms) of the draw scene while a script draws digits;
    `keys_first` are pressed once the scene is open (X: explanations on)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from game.app import App

    with tempfile.TemporaryDirectory() as data_dir:
        app = App(model, history_file=Path(data_dir) / "history.sqlite3")
        try:
            if not app.predictor.wait_ready(120):
                raise RuntimeError(app.predictor.error)
            app.push("draw")
            app.run_frames(2)
            for key in keys_first:
                pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0))
                app.run_frames(1)
            canvas = app.top.rects["canvas"]
            frames, cpu = [], []
            clock = pygame.time.Clock()
            for frame in range(int(seconds * FPS)):
                post_drawing_events(frame, canvas)
                app.step(1 / FPS)
                frames.append(app.frame_seconds * 1000)
                cpu.append(app.frame_cpu_seconds * 1000)
                clock.tick(FPS)
            return frames, cpu
        finally:
            app.close()


def post_drawing_events(frame: int, canvas, keys: dict[int, int] | None = None) -> None:
    """One frame's input: a zig-zag digit over 80 frames (a 240 Hz mouse), then lift and the
    keys `keys` names by frame of the 100 (default: R at 95 to clear), and again."""
    import pygame

    phase = frame % 100
    keys = {95: pygame.K_r} if keys is None else keys
    if phase >= 80:
        if phase in keys:
            for kind in (pygame.KEYDOWN, pygame.KEYUP):
                pygame.event.post(pygame.event.Event(kind, key=keys[phase], mod=0, unicode=""))
        return
    for sub in range(4):  # a 240 Hz mouse: four positions a frame
        t = (phase + sub / 4) / 80
        x = canvas.x + canvas.w * (0.25 + 0.5 * abs((t * 3) % 2 - 1))
        y = canvas.y + canvas.h * (0.15 + 0.7 * t)
        if phase == 0 and sub == 0:
            kind, extra = pygame.MOUSEBUTTONDOWN, {"button": 1}
        else:
            kind, extra = pygame.MOUSEMOTION, {"rel": (0, 0), "buttons": (1, 0, 0)}
        pygame.event.post(pygame.event.Event(kind, pos=(int(x), int(y)), **extra))
    if phase == 79:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(int(x), int(y)), button=1))


def figures(repeat: int) -> Iterable[Figure]:
    for backend, model in _model_paths().items():
        if not model.is_file():
            print(f"bench_game: {model} is missing; no {backend} figures", file=sys.stderr)
            continue
        runs = [startup_seconds(model) for _ in range(repeat)]
        first, ready, cpu = (list(column) for column in zip(*runs, strict=True))
        yield Figure(f"game start to first frame, {backend}", "s", first, "< 1 s")
        yield Figure(f"CPU time to first frame, {backend}", "s", cpu)
        target = "< 0.5 s" if backend == "ONNX" else ""
        yield Figure(f"game start to model ready, {backend}", "s", ready, target)
    model = _model_paths()["ONNX"]
    if model.is_file():
        medians, worst, over, cpu_worst = [], [], [], []
        for _ in range(repeat):
            frames, cpu = drawing_session(model)
            frames = sorted(frames)
            medians.append(frames[len(frames) // 2])
            worst.append(frames[-1])
            over.append(sum(frame > 1000 / 30 for frame in frames))
            cpu_worst.append(max(cpu))
        yield Figure("frame time drawing, live prediction, median", "ms", medians, "< 16.7 ms")
        yield Figure("frame time drawing, live prediction, worst", "ms", worst, "<= 33 ms")
        yield Figure("frames over 33 ms in a 10 s session", "frames", over, "0")
        # The game's own work per frame, whatever else the machine is doing.
        yield Figure("frame CPU time drawing, worst", "ms", cpu_worst, "<= 33 ms")
