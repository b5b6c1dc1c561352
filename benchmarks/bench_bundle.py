"""The standalone executable: folder size, start-up time, peak memory (issue 7).

Measures DIGITS_BUNDLE (a built dist/digit-recognizer folder) or dist/digit-recognizer; if there
is none, builds one from build.spec into a temporary folder first. DIGITS_BENCH_ONEFILE=1 also
builds and measures the single-file variant, for comparison. Linux and macOS (os.wait4).
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from benchmarks.runner import Figure, repeated

REPO = Path(__file__).resolve().parent.parent
NAME = "digit-recognizer"
MIB = 1024 * 1024


def figures(repeat: int) -> Iterable[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as scratch:
        scratch = Path(scratch)
        folder = _bundle_folder(scratch)
        executable = folder / NAME
        yield Figure("bundle folder size", "MiB", [_size(folder) / MIB], "<= 150 MB")
        yield repeated(
            "bundle --self-test (start to prediction, exit)",
            "s",
            lambda: _run(executable, ["--self-test"], scratch).wall,
            repeat,
            "< 0.5 s",
        )
        yield repeated(
            "bundle --self-test CPU time (load-independent)",
            "s",
            lambda: _run(executable, ["--self-test"], scratch).cpu,
            repeat,
        )
        with _display() as (display, display_env):
            windows = [_window_run(executable, scratch, display_env) for _ in range(repeat)]
        yield Figure(
            f"bundle start to first frame ({display})",
            "s",
            [w["first_frame"] for w in windows],
            "< 0.5 s",
        )
        yield Figure(
            f"bundle start to model ready ({display})",
            "s",
            [w["model_ready"] for w in windows],
            "< 0.5 s",
        )
        yield Figure(
            f"bundle window CPU time to model ready ({display})", "s", [w["cpu"] for w in windows]
        )
        yield repeated(
            "bundle --self-test peak memory (max RSS)",
            "MiB",
            lambda: _run(executable, ["--self-test"], scratch).max_rss / MIB,
            repeat,
            "< 100 MB",
        )
        yield Figure(
            f"bundle window peak memory, max RSS ({display})",
            "MiB",
            [w["max_rss"] / MIB for w in windows],
            "< 100 MB",
        )
        if os.environ.get("DIGITS_BENCH_ONEFILE") == "1":
            yield from _onefile_figures(scratch, repeat)


class _Run:
    def __init__(self, wall: float, cpu: float, max_rss: int, stdout: str) -> None:
        self.wall, self.cpu, self.max_rss, self.stdout = wall, cpu, max_rss, stdout


def _run(executable: Path, args: list[str], cwd: Path, **env: str) -> _Run:
    """Run the executable to its end; wall time, CPU time and peak RSS of that one process."""
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", **env}
    if "DISPLAY" in env:
        del environment["SDL_VIDEODRIVER"]
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stdout = process.stdout.read()
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would be the max of all).
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        raise RuntimeError(f"{executable} {' '.join(args)} exited with {process.returncode}")
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    max_rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return _Run(wall, usage.ru_utime + usage.ru_stime, max_rss, stdout)


def _window_run(executable: Path, scratch: Path, display_env: dict[str, str]) -> dict[str, float]:
    """Start the window until the model is ready; the times come from the app's own report."""
    started = time.time()
    args = ["--data-dir", str(scratch / "data")]
    run = _run(executable, args, scratch, DIGITS_STARTUP_REPORT="1", **display_env)
    times = {}
    for line in run.stdout.splitlines():
        # "first_frame T [CPU seconds]", "model_ready T [CPU seconds]", T from time.time()
        fields = line.split()
        if len(fields) >= 2 and fields[0] in ("first_frame", "model_ready"):
            times[fields[0]] = float(fields[1]) - started
    return {**times, "max_rss": run.max_rss, "cpu": run.cpu}


@contextlib.contextmanager
def _display() -> Iterator[tuple[str, dict[str, str]]]:
    """A real X server for the window (a private Xvfb) where there is one, else SDL's dummy."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None or not sys.platform.startswith("linux"):
        yield "SDL dummy", {"SDL_VIDEODRIVER": "dummy"}
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        # Xvfb writes its display number once it accepts clients.
        with os.fdopen(read, "rb") as pipe:
            number = pipe.readline().decode().strip()
        yield "Xvfb", {"DISPLAY": f":{number}"}
    finally:
        server.terminate()
        server.wait()


def _bundle_folder(scratch: Path) -> Path:
    given = os.environ.get("DIGITS_BUNDLE")
    if given:
        return Path(given)
    built = REPO / "dist" / NAME
    if (built / NAME).is_file():
        return built
    return _build(scratch, onefile=False) / NAME


def _build(scratch: Path, onefile: bool) -> Path:
    """Build build.spec into scratch/dist; returns that folder."""
    env = {**os.environ, "DIGITS_ONEFILE": "1" if onefile else "0"}
    work = scratch / ("build-onefile" if onefile else "build")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(scratch / "dist"), "--workpath", str(work)]
    subprocess.run([*command, str(REPO / "build.spec")], cwd=REPO, env=env, check=True)
    return scratch / "dist"


def _onefile_figures(scratch: Path, repeat: int) -> Iterable[Figure]:
    executable = _build(scratch, onefile=True) / f"{NAME}-onefile"
    yield Figure("one-file executable size", "MiB", [executable.stat().st_size / MIB])
    yield repeated(
        "one-file --self-test (start to prediction, exit)",
        "s",
        lambda: _run(executable, ["--self-test"], scratch).wall,
        repeat,
        "(compare)",
    )


def _size(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file())
