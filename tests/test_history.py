"""The history database keeps every committed classification safe, whatever happens."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from game.history import SCHEMA_VERSION, History, HistoryError, export_drawings, reset

REPO = Path(__file__).resolve().parent.parent


def _image(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((28, 28), dtype=np.float32)


def _probabilities(digit: int) -> np.ndarray:
    probabilities = np.full(10, 0.01, dtype=np.float32)
    probabilities[digit] = 0.91
    return probabilities


def _add(history: History, digit: int, label: int | None = None, mode: str = "free") -> int:
    return history.add(
        image=_image(digit),
        probabilities=_probabilities(digit),
        prediction=digit,
        latency_ms=0.5 + digit,
        model_sha256="ab" * 32,
        mode=mode,
        label=label,
    )


def _version_1_database(path: Path) -> None:
    """A database exactly as schema version 1 (the first release) made it."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE drawings (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
        " model_sha256 TEXT NOT NULL, image BLOB NOT NULL, probabilities BLOB NOT NULL,"
        " prediction INTEGER NOT NULL, label INTEGER, latency_ms REAL NOT NULL,"
        " mode TEXT NOT NULL)"
    )
    for digit in range(3):
        connection.execute(
            "INSERT INTO drawings (created_at, model_sha256, image, probabilities, prediction,"
            " label, latency_ms, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "2026-01-01T00:00:00+00:00",
                "cd" * 32,
                bytes([digit * 20]) * 784,
                _probabilities(digit).astype("<f4").tobytes(),
                digit,
                digit,
                1.5,
                "free",
            ),
        )
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


def test_drawing_added_then_labelled_reads_back_the_same(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        first = _add(history, 3)
        second = _add(history, 7, mode="challenge", label=7)
        history.set_label(first, 8)
        drawings = history.drawings()
    assert [d.id for d in drawings] == [second, first]  # newest first
    newest, oldest = drawings
    assert oldest.label == 8 and oldest.prediction == 3 and oldest.mode == "free"
    assert newest.label == 7 and newest.mode == "challenge"
    expected = np.rint(_image(3) * 255).astype(np.uint8)
    assert oldest.image.dtype == np.uint8 and np.array_equal(oldest.image, expected)
    np.testing.assert_array_equal(oldest.probabilities, _probabilities(3))
    assert oldest.latency_ms == pytest.approx(3.5)
    assert oldest.model_sha256 == "ab" * 32
    assert oldest.created_at.startswith("20")


def test_rows_persist_across_reopening_and_count_labelled(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for digit in range(5):
            _add(history, digit, label=digit if digit % 2 else None)
    with History.open(path) as history:
        assert history.count() == 5
        assert history.count(labelled_only=True) == 2
        assert [d.label for d in history.drawings(labelled_only=True)] == [3, 1]
        assert len(history.drawings(limit=2)) == 2


def test_database_uses_write_ahead_log_and_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    connection.close()


def test_best_score_is_the_highest_recorded(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        assert history.best_score() is None
        history.record_score(6, 10, best_streak=4)
        history.record_score(9, 10, best_streak=7)
        history.record_score(4, 10)
        assert history.best_score() == 9


def test_version_1_database_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _version_1_database(path)
    with History.open(path) as history:
        assert history.schema_version == 3
        drawings = history.drawings()
        assert [d.label for d in drawings] == [2, 1, 0]
        assert drawings[0].image[0, 0] == 40
        history.record_score(5, 10)  # the table version 2 added works
        assert history.best_score() == 5
        _add(history, 4)
        assert history.count() == 4


def test_version_1_database_is_readable_by_the_launcher_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _version_1_database(path)
    with History.open_readonly(path) as history:
        assert history.count() == 3
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_database_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer version"):
        History.open(path)
    assert path.read_bytes() == before


def test_corrupt_database_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    garbage = b"this is not a database, but it is the user's file " * 100
    path.write_bytes(garbage)
    with pytest.raises(HistoryError) as caught:
        History.open(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite3"]


def test_directory_in_place_of_the_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    with pytest.raises(HistoryError, match="not a file"):
        History.open(path)
    assert (path / "keep.txt").read_text() == "mine"


def test_data_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(HistoryError, match="cannot be created"):
        History.open(blocker / "h.sqlite3")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(HistoryError):
            History.open(folder / "h.sqlite3")
    finally:
        folder.chmod(0o700)


def test_export_writes_labelled_drawings_in_mnist_layout(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history, 4, label=4)
        _add(history, 5)  # unanswered: not exported
        _add(history, 6, label=0)
    out = tmp_path / "export" / "drawings.npz"
    assert export_drawings(path, out) == 2
    with np.load(out) as data:
        assert sorted(data.files) == ["x_train", "y_train"]
        x, y = data["x_train"], data["y_train"]
    assert x.dtype == np.uint8 and x.shape == (2, 28, 28)
    assert y.dtype == np.uint8 and y.tolist() == [4, 0]
    assert np.array_equal(x[0], np.rint(_image(4) * 255).astype(np.uint8))
    assert [p.name for p in out.parent.iterdir()] == ["drawings.npz"]  # no temporary left


def test_export_leaves_the_database_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for digit in range(10):
            _add(history, digit, label=digit)
    before = path.read_bytes()
    export_drawings(path, tmp_path / "out.npz")
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_export_while_the_game_holds_the_database_open(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history, 1, label=1)
        wal = Path(f"{path}-wal").read_bytes()
        main = path.read_bytes()
        assert export_drawings(path, tmp_path / "out.npz") == 1
        assert Path(f"{path}-wal").read_bytes() == wal and path.read_bytes() == main
        _add(history, 2, label=2)  # the game goes on writing
        assert history.count() == 2


def test_export_of_a_missing_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="no history database"):
        export_drawings(tmp_path / "none.sqlite3", tmp_path / "out.npz")
    assert not (tmp_path / "out.npz").exists()


def test_reset_moves_the_database_aside_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history, 1, label=1)
        _add(history, 2)
    moved = reset(path)
    assert moved is not None and moved.parent == tmp_path and moved.name.startswith("h-")
    assert not path.exists()
    with History.open_readonly(moved) as old:
        assert old.count() == 2
    with History.open(path) as fresh:
        assert fresh.count() == 0
    second = reset(path)
    assert second != moved and moved.exists() and second.exists()


def test_reset_without_a_database_does_nothing(tmp_path: Path) -> None:
    assert reset(tmp_path / "h.sqlite3") is None
    assert list(tmp_path.iterdir()) == []


WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from game.history import History

    history = History.open(sys.argv[1])
    image = np.zeros((28, 28), dtype=np.float32)
    probabilities = np.full(10, 0.1, dtype=np.float32)
    while True:
        drawing_id = history.add(image, probabilities, 3, 1.0, "ef" * 32, label=3)
        print(drawing_id, flush=True)
    """
)


@pytest.mark.slow
def test_killed_writer_leaves_every_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    committed = []
    try:
        for line in process.stdout:
            committed.append(int(line))
            if len(committed) >= 300:
                break
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    # Ids printed after the ones we read were committed too; count every printed one.
    committed += [int(line) for line in process.stdout.read().split()]
    assert process.returncode == -signal.SIGKILL
    assert len(committed) >= 300
    with History.open(path) as history:
        stored = {d.id for d in history.drawings()}
    assert set(committed) <= stored
    assert len(stored) - len(committed) <= 1  # at most the row being committed at the kill
