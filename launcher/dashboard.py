"""The history dashboard's numbers, read from the game's SQLite database without writing to it."""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.contract import IMAGE_SIZE, NUM_CLASSES


@dataclass
class Drawing:
    id: int
    created_at: str
    image: np.ndarray  # (28, 28) uint8, 0 background .. 255 ink
    prediction: int
    label: int | None


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
    recent: list[Drawing] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.confirmed if self.confirmed else None


class HistoryUnreadable(Exception):
    """The database exists but cannot be read (locked, corrupt, another schema)."""


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection: the launcher can never change or create the user's history."""
    # mode=ro refuses every write and never creates the file.
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=2.0)


def load_history(path: Path, recent: int = 24) -> History | None:
    """Everything the dashboard shows, or None when there is no database yet."""
    if not Path(path).is_file():
        return None
    try:
        connection = open_readonly(path)
    except sqlite3.Error as error:
        raise HistoryUnreadable(
            f"The history database {path} cannot be opened: {error}."
        ) from error
    try:
        return _read(connection, recent)
    except sqlite3.Error as error:
        raise HistoryUnreadable(f"The history database {path} cannot be read: {error}.") from error
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, recent: int) -> History:
    history = History()
    history.total = connection.execute("SELECT count(*) FROM drawings").fetchone()[0]
    history.per_day = [
        (day, count)
        for day, count in connection.execute(
            "SELECT substr(created_at, 1, 10) AS day, count(*) FROM drawings "
            "GROUP BY day ORDER BY day"
        )
    ]
    # Only confirmed drawings say whether the model was right.
    for label, prediction, count in connection.execute(
        "SELECT label, prediction, count(*) FROM drawings "
        "WHERE label BETWEEN 0 AND 9 AND prediction BETWEEN 0 AND 9 "
        "GROUP BY label, prediction"
    ):
        history.confusion[label, prediction] += count
    history.confirmed = int(history.confusion.sum())
    history.correct = int(np.trace(history.confusion))
    history.per_digit = [
        (digit, int(history.confusion[digit].sum()), int(history.confusion[digit, digit]))
        for digit in range(NUM_CLASSES)
    ]
    rows = connection.execute(
        "SELECT id, created_at, image, prediction, label FROM drawings ORDER BY id DESC LIMIT ?",
        (recent,),
    )
    for drawing_id, created_at, blob, prediction, label in rows:
        if blob is None or len(blob) != IMAGE_SIZE * IMAGE_SIZE:
            continue  # A damaged row should not hide the others.
        image = np.frombuffer(blob, dtype=np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE)
        history.recent.append(Drawing(drawing_id, created_at, image, prediction, label))
    return history
