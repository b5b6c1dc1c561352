"""Entry point of the built executable: runs the game and keeps its errors where a user finds them.

The Windows and macOS builds are windowed (no console), so whatever the game writes to stderr, a
one-sentence error or a traceback, would vanish. Here stderr is copied to a log file in the user
data folder, an unexpected exception becomes one sentence pointing at that file, and when there
is no console to read, the message is shown in a native message box.
"""

import io
import os
import sys
import time
import traceback
from pathlib import Path

LOG_NAME = "digit-recognizer.log"
# A log that outgrows this is renamed to .log.1 at the next start, so it never grows unbounded.
LOG_LIMIT_BYTES = 1_000_000
# The message box shows the end of what was written to stderr: the sentence that matters.
MESSAGE_LIMIT_CHARS = 2_000
# Packages the bundle leaves out on purpose (build.spec): only the Keras backend wants them.
KERAS_PACKAGES = ("tensorflow", "keras", "h5py")
KERAS_LEFT_OUT = (
    "This build runs .onnx models only: Keras models (.h5, .keras) need TensorFlow, "
    "which it leaves out."
)


def data_dir_option(argv: list[str]) -> str | None:
    """The value of --data-dir in `argv`, read before the game parses it, to put the log there."""
    for index, arg in enumerate(argv):
        if arg == "--data-dir" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--data-dir="):
            return arg.partition("=")[2]
    return None


def log_path(argv: list[str]) -> Path:
    from game.paths import user_data_dir

    return user_data_dir(data_dir_option(argv)) / "logs" / LOG_NAME


class LoggedStream(io.TextIOBase):
    """A text stream that writes to the console (if any) and appends to the log file.

    The log is opened on the first write, so a run without errors leaves no file behind.
    """

    def __init__(self, console, path: Path) -> None:
        super().__init__()
        self.console = console
        self.path = path
        self.captured = ""
        self._log = None
        self._log_failed = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.console is not None:
            try:
                self.console.write(text)
            except (OSError, ValueError):
                pass
        self.captured = (self.captured + text)[-MESSAGE_LIMIT_CHARS:]
        self.log_only(text)
        return len(text)

    def log_only(self, text: str) -> None:
        log = self._open_log()
        if log is not None:
            try:
                log.write(text)
                log.flush()
            except OSError:
                pass

    def _open_log(self):
        if self._log is None and not self._log_failed:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.path.exists() and self.path.stat().st_size > LOG_LIMIT_BYTES:
                    os.replace(self.path, self.path.with_name(LOG_NAME + ".1"))
                self._log = open(self.path, "a", encoding="utf-8")  # kept open for the whole run
                started = time.strftime("%Y-%m-%d %H:%M:%S")
                self._log.write(f"--- {started} {' '.join(sys.argv)}\n")
            except OSError:
                # A log that cannot be written must not stop the game.
                self._log_failed = True
        return self._log

    def flush(self) -> None:
        if self.console is not None:
            try:
                self.console.flush()
            except (OSError, ValueError):
                pass

    def isatty(self) -> bool:
        return self.console is not None and self.console.isatty()

    def fileno(self) -> int:
        if self.console is None:
            raise OSError("no console")
        return self.console.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.console, "encoding", None) or "utf-8"


def has_no_console(console) -> bool:
    """True when nobody can read stderr: a windowed build started from Explorer or Finder."""
    if sys.platform not in ("win32", "darwin"):
        return False
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return False
    return console is None or not console.isatty()


def show_message_box(message: str) -> None:
    try:
        import pygame

        pygame.display.message_box("Digit Recognizer", message.strip(), message_type="error")
    except Exception:  # the message is in the log already
        pass


def exit_code(exit_request: SystemExit) -> int:
    """The code of a SystemExit (argparse raises it for --help and usage errors)."""
    code = exit_request.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def unexpected_error(stderr: LoggedStream) -> int:
    """A bug: the traceback goes to the log, the user gets one sentence saying where."""
    stderr.log_only(traceback.format_exc())
    print(
        f"Digit Recognizer stopped because of an unexpected error; details are in {stderr.path}.",
        file=sys.stderr,
    )
    return 1


def main() -> int:
    argv = sys.argv[1:]
    console = sys.stderr
    stderr = LoggedStream(console, log_path(argv))
    sys.stderr = stderr
    if sys.stdout is None:
        # Windowed builds have no stdout; code that writes to it must not fail.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    try:
        from game.__main__ import main as game_main

        code = game_main(argv)
    except SystemExit as exit_request:
        code = exit_code(exit_request)
    except KeyboardInterrupt:
        code = 130
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] in KERAS_PACKAGES:
            print(KERAS_LEFT_OUT, file=sys.stderr)
            code = 2
        else:
            code = unexpected_error(stderr)
    except BaseException:
        code = unexpected_error(stderr)
    code = 0 if code is None else int(code)
    if code != 0 and stderr.captured.strip() and has_no_console(console):
        show_message_box(stderr.captured)
    return code


if __name__ == "__main__":
    sys.exit(main())
