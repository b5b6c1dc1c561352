"""MNIST loading from .npz and IDX files, its checks, the validation split and user drawings."""

import gzip
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from training import data


def tiny_mnist(train: int = 12, test: int = 6, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, train).astype(np.uint8),
        "x_test": rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, test).astype(np.uint8),
    }


def idx_bytes(array: np.ndarray) -> bytes:
    magic = 0x00000800 + array.ndim
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx_folder(folder: Path, arrays: dict[str, np.ndarray], gz: bool) -> Path:
    folder.mkdir(exist_ok=True)
    for key, stem in data.IDX_FILES.items():
        raw = idx_bytes(arrays[key])
        if gz:
            (folder / (stem + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (folder / stem).write_bytes(raw)
    return folder


def assert_same(loaded: data.Mnist, arrays: dict[str, np.ndarray]) -> None:
    for key, expected in arrays.items():
        np.testing.assert_array_equal(getattr(loaded, key), expected)
        assert getattr(loaded, key).dtype == np.uint8


def test_npz_with_keras_keys_loads(tmp_path: Path) -> None:
    arrays = tiny_mnist()
    np.savez(tmp_path / "mnist.npz", **arrays)
    assert_same(data.load_mnist(tmp_path / "mnist.npz"), arrays)


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_idx_folder_loads(tmp_path: Path, gz: bool) -> None:
    arrays = tiny_mnist()
    assert_same(data.load_mnist(write_idx_folder(tmp_path / "idx", arrays, gz)), arrays)


def test_real_mnist_has_the_known_counts_and_first_labels(mnist_path: Path) -> None:
    mnist = data.load_mnist(mnist_path)
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_test.shape == (10000, 28, 28)
    assert mnist.y_train[:5].tolist() == [5, 0, 4, 1, 9]


def test_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(data.DataError, match="does not exist"):
        data.load_mnist(tmp_path / "nowhere.npz")


def test_folder_without_idx_files_names_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(data.DataError, match="train-images-idx3-ubyte"):
        data.load_mnist(tmp_path)


def test_file_that_is_not_an_npz_is_refused(tmp_path: Path) -> None:
    (tmp_path / "junk.npz").write_text("not an archive")
    with pytest.raises(data.DataError, match="is not an .npz archive") as caught:
        data.load_mnist(tmp_path / "junk.npz")
    assert "allow_pickle" not in str(caught.value)


def test_npz_without_keras_keys_is_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "other.npz", images=np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(data.DataError, match="x_train"):
        data.load_mnist(tmp_path / "other.npz")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("x_train", np.zeros((12, 32, 32), np.uint8), "shape"),
        ("x_test", np.zeros((6, 28, 28), np.float32), "not uint8"),
        ("y_train", np.full(12, 10, np.uint8), "not all digits"),
        ("y_test", np.zeros(5, np.uint8), "but 5 labels"),
        ("y_train", np.zeros((12, 10), np.uint8), "not a list of integers"),
    ],
)
def test_wrong_shapes_dtypes_and_labels_are_refused(
    tmp_path: Path, key: str, value: np.ndarray, message: str
) -> None:
    arrays = tiny_mnist() | {key: value}
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(data.DataError, match=message):
        data.load_mnist(tmp_path / "bad.npz")


def test_idx_file_with_wrong_magic_is_refused(tmp_path: Path) -> None:
    arrays = tiny_mnist()
    folder = write_idx_folder(tmp_path / "idx", arrays, gz=False)
    # Labels where the images should be: a labels magic number, not an images one.
    (folder / data.IDX_FILES["x_train"]).write_bytes(idx_bytes(arrays["y_train"]))
    with pytest.raises(data.DataError, match="not an IDX file of images"):
        data.load_mnist(folder)


def test_truncated_idx_file_is_refused(tmp_path: Path) -> None:
    folder = write_idx_folder(tmp_path / "idx", tiny_mnist(), gz=True)
    path = folder / (data.IDX_FILES["x_test"] + ".gz")
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-100]))
    with pytest.raises(data.DataError, match="not the"):
        data.load_mnist(folder)


def test_validation_split_is_carved_from_training_set_and_seeded() -> None:
    images = np.arange(100, dtype=np.uint8).reshape(100, 1, 1) * np.ones((1, 28, 28), np.uint8)
    labels = np.arange(100) % 10
    x_train, y_train, x_val, y_val = data.split_validation(images, labels, 0.2, seed=3)
    assert len(x_val) == 20 and len(x_train) == 80
    assert not set(x_train[:, 0, 0]) & set(x_val[:, 0, 0])
    assert set(x_train[:, 0, 0]) | set(x_val[:, 0, 0]) == set(range(100))
    again = data.split_validation(images, labels, 0.2, seed=3)
    np.testing.assert_array_equal(again[2], x_val)


def make_history(path: Path, rows: list[tuple[bytes, int | None]]) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE drawings (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, "
        "model_sha256 TEXT NOT NULL, image BLOB NOT NULL, probabilities BLOB NOT NULL, "
        "prediction INTEGER NOT NULL, label INTEGER, latency_ms REAL NOT NULL, mode TEXT NOT NULL)"
    )
    for image, label in rows:
        connection.execute(
            "INSERT INTO drawings (created_at, model_sha256, image, probabilities, prediction, "
            "label, latency_ms, mode) VALUES ('2026-01-01T00:00:00+00:00', 'x', ?, ?, 3, ?, 1.0,"
            " 'free')",
            (image, np.zeros(10, np.float32).tobytes(), label),
        )
    connection.execute("PRAGMA user_version = 1")  # as the game's first release made it
    connection.commit()
    connection.close()


def test_user_drawings_are_the_labelled_rows_and_the_database_is_not_changed(
    tmp_path: Path,
) -> None:
    seven = np.full((28, 28), 7, np.uint8).tobytes()
    make_history(tmp_path / "history.sqlite3", [(seven, 7), (bytes(784), None), (seven, 1)])
    before = (tmp_path / "history.sqlite3").read_bytes()
    images, labels = data.load_user_drawings(tmp_path / "history.sqlite3")
    assert labels.tolist() == [7, 1]
    assert images.shape == (2, 28, 28) and images[0, 5, 5] == 7
    assert (tmp_path / "history.sqlite3").read_bytes() == before


def test_history_without_labelled_drawings_is_refused(tmp_path: Path) -> None:
    make_history(tmp_path / "history.sqlite3", [(bytes(784), None)])
    with pytest.raises(data.DataError, match="no labelled drawings"):
        data.load_user_drawings(tmp_path / "history.sqlite3")


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda b: b[: len(b) // 2], "is damaged"),
        (lambda b: b[:150] + bytes(x ^ 0xFF for x in b[150:200]) + b[200:], "is damaged"),
        (lambda b: np.random.default_rng(3).bytes(len(b)), "is not an .npz archive"),
    ],
    ids=["truncated", "broken-deflate", "random-bytes"],
)
def test_damaged_npz_is_one_sentence(tmp_path: Path, damage, words: str) -> None:
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, **tiny_mnist())
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(data.DataError, match=words) as caught:
        data.load_mnist(path)
    assert "allow_pickle" not in str(caught.value) and str(path) in str(caught.value)


def test_gzip_idx_with_a_broken_deflate_stream_is_one_sentence(tmp_path: Path) -> None:
    folder = write_idx_folder(tmp_path / "idx", tiny_mnist(), gz=True)
    target = next(folder.glob("train-images*"))
    raw = bytearray(target.read_bytes())
    for offset in range(12, 40):
        raw[offset] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(data.DataError, match="is damaged"):
        data.load_mnist(folder)


def test_damaged_history_is_refused_for_fine_tuning(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database " * 300)
    with pytest.raises(data.DataError, match="damaged or not a database"):
        data.load_user_drawings(path)
