"""The standalone executable: folder size, start-up time, peak memory (issue 7).

Measures DIGITS_BUNDLE (a built dist/digit-recognizer folder) or dist/digit-recognizer; if there
is none, builds one from build.spec into a temporary folder first. DIGITS_BENCH_ONEFILE=1 also
builds and measures the single-file variant, for comparison. Linux and macOS (os.wait4).

Windows are measured on a private Xvfb where there is one. There, a scripted session also plays
the game through the X server's test extension (libXtst), as a user would: start, draw three
digits, classify and confirm each, open the help, go back and quit; its peak memory is the
"while running" figure.
"""

import contextlib
import ctypes
import ctypes.util
import math
import os
import shutil
import sqlite3
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
            sessions = [_session_peak_rss(executable, scratch, display_env) for _ in range(repeat)]
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
        if all(peak is not None for peak in sessions):
            yield Figure(
                f"bundle peak memory, drawing session ({display})",
                "MiB",
                [peak / MIB for peak in sessions],
                "< 100 MB",
            )
        if os.environ.get("DIGITS_BENCH_ONEFILE") == "1":
            yield from _onefile_figures(scratch, repeat)


class _Run:
    def __init__(self, wall: float, cpu: float, max_rss: int, stdout: str) -> None:
        self.wall, self.cpu, self.max_rss, self.stdout = wall, cpu, max_rss, stdout


def _run(executable: Path, args: list[str], cwd: Path, **env: str) -> _Run:
    """Run the executable to its end; wall time, CPU time and peak RSS of that one process."""
    process, start = _start(executable, args, cwd, **env)
    stdout = process.stdout.read()
    run = _reap(process, start, stdout, deadline=time.perf_counter() + 300)
    if process.returncode != 0:
        raise RuntimeError(f"{executable} {' '.join(args)} exited with {process.returncode}")
    return run


def _start(executable: Path, args: list[str], cwd: Path, **env: str):
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
    return process, start


def _reap(process: subprocess.Popen, start: float, stdout: str, deadline: float) -> _Run:
    """Wait for the process (killing it at the deadline) and read its own resource usage."""
    while True:
        # wait4 gives this child's own usage (RUSAGE_CHILDREN would be the max of all children).
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
        time.sleep(0.01)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
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


# Canvas strokes in window pixels (the 1180x760 window at the origin), for the session.
SESSION_DIGITS = {
    "1": [(390, 150), (390, 580)],
    "7": [(230, 160), (540, 160), (330, 590)],
    "0": [
        (390 + 150 * math.sin(angle), 145 + 220 * (1 - math.cos(angle)))
        for angle in (step / 24 * math.tau for step in range(25))
    ],
}
START_BUTTON = (590, 387)


def _session_peak_rss(executable: Path, scratch: Path, display_env: dict[str, str]) -> int | None:
    """Peak RSS of the scripted session, or None where it cannot be played."""
    if "DISPLAY" not in display_env:
        return None
    pointer = _FakeInput.open(display_env["DISPLAY"])
    if pointer is None:
        return None
    data_dir = Path(tempfile.mkdtemp(dir=scratch))
    args = ["--data-dir", str(data_dir)]
    process, start = _start(executable, args, scratch, SDL_VIDEO_WINDOW_POS="0,0", **display_env)
    try:
        # This mode reports nothing: wait for the window, then give the model time to load.
        pointer.wait_for_window(deadline=time.perf_counter() + 60)
        time.sleep(2.0)
        pointer.click(*START_BUTTON)
        for digit, corners in SESSION_DIGITS.items():
            pointer.drag(corners)
            for key in ("Return", digit, "BackSpace"):  # classify, confirm, clear
                pointer.key(key)
        for key in ("h", "Escape", "Escape", "Escape"):  # help, close it, menu, quit
            pointer.key(key)
        run = _reap(process, start, "", deadline=time.perf_counter() + 20)
    finally:
        pointer.close()
        if process.returncode is None:
            process.kill()
            process.wait()
    with contextlib.closing(sqlite3.connect(data_dir / "history.sqlite3")) as database:
        labelled = database.execute("SELECT COUNT(*) FROM drawings WHERE label IS NOT NULL")
        if labelled.fetchone()[0] != len(SESSION_DIGITS):
            # Input went astray (busy machine, changed layout): no figure rather than a wrong one.
            print("bench_bundle: the scripted session did not record its drawings", file=sys.stderr)
            return None
    return run.max_rss


class _FakeInput:
    """Mouse and keyboard events through the XTEST extension of an X server."""

    def __init__(self, x11: ctypes.CDLL, xtst: ctypes.CDLL, display: int) -> None:
        self.x11, self.xtst, self.display = x11, xtst, ctypes.c_void_p(display)

    @classmethod
    def open(cls, name: str) -> "_FakeInput | None":
        x11_name, xtst_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xtst")
        if not x11_name or not xtst_name:
            return None
        x11, xtst = ctypes.CDLL(x11_name), ctypes.CDLL(xtst_name)
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XStringToKeysym.restype = ctypes.c_ulong
        x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_void_p] * 4
        display = x11.XOpenDisplay(name.encode())
        return cls(x11, xtst, display) if display else None

    def wait_for_window(self, deadline: float) -> None:
        """Until the server has a top-level window (the app's), or the deadline."""
        root = self.x11.XDefaultRootWindow(self.display)
        while time.perf_counter() < deadline:
            parent, children, count = ctypes.c_ulong(), ctypes.c_void_p(), ctypes.c_uint()
            self.x11.XQueryTree(
                self.display,
                root,
                ctypes.byref(parent),
                ctypes.byref(parent),
                ctypes.byref(children),
                ctypes.byref(count),
            )
            if children:
                self.x11.XFree(children)
            if count.value:
                return
            time.sleep(0.05)

    def move(self, x: float, y: float) -> None:
        self.xtst.XTestFakeMotionEvent(self.display, -1, int(x), int(y), 0)
        self.x11.XFlush(self.display)
        time.sleep(0.004)

    def button(self, pressed: bool) -> None:
        self.xtst.XTestFakeButtonEvent(self.display, 1, int(pressed), 0)
        self.x11.XFlush(self.display)
        time.sleep(0.05)

    def click(self, x: float, y: float) -> None:
        self.move(x, y)
        self.button(True)
        self.button(False)
        time.sleep(0.5)

    def drag(self, corners: list[tuple[float, float]]) -> None:
        """Press at the first corner, move through the others in 6-pixel steps, release."""
        self.move(*corners[0])
        self.button(True)
        for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
            steps = max(1, int(math.dist((x0, y0), (x1, y1)) / 6))
            for step in range(1, steps + 1):
                self.move(x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps)
        self.button(False)
        time.sleep(0.3)

    def key(self, name: str) -> None:
        code = self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(name.encode()))
        for pressed in (1, 0):
            self.xtst.XTestFakeKeyEvent(self.display, code, pressed, 0)
            self.x11.XFlush(self.display)
            time.sleep(0.03)
        time.sleep(0.4)

    def close(self) -> None:
        self.x11.XCloseDisplay(self.display)


@contextlib.contextmanager
def _display() -> Iterator[tuple[str, dict[str, str]]]:
    """A real X server for the window (a private Xvfb) where there is one, else SDL's dummy."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None or not sys.platform.startswith("linux"):
        yield "SDL dummy", {"SDL_VIDEODRIVER": "dummy"}
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1180x760x24", "-nolisten", "tcp"],
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
