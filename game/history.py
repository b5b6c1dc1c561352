"""The history database: every committed classification, kept safe.

SQLite in WAL mode, one transaction per write, `synchronous=FULL`: a committed row survives the
app being killed (and a power cut) at any moment. The schema version lives in
`PRAGMA user_version`; MIGRATIONS upgrades old databases in place, one transaction per step,
so a database made by any earlier version stays readable. An existing database is checked
read-only (quick_check, schema version, tables) before anything in it changes; one that fails is
reported with HistoryError (one sentence: what is wrong, what to do) and never deleted, changed
or overwritten; reset() moves it aside. A new one is made whole under a temporary name.

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


# Seconds SQLite waits for another program's lock before it gives up; the recorder then retries
# the write itself, with a growing pause, so nothing is lost.
BUSY_SECONDS = 2.0
# What to do with a database the app refuses: the draw screen's notice has this button.
START_FRESH = "the game's Start fresh button moves it aside and starts a new history"


class HistoryError(Exception):
    """The history cannot be used; the message is one sentence naming the file and problem."""


class HistoryBusy(HistoryError):
    """Another program holds the database locked: worth trying again later."""


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
# The table each migration made, and the columns this app reads from it.
TABLES = (
    ("drawings", ("id", "created_at", "model_sha256", "image", "probabilities", "prediction",
                  "label", "latency_ms", "mode")),
    ("challenge_scores", ("id", "created_at", "score", "rounds", "best_streak")),
)  # fmt: skip
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
        """Open (creating and migrating as needed) the database at `path`; raises HistoryError
        (HistoryBusy while another program holds it locked).

        An existing file is checked read-only first (integrity, schema version, tables): a file
        that is refused is not changed by a single byte. A new file is made under a temporary
        name and only appears once it holds the whole schema."""
        path = Path(path)
        _make_folder(path.parent)
        if path.exists() and not path.is_file():
            raise HistoryError(
                f"The history database {path} is a folder, not a file; move it away or "
                "choose another data folder with --data-dir."
            )
        if not path.exists():
            _create(path)
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
            _migrate(connection, path)
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            raise _refusal(path, error) from None
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
            raise _refusal(path, error) from None
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
    if out_path.is_dir():
        raise HistoryError(
            f"The export file {out_path} is a folder; give a file name ending in .npz."
        )
    with History.open_readonly(db_path) as history:
        try:
            drawings = history.drawings(labelled_only=True)[::-1]
        except (sqlite3.Error, ValueError) as error:
            raise HistoryError(
                f"The history database {history.path} holds drawings this app cannot read "
                f"({error}); it was left as it is."
            ) from None
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


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        with _Transaction(connection):
            # Another process may have migrated it between our read and our lock.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                break
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(f"PRAGMA user_version = {version}")


def inspect(path: Path) -> int:
    """Check an existing database without changing it: integrity (`PRAGMA quick_check`),
    schema version and tables. Returns the version; raises HistoryError."""
    # immutable=1 reads the file as it is and creates nothing beside it; with a write-ahead
    # log present, committed rows may still be in it, so it is read in plain read-only mode.
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?{mode}", uri=True, isolation_level=None
        )
    except sqlite3.Error as error:
        raise _refusal(path, error) from None
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            name: {row[1] for row in connection.execute(f"PRAGMA table_info('{name}')")}
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
    except sqlite3.Error as error:
        raise _refusal(path, error) from None
    finally:
        connection.close()
    if problems != ["ok"]:
        raise HistoryError(
            f"The history database {path} is damaged (integrity check: {_brief(problems)}); it was "
            f"left as it is: {START_FRESH}."
        )
    _check_schema(path, version, tables)
    return version


def _check_schema(path: Path, version: int, tables: dict[str, set[str]]) -> None:
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"The history database {path} was made by a newer version of the app "
            f"(schema {version}, this app knows {SCHEMA_VERSION}); use the newer app, or "
            f"{START_FRESH}."
        )
    if version < 0:
        raise HistoryError(
            f"The history database {path} has schema version {version}, which no version of "
            f"this app writes; it was left as it is: {START_FRESH}."
        )
    if version == 0 and tables:
        raise HistoryError(
            f"The history database {path} holds tables ({', '.join(sorted(tables))}) but no "
            f"schema version, so this app did not make it; it was left as it is: {START_FRESH}."
        )
    for name, columns in TABLES[:version]:
        missing = [column for column in columns if column not in tables.get(name, set())]
        if missing:
            what = f"no {name} table" if name not in tables else f"no {', '.join(missing)}"
            raise HistoryError(
                f"The history database {path} has {what}, though its schema version {version} "
                f"has them; it was left as it is: {START_FRESH}."
            )


def _make_folder(folder: Path) -> None:
    for ancestor in (folder, *folder.parents):
        if ancestor.exists() or ancestor.is_symlink():
            if not ancestor.is_dir():
                where = "" if ancestor == folder else f" {folder} cannot be made:"
                raise HistoryError(
                    f"The data folder{where} {ancestor} is a file, not a folder; move that "
                    "file away or choose another data folder with --data-dir."
                )
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(
            f"The data folder {folder} cannot be created ({error.strerror}); choose another "
            "with --data-dir."
        ) from None


def _create(path: Path) -> None:
    """A new database, made whole under a temporary name and then linked into place: a full
    disk or a crash leaves no empty or half-made file at `path`."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        os.close(handle)
        temporary = Path(name)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous=FULL")
            _migrate(connection, path)
        finally:
            connection.close()
        _link(temporary, path)
    except sqlite3.Error as error:
        raise _refusal(path, error) from None
    except OSError as error:
        raise HistoryError(
            f"The history database {path} cannot be created ({error.strerror}); free some "
            "space or choose another data folder with --data-dir."
        ) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
            Path(f"{temporary}-journal").unlink(missing_ok=True)


def _link(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # Another process made it first: theirs is used.
    except OSError:
        # A file system without hard links: replace, unless one appeared meanwhile.
        if not path.exists():
            os.replace(temporary, path)


def _refusal(path: Path, error: sqlite3.Error) -> HistoryError:
    """SQLite's error as one sentence that says what is wrong with the file and what to do."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return HistoryBusy(
            f"The history database {path} is locked by another program; close that program "
            "and your drawings are saved."
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return HistoryError(
            f"The history database {path} is damaged or not a database ({error}); it was left "
            f"as it is: {START_FRESH}."
        )
    if name.startswith("SQLITE_FULL"):
        return HistoryError(
            f"The history database {path} cannot be written: the disk is full; free some space."
        )
    if name.startswith("SQLITE_READONLY") or (
        name.startswith("SQLITE_CANTOPEN") and os.access(path, os.R_OK)
    ):
        return HistoryError(
            f"The history database {path} can be read but not written (a read-only file, "
            "folder or disk); make it writable or choose another data folder with --data-dir."
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return HistoryError(
            f"The history database {path} cannot be read ({error}); check its permissions or "
            "choose another data folder with --data-dir."
        )
    if name.startswith("SQLITE_IOERR"):
        return HistoryError(
            f"The history database {path} cannot be written ({error}): the disk may be full "
            "or failing; free some space or choose another data folder with --data-dir."
        )
    return HistoryError(f"The history database {path} cannot be opened ({error}).")


def _brief(problems: list[str]) -> str:
    """SQLite's integrity report on one line: its first finding, without the banner."""
    text = " ".join(" ".join(problems).replace("*** in database main ***", "").split())
    return text[:160]


def is_transient(error: BaseException) -> bool:
    """A failure that may pass: a lock held by another program, or a full disk."""
    if isinstance(error, HistoryBusy):
        return True
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL"))


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
