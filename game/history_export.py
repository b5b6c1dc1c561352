"""Export of the history: the labelled drawings as an MNIST-style .npz for fine-tuning."""

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from game.contract import IMAGE_SIZE
from game.history_checks import HistoryError


def export_drawings(db_path: str | Path, out_path: str | Path) -> int:
    """Write the labelled drawings to `out_path` (.npz, MNIST's layout: x_train uint8 (N, 28, 28),
    y_train uint8 (N,)), oldest first; returns N. Reads the database only, never writes it; the
    file appears whole or not at all. Raises HistoryError."""
    from game.history import History  # here: game.history re-exports this function

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
