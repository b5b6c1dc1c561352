"""The player's saved mistakes and why the model made them: labelled drawings it read wrong.

The history keeps only each drawing's 28x28 input (no strokes), so a mistake is explained by
occlusion maps (game.explain.explain_image): where the ink made the model say what it said, and
where it spoke against the digit it really was. Numpy and sqlite only; the scene runs it on the
recorder's thread.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from game.contract import IMAGE_SIZE, NUM_CLASSES
from game.explain import Explanation, explain_image

if TYPE_CHECKING:
    from game.reader import Reader

SHOWN = 8


@dataclass(frozen=True)
class Mistake:
    image: np.ndarray  # (28, 28) uint8, as saved
    prediction: int  # what the model said then: 0-9, or 10 for "not a digit"
    label: int  # what the player said it was
    said: Explanation | None = None  # why the model reads it as it does now
    truth: Explanation | None = None  # what speaks for and against the label


def load_mistakes(path: str | Path, limit: int = SHOWN) -> list[Mistake]:
    """The latest `limit` labelled drawings whose prediction was not their label (newest first);
    reads only, [] when there is no history yet."""
    path = Path(path)
    if not path.is_file():
        return []
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "drawings" not in tables:
            return []
        rows = connection.execute(
            "SELECT image, prediction, label FROM drawings WHERE label BETWEEN 0 AND ?"
            " AND prediction != label ORDER BY id DESC LIMIT ?",
            (NUM_CLASSES - 1, int(limit)),
        ).fetchall()
    finally:
        connection.close()
    found = []
    for image, prediction, label in rows:
        pixels = np.frombuffer(image, dtype=np.uint8)
        if pixels.size == IMAGE_SIZE * IMAGE_SIZE:  # a damaged row is skipped
            found.append(Mistake(pixels.reshape(IMAGE_SIZE, IMAGE_SIZE).copy(), prediction, label))
    return found


def explain_mistakes(reader: "Reader", mistakes: list[Mistake]) -> list[Mistake]:
    """Each mistake with its two occlusion maps, by the model the game plays with now."""
    return [
        Mistake(
            m.image,
            m.prediction,
            m.label,
            explain_image(reader, m.image),
            explain_image(reader, m.image, m.label),
        )
        for m in mistakes
    ]
