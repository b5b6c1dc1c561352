"""The history database: every committed classification, kept safe.

SQLite in WAL mode, one transaction per write, `synchronous=FULL`: a committed row survives the
app being killed (and a power cut) at any moment. The schema version lives in
`PRAGMA user_version`; MIGRATIONS upgrades old databases in place, one transaction per step,
so a database made by any earlier version stays readable. An existing database is checked
read-only (quick_check, schema version, tables) before anything in it changes; one that fails is
reported with HistoryError (one sentence: what is wrong, what to do) and never deleted, changed
or overwritten; reset() moves it aside. A new one is made whole under a temporary name.

The pieces: game.history_schema (tables, migrations), game.history_checks (the checks on open,
HistoryError), game.history_files (making the file), game.history_rows (how a drawing is stored),
game.history_export (the labelled drawings as .npz); this module opens, records and reads.

Light on purpose: the launcher imports it, so numpy and the standard library only.
"""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from game.contract import NUM_CLASSES
from game.history_checks import HistoryBusy, HistoryError, inspect, refusal
from game.history_export import export_drawings
from game.history_files import create, make_folder
from game.history_rows import (
    DRAWING_COLUMNS,
    MODES,
    Drawing,
    digit,
    drawing_from_row,
    image_bytes,
    now,
)
from game.history_schema import Transaction, migrate

__all__ = ["History", "HistoryBusy", "HistoryError", "export_drawings", "reset"]


# Seconds SQLite waits for another program's lock before it gives up; the recorder then retries
# the write itself, with a growing pause, so nothing is lost.
BUSY_SECONDS = 2.0


class History:
    """An open history database. Use it from the thread that opened it: the game does all its
    history work on game.recorder's background thread, so the frame loop never waits on disk."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> "History":
        """Open (creating and migrating as needed) the database at `path`; raises HistoryError
        (HistoryBusy while another program holds it locked).

        An existing file is checked read-only first (integrity, schema version, tables): a file
        that is refused is not changed by a single byte. A new file is made under a temporary
        name and only appears once it holds the whole schema."""
        path = Path(path)
        make_folder(path.parent)
        if path.exists() and not path.is_file():
            raise HistoryError(
                f"The history database {path} is a folder, not a file; move it away or "
                "choose another data folder with --data-dir."
            )
        if not path.exists():
            create(path)
        else:
            inspect(path)
        connection = None
        try:
            # isolation_level=None: we say where transactions begin and end. A short busy
            # timeout: the recorder retries a locked database itself, with a growing wait.
            connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise HistoryError(f"The history database {path} cannot use a write-ahead log.")
            connection.execute("PRAGMA synchronous=FULL")
            migrate(connection)
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            raise refusal(path, error) from None
        except HistoryError:
            if connection is not None:
                connection.close()
            raise
        return cls(connection, path)

    @classmethod
    def open_readonly(cls, path: str | Path) -> "History":
        """Open an existing database for reading only (the launcher, export); never writes it."""
        path = Path(path)
        if not path.is_file():
            if path.parent.is_file():
                raise HistoryError(
                    f"The data folder {path.parent} is a file, not a folder; give the folder "
                    "that holds history.sqlite3 with --data-dir."
                )
            raise HistoryError(
                f"There is no history database at {path}; play a game first, or give the "
                "folder that holds it with --data-dir."
            )
        version = inspect(path)
        if version < 1:
            raise HistoryError(
                f"The history database {path} holds no drawings yet (schema version {version})."
            )
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise refusal(path, error) from None
        return cls(connection, path)

    @property
    def schema_version(self) -> int:
        return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def add(
        self,
        image: np.ndarray,
        probabilities: np.ndarray,
        prediction: int,
        latency_ms: float,
        model_sha256: str,
        mode: str = "free",
        label: int | None = None,
    ) -> int:
        """Record one committed classification; returns its id. `image` is (28, 28) in [0, 1]
        (float) or 0..255 (uint8)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        row = (
            now(),
            model_sha256,
            image_bytes(image),
            np.asarray(probabilities, dtype="<f4").reshape(NUM_CLASSES).tobytes(),
            int(prediction),
            None if label is None else digit(label),
            float(latency_ms),
            mode,
        )
        with self._transaction():
            cursor = self._connection.execute(
                "INSERT INTO drawings (created_at, model_sha256, image, probabilities,"
                " prediction, label, latency_ms, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        return int(cursor.lastrowid)

    def set_label(self, drawing_id: int, label: int | None) -> None:
        """The digit the user confirmed or corrected for a drawing (None: unanswered)."""
        with self._transaction():
            self._connection.execute(
                "UPDATE drawings SET label = ? WHERE id = ?",
                (None if label is None else digit(label), int(drawing_id)),
            )

    def drawings(self, limit: int | None = None, labelled_only: bool = False) -> list[Drawing]:
        """Drawings, newest first."""
        query = f"SELECT {DRAWING_COLUMNS} FROM drawings"
        if labelled_only:
            query += " WHERE label IS NOT NULL"
        query += " ORDER BY id DESC"
        parameters: tuple = ()
        if limit is not None:
            query += " LIMIT ?"
            parameters = (int(limit),)
        return [drawing_from_row(row) for row in self._connection.execute(query, parameters)]

    def count(self, labelled_only: bool = False) -> int:
        where = " WHERE label IS NOT NULL" if labelled_only else ""
        return self._connection.execute(f"SELECT COUNT(*) FROM drawings{where}").fetchone()[0]

    def record_score(self, score: int, rounds: int, best_streak: int = 0) -> int:
        """Record a finished challenge (score out of rounds); returns its id."""
        with self._transaction():
            cursor = self._connection.execute(
                "INSERT INTO challenge_scores (created_at, score, rounds, best_streak)"
                " VALUES (?, ?, ?, ?)",
                (now(), int(score), int(rounds), int(best_streak)),
            )
        return int(cursor.lastrowid)

    def best_score(self) -> int | None:
        """The best challenge score so far, or None before the first challenge."""
        return self._connection.execute("SELECT MAX(score) FROM challenge_scores").fetchone()[0]

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _transaction(self) -> "Transaction":
        return Transaction(self._connection)


def reset(path: str | Path) -> Path | None:
    """Move the database (and its WAL files) aside to a timestamped name; returns the new path,
    or None if there was none. Close every connection to it first. Nothing is deleted."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        # Fold the write-ahead log into a healthy database so the moved file is complete on
        # its own; a refused one is moved exactly as it is, its WAL files beside it.
        inspect(path)
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except (sqlite3.Error, HistoryError):
        pass
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    number = 1
    while target.exists():
        target = path.with_name(f"{path.stem}-{stamp}-{number}{path.suffix}")
        number += 1
    try:
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                os.replace(companion, f"{target}{suffix}")
        os.replace(path, target)
    except OSError as error:
        raise HistoryError(
            f"The history database {path} cannot be moved aside ({error.strerror})."
        ) from None
    return target
