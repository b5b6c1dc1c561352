"""Bad inputs and faults, one table: each run of the real command (`python -m game`,
`python -m training`) is refused with exit code 2 and one sentence on stderr that names the file
and says what to do, with no traceback, and the file is left byte for byte as it was.

Every case fails at the checks made before any window opens or any epoch runs, so the table is
quick; only the Keras case imports TensorFlow (marked slow).
"""

import gzip
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# What a sentence that says what to do contains: one of these, or the fix named outright.
ADVICE = re.compile(
    r"\b(use|pass|give|choose|move|check|download|free|make it|start fresh|close|play)\b",
    re.IGNORECASE,
)
TENSORFLOW_LOG = re.compile(r"^(WARNING: All log messages|[IWE]\d{4} )", re.MULTILINE)


@dataclass
class Case:
    """`command(tmp)` makes the bad input under tmp and returns (arguments, the file that must
    stay untouched, words the sentence must hold)."""

    command: Callable[[Path], tuple[list[str], Path, list[str]]]
    slow: bool = False
    needs_non_root: bool = False


# Inputs ------------------------------------------------------------------------------------------


def mnist_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 30).astype(np.uint8),
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 10).astype(np.uint8),
    }


def npz(path: Path, compressed: bool = True, **arrays: np.ndarray) -> Path:
    (np.savez_compressed if compressed else np.savez)(path, **(arrays or mnist_arrays()))
    return path


def flip(path: Path, start: int, stop: int) -> Path:
    data = bytearray(path.read_bytes())
    for offset in range(start, min(stop, len(data))):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def idx_folder(folder: Path, damage: Callable[[bytes], bytes]) -> Path:
    names = {
        "x_train": "train-images-idx3-ubyte",
        "y_train": "train-labels-idx1-ubyte",
        "x_test": "t10k-images-idx3-ubyte",
        "y_test": "t10k-labels-idx1-ubyte",
    }
    folder.mkdir()
    for key, array in mnist_arrays().items():
        magic = 0x803 if array.ndim == 3 else 0x801
        header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
        packed = gzip.compress(header + array.tobytes())
        if key == "x_train":
            packed = damage(packed)
        (folder / f"{names[key]}.gz").write_bytes(packed)
    return folder / f"{names['x_train']}.gz"


def history(path: Path, version: int = 2, sql: str = "", rows: int = 0) -> Path:
    """A database: the game's own (made by History) or one with `sql` and `version`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not sql:
        from game.history import History

        with History.open(path) as opened:
            for index in range(rows):
                opened.add(
                    image=np.full((28, 28), index, np.uint8),
                    probabilities=np.full(10, 0.1, np.float32),
                    prediction=index % 10,
                    latency_ms=1.0,
                    model_sha256="ab" * 32,
                    label=index % 10,
                )
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=DELETE")  # one file, no WAL beside it
        connection.close()
    else:
        connection = sqlite3.connect(path)
        connection.executescript(sql)
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()
        connection.close()
    return path


def damaged_history(path: Path) -> Path:
    """Pages scribbled over (the schema on page 1 spared): SQLite still opens it."""
    history(path, rows=60)
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096 + 100, min(len(data), 6 * 4096), 97):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def keras_h5(path: Path, layers: list[dict]) -> Path:
    import h5py

    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = json.dumps(config)
        file.attrs["keras_version"] = "3.15.0"
    return path


INPUT = {"class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1]}}
DENSE = {"class_name": "Dense", "config": {"name": "dense", "units": 10}}
LAMBDA = {"class_name": "Lambda", "config": {"name": "run_me", "function": "print"}}


def unreadable(path: Path) -> Path:
    path.chmod(0)
    return path


def export(tmp: Path, database: Path | None = None, out: Path | None = None) -> list[str]:
    folder = database.parent if database is not None else tmp / "data"
    return ["game", "--data-dir", str(folder), "--export-drawings", str(out or tmp / "out.npz")]


def train(*arguments: str | Path) -> list[str]:
    return ["training", *map(str, arguments)]


def good_data(tmp: Path) -> Path:
    return npz(tmp / "mnist.npz")


# The table ---------------------------------------------------------------------------------------

CASES: dict[str, Case] = {
    # python -m game MODEL
    "model missing": Case(
        lambda t: (["game", str(t / "gone.onnx"), "--self-test"], t, ["does not exist"])
    ),
    "model of another type": Case(
        lambda t: (
            ["game", str(p := t / "m.txt"), "--self-test"],
            p.write_text("x") and p,
            ["unsupported type"],
        )
    ),
    "random bytes as onnx": Case(
        lambda t: (
            ["game", str(p := t / "m.onnx"), "--self-test"],
            p.write_bytes(os.urandom(3000)) and p,
            ["not a valid ONNX model"],
        )
    ),
    "unreadable onnx": Case(
        lambda t: (
            ["game", str(p := t / "m.onnx"), "--self-test"],
            unreadable(p.write_bytes(b"x" * 100) and p),
            ["cannot be read", "Permission denied"],
        ),
        needs_non_root=True,
    ),
    "truncated h5": Case(
        lambda t: (
            ["game", str(p := t / "m.h5"), "--self-test"],
            p.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 50) and p,
            ["not a readable HDF5 file"],
        )
    ),
    "h5 with a Lambda layer": Case(
        lambda t: (
            ["game", str(p := keras_h5(t / "m.h5", [INPUT, LAMBDA, DENSE])), "--self-test"],
            p,
            ["Lambda", "refused"],
        )
    ),
    "h5 that Keras cannot load": Case(
        lambda t: (
            ["game", str(p := keras_h5(t / "m.h5", [INPUT, DENSE])), "--self-test"],
            p,
            ["could not be loaded by Keras"],
        ),
        slow=True,
    ),
    # python -m game --export-drawings
    "export: no history": Case(
        lambda t: (export(t), t, ["There is no history database"]),
    ),
    "export: data folder is a file": Case(
        lambda t: (
            export(t, t / "data" / "history.sqlite3"),
            (t / "data").write_text("x") and t / "data",
            ["is a file, not a folder"],
        )
    ),
    "export: not a database": Case(
        lambda t: (
            export(t, p := t / "data" / "history.sqlite3"),
            (p.parent.mkdir() or p.write_bytes(b"not a database " * 300)) and p,
            ["damaged or not a database", "Start fresh"],
        )
    ),
    "export: damaged pages": Case(
        lambda t: (
            export(t, p := damaged_history(t / "data" / "history.sqlite3")),
            p,
            ["is damaged", "integrity check"],
        )
    ),
    "export: schema version -1": Case(
        lambda t: (
            export(t, p := history(t / "data" / "history.sqlite3", -1, "CREATE TABLE a (x);")),
            p,
            ["schema version -1"],
        )
    ),
    "export: newer schema": Case(
        lambda t: (
            export(t, p := history(t / "data" / "history.sqlite3", 99, "CREATE TABLE a (x);")),
            p,
            ["newer version"],
        )
    ),
    "export: wrong tables": Case(
        lambda t: (
            export(t, p := history(t / "data" / "history.sqlite3", 2, "CREATE TABLE a (x);")),
            p,
            ["has no drawings table"],
        )
    ),
    "export: missing columns": Case(
        lambda t: (
            export(
                t,
                p := history(
                    t / "data" / "history.sqlite3",
                    2,
                    "CREATE TABLE drawings (id, image); CREATE TABLE challenge_scores (id);",
                ),
            ),
            p,
            ["has no created_at"],
        )
    ),
    "export: tables without a version": Case(
        lambda t: (
            export(t, p := history(t / "data" / "history.sqlite3", 0, "CREATE TABLE a (x);")),
            p,
            ["no schema version"],
        )
    ),
    "export: output is a folder": Case(
        lambda t: (
            export(t, history(t / "data" / "history.sqlite3", rows=2), out=t / "data"),
            t / "data",
            ["is a folder", ".npz"],
        )
    ),
    # python -m training --data
    "npz cut in half": Case(
        lambda t: (
            train("--data", p := good_data(t)),
            p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]) and p,
            ["is damaged", "download it again"],
        )
    ),
    "npz with a broken deflate stream": Case(
        lambda t: (train("--data", p := flip(good_data(t), 200, 260)), p, ["is damaged"])
    ),
    "npz with a bad CRC": Case(
        lambda t: (
            train("--data", p := flip(npz(t / "m.npz", compressed=False), 2000, 2001)),
            p,
            ["is damaged", "CRC"],
        )
    ),
    "random bytes as npz": Case(
        lambda t: (
            train("--data", p := t / "m.npz"),
            p.write_bytes(np.random.default_rng(1).bytes(5000)) and p,
            ["is not an .npz archive"],
        )
    ),
    "npz without Keras's keys": Case(
        lambda t: (
            train("--data", p := npz(t / "m.npz", images=np.zeros((3, 28, 28), np.uint8))),
            p,
            ["has no x_train"],
        )
    ),
    "unreadable npz": Case(
        lambda t: (
            train("--data", p := unreadable(good_data(t))),
            p,
            ["cannot be read", "Permission denied"],
        ),
        needs_non_root=True,
    ),
    "idx .gz with a bad CRC": Case(
        lambda t: (
            train("--data", (p := idx_folder(t / "idx", lambda b: flip_bytes(b, 30, 31))).parent),
            p,
            ["is damaged", "CRC"],
        )
    ),
    "idx .gz with a broken deflate stream": Case(
        lambda t: (
            train("--data", (p := idx_folder(t / "idx", lambda b: flip_bytes(b, 12, 40))).parent),
            p,
            ["is damaged"],
        )
    ),
    "idx .gz cut short": Case(
        lambda t: (
            train("--data", (p := idx_folder(t / "idx", lambda b: b[: len(b) // 2])).parent),
            p,
            ["is damaged"],
        )
    ),
    # python -m training OUT: every path is checked before the first epoch
    "output is a folder": Case(
        lambda t: (
            train((p := t / "model.h5"), "--data", good_data(t)),
            p.mkdir() or p,
            ["is a folder"],
        )
    ),
    "output's .onnx is a folder": Case(
        lambda t: (
            train(t / "model.h5", "--data", good_data(t)),
            (p := t / "model.onnx").mkdir() or p,
            ["model.onnx is a folder"],
        )
    ),
    "output folder missing": Case(
        lambda t: (train(t / "gone" / "model.h5", "--data", good_data(t)), t / "gone", [])
    ),
    "base model that is not a model": Case(
        lambda t: (
            train("--base-model", p := t / "base.h5", "--data", good_data(t)),
            p.write_text("not a model") and p,
            ["not a readable HDF5 file"],
        )
    ),
    "base model in ONNX": Case(
        lambda t: (
            train("--base-model", p := t / "base.onnx", "--data", good_data(t)),
            p.write_bytes(b"onnx") and p,
            ["not a Keras model", ".h5"],
        )
    ),
    "user data: damaged history": Case(
        lambda t: (
            train(
                "--user-data",
                (p := damaged_history(t / "data" / "history.sqlite3")).parent,
                "--base-model",
                keras_h5(t / "base.h5", [INPUT, DENSE]),
                "--data",
                good_data(t),
            ),
            p,
            ["is damaged"],
        )
    ),
    "user data: wrong schema": Case(
        lambda t: (
            train(
                "--user-data",
                (p := history(t / "data" / "history.sqlite3", -1, "CREATE TABLE a (x);")).parent,
                "--base-model",
                keras_h5(t / "base.h5", [INPUT, DENSE]),
                "--data",
                good_data(t),
            ),
            p,
            ["schema version -1"],
        )
    ),
}


def flip_bytes(data: bytes, start: int, stop: int) -> bytes:
    changed = bytearray(data)
    for offset in range(start, stop):
        changed[offset] ^= 0xFF
    return bytes(changed)


def fingerprint(path: Path) -> str:
    """A file's SHA-256, or a folder's listing with each file's hash."""
    if path.is_dir():
        return json.dumps({str(p): fingerprint(p) for p in sorted(path.rglob("*")) if p.is_file()})
    if not path.exists():
        return "absent"
    if ROOT or os.access(path, os.R_OK):
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return f"unreadable {path.stat().st_size} {path.stat().st_mtime_ns}"


def params() -> list:
    marks = {
        name: [pytest.mark.slow] * case.slow
        + [pytest.mark.skipif(ROOT, reason="root reads any file")] * case.needs_non_root
        for name, case in CASES.items()
    }
    return [pytest.param(name, id=name, marks=marks[name]) for name in CASES]


@pytest.mark.parametrize("name", params())
def test_bad_input_gets_one_sentence_exit_2_and_the_file_untouched(
    tmp_path: Path, name: str
) -> None:
    arguments, watched, words = CASES[name].command(tmp_path)
    before = fingerprint(watched)
    result = subprocess.run(
        [sys.executable, "-m", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
    )
    stderr = result.stderr.strip()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and not TENSORFLOW_LOG.search(stderr), stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    sentence = lines[0]
    assert sentence.endswith("."), sentence
    named = watched if watched.is_file() or not watched.exists() else watched
    assert str(named) in sentence or named.name in sentence, sentence
    for word in words:
        assert word in sentence, sentence
    assert ADVICE.search(sentence), f"says what is wrong but not what to do: {sentence}"
    assert "allow_pickle" not in sentence and "error number" not in sentence
    assert fingerprint(watched) == before, "the file was changed"


# Unreadable files: root reads any file, so the refusal is driven in-process as well -------------


def _denied(*arguments, **options):
    raise PermissionError(13, "Permission denied")


def test_unreadable_model_says_it_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game import classifier

    path = tmp_path / "model.onnx"
    path.write_bytes(b"\x08\x07" * 50)
    monkeypatch.setattr(classifier, "open", _denied, raising=False)
    with pytest.raises(classifier.ModelLoadError) as caught:
        classifier.load_classifier(path)
    message = str(caught.value)
    assert "cannot be read (Permission denied)" in message and "permissions" in message
    assert "not a valid ONNX model" not in message and "error number" not in message


def test_unreadable_npz_says_it_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from training import data

    path = npz(tmp_path / "mnist.npz")
    monkeypatch.setattr(data, "open", _denied, raising=False)
    with pytest.raises(data.DataError, match=r"cannot be read \(Permission denied\)"):
        data.load_mnist(path)
