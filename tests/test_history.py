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

from game.history import History, HistoryError, reset
from game.history_checks import refusal
from game.history_export import export_drawings
from game.history_schema import SCHEMA_VERSION

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
    with pytest.raises(HistoryError, match="data folder .*data is a file, not a folder"):
        History.open(blocker / "h.sqlite3")
    with pytest.raises(HistoryError, match="data is a file, not a folder"):
        History.open(blocker / "deeper" / "h.sqlite3")
    assert blocker.read_text() == "a file where the folder should be"


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


def _damaged_database(path: Path) -> bytes:
    """A history whose pages are corrupted but which SQLite still opens and counts."""
    with History.open(path) as history:
        for digit in range(40):
            _add(history, digit % 10, label=digit % 10)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    # Scribble over the middle of the drawings table's pages, sparing page 1 (the schema).
    for offset in range(2 * page + 100, min(len(data), 6 * page), 97):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] >= 2
    connection.close()
    return path.read_bytes()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_damaged_database_that_still_opens_is_refused_and_left_byte_identical(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    before = _damaged_database(path)
    with pytest.raises(HistoryError, match="damaged") as caught:
        History.open(path)
    assert str(path) in str(caught.value) and "Start fresh" in str(caught.value)
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["h.sqlite3"]  # not switched to WAL: no -wal, no -shm


def test_refused_database_is_not_switched_to_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute("PRAGMA user_version = -1")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="schema version -1, which no version"):
        History.open(path)
    assert path.read_bytes() == before and _files(tmp_path) == ["h.sqlite3"]


@pytest.mark.parametrize(
    ("version", "sql", "words"),
    [
        (0, "CREATE TABLE drawings (x)", "holds tables (drawings) but no schema version"),
        (2, "CREATE TABLE other (x)", "has no drawings table"),
        (2, "CREATE TABLE drawings (id, image)", "has no created_at"),
    ],
    ids=["tables-without-version", "no-drawings-table", "missing-columns"],
)
def test_database_of_another_schema_is_refused_for_writing_and_reading(
    tmp_path: Path, version: int, sql: str, words: str
) -> None:
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    for opening in (History.open, History.open_readonly):
        with pytest.raises(HistoryError) as caught:
            opening(path)
        assert words in str(caught.value)
    assert path.read_bytes() == before


def test_database_locked_by_another_program_is_reported_as_busy(tmp_path: Path) -> None:
    from game.history_checks import HistoryBusy, is_transient

    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=DELETE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryBusy, match="locked by another program") as caught:
            History.open(path)
        assert is_transient(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("SQLITE_READONLY", "can be read but not written"),
        ("SQLITE_FULL", "the disk is full"),
        ("SQLITE_IOERR_WRITE", "disk may be full"),
        ("SQLITE_NOTADB", "damaged"),
    ],
)
def test_write_failures_are_not_called_unreadable(tmp_path: Path, name: str, words: str) -> None:
    # Read-only and full media cannot be made in a test run as root; SQLite's error is.
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    error = sqlite3.OperationalError("as SQLite says it")
    error.sqlite_errorname = name
    message = str(refusal(path, error))
    assert words in message and "not readable" not in message and str(path) in message


def test_new_database_on_a_full_disk_leaves_no_file(tmp_path: Path) -> None:
    # RLIMIT_FSIZE=0 makes every write fail as a full disk does.
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
        from game.history import History, HistoryError
        try:
            History.open({str(tmp_path / "data" / "h.sqlite3")!r})
        except HistoryError as error:
            print(error)
            sys.exit(3)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "cannot be" in result.stdout and "free some space" in result.stdout
    assert _files(tmp_path / "data") == []


def test_new_database_appears_whole(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".new")] == []
    with History.open_readonly(path) as history:
        assert history.schema_version == SCHEMA_VERSION


def test_export_refuses_a_folder_as_output(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    with pytest.raises(HistoryError, match="is a folder"):
        export_drawings(path, tmp_path)


def test_reset_moves_a_refused_database_aside_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    before = _damaged_database(path)
    moved = reset(path)
    assert moved is not None and moved.read_bytes() == before and not path.exists()
    with History.open(path) as history:
        assert history.count() == 0


def test_export_that_fails_midway_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README: the .npz appears whole or not at all; an older export at that name is kept.
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history, 4, label=4)
    out = tmp_path / "drawings.npz"
    out.write_bytes(b"the previous export")

    def disk_full(file, **arrays) -> None:
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", disk_full)
    with pytest.raises(HistoryError, match="cannot be written"):
        export_drawings(path, out)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir() if ".npz" in p.name] == ["drawings.npz"]
