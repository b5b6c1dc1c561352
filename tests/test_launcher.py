"""The launcher page's logic, driven through Streamlit's own testing API (AppTest).

Processes are checked at the boundary: `launcher.process.popen` is replaced by a fake that records
the command and plays a running, exited or failing child.
"""

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from game.history import History
from launcher import mnist_files, process

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "launcher_app.py")


class FakeChild:
    """A child process that runs until told otherwise, or has exited with `exit_code`."""

    def __init__(self, args: list[str], exit_code: int | None, output: bytes, **kwargs) -> None:
        self.args = args
        self.kwargs = kwargs
        self.pid = 4242
        self.exit_code = exit_code
        self.signals: list[int] = []
        if output:
            kwargs["stdout"].write(output)
            kwargs["stdout"].flush()

    def poll(self) -> int | None:
        return self.exit_code

    def wait(self, timeout: float | None = None) -> int | None:
        return self.exit_code

    def send_signal(self, number: int) -> None:
        self.signals.append(number)
        self.exit_code = -number

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Launches:
    """Replaces the Popen factory: records every child and decides how the next one behaves."""

    def __init__(self) -> None:
        self.children: list[FakeChild] = []
        self.exit_code: int | None = None
        self.output = b""

    def __call__(self, args: list[str], **kwargs) -> FakeChild:
        child = FakeChild(args, self.exit_code, self.output, **kwargs)
        self.children.append(child)
        return child


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> Launches:
    fake = Launches()
    monkeypatch.setattr(process, "popen", fake)
    return fake


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("DIGITS_DATA_DIR", str(data))
    # As .streamlit/config.toml says, whatever directory the tests run from.
    streamlit_config.set_option("server.address", "127.0.0.1")
    # No MNIST file where the training form looks, unless a test puts one there.
    monkeypatch.delenv(mnist_files.MNIST_VARIABLE, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(mnist_files, "PROJECT_ROOT", tmp_path / "projects" / "digits")
    return data


def write_model(folder: Path, name: str, accuracy: float | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / name
    model.write_bytes(b"not read by the launcher")
    if accuracy is not None:
        matrix = np.diag(np.full(10, 1000)).tolist()
        card = {
            "format": 1,
            "created": "2026-11-25T03:00:00+00:00",
            "parameters": 225034,
            "command": f"python -m training {name}",
            "training_seconds": 90.0,
            "test": {
                "accuracy": accuracy,
                "loss": 0.03,
                "per_class_accuracy": [accuracy] * 10,
                "confusion_matrix": matrix,
            },
            "history": {"loss": [0.3, 0.1], "val_loss": [0.2, 0.1], "accuracy": [0.9, 0.97]},
        }
        model.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    return model


@pytest.fixture
def model(data_dir: Path) -> Path:
    return write_model(data_dir / "models", "mine.onnx", accuracy=0.9912)


def page() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception, app.exception
    return app


def walk(node):
    """Every node of an AppTest tree, blocks (forms, columns) included."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def click(app: AppTest, key: str) -> AppTest:
    app.button(key=key).click().run()
    assert not app.exception, app.exception
    return app


# ---------------------------------------------------------------- the game


def test_start_drawing_starts_the_game_with_the_selected_model(
    launches: Launches, model: Path, data_dir: Path
) -> None:
    app = page()
    app.selectbox(key="model").set_value(str(model)).run()
    click(app, "start_game")
    assert [child.args for child in launches.children] == [
        [sys.executable, "-m", "game", str(model), "--data-dir", str(data_dir)]
    ]
    assert "The game is running with **mine.onnx**" in texts(app.success)


def test_full_screen_toggle_opens_the_game_full_screen(launches: Launches, model: Path) -> None:
    app = page()
    app.toggle(key="fullscreen").set_value(True).run()
    click(app, "start_game")
    assert launches.children[0].args[-1] == "--fullscreen"


def test_start_is_disabled_while_the_game_runs(launches: Launches, model: Path) -> None:
    app = page()
    assert not app.button(key="start_game").disabled
    click(app, "start_game")
    assert app.button(key="start_game").disabled
    click(app, "stop_game")
    assert not app.button(key="start_game").disabled


def test_a_late_click_from_another_tab_starts_no_second_game(
    launches: Launches, model: Path
) -> None:
    late = page()  # Rendered before the game started: its Start is still enabled.
    click(page(), "start_game")  # Another tab starts the game.
    click(late, "start_game")
    assert len(launches.children) == 1
    # Said in the status box itself, so that the row of buttons keeps its height.
    [status] = late.success
    assert "The game is running" in status.value and "already running" in status.value
    assert not late.caption or "already running" not in texts(late.caption)


def test_running_game_is_still_known_after_a_browser_refresh(
    launches: Launches, model: Path
) -> None:
    click(page(), "start_game")
    refreshed = page()  # A new session, as after reloading the page.
    assert "The game is running" in texts(refreshed.success)
    assert refreshed.button(key="start_game").disabled


def test_stop_ends_the_game(launches: Launches, model: Path) -> None:
    app = page()
    click(app, "start_game")
    click(app, "stop_game")
    assert launches.children[0].signals == [signal.SIGTERM]
    assert not app.success
    assert "The game is closed" in texts(app.info)
    assert not app.error  # A stop the user asked for is not an error.


def test_a_failing_game_shows_its_own_error(launches: Launches, model: Path) -> None:
    sentence = "The model file mine.onnx is not a model: it cannot be parsed as ONNX."
    launches.exit_code = 2
    launches.output = f"{sentence}\n".encode()
    app = page()
    click(app, "start_game")
    assert sentence in texts(app.error)
    # The game may start again after a failure.
    launches.exit_code = None
    click(app, "start_game")
    assert len(launches.children) == 2


def test_no_model_means_no_start(launches: Launches, data_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr("game.paths.assets_dir", lambda: data_dir / "no-assets")
    app = page()
    assert app.button(key="start_game").disabled
    assert "No model yet" in texts(app.warning)


# ---------------------------------------------------------------- model picker and card


def test_picker_lists_only_model_files(model: Path, data_dir: Path) -> None:
    models = data_dir / "models"
    (models / "notes.txt").write_text("not a model")
    (models / "mine.json").touch()  # The card is not a model either.
    (models / "old.h5").write_bytes(b"")
    (models / "folder.onnx").mkdir()
    labels = page().selectbox(key="model").options  # As shown: "name (where, backend) ..."
    mine = [label.split(" ")[0] for label in labels if "(yours" in label]
    assert mine == ["mine.onnx", "old.h5"]


def test_selected_models_card_is_shown(model: Path, data_dir: Path) -> None:
    write_model(data_dir / "models", "other.h5", accuracy=0.9731)
    app = page()
    app.selectbox(key="model").set_value(str(model)).run()
    metric = app.metric[0]
    assert (metric.label, metric.value) == ("MNIST test accuracy", "99.12%")
    app.selectbox(key="model").set_value(str(data_dir / "models" / "other.h5")).run()
    assert app.metric[0].value == "97.31%"


def test_model_without_card_says_so(data_dir: Path) -> None:
    bare = write_model(data_dir / "models", "bare.h5")
    app = page()
    app.selectbox(key="model").set_value(str(bare)).run()
    assert "has no model card" in texts(app.info)


# ---------------------------------------------------------------- history dashboard


def write_history(data_dir: Path, rows: list[tuple[str, int, int | None]]) -> Path:
    """Drawings as (created_at, prediction, label), written by the game's own history code."""
    path = data_dir / "history.sqlite3"
    with History.open(path) as database:
        for index, (created, prediction, label) in enumerate(rows):
            image = np.full((28, 28), index, dtype=np.uint8)
            drawing = database.add(image, np.eye(10)[prediction], prediction, 1.0, "abc")
            database.set_label(drawing, label)
            database._connection.execute(
                "UPDATE drawings SET created_at = ? WHERE id = ?", (created, drawing)
            )
    return path


def test_dashboard_without_history_says_how_to_start(model: Path) -> None:
    assert "No drawings yet. Click **Start Drawing**" in texts(page().info)


def test_dashboard_counts_drawings_and_confirmed_answers(model: Path, data_dir: Path) -> None:
    write_history(
        data_dir,
        [
            ("2026-11-24T10:00:00+00:00", 3, 3),
            ("2026-11-24T11:00:00+00:00", 5, 6),
            ("2026-11-25T09:00:00+00:00", 7, None),
            ("2026-11-25T09:01:00+00:00", 1, 1),
        ],
    )
    app = page()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Drawings"] == "4"
    assert metrics["Confirmed or corrected"] == "3"
    assert metrics["Model right on those"] == "66.7%"
    # The most recent first, each with what the model said and what the user meant, short
    # enough for one line under a thumbnail.
    [images] = app.get("image")
    assert [image.caption for image in images.proto.imgs] == ["1 ✓", "7", "5 → 6", "3 ✓"]


def test_dashboard_sees_new_drawings_without_a_restart(model: Path, data_dir: Path) -> None:
    path = write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, 3)])
    app = page()
    assert app.metric[5].value == "1"  # After the model card's five metrics.
    with History.open(path) as database:  # The game, still running, records another.
        database.add(np.zeros((28, 28)), np.eye(10)[2], 2, 1.0, "abc", label=2)
    app.run()
    assert app.metric[5].value == "2"


def test_a_drawing_read_as_not_a_digit_is_captioned_none(model: Path, data_dir: Path) -> None:
    with History.open(data_dir / "history.sqlite3") as database:
        database.add(np.zeros((28, 28)), np.full(10, 0.02), 10, 1.0, "abc", label=7)
        database.add(np.zeros((28, 28)), np.full(10, 0.02), 10, 1.0, "abc")
    [images] = page().get("image")
    assert [image.caption for image in images.proto.imgs] == ["none", "none → 7"]


def test_dashboard_shows_the_challenge_best_score(model: Path, data_dir: Path) -> None:
    path = write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, 3)])
    metrics = {metric.label: metric.value for metric in page().metric}
    assert metrics["Challenge best score"] == "n/a"
    with History.open(path) as database:
        database.record_score(6, 10)
        database.record_score(9, 10)
        database.record_score(4, 10)
    metrics = {metric.label: metric.value for metric in page().metric}
    assert metrics["Challenge best score"] == "9"


def test_unreadable_history_is_reported_not_replaced(model: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    garbage = b"this is not a database" * 100
    (data_dir / "history.sqlite3").write_bytes(garbage)
    app = page()
    assert "history.sqlite3 cannot be read" in texts(app.error)
    assert (data_dir / "history.sqlite3").read_bytes() == garbage


# ---------------------------------------------------------------- training


def fill_training_form(app: AppTest, **values) -> AppTest:
    for key, value in values.items():
        if key in ("augment", "include_drawings"):
            app.checkbox(key=key).set_value(value)
        else:
            app.number_input(key=key).set_value(value)
    app.button(key="FormSubmitter:train-Train").click().run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"epochs": 0}, "Epochs must be"),
        ({"epochs": -3}, "Epochs must be"),
        ({"learning_rate": -0.1}, "learning rate must be above 0"),
        ({"learning_rate": 0.0}, "learning rate must be above 0"),
        ({"learning_rate": 5.0}, "at most 1"),
        ({"batch_size": 0}, "batch size must be"),
    ],
)
def test_training_form_refuses_bad_values(
    launches: Launches, model: Path, values: dict, complaint: str
) -> None:
    app = fill_training_form(page(), **values)
    assert complaint in texts(app.error)
    assert launches.children == []


def test_training_form_starts_one_training_into_the_models_folder(
    launches: Launches, model: Path, data_dir: Path
) -> None:
    write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, 3)])
    app = fill_training_form(
        page(), epochs=3, learning_rate=0.02, batch_size=64, augment=False, include_drawings=True
    )
    [child] = launches.children
    assert child.args[:3] == [sys.executable, "-m", "training"]
    output = Path(child.args[3])
    assert output.parent == data_dir / "models" and output.suffix == ".h5"
    options = child.args[4:]
    assert options[options.index("--epochs") + 1] == "3"
    assert float(options[options.index("--learning-rate") + 1]) == 0.02
    assert options[options.index("--batch-size") + 1] == "64"
    assert "--no-augment" in options
    assert options[options.index("--user-data") + 1] == str(data_dir)
    # While it runs the form is replaced by its progress: no second training can be asked for.
    assert app.get("progress")
    assert not [button for button in app.button if button.key == "FormSubmitter:train-Train"]


KERAS_LOG = b"""I0000 00:00:1795577402.614104   21528 port.cc:153] oneDNN custom operations are on.
Epoch 1/4
422/422 - 21s - 50ms/step - accuracy: 0.9313 - loss: 0.2493 - val_accuracy: 0.9543 - val_loss: 0.14
Epoch 2/4
"""


def test_include_my_drawings_needs_labelled_drawings(model: Path, data_dir: Path) -> None:
    write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, None)])  # Never answered.
    assert page().checkbox(key="include_drawings").disabled
    write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, 3)])
    app = page()
    assert not app.checkbox(key="include_drawings").disabled
    assert "the 1 drawing with a label" in app.checkbox(key="include_drawings").label


def test_include_my_drawings_counts_no_unanswered_challenge_drawing(
    model: Path, data_dir: Path
) -> None:
    with History.open(data_dir / "history.sqlite3") as database:
        for prediction, label, mode in [
            (3, 3, "free"),  # confirmed
            (5, 6, "free"),  # corrected
            (1, None, "free"),  # never answered
            (7, 7, "challenge"),  # a won round: labelled with the asked digit
            (2, None, "challenge"),  # a lost round: no label
            (4, None, "challenge"),  # a skipped round: no label
        ]:
            database.add(
                np.zeros((28, 28)), np.eye(10)[prediction], prediction, 1.0, "abc", mode, label
            )
        trained_on = database.count(labelled_only=True)  # What --user-data reads.
    label = page().checkbox(key="include_drawings").label
    assert trained_on == 3
    assert "the 3 drawings with a label" in label


def test_enter_in_a_number_field_does_not_start_training(launches: Launches, model: Path) -> None:
    app = page()
    form = next(node for node in walk(app._tree) if getattr(node, "type", "") == "form")
    # The browser submits a form on Enter unless the form says otherwise.
    assert form.proto.form.enter_to_submit is False
    app.number_input(key="epochs").set_value(3).run()  # The value alone starts nothing.
    assert launches.children == []


def mnist_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"an mnist.npz, as far as the launcher is concerned")
    return path


def test_offline_training_picks_an_mnist_file_found_nearby(
    launches: Launches, model: Path, data_dir: Path, tmp_path: Path
) -> None:
    mine = mnist_file(data_dir / "mnist.npz")
    cached = mnist_file(tmp_path / "keras" / "datasets" / "mnist.npz")
    app = page()
    picker = app.selectbox(key="mnist")
    assert picker.options == [
        f"{mine} (your data folder)",
        f"{cached} (Keras's download cache)",
        "Download with Keras (needs internet)",
    ]
    assert picker.value == str(mine)
    picker.set_value(str(cached))
    fill_training_form(app, epochs=1)
    options = launches.children[0].args[4:]
    assert options[options.index("--data") + 1] == str(cached)


def test_the_mnist_picker_prefers_digits_mnist_and_lists_a_file_once(
    model: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = mnist_file(tmp_path / "projects" / "shared" / "data" / "mnist.npz")
    monkeypatch.setenv("DIGITS_MNIST", str(shared))
    picker = page().selectbox(key="mnist")
    assert picker.options == [f"{shared} ($DIGITS_MNIST)", "Download with Keras (needs internet)"]


def test_download_choice_lets_keras_download_even_with_digits_mnist_set(
    launches: Launches, model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGITS_MNIST", str(mnist_file(tmp_path / "elsewhere" / "mnist.npz")))
    app = page()
    app.selectbox(key="mnist").set_value("")
    fill_training_form(app, epochs=1)
    [child] = launches.children
    assert "--data" not in child.args
    # The training command would read $DIGITS_MNIST instead of downloading: not passed on.
    assert "DIGITS_MNIST" not in child.kwargs["env"]


def test_without_any_mnist_file_training_downloads(launches: Launches, model: Path) -> None:
    app = page()
    assert app.selectbox(key="mnist").options == ["Download with Keras (needs internet)"]
    fill_training_form(app, epochs=1)
    assert "--data" not in launches.children[0].args


def test_training_progress_follows_the_epoch_lines(launches: Launches, model: Path) -> None:
    launches.output = KERAS_LOG
    app = fill_training_form(page(), epochs=4)
    [bar] = app.get("progress")
    assert bar.proto.value == 25
    assert "1 of 4 epochs done · validation accuracy 95.43%" in bar.proto.text
    [log] = [block.value for block in app.code if "Epoch" in block.value]
    assert log.splitlines()[-1] == "Epoch 2/4"
    assert "oneDNN" not in log  # TensorFlow's start-up chatter is left out.


def test_empty_fields_leave_the_choice_to_the_training_command(
    launches: Launches, model: Path
) -> None:
    fill_training_form(page())
    [child] = launches.children
    assert child.args[4:] == []  # Only the output: the command's own defaults apply.


def test_fine_tuning_starts_from_the_picked_keras_model(
    launches: Launches, model: Path, data_dir: Path
) -> None:
    keras_model = write_model(data_dir / "models", "mine.h5", accuracy=0.99)
    write_history(data_dir, [("2026-11-24T10:00:00+00:00", 3, 3)])
    app = page()
    app.selectbox(key="model").set_value(str(model)).run()  # mine.onnx, with mine.h5 beside it
    fill_training_form(app, include_drawings=True)
    options = launches.children[0].args[4:]
    assert options == ["--user-data", str(data_dir), "--base-model", str(keras_model)]


def test_finished_training_selects_its_model_with_its_card(
    launches: Launches, model: Path, data_dir: Path
) -> None:
    app = fill_training_form(page(), epochs=2)
    [child] = launches.children
    output = Path(child.args[3])
    write_model(output.parent, output.name, accuracy=0.9876)
    write_model(output.parent, output.with_suffix(".onnx").name, accuracy=0.9876)
    child.exit_code = 0
    app.run()
    assert app.selectbox(key="model").value == str(output.with_suffix(".onnx"))
    assert app.metric[0].value == "98.76%"
    assert f"Trained **{output.name}**" in texts(app.success)


def test_failed_training_shows_its_error(launches: Launches, model: Path) -> None:
    sentence = "The MNIST file /nowhere/mnist.npz does not exist."
    launches.exit_code = 2
    launches.output = f"{sentence}\n".encode()
    app = fill_training_form(page(), epochs=2)
    app.run()  # The next poll of the training panel.
    assert sentence in texts(app.error)
    assert "No model was written" in texts(app.error)
    # The form is back for another try.
    assert app.button(key="FormSubmitter:train-Train")


def test_cancel_interrupts_training_cleanly(launches: Launches, model: Path) -> None:
    app = fill_training_form(page(), epochs=2)
    click(app, "cancel_training")
    assert launches.children[0].signals == [signal.SIGINT]
    assert "cancelled" in texts(app.warning)


# ---------------------------------------------------------------- localhost only


def test_page_refuses_to_work_when_served_beyond_localhost(
    launches: Launches, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamlit_config.set_option("server.address", "0.0.0.0")
    try:
        app = page()
    finally:
        streamlit_config.set_option("server.address", "127.0.0.1")
    assert "only works when the server listens on localhost" in texts(app.error)
    assert not app.button


def test_streamlit_config_binds_to_loopback_without_usage_stats() -> None:
    import tomllib

    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["server"]["headless"] is True
    assert settings["browser"]["gatherUsageStats"] is False


def test_the_page_imports_neither_pygame_nor_tensorflow(model: Path) -> None:
    # In a fresh interpreter: this test process may have imported them for other tests.
    script = (
        "import sys\n"
        "from streamlit import config\n"
        "from streamlit.testing.v1 import AppTest\n"
        "config.set_option('server.address', '127.0.0.1')\n"
        f"app = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "app.run()\n"
        "assert not app.exception, app.exception\n"
        "assert app.metric, 'the page did not render the model card'\n"
        "heavy = sorted({name.split('.')[0] for name in sys.modules} & {'pygame', 'tensorflow', "
        "'keras', 'pygame_gui'})\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
