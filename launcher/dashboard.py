"""The history dashboard's numbers, read from the game's SQLite database without writing it.

The game's own statistics (game.stats: SQL aggregation, read-only) give the same numbers as the
game's stats scene; the launcher adds drawings per day.
"""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from game import stats as game_stats


@dataclass(frozen=True)
class History:
    stats: game_stats.Stats
    per_day: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, drawings)
    numbers: list[tuple[str, str, str, float, int]] = field(default_factory=list)


class HistoryUnreadable(Exception):
    """The database exists but cannot be read; the message is one sentence for the page."""


def load_history(path: Path, recent: int = 24) -> History | None:
    """Everything the dashboard shows, or None when there is no database yet.

    Read-only (SQLite mode=ro): the launcher never creates, changes or migrates the history.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        stats = game_stats.load_stats(path, recent)
        per_day = drawings_per_day(path) if stats.total else []
        return History(stats, per_day, recent_numbers(path, recent))
    except sqlite3.Error as error:
        raise HistoryUnreadable(f"The history database {path} cannot be read ({error}).") from None


def drawings_per_day(path: Path) -> list[tuple[str, int]]:
    """(day, drawings) in date order; days are UTC, as the game records them."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM drawings "
            "GROUP BY day ORDER BY day"
        )
        return [(str(day), int(count)) for day, count in rows]
    finally:
        connection.close()


def recent_numbers(path: Path, limit: int = 24) -> list[tuple[str, str, str, float, int]]:
    """(time, read as, the user said, confidence, digits) of the newest whole numbers; none
    in a history from before number mode."""
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'numbers'"
        ).fetchone():
            return []
        rows = connection.execute(
            "SELECT n.created_at, n.reading, COALESCE(n.label, ''), n.confidence,"
            " (SELECT COUNT(*) FROM number_digits d WHERE d.number_id = n.id)"
            " FROM numbers n ORDER BY n.id DESC LIMIT ?",
            (int(limit),),
        )
        return [tuple(row) for row in rows]
    finally:
        connection.close()
