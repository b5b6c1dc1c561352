"""Writes committed classifications to the history database from a background thread.

The frame loop hands a record over and goes on; the writer opens the database, adds rows and
sets labels in order. A row's database id is only known once it is written, so the caller gets
a local ticket at once and labels refer to it. A database that cannot be opened is reported
once (`error`) and the app keeps working without history.
"""

import itertools
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def default_opener(path: Path) -> Any:
    from game.history import History

    return History.open(path)


class HistoryRecorder:
    def __init__(self, path: Path | None, opener: Callable[[Path], Any] = default_opener) -> None:
        self.path = path
        self._opener = opener
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._tickets = itertools.count(1)
        self._ids: dict[int, int] = {}
        self.history: Any = None
        self.error = ""  # one sentence when the history is off
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, **record: Any) -> int:
        """Queue one classification (columns of the drawings table); returns its ticket."""
        ticket = next(self._tickets)
        self._jobs.put(("add", ticket, record))
        return ticket

    def set_label(self, ticket: int, digit: int) -> None:
        """Queue the digit the user confirmed or corrected for the row of this ticket."""
        self._jobs.put(("label", ticket, int(digit)))

    def ask(self, question: Callable[[Any], Any]) -> "Answer":
        """Run `question(history)` on the writer thread (reads too must stay off the frame loop);
        the returned Answer fills in when it has run, after everything queued before it."""
        answer = Answer()
        self._jobs.put(("ask", 0, (question, answer)))
        return answer

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written (tests and shutdown)."""
        done = threading.Event()
        self._jobs.put(("flush", 0, done))
        return done.wait(timeout) if self._thread.is_alive() else True

    def close(self, timeout: float = 2.0) -> None:
        if self._thread.is_alive():
            self._jobs.put(("close", 0, None))
            self._thread.join(timeout)

    def _run(self) -> None:
        if self.path is None:
            self.error = "History is off: no data folder."
        else:
            try:
                self.history = self._opener(self.path)
            except Exception as error:  # noqa: BLE001 - any failure: report once, keep playing
                self.error = _sentence(f"History is off: {error}")
        while True:
            kind, ticket, payload = self._jobs.get()
            if kind == "close":
                break
            if kind == "flush":
                payload.set()
                continue
            if kind == "ask":
                question, answer = payload
                answer.run(question, self.history, self.error)
                continue
            if self.history is None:
                continue
            try:
                if kind == "add":
                    self._ids[ticket] = self.history.add(**payload)
                    self.written += 1
                elif kind == "label" and ticket in self._ids:
                    self.history.set_label(self._ids[ticket], payload)
            except Exception as error:  # noqa: BLE001 - a failed write must not stop the game
                self.error = _sentence(f"History write failed: {error}")
        close = getattr(self.history, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - closing at exit, nothing left to tell
                pass


class Answer:
    """A question's result, filled in by the writer thread: check `done` each frame."""

    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.error = ""

    def run(self, question: Callable[[Any], Any], history: Any, error: str) -> None:
        if history is None:
            self.error = error or "History is off."
        else:
            try:
                self.value = question(history)
            except Exception as failure:  # noqa: BLE001 - shown to the user as a sentence
                self.error = _sentence(f"The history could not be read: {failure}")
        self.done = True


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."
