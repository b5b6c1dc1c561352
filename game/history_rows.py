"""How a drawing is stored in a history row: its image and probabilities as bytes, its label
checked, its time in UTC; and the Drawing read back."""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from game.contract import IMAGE_SIZE, NUM_CLASSES

MODES = ("free", "challenge")
# Named, not *, so that columns a later migration adds do not shift what drawing_from_row reads.
DRAWING_COLUMNS = (
    "id, created_at, model_sha256, image, probabilities, prediction, label, latency_ms, mode"
)


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


def drawing_from_row(row: tuple) -> Drawing:
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


def image_bytes(image: np.ndarray) -> bytes:
    array = np.asarray(image)
    if array.size != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError(f"image must be 28x28, got shape {array.shape}")
    if array.dtype != np.uint8:
        array = np.clip(np.rint(array.astype(np.float64) * 255), 0, 255).astype(np.uint8)
    return array.reshape(IMAGE_SIZE, IMAGE_SIZE).tobytes()


def digit(label: int) -> int:
    if not 0 <= int(label) < NUM_CLASSES:
        raise ValueError(f"label must be a digit 0-9, got {label}")
    return int(label)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
