"""MNIST from an .npz, a folder of IDX files or Keras's downloader, checked on load.

Also the validation split (carved from the training set, so that the test set is only ever
used for the final report) and the user's labelled drawings from the game's history database.
"""

import gzip
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.contract import IMAGE_SIZE, NUM_CLASSES

# The four files of the original distribution, as LeCun's site names them (each may end in .gz).
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
# IDX magic numbers: two zero bytes, the type code (0x08 = unsigned byte), the number of dims.
IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801
# Every .npz is a zip archive; these are the first bytes of one (an empty one starts PK\5\6).
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
GET_AGAIN = "download it again or pass another --data"


class DataError(ValueError):
    """Data that cannot be used for training; the message is one sentence naming the problem."""


@dataclass(frozen=True)
class Mnist:
    """MNIST as Keras gives it: uint8 images (N, 28, 28), uint8 labels (N,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_mnist(path: str | Path | None = None) -> Mnist:
    """MNIST from an .npz with Keras's keys, a folder of the four IDX files, or (None) Keras."""
    if path is None:
        arrays = _load_keras()
    else:
        path = Path(path)
        if path.is_dir():
            arrays = _load_idx_folder(path)
        elif path.is_file():
            arrays = _load_npz(path)
        else:
            raise DataError(f"The MNIST data {path} does not exist.")
    return check_mnist(arrays)


def check_mnist(arrays: dict[str, np.ndarray]) -> Mnist:
    """Check shapes, dtypes, labels and counts; return them as uint8 arrays."""
    for part in ("train", "test"):
        images, labels = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if images.ndim != 3 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE) or not len(images):
            raise DataError(
                f"The {part} images have shape {images.shape}, not (N, {IMAGE_SIZE}, {IMAGE_SIZE})."
            )
        if images.dtype != np.uint8:
            raise DataError(f"The {part} images are {images.dtype}, not uint8 pixels 0-255.")
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise DataError(f"The {part} labels are not a list of integers (shape {labels.shape}).")
        if len(labels) != len(images):
            raise DataError(f"There are {len(images)} {part} images but {len(labels)} labels.")
        if labels.min() < 0 or labels.max() >= NUM_CLASSES:
            raise DataError(f"The {part} labels are not all digits 0-9.")
    return Mnist(
        arrays["x_train"],
        arrays["y_train"].astype(np.uint8),
        arrays["x_test"],
        arrays["y_test"].astype(np.uint8),
    )


def _load_keras() -> dict[str, np.ndarray]:
    import keras  # Imported here: loading data from a file must not need TensorFlow.

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # Keras raises whatever the download raised.
        raise DataError(f"Keras could not download MNIST ({error}); pass --data.") from error
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with open(path, "rb") as file:
            start = file.read(4)
    except OSError as error:
        raise DataError(f"The file {path} cannot be read ({error.strerror}).") from None
    if start not in ZIP_MAGICS:
        # np.load would try it as a pickle and advise allow_pickle: never for data like this.
        raise DataError(
            f"The file {path} is not an .npz archive; pass MNIST as an .npz with Keras's keys "
            "or a folder of the four IDX files."
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [key for key in IDX_FILES if key not in npz.files]
            if missing:
                raise DataError(
                    f"The file {path} has no {', '.join(missing)} (Keras's MNIST keys); "
                    f"{GET_AGAIN}."
                )
            return {key: npz[key] for key in IDX_FILES}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataError(f"The file {path} is damaged ({_brief(error)}); {GET_AGAIN}.") from None


def _load_idx_folder(folder: Path) -> dict[str, np.ndarray]:
    arrays = {}
    for key, stem in IDX_FILES.items():
        candidates = [folder / stem, folder / (stem + ".gz")]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise DataError(f"The folder {folder} has no {stem} (or {stem}.gz).")
        arrays[key] = read_idx(found, images=key.startswith("x"))
    return arrays


def read_idx(path: Path, images: bool) -> np.ndarray:
    """One IDX file (gzipped or not): images (N, rows, cols) or labels (N,), uint8."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            raw = stream.read()
    except PermissionError as error:
        raise DataError(f"The file {path} cannot be read ({error.strerror}).") from None
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"The file {path} is damaged ({_brief(error)}); {GET_AGAIN}.") from None
    dims = 3 if images else 1
    header = 4 + 4 * dims
    expected_magic = IDX_IMAGES_MAGIC if images else IDX_LABELS_MAGIC
    if len(raw) < header or int.from_bytes(raw[:4], "big") != expected_magic:
        kind = "images" if images else "labels"
        raise DataError(f"The file {path} is not an IDX file of {kind}.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    body = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if body.size != int(np.prod(shape)):
        raise DataError(f"The file {path} holds {body.size} bytes, not the {shape} it announces.")
    return body.reshape(shape)


def split_validation(
    images: np.ndarray, labels: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_val, y_val): a seeded random `fraction` of the set held out."""
    order = np.random.default_rng(seed).permutation(len(images))
    held_out = int(round(len(images) * fraction))
    train, validation = order[held_out:], order[:held_out]
    return images[train], labels[train], images[validation], labels[validation]


def load_user_drawings(database: Path) -> tuple[np.ndarray, np.ndarray]:
    """The labelled drawings (images (N, 28, 28) uint8, labels (N,)) of a history database.

    Opened read-only: the user's history is never modified by training.
    """
    from game.history_checks import HistoryError, inspect

    if not database.is_file():
        raise DataError(f"There is no history database at {database}.")
    try:
        inspect(database)  # integrity and schema, without changing a byte
    except HistoryError as error:
        raise DataError(str(error)) from None
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT image, label FROM drawings WHERE label IS NOT NULL ORDER BY id"
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise DataError(f"The history database {database} cannot be read ({error}).") from None
    pixels = IMAGE_SIZE * IMAGE_SIZE
    rows = [(image, label) for image, label in rows if len(image) == pixels and 0 <= label <= 9]
    if not rows:
        raise DataError(f"The history database {database} has no labelled drawings.")
    images = np.frombuffer(b"".join(image for image, _ in rows), dtype=np.uint8)
    labels = np.array([label for _, label in rows], dtype=np.uint8)
    return images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE), labels


def _brief(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__).rstrip(".")[:160]
