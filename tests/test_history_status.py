"""What the draw scene says about saving is true: "Saved." only after the commit, a plain notice
while the history is off, and nothing lost while another program holds the database locked."""

import sqlite3
import time
from pathlib import Path

import pygame
import pytest
from gamedriver import Driver, make_app

from game import history as history_module
from game import recorder as recorder_module
from game.history import History
from game.recorder import SAVED, HistoryRecorder


def play(tmp_path: Path, **options) -> Driver:
    app = make_app(tmp_path, **options)
    driver = Driver(app)
    driver.wait_ready()
    driver.key(pygame.K_RETURN, frames=2)  # title -> draw
    return driver


def classify_and_confirm(driver: Driver) -> None:
    driver.canvas_stroke([(0.2, 0.5), (0.5, 0.5), (0.8, 0.5)])
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    driver.key(pygame.K_RETURN, frames=2)


def settle(driver: Driver) -> None:
    driver.app.recorder.flush(timeout=20)
    driver.frames(2)


def notice(driver: Driver) -> str:
    return driver.scene._notice()


def test_history_off_never_says_saved_and_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    driver = play(tmp_path, history_file=blocker / "history.sqlite3")
    try:
        classify_and_confirm(driver)
        settle(driver)
        message = driver.scene.toast.message
        assert message.startswith("Nice, a 3.") and "Saved" not in message
        assert "Not saved" in message
        assert "History is off, drawings are not saved" in notice(driver)
        assert f"{blocker} is a file, not a folder" in notice(driver)
        assert not driver.scene.widget_named("fresh").visible  # moving aside would not help
    finally:
        driver.app.close()


class FailingHistory:
    """A database that opened but refuses every write (a damaged disk, say)."""

    path = Path("failing.sqlite3")

    def add(self, **record) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    def set_label(self, drawing_id: int, label: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def close(self) -> None:
        pass


def test_failed_write_is_reported_and_not_replaced_by_saved(tmp_path: Path) -> None:
    driver = play(tmp_path, history_opener=lambda path: FailingHistory())
    try:
        classify_and_confirm(driver)
        for _ in range(3):
            settle(driver)
        message = driver.scene.toast.message
        assert "Not saved" in message and "disk I/O error" in message
        assert "Saved." not in message
    finally:
        driver.app.close()


def test_saved_is_said_once_the_label_is_committed(tmp_path: Path) -> None:
    driver = play(tmp_path)
    try:
        classify_and_confirm(driver)
        settle(driver)
        assert driver.scene.toast.message == "Nice, a 3. Saved."
        with History.open(tmp_path / "history.sqlite3") as history:
            assert [d.label for d in history.drawings()] == [3]
    finally:
        driver.app.close()


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_module, "BUSY_SECONDS", 0.1)
    monkeypatch.setattr(recorder_module, "RETRY_FIRST_SECONDS", 0.1)
    monkeypatch.setattr(recorder_module, "RETRY_MAX_SECONDS", 0.4)


def lock(path: Path) -> sqlite3.Connection:
    """Another program holding the database's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_locked_database_keeps_the_drawing_queued_and_saves_it_later(
    tmp_path: Path, quick_retries: None
) -> None:
    path = tmp_path / "history.sqlite3"
    driver = play(tmp_path)
    try:
        driver.app.recorder.flush()
        other = lock(path)
        classify_and_confirm(driver)
        wait_for(lambda: driver.app.recorder.waiting != "")
        time.sleep(1.0)  # several retries fail while the lock is held
        driver.frames(2)
        assert "Saved" not in driver.scene.toast.message
        assert "locked by another program" in notice(driver)
        assert "2 changes" in notice(driver)  # the drawing and its label
        other.execute("ROLLBACK")
        other.close()
        assert driver.app.recorder.flush(timeout=10)
        driver.frames(2)
        assert driver.scene.toast.message == "Nice, a 3. Saved."
        assert notice(driver) == ""
        with History.open(path) as history:
            assert [d.label for d in history.drawings()] == [3]
    finally:
        driver.app.close()


def test_database_locked_at_start_is_opened_once_it_is_free(
    tmp_path: Path, quick_retries: None
) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")  # so the lock also stops readers
    connection.close()
    other = lock(path)
    recorder = HistoryRecorder(path)
    recorder.start()
    try:
        write = recorder.add(
            image=[[0] * 28] * 28,
            probabilities=[0.1] * 10,
            prediction=1,
            latency_ms=1.0,
            model_sha256="ab" * 32,
        )
        wait_for(lambda: recorder.waiting != "")
        assert recorder.error == "" and recorder.outcome(write) is None
        other.execute("ROLLBACK")
        other.close()
        assert recorder.flush(timeout=10)
        assert recorder.outcome(write) is SAVED
    finally:
        recorder.close()
    with History.open(path) as history:
        assert history.count() == 1


def test_start_fresh_moves_a_refused_database_aside_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    refused = b"not a database, but the user's file " * 200
    path.write_bytes(refused)
    driver = play(tmp_path)
    try:
        settle(driver)
        assert "damaged or not a database" in notice(driver)
        assert "Start fresh" in notice(driver)
        driver.click_widget("fresh", frames=2)
        settle(driver)
        assert driver.scene.toast.message.startswith("A fresh history was started.")
        assert notice(driver) == "" and not driver.scene.widget_named("fresh").visible
        kept = [p for p in tmp_path.iterdir() if p.name.startswith("history-")]
        assert len(kept) == 1 and kept[0].read_bytes() == refused
        classify_and_confirm(driver)
        settle(driver)
        assert driver.scene.toast.message == "Nice, a 3. Saved."
    finally:
        driver.app.close()


def test_notice_screenshot_with_history_off(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database " * 300)
    driver = play(tmp_path)
    try:
        settle(driver)
        driver.frames(1)
        shot = Path(__file__).resolve().parent.parent / "build" / "history-off.png"
        driver.app.save_screenshot(shot)
        assert shot.is_file()
    finally:
        driver.app.close()


def test_window_never_waits_for_a_locked_database(tmp_path: Path) -> None:
    # README: writes happen on a background thread; the window never waits for the disk. Each
    # try at a locked database blocks SQLite for BUSY_SECONDS: on the writer, not the frame.
    path = tmp_path / "history.sqlite3"
    driver = play(tmp_path)
    try:
        driver.app.recorder.flush()
        other = lock(path)
        try:
            classify_and_confirm(driver)
            slowest = 0.0
            deadline = time.monotonic() + history_module.BUSY_SECONDS + 1.0
            while time.monotonic() < deadline:
                driver.frames(1)
                slowest = max(slowest, driver.app.frame_seconds)
            assert driver.app.recorder.waiting != ""
            assert slowest < 0.5, f"a frame took {slowest:.2f} s"
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert driver.app.recorder.flush(timeout=20)
    finally:
        driver.app.close()
