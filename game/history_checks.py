"""The checks on opening the history database, and what its failures mean.

An existing database is checked read-only (quick_check, schema version, tables) before anything
in it changes; one that fails is reported with HistoryError, one sentence saying what is wrong
and what to do, and is never deleted, changed or overwritten. SQLite's own errors are turned
into such sentences by refusal().
"""

import os
import sqlite3
from pathlib import Path

from game.history_schema import SCHEMA_VERSION, TABLES

# What to do with a database the app refuses: the draw screen's notice has this button.
START_FRESH = "the game's Start fresh button moves it aside and starts a new history"


class HistoryError(Exception):
    """The history cannot be used; the message is one sentence naming the file and problem."""


class HistoryBusy(HistoryError):
    """Another program holds the database locked: worth trying again later."""


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
        raise refusal(path, error) from None
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
        raise refusal(path, error) from None
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


def refusal(path: Path, error: sqlite3.Error) -> HistoryError:
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
