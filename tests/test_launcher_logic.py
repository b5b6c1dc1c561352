"""The launcher's modules on their own: real child processes, the read-only history, training."""

import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from game.history import History
from launcher import dashboard, training_run
from launcher.process import ChildProcess


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def wait_until_exited(child: ChildProcess, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while child.is_running() and time.monotonic() < deadline:
        time.sleep(0.02)


# ---------------------------------------------------------------- child processes


def test_failed_child_reports_its_last_line_and_exit_code(tmp_path: Path) -> None:
    child = ChildProcess("game", tmp_path / "logs" / "game.log")
    code = "import sys; print('loading'); print('The file x.h5 is not a model.', file=sys.stderr)"
    assert child.start(python(code + "; sys.exit(2)"))
    wait_until_exited(child)
    assert child.returncode == 2
    assert child.failed()
    assert child.error_message() == "The file x.h5 is not a model."


def test_child_that_succeeds_has_no_error(tmp_path: Path) -> None:
    child = ChildProcess("game", tmp_path / "game.log")
    child.start(python("print('bye')"))
    wait_until_exited(child)
    assert child.returncode == 0
    assert not child.failed() and child.error_message() is None


def test_second_start_while_running_is_refused_and_stop_ends_it(tmp_path: Path) -> None:
    child = ChildProcess("game", tmp_path / "game.log")
    assert child.start(python("import time; time.sleep(60)"))
    first = child.pid
    assert not child.start(python("print('second')"))
    assert child.pid == first and child.is_running()
    child.stop(timeout=5)
    assert not child.is_running()
    assert not child.failed()  # Stopped on request: no error to show.
    assert child.stopped_by_user


def test_stop_kills_a_child_that_ignores_the_signal(tmp_path: Path) -> None:
    child = ChildProcess("training", tmp_path / "training.log")
    stubborn = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print('ready')"
    child.start(python(stubborn + "; time.sleep(60)"))
    deadline = time.monotonic() + 10
    while "ready" not in child.log_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    child.stop(interrupt=True, timeout=0.5)
    assert not child.is_running()


def test_child_output_reaches_the_log_while_it_runs(tmp_path: Path) -> None:
    child = ChildProcess("training", tmp_path / "training.log")
    child.start(python("import time; print('Epoch 1/3'); print('loss: 0.2'); time.sleep(60)"))
    try:
        deadline = time.monotonic() + 10
        while "loss" not in child.log_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert training_run.read_progress(child.log_text()) == training_run.Progress(1, 3, None)
    finally:
        child.stop()


# ---------------------------------------------------------------- history, read-only


def make_history(path: Path, labels: list[int | None], predictions: list[int]) -> None:
    """A history written by the game's own code, spread over three days."""
    with History.open(path) as database:
        for index, (label, prediction) in enumerate(zip(labels, predictions, strict=True)):
            image = np.zeros((28, 28), np.uint8)
            image[index % 28, :] = 255  # A row of ink that tells the drawings apart.
            drawing = database.add(image, np.eye(10)[prediction], prediction, 1.5, "sha")
            database.set_label(drawing, label)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE drawings SET created_at = '2026-11-2' || (id % 3) || 'T12:00:00'")
    connection.commit()
    connection.close()


def test_history_numbers_come_from_answered_drawings_only(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, labels=[1, 1, 7, None, 4], predictions=[1, 7, 7, 3, 9])
    history = dashboard.load_history(path)
    stats = history.stats
    assert stats.total == 5 and stats.labelled == 4 and stats.accuracy == 0.5
    assert stats.confusion[1, 7] == 1 and stats.confusion[4, 9] == 1
    assert stats.per_digit()[1] == (1, 2)
    assert history.per_day == [("2026-11-20", 1), ("2026-11-21", 2), ("2026-11-22", 2)]
    # Most recent first, decoded back to the 28x28 the model saw.
    assert [drawing.prediction for drawing in stats.recent] == [9, 3, 7, 7, 1]
    assert stats.recent[0].image.shape == (28, 28)
    assert stats.recent[0].image[4].min() == 255


def test_reading_history_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, labels=[1, None], predictions=[1, 2])
    before = path.read_bytes()
    assert dashboard.load_history(path).stats.total == 2
    # SQLite may leave its shared-memory index beside the file; the database itself is untouched.
    assert path.read_bytes() == before


def test_unreadable_history_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not sqlite" * 200)
    with pytest.raises(dashboard.HistoryUnreadable, match=str(path)):
        dashboard.load_history(path)


def test_missing_history_is_none_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    assert dashboard.load_history(path) is None
    assert not path.exists()


# ---------------------------------------------------------------- training options


def test_training_command_is_built_from_checked_options(tmp_path: Path) -> None:
    options = training_run.TrainingOptions(epochs=7, learning_rate=0.03, batch_size=256)
    assert training_run.problems(options) == []
    command = training_run.training_command(options, tmp_path / "m.h5", tmp_path)
    assert command[:4] == [sys.executable, "-m", "training", str(tmp_path / "m.h5")]
    assert "--no-augment" not in command and "--user-data" not in command
    assert training_run.training_command(
        training_run.TrainingOptions(), tmp_path / "m.h5", tmp_path
    ) == [sys.executable, "-m", "training", str(tmp_path / "m.h5")]


@pytest.mark.parametrize(
    "options",
    [
        training_run.TrainingOptions(epochs=0),
        training_run.TrainingOptions(learning_rate=-0.5),
        training_run.TrainingOptions(learning_rate=float("nan")),
        training_run.TrainingOptions(batch_size=-1),
    ],
)
def test_nonsensical_training_options_are_refused(options: training_run.TrainingOptions) -> None:
    assert len(training_run.problems(options)) == 1


def test_new_model_names_never_overwrite_a_model(tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 4, 0, 0, tzinfo=UTC)
    first = training_run.new_model_path(tmp_path, now)
    first.with_suffix(".onnx").touch()
    second = training_run.new_model_path(tmp_path, now)
    assert first.name == "model-20261125-040000.h5"
    assert second != first and not second.exists()


def test_progress_counts_finished_epochs() -> None:
    header_only = "Loading\nEpoch 1/10\n"
    assert training_run.read_progress(header_only) == training_run.Progress(0, 10, None)
    first_done = header_only + "422/422 - 21s - accuracy: 0.93 - loss: 0.25 - val_accuracy: 0.95\n"
    assert training_run.read_progress(first_done) == training_run.Progress(1, 10, 0.95)
    second_started = first_done + "Epoch 2/10\n"
    progress = training_run.read_progress(second_started)
    assert progress == training_run.Progress(1, 10, 0.95)
    assert progress.fraction == pytest.approx(0.1)
    assert training_run.read_progress("Loading MNIST\n") is None


def test_one_epoch_run_without_header_counts_as_done() -> None:
    log = "22/22 - 20s - 894ms/step - accuracy: 0.53 - loss: 1.45 - val_accuracy: 0.5367\n"
    assert training_run.read_progress(log) == training_run.Progress(1, 1, 0.5367)


def test_live_log_leaves_out_tensorflow_chatter_and_warnings() -> None:
    log = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795577798.308568   32174 port.cc:153] oneDNN custom operations are on.\n"
        "Epoch 1/2\n"
        "WARNING:absl:You are saving your model as an HDF5 file.\n"
        "/venv/keras/src/export/tf2onnx_lib.py:21: FutureWarning: In the future `np.object`\n"
        '  if not hasattr(np, "object"):\n'
        "Wrote m.h5, m.onnx, m.json.\n"
    )
    assert training_run.readable_log(log) == "Epoch 1/2\nWrote m.h5, m.onnx, m.json."


def test_child_killed_from_outside_says_so(tmp_path: Path) -> None:
    child = ChildProcess("game", tmp_path / "game.log")
    child.start(python("import os, signal; print('pygame-ce 2.5.8'); os.kill(os.getpid(), 9)"))
    wait_until_exited(child)
    assert child.error_message() == "The game was ended by the signal SIGKILL."


# ---------------------------------------------------------------- charts


def test_accuracy_per_digit_names_every_digit_and_shows_a_zero_bar() -> None:
    from launcher import charts

    accuracy = [1.0, 0.5, 0.0, None, 0.9, 1.0, 1.0, 0.75, 1.0, 1.0]
    spec = charts.accuracy_bars(
        range(10), accuracy, "Model right per digit", zoom=False, labels=True
    )
    bars, texts = spec.to_dict()["layer"]
    # All ten digits on the axis, none of their labels dropped for lack of room.
    assert bars["encoding"]["x"]["scale"]["domain"] == [str(d) for d in range(10)]
    assert bars["encoding"]["x"]["axis"]["labelOverlap"] is False
    # A bar without height (0 %) and a digit without answers still say something.
    datasets = spec.to_dict()["datasets"]
    written = {row["digit"]: row["text"] for row in datasets[texts["data"]["name"]]}
    assert written == {"2": "0%", "3": "–"}
