"""What the stats scene shows, computed from the history database with SQL aggregation.

`load_stats(path)` opens the database read-only and lets SQLite count (GROUP BY), so opening the
scene with tens of thousands of drawings reads a few hundred rows, not every image. Only the
latest drawings' images are read, for their thumbnails. Light on purpose: numpy and the standard
library only, so the launcher can use it too; the game calls it on the recorder's thread.
"""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# NOT_A_DIGIT: the prediction stored for a drawing the model called "not a digit".
from game.contract import IMAGE_SIZE, NOT_A_DIGIT, NUM_CLASSES, not_a_digit_share

RECENT = 12
# The accuracy trend: labelled drawings in order, in at most this many equal blocks.
TREND_POINTS = 24
TREND_FROM = 10  # labelled drawings before there is a trend: two blocks of five


@dataclass(frozen=True)
class RecentDrawing:
    image: np.ndarray  # (28, 28) uint8
    prediction: int
    label: int | None
    confidence: float
    mode: str

    @property
    def read_as(self) -> str:
        """What the model said, for a caption: the digit, or "none" for "not a digit"."""
        return "none" if self.prediction == NOT_A_DIGIT else str(self.prediction)


@dataclass(frozen=True)
class Stats:
    total: int = 0
    labelled: int = 0
    confirmed: int = 0  # labelled with the digit the model said
    challenge: int = 0  # drawings made in challenge mode
    # rows = the digit the user said it was, columns = what the model said
    confusion: np.ndarray = field(
        default_factory=lambda: np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    )
    # labelled digits the model called "not a digit", per digit the user said it was
    unread: np.ndarray = field(default_factory=lambda: np.zeros(NUM_CLASSES, dtype=np.int64))
    median_latency_ms: float | None = None
    recent: tuple[RecentDrawing, ...] = ()
    trend: tuple[float, ...] = ()  # accuracy in consecutive blocks of labelled drawings
    best_score: int | None = None
    challenges: int = 0

    @property
    def corrected(self) -> int:
        return self.labelled - self.confirmed

    @property
    def accuracy(self) -> float | None:
        """Share of the labelled drawings the model got right; None before the first label."""
        return self.confirmed / self.labelled if self.labelled else None

    def per_digit(self) -> list[tuple[int, int]]:
        """(right, labelled) for each true digit 0-9."""
        return [
            (int(self.confusion[d, d]), int(self.confusion[d].sum() + self.unread[d]))
            for d in range(10)
        ]

    def digit_accuracy(self) -> list[float | None]:
        return [right / count if count else None for right, count in self.per_digit()]


def load_stats(path: str | Path, recent: int = RECENT) -> Stats:
    """The statistics of the history database at `path` (empty Stats if there is none yet).
    Reads only; raises sqlite3.Error for a database that cannot be read."""
    path = Path(path)
    if not path.is_file():
        return Stats()
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _query(connection, recent)
    finally:
        connection.close()


def _query(connection: sqlite3.Connection, recent: int) -> Stats:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "drawings" not in tables:
        return Stats()
    total, challenge = connection.execute(
        "SELECT COUNT(*), COALESCE(SUM(mode = 'challenge'), 0) FROM drawings"
    ).fetchone()
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    unread = np.zeros(NUM_CLASSES, dtype=np.int64)
    for label, prediction, count in connection.execute(
        "SELECT label, prediction, COUNT(*) FROM drawings WHERE label IS NOT NULL"
        " GROUP BY label, prediction"
    ):
        if 0 <= label < NUM_CLASSES and 0 <= prediction < NUM_CLASSES:
            confusion[label, prediction] += count
        elif 0 <= label < NUM_CLASSES and prediction == NOT_A_DIGIT:
            unread[label] += count
    labelled = int(confusion.sum() + unread.sum())
    median = None
    if total:
        # The median in SQL: sorting 10,000 numbers in SQLite beats fetching them into Python.
        low, high = (total - 1) // 2, total // 2
        middle = [
            row[0]
            for row in connection.execute(
                "SELECT latency_ms FROM drawings ORDER BY latency_ms LIMIT ? OFFSET ?",
                (high - low + 1, low),
            )
        ]
        median = float(np.mean(middle))
    best_score, challenges = None, 0
    if "challenge_scores" in tables:
        best_score, challenges = connection.execute(
            "SELECT MAX(score), COUNT(*) FROM challenge_scores"
        ).fetchone()
    return Stats(
        total=int(total),
        labelled=labelled,
        confirmed=int(np.trace(confusion)),
        challenge=int(challenge),
        confusion=confusion,
        unread=unread,
        median_latency_ms=median,
        recent=tuple(_recent(connection, recent)),
        trend=_trend(connection, labelled),
        best_score=best_score,
        challenges=int(challenges),
    )


def _trend(connection: sqlite3.Connection, labelled: int, points: int = TREND_POINTS):
    """Accuracy in up to `points` consecutive, equal blocks of the labelled drawings (oldest
    first); a block holds at least 5 drawings, so one drawing does not make a 0 % or 100 % dip.
    Counted by SQLite (a window function numbers the rows), not in Python."""
    blocks = min(points, labelled // 5)
    if labelled < TREND_FROM:
        return ()
    rows = connection.execute(
        "SELECT block, AVG(prediction = label) FROM ("
        "  SELECT prediction, label, (ROW_NUMBER() OVER (ORDER BY id) - 1) * ? / ? AS block"
        "  FROM drawings WHERE label IS NOT NULL AND label BETWEEN 0 AND 9"
        "  AND (prediction BETWEEN 0 AND 9 OR prediction = ?)"
        ") GROUP BY block ORDER BY block",
        (blocks, labelled, NOT_A_DIGIT),
    )
    return tuple(float(share) for _, share in rows)


def _recent(connection: sqlite3.Connection, limit: int) -> list[RecentDrawing]:
    rows = connection.execute(
        "SELECT image, probabilities, prediction, label, mode FROM drawings"
        " ORDER BY id DESC LIMIT ?",
        (int(limit),),
    )
    found = []
    for image, probabilities, prediction, label, mode in rows:
        pixels = np.frombuffer(image, dtype=np.uint8)
        if pixels.size != IMAGE_SIZE * IMAGE_SIZE:
            continue  # a damaged row is skipped, not shown as noise
        values = np.frombuffer(probabilities, dtype="<f4")
        confidence = _confidence(values, prediction)
        found.append(
            RecentDrawing(
                pixels.reshape(IMAGE_SIZE, IMAGE_SIZE).copy(), prediction, label, confidence, mode
            )
        )
    return found


def _confidence(values: np.ndarray, prediction: int) -> float:
    """The stored confidence of a prediction: its digit's probability, or for "not a digit"
    what the ten digits leave over."""
    if len(values) != NUM_CLASSES:
        return 0.0
    if 0 <= prediction < NUM_CLASSES:
        return float(values[prediction])
    return not_a_digit_share(values) if prediction == NOT_A_DIGIT else 0.0
