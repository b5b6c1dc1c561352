"""The history database's schema: its tables, and the migrations that bring any older database
up to date in place, one transaction per step (the version lives in `PRAGMA user_version`)."""

import sqlite3
from collections.abc import Callable


class Transaction:
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


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the database to SCHEMA_VERSION, one transaction per migration."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        with Transaction(connection):
            # Another process may have migrated it between our read and our lock.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                break
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(f"PRAGMA user_version = {version}")
