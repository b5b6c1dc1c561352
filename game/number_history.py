"""Whole numbers in the history (the numbers and number_digits tables of game.history).

Kept apart from game.history's drawings so that the two grow independently; every write is one
transaction on the History's connection, on the recorder's thread like every history write.
Light: numpy and the standard library only (the launcher reads numbers too).
"""

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

# NOT_A_DIGIT: a digit's `prediction` when the reader said "not a digit".
from game.contract import NOT_A_DIGIT, NUM_CLASSES


@dataclass(frozen=True)
class NumberRow:
    id: int
    created_at: str
    reading: str  # what the reader read, "?" for a piece it could not read
    label: str | None  # what the user said it was; None if unanswered
    confidence: float
    mode: str
    digits: int


def add_number(history: Any, number: Any, model_sha256: str, mode: str = "number") -> int:
    """Record a number read by game.segment (a Number) with each of its digits; its id."""
    from game.history_rows import image_bytes, now

    with history._transaction():
        cursor = history._connection.execute(
            "INSERT INTO numbers (created_at, model_sha256, reading, label, confidence,"
            " latency_ms, mode) VALUES (?, ?, ?, NULL, ?, ?, ?)",
            (now(), model_sha256, number.text, float(number.confidence), number.latency_ms, mode),
        )
        number_id = int(cursor.lastrowid)
        for position, digit in enumerate(number.digits):
            image = digit.answer.image
            history._connection.execute(
                "INSERT INTO number_digits (number_id, position, image, probabilities,"
                " prediction, confidence, label, box, strokes)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                (
                    number_id,
                    position,
                    image_bytes(np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8)),
                    np.asarray(digit.probabilities, dtype="<f4")[:NUM_CLASSES].tobytes(),
                    NOT_A_DIGIT if digit.digit is None else int(digit.digit),
                    float(digit.confidence),
                    json.dumps([round(v, 1) for v in digit.box]),
                    json.dumps([np.round(points, 1).tolist() for points in digit.ink]),
                ),
            )
    return number_id


def set_number_label(history: Any, number_id: int | None, text: str) -> None:
    """The number the user confirmed or typed; each digit is labelled when the counts agree."""
    if number_id is None or not text.isdigit():
        return
    with history._transaction():
        history._connection.execute(
            "UPDATE numbers SET label = ? WHERE id = ?", (text, int(number_id))
        )
        count = history._connection.execute(
            "SELECT COUNT(*) FROM number_digits WHERE number_id = ?", (int(number_id),)
        ).fetchone()[0]
        if count == len(text):
            history._connection.executemany(
                "UPDATE number_digits SET label = ? WHERE number_id = ? AND position = ?",
                [(int(c), int(number_id), i) for i, c in enumerate(text)],
            )


def numbers(history: Any, limit: int | None = None) -> list[NumberRow]:
    """Recorded numbers, newest first."""
    query = (
        "SELECT n.id, n.created_at, n.reading, n.label, n.confidence, n.mode,"
        " (SELECT COUNT(*) FROM number_digits d WHERE d.number_id = n.id)"
        " FROM numbers n ORDER BY n.id DESC"
    )
    parameters: tuple = ()
    if limit is not None:
        query += " LIMIT ?"
        parameters = (int(limit),)
    return [NumberRow(*row) for row in history._connection.execute(query, parameters)]


def number_digit_strokes(history: Any, number_id: int) -> list[tuple[int | None, list]]:
    """(label, strokes as point lists) of each digit of a number, in order."""
    rows = history._connection.execute(
        "SELECT label, strokes FROM number_digits WHERE number_id = ? ORDER BY position",
        (int(number_id),),
    )
    return [(label, json.loads(strokes)) for label, strokes in rows]
