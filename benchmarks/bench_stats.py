"""The statistics scene with a big history: how long it takes to open, and the frame time while
it is shown. The history holds 10,000 drawings (MNIST test digits with the shipped model's
answers, most of them labelled), made once per run in a temporary folder.

    python -m benchmarks stats
"""

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.drawn_digits import mnist_path
from benchmarks.runner import Figure, repeated, timed

DRAWINGS = 10_000
FRAMES = 300


def fill_history(path: Path, count: int = DRAWINGS, seed: int = 0) -> None:
    """A history of `count` drawings: the schema made by the game's own History, the rows written
    in one transaction (row by row with a commit each would only make the set-up slow)."""
    from game.history import History

    rng = np.random.default_rng(seed)
    mnist = mnist_path()
    if mnist is not None:
        with np.load(mnist) as data:
            images, labels = data["x_test"], data["y_test"]
    else:
        images = rng.integers(0, 256, (1000, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, 1000)
    History.open(path).close()
    rows = []
    for index in range(count):
        source = index % len(images)
        label = int(labels[source])
        prediction = label if rng.random() < 0.93 else int(rng.integers(10))
        probabilities = np.full(10, 0.01, dtype="<f4")
        probabilities[prediction] = 0.91
        answered = rng.random() < 0.85
        rows.append(
            (
                "2026-11-25T04:00:00.000+00:00",
                "a" * 64,
                images[source].tobytes(),
                probabilities.tobytes(),
                prediction,
                label if answered else None,
                float(rng.gamma(4.0, 0.25)),
                "challenge" if index % 5 == 0 else "free",
            )
        )
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO drawings (created_at, model_sha256, image, probabilities, prediction,"
            " label, latency_ms, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    connection.close()


def open_scene(app, page_frames: list[float] | None = None) -> float:
    """Seconds from asking for the stats scene to the frame that shows the statistics; the
    duration of that frame (it draws the page) goes to `page_frames`."""
    start = time.perf_counter()
    app.push("stats")
    while True:
        app.step()
        scene = app.top
        if getattr(scene, "page", None) is not None:
            elapsed = time.perf_counter() - start
            if page_frames is not None:
                page_frames.append(app.frame_seconds * 1000)
            app.pop()
            app.step()
            return elapsed
        if time.perf_counter() - start > 30:
            raise RuntimeError("the statistics never arrived")
        time.sleep(0.0005)


def figures(repeat: int) -> Iterable[Figure]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from game.app import App
    from game.history import History
    from game.paths import default_model_path
    from game.stats import load_stats

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "history.sqlite3"
        fill_history(database)
        yield repeated(
            f"stats: statistics query, {DRAWINGS:,} drawings",
            "ms",
            lambda: timed(lambda: load_stats(database)) * 1000,
            repeat,
        )

        def read_every_row() -> float:
            with History.open_readonly(database) as history:
                return timed(lambda: history.drawings()) * 1000

        yield repeated(
            f"stats: for comparison, reading all {DRAWINGS:,} rows", "ms", read_every_row, repeat
        )
        # The shipped model and its card, as a player opens the scene.
        app = App(default_model_path(), history_file=database)
        try:
            app.predictor.wait_ready(30)
            app.run_frames(3)
            page_frames: list[float] = []
            yield repeated(
                f"stats: open the scene, {DRAWINGS:,} drawings",
                "ms",
                lambda: open_scene(app, page_frames) * 1000,
                repeat,
                "< 100 ms",
            )
            yield Figure("stats: the frame that draws the page", "ms", page_frames, "< 33")
            app.push("stats")
            while getattr(app.top, "page", None) is None:
                app.step()
                time.sleep(0.001)
            frames = []
            for _ in range(FRAMES):
                app.step()
                frames.append(app.frame_seconds * 1000)
            yield Figure(f"stats: frame time while shown ({FRAMES} frames)", "ms", frames, "< 16.7")
        finally:
            app.close()


def fill_with_drawn_digits(path: Path, count: int = 400, seed: int = 0) -> None:
    """A history as a player would leave it, for the README picture: drawing-like digits (the
    robustness benchmark's "combined" set) read by the shipped model through the game's own
    Reader and History, most of them answered with their true digit."""
    from benchmarks.drawn_digits import BENCH_CACHE, mnist_test_set
    from benchmarks.mnist_strokes import robustness_sets
    from game.history import History
    from game.reader import NOT_A_DIGIT, Reader

    mnist = mnist_path()
    if mnist is None:
        raise SystemExit("No MNIST (set DIGITS_MNIST); cannot make the picture's history.")
    x, y = mnist_test_set(mnist)
    images, labels = robustness_sets(x, y, seed=0, names=("combined",), cache_dir=BENCH_CACHE)[
        "combined"
    ]
    rng = np.random.default_rng(seed)
    reader = Reader.load()
    picks = rng.choice(len(images), count, replace=False)
    with History.open(path) as history:
        for number, index in enumerate(picks):
            start = time.perf_counter()
            (answer,) = reader.read_images(images[index][np.newaxis])
            latency_ms = (time.perf_counter() - start) * 1000
            read = NOT_A_DIGIT if answer.digit is None else answer.digit
            label = int(labels[index]) if rng.random() < 0.85 else None
            mode = "challenge" if number % 5 == 0 else "free"
            history.add(
                images[index], answer.probabilities, read, latency_ms, reader.info.sha256,
                mode, label,
            )  # fmt: skip
        for score, streak in ((870, 5), (1105, 4), (640, 3)):
            history.record_score(score, 10, streak)


def save_stats_screenshot(out: Path) -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from game.app import App
    from game.paths import default_model_path

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "history.sqlite3"
        fill_with_drawn_digits(database)
        app = App(default_model_path(), history_file=database)
        try:
            app.predictor.wait_ready(30)
            app.run_frames(2)
            app.push("stats")
            deadline = time.monotonic() + 30
            while getattr(app.top, "page", None) is None and time.monotonic() < deadline:
                app.step()
                time.sleep(0.005)
            app.run_frames(3)
            app.save_screenshot(out)
        finally:
            app.close()


class _StoppedClock:
    """A clock the picture sets by hand, so the countdown shows the same time on every run."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


SEVEN = [(0.05, 0.02), (0.5, 0.0), (0.95, 0.02), (0.7, 0.4), (0.5, 0.75), (0.4, 1.0)]
ONE = [(0.3, 0.18), (0.55, 0.0), (0.55, 1.0)]
ZERO = [
    (0.5 + 0.38 * np.sin(t * np.pi / 24), 0.5 - 0.5 * np.cos(t * np.pi / 24)) for t in range(49)
]
# random.Random(668) asks 7, 1, 0, then 7: three rounds the picture can win, then a 7 half drawn.
CHALLENGE_SEED = 668


def save_challenge_screenshot(out: Path) -> None:
    """Challenge mode mid-round with the shipped model: three rounds won, a 7 half drawn."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import random

    import pygame

    from game.app import App
    from game.paths import default_model_path

    clock = _StoppedClock()
    with tempfile.TemporaryDirectory() as folder:
        app = App(default_model_path(), history_file=Path(folder) / "history.sqlite3")
        try:
            app.predictor.wait_ready(30)
            app.run_frames(2)
            app.push("challenge", clock=clock, rng=random.Random(CHALLENGE_SEED))
            app.run_frames(3)
            scene = app.top

            def draw(shape, part: float = 1.0) -> None:
                canvas = scene.rects["canvas"]
                points = shape[: max(2, int(len(shape) * part))]
                points = [
                    (
                        round(canvas.x + (0.2 + x * 0.56) * canvas.w),
                        round(canvas.y + (0.12 + y * 0.7) * canvas.h),
                    )
                    for x, y in points
                ]
                pygame.event.post(
                    pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=1)
                )
                for point in points[1:]:
                    pygame.event.post(
                        pygame.event.Event(
                            pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(1, 0, 0)
                        )
                    )
                pygame.event.post(
                    pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=1)
                )
                for _ in range(20):
                    app.step()
                    time.sleep(0.01)

            for seconds, shape in ((3.2, SEVEN), (4.1, ONE), (5.0, ZERO)):
                clock.now += seconds
                draw(shape)
                clock.now += 2.0
                app.run_frames(3)
            clock.now += 7.6
            draw(SEVEN, 0.5)
            app.save_screenshot(out)
        finally:
            app.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_stats",
        description="Save the statistics scene and challenge mode as PNGs (README pictures).",
    )
    parser.add_argument("--screenshot", type=Path, default=Path("docs") / "stats.png")
    parser.add_argument(
        "--challenge-screenshot",
        type=Path,
        help="also save challenge mode mid-round as this PNG (docs/challenge.png)",
    )
    args = parser.parse_args(argv)
    save_stats_screenshot(args.screenshot)
    print(f"wrote {args.screenshot}")
    if args.challenge_screenshot:
        save_challenge_screenshot(args.challenge_screenshot)
        print(f"wrote {args.challenge_screenshot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
