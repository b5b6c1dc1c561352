"""The history dashboard's numbers, read from the game's SQLite database without writing it."""

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game import history as game_history
from game.contract import NUM_CLASSES


@dataclass
class History:
    total: int = 0
    confirmed: int = 0
    correct: int = 0
    per_day: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, drawings)
    per_digit: list[tuple[int, int, int]] = field(default_factory=list)  # (digit, confirmed, right)
    confusion: np.ndarray = field(
        default_factory=lambda: np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    )  # rows: the digit the user meant, columns: what the model said
    recent: list[game_history.Drawing] = field(default_factory=list)  # newest first

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.confirmed if self.confirmed else None


class HistoryUnreadable(Exception):
    """The database exists but cannot be read; the message is one sentence for the page."""


def load_history(path: Path, recent: int = 24) -> History | None:
    """Everything the dashboard shows, or None when there is no database yet.

    Read through the game's own reader, read-only (SQLite mode=ro): the launcher never creates,
    changes or migrates the user's history, whatever the game's version.
    """
    if not Path(path).is_file():
        return None
    try:
        with game_history.History.open_readonly(path) as database:
            drawings = database.drawings()
    except game_history.HistoryError as error:
        raise HistoryUnreadable(str(error)) from None
    except (sqlite3.Error, ValueError) as error:
        raise HistoryUnreadable(f"The history database {path} cannot be read ({error}).") from None
    return summarise(drawings, recent)


def summarise(drawings: list[game_history.Drawing], recent: int = 24) -> History:
    """The dashboard's numbers from drawings listed newest first."""
    history = History(total=len(drawings))
    days = Counter(drawing.created_at[:10] for drawing in drawings)
    history.per_day = sorted(days.items())
    # Only confirmed drawings say whether the model was right.
    for drawing in drawings:
        if drawing.label is not None and 0 <= drawing.prediction < NUM_CLASSES:
            history.confusion[drawing.label, drawing.prediction] += 1
    history.confirmed = int(history.confusion.sum())
    history.correct = int(np.trace(history.confusion))
    history.per_digit = [
        (digit, int(history.confusion[digit].sum()), int(history.confusion[digit, digit]))
        for digit in range(NUM_CLASSES)
    ]
    history.recent = drawings[:recent]
    return history
