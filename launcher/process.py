"""The launcher's child processes (the game, a training run): start, watch, stop, read errors.

A child's stdout and stderr go to a log file in the user's data folder, so that when it exits with
an error the page can show the child's own message, even after a browser refresh.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# The one place a process is created: tests replace it with a fake to check what would run.
popen: Callable[..., subprocess.Popen] = subprocess.Popen

# Where `python -m game` and `python -m training` resolve from in a checkout.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def python_module_command(module: str, *args: str) -> list[str]:
    """Run a module of this project with the interpreter that runs the launcher."""
    return [sys.executable, "-m", module, *args]


class ChildProcess:
    """One named child at a time (a second start while it runs is refused), with its log."""

    def __init__(self, name: str, log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self.command: list[str] = []
        self.label = ""  # what the page says about the current child (a model name, an output)
        self.started_at: float | None = None
        self._process: subprocess.Popen | None = None
        self._stopped = False
        # Several browser tabs share one child; the lock keeps two clicks from starting two.
        self._lock = threading.Lock()

    def start(
        self, command: Sequence[str], label: str = "", env: dict[str, str] | None = None
    ) -> bool:
        """Start the command unless a child is already running; True when it was started."""
        with self._lock:
            if self.is_running():
                return False
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            child_env = dict(os.environ if env is None else env)
            # Lines reach the log as they are printed, so the page can show live progress.
            child_env["PYTHONUNBUFFERED"] = "1"
            with open(self.log_path, "wb") as log:
                self._process = popen(
                    list(command),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=PROJECT_ROOT,
                    env=child_env,
                    # Its own process group: a Ctrl+C in the launcher's terminal does not reach it.
                    start_new_session=True,
                )
            self.command = list(command)
            self.label = label
            self.started_at = time.time()
            self._stopped = False
            return True

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        """The exit code once it has exited, None while running or before the first start."""
        return None if self._process is None else self._process.poll()

    def stop(self, interrupt: bool = False, timeout: float = 5.0) -> None:
        """End the child: SIGINT when `interrupt` (a clean stop), else SIGTERM; SIGKILL if stuck."""
        with self._lock:
            process = self._process
            if process is None or process.poll() is not None:
                return
            self._stopped = True
            if interrupt and os.name != "nt":
                process.send_signal(signal.SIGINT)
            else:
                process.terminate()  # Windows has no SIGINT for another process.
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)

    @property
    def stopped_by_user(self) -> bool:
        return self._stopped

    def failed(self) -> bool:
        """It exited on its own with a non-zero code; a stop the user asked for is no failure."""
        code = self.returncode
        return code is not None and code != 0 and not self._stopped

    def log_text(self, limit: int = 64_000) -> str:
        """The end of the child's log (stdout and stderr), decoded leniently."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - limit))
                return log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def error_message(self) -> str | None:
        """The child's own last words when it failed: the last non-empty line of its log."""
        if not self.failed():
            return None
        code = self.returncode
        if code is not None and code < 0:
            # Killed from outside (out of memory, a task manager): its log ends mid-sentence.
            return f"The {self.name} was ended by the signal {signal.Signals(-code).name}."
        lines = [line.strip() for line in self.log_text().splitlines() if line.strip()]
        if lines:
            return lines[-1]
        return f"The {self.name} stopped with exit code {self.returncode} and printed nothing."
