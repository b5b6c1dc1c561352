"""The history database: every committed classification, kept safe.

SQLite in WAL mode, one transaction per write, `synchronous=FULL`: a committed row survives the
app being killed (and a power cut) at any moment. The schema version lives in
`PRAGMA user_version`; MIGRATIONS upgrades old databases in place, one transaction per step,
so a database made by any earlier version stays readable. A database that cannot be opened is
reported with HistoryError and never deleted or overwritten; reset() moves it aside.

Light on purpose: the launcher imports it, so numpy and the standard library only.
"""

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from game.contract import IMAGE_SIZE, NUM_CLASSES

MODES = ("free", "challenge")


class HistoryError(Exception):
    """The history cannot be used; the message is one sentence naming the file and problem."""


@dataclass(frozen=True)
class Drawing:
    id: int
    created_at: str  # ISO 8601, UTC
    model_sha256: str
    image: np.ndarray  # (28, 28) uint8, 0 background .. 255 ink
    probabilities: np.ndarray  # (10,) float32
    prediction: int
    label: int | None  # the digit the user confirmed or corrected; None if unanswered
    latency_ms: float
    mode: str


def _create_drawings(connection: sqlite3.Connection) -> None:
    connection.execute(
        """CREATE TABLE drawings (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            model_sha256 TEXT NOT NULL,
            image BLOB NOT NULL,
            probabilities BLOB NOT NULL,
            prediction INTEGER NOT NULL,
            label INTEGER,
            latency_ms REAL NOT NULL,
            mode TEXT NOT NULL
        )"""
    )


def _create_challenge_scores(connection: sqlite3.Connection) -> None:
    connection.execute(
        """CREATE TABLE challenge_scores (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            score INTEGER NOT NULL,
            rounds INTEGER NOT NULL,
            best_streak INTEGER NOT NULL
        )"""
    )


def _create_numbers(connection: sqlite3.Connection) -> None:
    # Whole numbers (issue 13): the number as read and as the user said it, and each digit
    # with its model input and strokes (JSON point lists), for statistics and fine-tuning.
    connection.execute(
        """CREATE TABLE numbers (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            model_sha256 TEXT NOT NULL,
            reading TEXT NOT NULL,
            label TEXT,
            confidence REAL NOT NULL,
            latency_ms REAL NOT NULL,
            mode TEXT NOT NULL
        )"""
    )
    connection.execute(
        """CREATE TABLE number_digits (
            id INTEGER PRIMARY KEY,
            number_id INTEGER NOT NULL REFERENCES numbers(id),
            position INTEGER NOT NULL,
            image BLOB NOT NULL,
            probabilities BLOB NOT NULL,
            prediction INTEGER NOT NULL,
            confidence REAL NOT NULL,
            label INTEGER,
            box TEXT NOT NULL,
            strokes TEXT NOT NULL
        )"""
    )


# MIGRATIONS[n] takes a database at version n to version n + 1. Append, never edit: old
# databases in users' hands were made by the steps as they were.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _create_drawings,  # 0 -> 1: the drawings table
    _create_challenge_scores,  # 1 -> 2: best scores of challenge mode (issue 5)
    _create_numbers,  # 2 -> 3: whole numbers and their digits (issue 13)
]
SCHEMA_VERSION = len(MIGRATIONS)
# Named, not *, so that columns a later migration adds do not shift what _drawing reads.
_DRAWING_COLUMNS = (
    "id, created_at, model_sha256, image, probabilities, prediction, label, latency_ms, mode"
)


class History:
    """An open history database. Use it from the thread that opened it: the game does all its
    history work on game.recorder's background thread, so the frame loop never waits on disk."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> "History":
        """Open (creating and migrating as needed) the database at `path`; raises HistoryError."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(
                f"The history folder {path.parent} cannot be created ({error.strerror})."
            ) from None
        if path.exists() and not path.is_file():
            raise HistoryError(f"The history database {path} is not a file.")
        connection = None
        try:
            # isolation_level=None: we say where transactions begin and end.
            connection = sqlite3.connect(path, isolation_level=None, timeout=10)
            _check_integrity(connection, path)
            # Refuse a database from a newer app before anything (even the journal mode) changes.
            _check_not_newer(connection, path)
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise HistoryError(f"The history database {path} cannot use a write-ahead log.")
            connection.execute("PRAGMA synchronous=FULL")
            _migrate(connection, path)
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            raise HistoryError(f"The history database {path} cannot be opened ({error}).") from None
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
            raise HistoryError(f"There is no history database at {path}.")
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            _check_integrity(connection, path)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            raise HistoryError(f"The history database {path} cannot be read ({error}).") from None
        if version > SCHEMA_VERSION or version < 1:
            connection.close()
            raise HistoryError(
                f"The history database {path} has schema version {version}; "
                f"this app reads versions 1 to {SCHEMA_VERSION}."
            )
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
            _now(),
            model_sha256,
            _image_bytes(image),
            np.asarray(probabilities, dtype="<f4").reshape(NUM_CLASSES).tobytes(),
            int(prediction),
            None if label is None else _digit(label),
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
                (None if label is None else _digit(label), int(drawing_id)),
            )

    def drawings(self, limit: int | None = None, labelled_only: bool = False) -> list[Drawing]:
        """Drawings, newest first."""
        query = f"SELECT {_DRAWING_COLUMNS} FROM drawings"
        if labelled_only:
            query += " WHERE label IS NOT NULL"
        query += " ORDER BY id DESC"
        parameters: tuple = ()
        if limit is not None:
            query += " LIMIT ?"
            parameters = (int(limit),)
        return [_drawing(row) for row in self._connection.execute(query, parameters)]

    def count(self, labelled_only: bool = False) -> int:
        where = " WHERE label IS NOT NULL" if labelled_only else ""
        return self._connection.execute(f"SELECT COUNT(*) FROM drawings{where}").fetchone()[0]

    def record_score(self, score: int, rounds: int, best_streak: int = 0) -> int:
        """Record a finished challenge (score out of rounds); returns its id."""
        with self._transaction():
            cursor = self._connection.execute(
                "INSERT INTO challenge_scores (created_at, score, rounds, best_streak)"
                " VALUES (?, ?, ?, ?)",
                (_now(), int(score), int(rounds), int(best_streak)),
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

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._connection)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: one transaction per write."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self._connection.execute("COMMIT")
        else:
            self._connection.execute("ROLLBACK")


def export_drawings(db_path: str | Path, out_path: str | Path) -> int:
    """Write the labelled drawings to `out_path` (.npz, MNIST's layout: x_train uint8 (N, 28, 28),
    y_train uint8 (N,)), oldest first; returns N. Reads the database only, never writes it; the
    file appears whole or not at all. Raises HistoryError."""
    out_path = Path(out_path)
    with History.open_readonly(db_path) as history:
        drawings = history.drawings(labelled_only=True)[::-1]
    images = np.zeros((len(drawings), IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    labels = np.zeros(len(drawings), dtype=np.uint8)
    for index, drawing in enumerate(drawings):
        images[index] = drawing.image
        labels[index] = drawing.label
    try:
        _write_atomically(
            out_path, lambda file: np.savez_compressed(file, x_train=images, y_train=labels)
        )
    except OSError as error:
        raise HistoryError(
            f"The export file {out_path} cannot be written ({error.strerror})."
        ) from None
    return len(drawings)


def reset(path: str | Path) -> Path | None:
    """Move the database (and its WAL files) aside to a timestamped name; returns the new path,
    or None if there was none. Close every connection to it first. Nothing is deleted."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        # Fold the write-ahead log into the database so the moved file is complete on its own.
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except sqlite3.Error:
        pass  # Unreadable: move it as it is, with its WAL files beside it.
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


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = _check_not_newer(connection, path)
    while version < SCHEMA_VERSION:
        with _Transaction(connection):
            # Another process may have migrated it between our read and our lock.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                break
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(f"PRAGMA user_version = {version}")


def _check_not_newer(connection: sqlite3.Connection, path: Path) -> int:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"The history database {path} was made by a newer version of the app "
            f"(schema {version}, this app knows {SCHEMA_VERSION})."
        )
    return version


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    # Reading the schema fails fast on a file that is not SQLite, before anything is written.
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise HistoryError(f"The history database {path} is not readable ({error}).") from None


def _write_atomically(path: Path, write: Callable) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _drawing(row: tuple) -> Drawing:
    identifier, created_at, sha, image, probabilities, prediction, label, latency, mode = row
    return Drawing(
        id=identifier,
        created_at=created_at,
        model_sha256=sha,
        image=np.frombuffer(image, dtype=np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE).copy(),
        probabilities=np.frombuffer(probabilities, dtype="<f4").astype(np.float32),
        prediction=prediction,
        label=label,
        latency_ms=latency,
        mode=mode,
    )


def _image_bytes(image: np.ndarray) -> bytes:
    array = np.asarray(image)
    if array.size != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError(f"image must be 28x28, got shape {array.shape}")
    if array.dtype != np.uint8:
        array = np.clip(np.rint(array.astype(np.float64) * 255), 0, 255).astype(np.uint8)
    return array.reshape(IMAGE_SIZE, IMAGE_SIZE).tobytes()


def _digit(label: int) -> int:
    if not 0 <= int(label) < NUM_CLASSES:
        raise ValueError(f"label must be a digit 0-9, got {label}")
    return int(label)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
