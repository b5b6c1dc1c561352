"""Writes committed classifications to the history database from a background thread.

The frame loop hands a record over and goes on; the writer opens the database, adds rows and
sets labels in order. A row's database id is only known once it is written, so the caller gets
a local ticket at once and labels refer to it. Every write is a job whose outcome the caller can
look up: saved only once its transaction committed, so the screen never says "saved" early.

A database locked by another program (or a full disk) does not lose anything: the writes stay
queued, in order, and are tried again after a pause that doubles up to RETRY_MAX_SECONDS.
A database that cannot be opened turns the history off (`error`, one sentence) and the app
keeps working without it; start_fresh() moves a refused database aside and starts a new one.
"""

import collections
import itertools
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 8.0
SAVED = True  # the outcome of a committed write; a failed one's outcome is its sentence
WRITES = ("add", "label")


def default_opener(path: Path) -> Any:
    from game.history import History

    return History.open(path)


class HistoryRecorder:
    def __init__(self, path: Path | None, opener: Callable[[Path], Any] = default_opener) -> None:
        self.path = path
        self._opener = opener
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._numbers = itertools.count(1)
        self._ids: dict[int, int] = {}
        self._outcomes: dict[int, bool | str] = {}
        self._pending: collections.deque = collections.deque()
        self._opened = False  # an open was tried and did not wait on a lock
        self._delay = RETRY_FIRST_SECONDS
        self._retry_at: float | None = None
        self.history: Any = None
        self.error = ""  # one sentence when the history is off
        self.waiting = ""  # one sentence while writes wait for a lock or disk space
        self.can_start_fresh = False  # the history is off because its file was refused
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, **record: Any) -> int:
        """Queue one classification (columns of the drawings table); returns its ticket, which
        is also the number of this write for outcome()."""
        ticket = next(self._numbers)
        self._jobs.put(("add", ticket, record))
        return ticket

    def set_label(self, ticket: int, digit: int) -> int:
        """Queue the digit the user confirmed or corrected for the row of this ticket; returns
        the number of this write for outcome()."""
        number = next(self._numbers)
        self._jobs.put(("label", number, (ticket, int(digit))))
        return number

    def outcome(self, number: int) -> bool | str | None:
        """None while the write waits, SAVED once committed, else why it was not saved."""
        return self._outcomes.get(number)

    @property
    def unsaved(self) -> int:
        """Writes queued or waiting that are not committed yet."""
        return sum(1 for job in list(self._pending) if job[0] in WRITES)

    def ask(self, question: Callable[[Any], Any]) -> "Answer":
        """Run `question(history)` on the writer thread (reads too must stay off the frame loop);
        the returned Answer fills in when it has run, after everything queued before it."""
        answer = Answer()
        self._jobs.put(("ask", 0, (question, answer)))
        return answer

    def start_fresh(self) -> "Answer":
        """Move the database aside (game.history.reset: nothing is deleted) and start a new
        one, also when the history is off; the Answer's value is where the old one went."""
        answer = Answer()
        self._jobs.put(("fresh", 0, answer))
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

    # The writer thread --------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            wait = None if self._retry_at is None else max(self._retry_at - time.monotonic(), 0)
            try:
                job = self._jobs.get(timeout=wait)
            except queue.Empty:
                job = None
            if job is not None and job[0] == "close":
                break
            if job is not None:
                self._pending.append(job)
            if self._retry_at is None or time.monotonic() >= self._retry_at:
                self._drain()
        self._retry_at = None
        self._drain()  # a last try: the lock may be gone by now
        self._close_history()

    def _drain(self) -> None:
        """Run pending jobs in order until one has to wait for a lock (then retry later)."""
        if not self._opened and not self._open():
            return
        while self._pending:
            kind, number, payload = self._pending[0]
            if kind in WRITES and not self._write(kind, number, payload):
                return
            if kind == "ask":
                question, answer = payload
                answer.run(question, self.history, self.error)
            elif kind == "fresh":
                self._start_fresh(payload)
            elif kind == "flush":
                payload.set()
            self._pending.popleft()
        self.waiting = ""
        self._retry_at = None
        self._delay = RETRY_FIRST_SECONDS

    def _open(self) -> bool:
        if self.path is None:
            self._opened = True
            self.error = "History is off: there is no data folder."
            return True
        try:
            self.history = self._opener(self.path)
        except Exception as error:  # noqa: BLE001 - any failure: say why, keep playing
            if _transient(error):
                self._wait(error)
                return False
            self.error = _sentence(f"History is off: {error}")
            self.can_start_fresh = self.path.is_file()
        self._opened = True
        return True

    def _write(self, kind: str, number: int, payload: Any) -> bool:
        """One write; False if it must wait and be tried again."""
        if self.history is None:
            self._outcomes[number] = self.error or "History is off."
            return True
        try:
            if kind == "add":
                self._ids[number] = self.history.add(**payload)
                self.written += 1
            else:
                ticket, digit = payload
                if ticket not in self._ids:
                    # Its drawing was not saved: the reason is that write's.
                    self._outcomes[number] = self._outcomes.get(ticket) or "Not saved."
                    return True
                self.history.set_label(self._ids[ticket], digit)
        except Exception as error:  # noqa: BLE001 - a failed write must not stop the game
            if _transient(error):
                self._wait(error)
                return False
            self._outcomes[number] = _sentence(f"The history could not be written: {error}")
            return True
        self._outcomes[number] = SAVED
        return True

    def _wait(self, error: BaseException) -> None:
        count = self.unsaved
        drawings = f"{count} change{'s' if count != 1 else ''} to the history"
        if "full" in str(getattr(error, "sqlite_errorname", "")) or "full" in str(error):
            self.waiting = f"The disk is full: {drawings} wait to be saved; free some space."
        else:
            self.waiting = (
                f"The history is locked by another program: {drawings} wait to be saved; "
                "close that program."
            )
        self._retry_at = time.monotonic() + self._delay
        self._delay = min(self._delay * 2, RETRY_MAX_SECONDS)

    def _start_fresh(self, answer: "Answer") -> None:
        from game.history import reset

        self._close_history()
        try:
            answer.value = reset(self.path) if self.path is not None else None
            self.history = self._opener(self.path)
            self.error, self.can_start_fresh = "", False
        except Exception as error:  # noqa: BLE001 - shown to the user as a sentence
            self.error = _sentence(f"History is off: {error}")
            answer.error = self.error
        answer.done = True

    def _close_history(self) -> None:
        close = getattr(self.history, "close", None)
        self.history = None
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - closing, nothing left to tell
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


def _transient(error: BaseException) -> bool:
    from game.history_checks import is_transient

    return is_transient(error)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."
