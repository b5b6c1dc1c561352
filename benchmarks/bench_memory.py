"""Resident memory of the game in each scene, and of the bundle's self-test (issue 15).

Each scene is measured in a fresh interpreter (what an earlier scene allocated must not count),
headless (SDL dummy video driver), with the shipped model through the real loader:

- the title, a second after the model is ready;
- the draw scene while a script draws for `--seconds` (default 60): a digit every 100 frames at
  60 frames a second, four mouse positions a frame, then Enter to classify, Enter to confirm
  (a history row), R to clear; the figure is the resident memory at the end, and its peak;
- the statistics scene, opened on the history the drawing session wrote;
- the self-test, `python -m game --self-test` and, where a bundle is built (DIGITS_BUNDLE or
  dist/digit-recognizer), the executable's `--self-test`: peak resident memory (max RSS).

RSS counts every page the process has in memory, shared libraries included; USS only the pages
no other process shares (psutil's `uss`, or the private pages of /proc/self/smaps_rollup).
Memory is in MB (10^6 bytes), as the goal is stated.

    python -m benchmarks memory                       (with the other topics' runner)
    python -m benchmarks.bench_memory --seconds 10    (a quick run; prints the table)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from benchmarks.runner import Figure, table

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000
FPS = 60
DRAW_SECONDS = 60.0
TARGET = "<= 80 MB"
SCENES = ("title", "draw", "stats")


def figures(repeat: int, seconds: float | None = None) -> Iterable[Figure]:
    seconds = seconds or float(os.environ.get("DIGITS_BENCH_DRAW_SECONDS", DRAW_SECONDS))
    samples: dict[str, list[dict[str, float]]] = {scene: [] for scene in SCENES}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as data_dir:
            # In this order: the stats scene reads the history the drawing session wrote.
            for scene in SCENES:
                samples[scene].append(_scene_in_fresh_python(scene, Path(data_dir), seconds))
    names = {
        "title": "at the title",
        "draw": f"drawing for {seconds:g} s",
        "stats": "in the statistics scene",
    }
    for scene, runs in samples.items():
        yield Figure(f"RSS {names[scene]}", "MB", [run["rss"] / MB for run in runs], TARGET)
        if all(run.get("uss") for run in runs):
            yield Figure(f"USS {names[scene]}", "MB", [run["uss"] / MB for run in runs])
        yield Figure(f"peak RSS {names[scene]}", "MB", [run["peak"] / MB for run in runs])
    draw = samples["draw"]
    yield Figure(
        f"RSS growth over the drawing session (last {seconds / 2:g} s)",
        "MB",
        [run["growth"] / MB for run in draw],
        "~0 (no leak)",
    )
    yield Figure(
        "peak RSS of python -m game --self-test",
        "MB",
        [_peak_rss([sys.executable, "-m", "game", "--self-test"]) / MB for _ in range(repeat)],
        TARGET,
    )
    bundle = _bundle_executable()
    if bundle is None:
        print("bench_memory: no built bundle (make bundle); no bundle figure", file=sys.stderr)
        return
    yield Figure(
        "peak RSS of the bundle's --self-test",
        "MB",
        [_peak_rss([str(bundle), "--self-test"]) / MB for _ in range(repeat)],
        TARGET,
    )


# In the child interpreter -----------------------------------------------------------------------


def memory_now() -> dict[str, float]:
    """This process' resident memory: rss, peak (high-water mark) and uss, in bytes."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        info = psutil.Process().memory_full_info()
        peak = getattr(info, "peak_wset", None) or _status_kib("VmHWM") * 1024
        return {"rss": info.rss, "uss": info.uss, "peak": peak}
    private = sum(_rollup_kib(key) for key in ("Private_Clean", "Private_Dirty"))
    return {
        "rss": _status_kib("VmRSS") * 1024,
        "uss": private * 1024,
        "peak": _status_kib("VmHWM") * 1024,
    }


def _status_kib(key: str) -> int:
    return _proc_kib("/proc/self/status", key)


def _rollup_kib(key: str) -> int:
    return _proc_kib("/proc/self/smaps_rollup", key)


def _proc_kib(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii") as file:
            for line in file:
                name, _, value = line.partition(":")
                if name == key:
                    return int(value.split()[0])
    except OSError:
        pass
    return 0


def measure_scene(scene: str, data_dir: Path, seconds: float) -> dict[str, float]:
    """Open the game at `scene` and return its memory there (run in a fresh interpreter)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.__main__ import lean_environment

    lean_environment()  # what `python -m game` sets before pygame and numpy load
    from game.app import App
    from game.paths import default_model_path

    app = App(default_model_path(), history_file=data_dir / "history.sqlite3")
    try:
        if not app.predictor.wait_ready(120):
            raise RuntimeError(app.predictor.error)
        growth = 0.0
        if scene == "title":
            _play(app, 1.0)
        elif scene == "draw":
            app.push("draw")
            app.step(1 / FPS)  # scene changes take effect at the end of a frame
            _play(app, seconds / 2, drawing=True)
            halfway = memory_now()["rss"]
            _play(app, seconds / 2, drawing=True, start_frame=int(seconds / 2 * FPS))
            growth = memory_now()["rss"] - halfway
        elif scene == "stats":
            app.push("stats")
            app.step(1 / FPS)
            _play(app, 1.0)
        else:
            raise ValueError(f"no scene {scene!r}; one of {SCENES}")
        return {**memory_now(), "growth": growth}
    finally:
        app.close()


def _play(app, seconds: float, drawing: bool = False, start_frame: int = 0) -> None:
    """Run the app's frames at 60 a second for `seconds`, drawing digits if asked: each one
    classified (Enter), confirmed (Enter) and cleared (R), so history rows are written too."""
    import pygame

    from benchmarks.bench_game import post_drawing_events

    keys = {84: pygame.K_RETURN, 90: pygame.K_RETURN, 96: pygame.K_r}
    clock = pygame.time.Clock()
    canvas = app.top.rects.get("canvas") if drawing else None
    for frame in range(start_frame, start_frame + int(seconds * FPS)):
        if canvas is not None:
            post_drawing_events(frame, canvas, keys)
        if not app.step(1 / FPS):
            raise RuntimeError(f"the game closed during the session: {app.error}")
        clock.tick(FPS)


# In the parent --------------------------------------------------------------------------------


def _scene_in_fresh_python(scene: str, data_dir: Path, seconds: float) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.bench_memory", "--scene", scene]
    command += ["--data-dir", str(data_dir), "--seconds", str(seconds)]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    result = subprocess.run(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True, timeout=900
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _peak_rss(command: list[str]) -> int:
    """Peak resident memory (bytes) of one run of `command`, which must succeed."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # wait4 gives this child's own usage (RUSAGE_CHILDREN would be the max of all children).
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    return usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024


def _bundle_executable() -> Path | None:
    folder = Path(os.environ.get("DIGITS_BUNDLE", REPO / "dist" / "digit-recognizer"))
    executable = folder / "digit-recognizer"
    return executable if executable.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_memory", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seconds", type=float, default=DRAW_SECONDS, help="drawing session")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (default 1)")
    parser.add_argument("--scene", choices=SCENES, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.repeat < 1:
        parser.error("--seconds must be positive and --repeat at least 1")
    if args.scene:
        data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="bench-memory-"))
        print(json.dumps(measure_scene(args.scene, data_dir, args.seconds)), flush=True)
        return 0
    print(table(figures(args.repeat, args.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
