"""streamlit run launcher_app.py: the friendly front door to Digit Recognizer.

A local web page that starts the game with a chosen model, shows how good each model is, shows
what the user has drawn, and trains new models in the background. It starts processes on this
computer, so it serves localhost only (.streamlit/config.toml) and refuses to work otherwise.

No pygame and no TensorFlow in this process: the game and the training run as child processes.
"""

import ipaddress
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from game import modelcard, paths
from game.stats import RecentDrawing
from launcher import charts, dashboard, locations, process, training_run
from launcher.process import ChildProcess

# Set to 1 by someone who has bound the server to another address on purpose (README, Launcher).
ALLOW_REMOTE_VARIABLE = "DIGITS_LAUNCHER_ALLOW_REMOTE"
RECENT_DRAWINGS = 24


class Children:
    """The game and the training run of one data folder, shared by every browser tab."""

    def __init__(self, data: Path) -> None:
        logs = locations.logs_dir(data)
        self.game = ChildProcess("game", logs / "game.log")
        self.training = ChildProcess("training", logs / "training.log")


@st.cache_resource(show_spinner=False)
def children(data: str) -> Children:
    # A resource, not session state: a browser refresh must not lose the handle of a running game.
    return Children(Path(data))


@st.cache_data(show_spinner=False)
def cached_card(path: str, stamp: float) -> dict | None:
    """The model card, read again only when the file changes (`stamp` is its mtime)."""
    return modelcard.load_card(path)


@st.cache_data(show_spinner=False)
def cached_history(path: str, stamp: tuple[float, ...]) -> dashboard.History | None:
    """The dashboard numbers, read again only when the database or its WAL file changes."""
    return dashboard.load_history(Path(path), RECENT_DRAWINGS)


def mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def card_of(model: Path) -> dict | None:
    card_file = modelcard.card_path(model)
    return cached_card(str(card_file), mtime(card_file))


def percent(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def served_locally() -> bool:
    """True when the server listens on a loopback address only."""
    address = st.get_option("server.address")
    if not address:
        return False  # Streamlit's default: every interface of the machine.
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- model picker and card


def model_label(path: Path) -> str:
    where = "shipped" if path.parent == paths.assets_dir() else "yours"
    backend = "ONNX, fast" if path.suffix == ".onnx" else "Keras"
    accuracy = modelcard.test_accuracy(card_of(path))
    score = f" · {percent(accuracy)} on MNIST" if accuracy is not None else ""
    return f"{path.name} ({where}, {backend}){score}"


def model_picker(data: Path) -> Path | None:
    models = modelcard.list_models(*locations.model_folders(data))
    if not models:
        st.warning(
            "No model yet. Train one in **Train a new model** below, or run `make train` "
            "in the project folder."
        )
        return None
    options = [str(model) for model in models]
    # A training run that just finished asks for its model to be selected (see training_panel).
    wanted = st.session_state.pop("select_model", None)
    if wanted in options:
        st.session_state["model"] = wanted
    if st.session_state.get("model") not in options:
        default = str(paths.default_model_path())
        st.session_state["model"] = default if default in options else options[0]
    chosen = st.selectbox(
        "Model",
        options,
        key="model",
        format_func=lambda option: model_label(Path(option)),
        help="The models shipped in assets/ and the ones you trained (in your models folder).",
    )
    return Path(chosen)


def show_card(model: Path | None) -> None:
    if model is None:
        st.info("Pick a model to see how well it does.")
        return
    card = card_of(model)
    if card is None:
        st.info(
            f"**{model.name}** has no model card (`{model.with_suffix('.json').name}` beside it), "
            "so there are no measurements to show. Models made by `python -m training` have one."
        )
        return
    test = card.get("test", {})
    history = card.get("history", {})
    seconds = card.get("training_seconds")
    created = str(card.get("created", ""))[:16].replace("T", " ")
    columns = st.columns(5)
    columns[0].metric("MNIST test accuracy", percent(modelcard.test_accuracy(card)))
    columns[1].metric("Test loss", f"{test['loss']:.4f}" if "loss" in test else "n/a")
    columns[2].metric("Parameters", f"{card['parameters']:,}" if "parameters" in card else "n/a")
    columns[3].metric("Epochs", len(history.get("loss", [])) or "n/a")
    columns[4].metric(
        "Training time", f"{seconds / 60:.1f} min" if isinstance(seconds, int | float) else "n/a"
    )

    left, right = st.columns(2)
    per_class = test.get("per_class_accuracy")
    if per_class:
        left.altair_chart(
            charts.accuracy_bars(range(len(per_class)), per_class, "Test accuracy per digit"),
            width="stretch",
        )
    matrix = test.get("confusion_matrix")
    if matrix:
        right.altair_chart(
            charts.confusion_heatmap(matrix, "Confusion matrix on the 10,000 MNIST test digits"),
            width="stretch",
        )

    left, right = st.columns(2)
    for column, metric, title in (
        (left, "accuracy", "Accuracy per epoch"),
        (right, "loss", "Loss per epoch"),
    ):
        chart = charts.curves(history, metric, title)
        if chart is not None:
            column.altair_chart(chart, width="stretch")

    with st.expander("How this model was made"):
        st.markdown(f"Trained {created} UTC with:")
        st.code(card.get("command", "(not recorded)"), language="bash")
        st.json(
            {
                "options": card.get("options", {}),
                "augmentation": card.get("augmentation", {}),
                "user_drawings": card.get("user_drawings", 0),
                "versions": card.get("versions", {}),
            },
            expanded=False,
        )


# ---------------------------------------------------------------- the game


def start_game(game: ChildProcess, model: Path, data: Path) -> None:
    command = process.python_module_command("game", str(model), "--data-dir", str(data))
    if st.session_state.get("fullscreen"):
        command.append("--fullscreen")
    if not game.start(command, label=model.name):
        st.session_state["game_notice"] = "The game is already running; use its window."


@st.fragment(run_every=2.0)
def game_panel(game: ChildProcess, model: Path | None, data: Path) -> None:
    """Start and Stop, and whether the game runs; polled, so that closing the window shows."""
    start_column, stop_column, status_column = st.columns([1.2, 1, 5], vertical_alignment="center")
    running = game.is_running()
    start_column.button(
        "Start Drawing",
        key="start_game",
        icon=":material/draw:",
        type="primary",
        disabled=model is None,
        on_click=start_game,
        args=(game, model, data),
        width="stretch",
    )
    stop_column.button(
        "Stop",
        key="stop_game",
        icon=":material/stop:",
        disabled=not running,
        on_click=game.stop,
        width="stretch",
    )
    with status_column:
        # Shown for as long as that game runs: a poll in between must not swallow it.
        if not game.is_running():
            st.session_state.pop("game_notice", None)
        notice = st.session_state.get("game_notice")
        if game.is_running():
            st.success(
                f"The game is running with **{game.label}** (process {game.pid}): "
                "draw in its window.",
                icon=":material/play_circle:",
            )
            if notice:
                st.caption(notice)
        elif game.failed():
            st.error(
                f"The game stopped with an error: {game.error_message()}", icon=":material/error:"
            )
        elif game.returncode is not None:
            st.info(
                "The game is closed. Click **Start Drawing** to play again.", icon=":material/info:"
            )
        else:
            st.info(
                "The game is not running. Pick a model and click **Start Drawing**.",
                icon=":material/info:",
            )
    if game.failed():
        with st.expander("Game output"):
            st.code(game.log_text() or "(nothing)", language=None)


# ---------------------------------------------------------------- history dashboard


def history_stamp(path: Path) -> tuple[float, ...]:
    return (mtime(path), mtime(path.with_name(path.name + "-wal")))


def drawing_caption(drawing: RecentDrawing) -> str:
    if drawing.label is None:
        return f"said {drawing.read_as}"
    mark = "✓" if drawing.label == drawing.prediction else f"✗ was {drawing.label}"
    return f"said {drawing.read_as} {mark}"


def show_history(data: Path) -> None:
    path = locations.history_path(data)
    try:
        history = cached_history(str(path), history_stamp(path))
    except dashboard.HistoryUnreadable as error:
        st.error(str(error), icon=":material/error:")
        return
    if history is not None and history.numbers:
        show_numbers(history.numbers)
    if history is None or history.stats.total == 0:
        st.info(
            "No drawings yet. Click **Start Drawing**, draw a digit, press **Classify** and "
            "confirm or correct the answer: your drawings, and how often the model got them "
            f"right, appear here. (History file: `{path}`)",
            icon=":material/draw:",
        )
        return
    stats = history.stats
    columns = st.columns(4)
    columns[0].metric("Drawings", f"{stats.total:,}")
    columns[1].metric("Confirmed or corrected", f"{stats.labelled:,}")
    columns[2].metric("Model right on those", percent(stats.accuracy, 1))
    columns[3].metric(
        "Median answer time",
        f"{stats.median_latency_ms:.1f} ms" if stats.median_latency_ms is not None else "n/a",
        help="Preprocessing and the model, per drawing, as the game measured it.",
    )

    left, right = st.columns(2)
    with left:
        st.markdown("**Drawings per day**")
        per_day = pd.DataFrame(history.per_day, columns=["day", "drawings"]).set_index("day")
        st.bar_chart(per_day, height=300, x_label="day (UTC)", y_label="drawings")
    with right:
        if stats.labelled:
            st.altair_chart(
                charts.accuracy_bars(
                    range(10), stats.digit_accuracy(), "Model right per digit", zoom=False
                ),
                width="stretch",
            )
        else:
            st.info("Confirm or correct a few answers in the game to see accuracy per digit.")
    left, right = st.columns(2)
    if stats.labelled:
        left.altair_chart(
            charts.confusion_heatmap(stats.confusion, "Your confusion matrix"),
            width="stretch",
        )
    if stats.trend:
        left.altair_chart(
            charts.trend(stats.trend, "Model right over time (answered drawings, in blocks)"),
            width="stretch",
        )
    with right:
        st.markdown("**Recent drawings** (what the model saw)")
        per_row = 6
        for start in range(0, len(stats.recent), per_row):
            row = st.columns(per_row)
            for column, drawing in zip(row, stats.recent[start : start + per_row], strict=False):
                # Nearest-neighbour enlargement keeps the pixels the model saw crisp.
                big = np.kron(drawing.image, np.ones((3, 3), dtype=np.uint8))
                column.image(big, caption=drawing_caption(drawing), width="stretch")
    st.caption(f"Read from `{path}` (read-only; the game writes it).")


def show_numbers(numbers: list[tuple[str, str, str, float, int]]) -> None:
    """The newest whole numbers written in number mode: what was read and what was meant."""
    st.markdown("**Recent numbers** (number mode)")
    table = pd.DataFrame(
        [
            (when[:16].replace("T", " "), read, said or "not answered", f"{sure:.0%}", count)
            for when, read, said, sure, count in numbers
        ],
        columns=["when (UTC)", "read as", "you said", "confidence", "digits"],
    )
    st.dataframe(table, hide_index=True, width="stretch")


# ---------------------------------------------------------------- training


def whole_or_none(value: float | None) -> int | None:
    if value is None:
        return None
    if value != int(value):
        raise ValueError
    return int(value)


def start_training(training: ChildProcess, data: Path, model: Path | None) -> None:
    """The form's submit: check the values, then start the run (or say what is wrong)."""
    state = st.session_state
    try:
        epochs, batch = whole_or_none(state["epochs"]), whole_or_none(state["batch_size"])
    except ValueError:
        state["training_problems"] = ["Epochs and batch size must be whole numbers."]
        return
    options = training_run.TrainingOptions(
        epochs=epochs,
        learning_rate=state["learning_rate"],
        batch_size=batch,
        augment=bool(state["augment"]),
        include_drawings=bool(state["include_drawings"]),
    )
    found = training_run.problems(options)
    if found:
        state["training_problems"] = found
        return
    models = locations.models_dir(data)
    models.mkdir(parents=True, exist_ok=True)
    output = training_run.new_model_path(models)
    base = training_run.fine_tuning_base(model)
    command = training_run.training_command(options, output, data, base)
    # TensorFlow's INFO and WARNING chatter would bury the epoch lines in the live log.
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    if not training.start(command, label=str(output), env=env):
        state["training_problems"] = ["A training run is already going; one at a time."]
        return
    state["training_seen_running"] = True


def confirmed_drawings(data: Path) -> int:
    path = locations.history_path(data)
    try:
        history = cached_history(str(path), history_stamp(path))
    except dashboard.HistoryUnreadable:
        return 0
    return history.stats.labelled if history else 0


def training_form(training: ChildProcess, data: Path, model: Path | None) -> None:
    with st.form("train", border=True):
        st.markdown(
            "**Train a new model** with SGD on MNIST. It is saved in your models folder and "
            "appears in the model picker when it is done. Leave a number empty for the "
            "training command's default."
        )
        columns = st.columns(3)
        columns[0].number_input(
            "Epochs", value=None, step=1, placeholder="20 (3 when fine-tuning)", key="epochs"
        )
        columns[1].number_input(
            "Learning rate",
            value=None,
            step=0.01,
            format="%.4f",
            placeholder="0.1 (0.01 when fine-tuning)",
            key="learning_rate",
        )
        columns[2].number_input(
            "Batch size", value=None, step=32, placeholder="128", key="batch_size"
        )
        st.checkbox(
            "Augmentation: rotations, shifts, zoom, shear and stroke width, so that the model "
            "holds up on mouse drawings",
            value=True,
            key="augment",
        )
        base = training_run.fine_tuning_base(model)
        confirmed = confirmed_drawings(data)
        st.checkbox(
            "Include my drawings: fine-tune "
            + (f"**{base.name}**" if base else "the shipped model")
            + f" on MNIST mixed with the {confirmed} drawing{'' if confirmed == 1 else 's'}"
            + " I confirmed or corrected in the game",
            value=False,
            key="include_drawings",
            disabled=confirmed == 0,
            help=None if confirmed else "Confirm or correct a few drawings in the game first.",
        )
        st.form_submit_button(
            "Train",
            icon=":material/model_training:",
            type="primary",
            on_click=start_training,
            args=(training, data, model),
        )
    problems = st.session_state.pop("training_problems", None)
    if problems:
        st.error(" ".join(problems), icon=":material/error:")


def duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def progress_text(name: str, progress: training_run.Progress | None, elapsed: float) -> str:
    if progress is None:
        return f"Preparing {name}: loading MNIST and building the model · {duration(elapsed)}"
    text = f"Training {name}: {progress.done} of {progress.epochs} epochs done"
    if progress.validation_accuracy is not None:
        text += f" · validation accuracy {percent(progress.validation_accuracy)}"
    text += f" · {duration(elapsed)} so far"
    if 0 < progress.done < progress.epochs:
        # Epochs take about the same time; the first one also paid for loading and building.
        left = elapsed / progress.done * (progress.epochs - progress.done)
        text += f", about {duration(left)} to go"
    return text


@st.fragment(run_every=1.0)
def training_panel(training: ChildProcess, data: Path, model: Path | None) -> None:
    """The form, or the live progress of the run; polled so that the page stays usable."""
    if training.is_running():
        st.session_state["training_seen_running"] = True
        log = training.log_text()
        progress = training_run.read_progress(log)
        name = Path(training.label).name
        elapsed = time.time() - (training.started_at or time.time())
        st.progress(
            progress.fraction if progress else 0.0, text=progress_text(name, progress, elapsed)
        )
        st.code(training_run.readable_log(log) or "(starting)", language=None)
        st.button(
            "Cancel training",
            key="cancel_training",
            icon=":material/cancel:",
            on_click=training.stop,
            args=(True,),
        )
        return
    if st.session_state.pop("training_seen_running", False):
        # It has just ended: on success, show its model in the picker, selected, with its card.
        output = Path(training.label)
        if training.returncode == 0:
            for candidate in (output.with_suffix(".onnx"), output):
                if candidate.is_file():
                    st.session_state["select_model"] = str(candidate)
                    break
        st.rerun()
    if training.returncode is not None:
        output = Path(training.label)
        if training.failed():
            st.error(
                f"Training {output.name} failed: {training.error_message()} No model was written.",
                icon=":material/error:",
            )
        elif training.stopped_by_user:
            st.warning(f"Training {output.name} was cancelled; no model was written.")
        else:
            st.success(f"Trained **{output.name}**: it is selected in the model picker above.")
        with st.expander("Output of the last training run"):
            st.code(training.log_text() or "(nothing)", language=None)
    training_form(training, data, model)


# ---------------------------------------------------------------- the page


def main() -> None:
    st.set_page_config(page_title="Digit Recognizer", page_icon=":material/draw:", layout="wide")
    if not served_locally() and os.environ.get(ALLOW_REMOTE_VARIABLE) != "1":
        st.error(
            "This page starts programs on this computer, so it only works when the server "
            "listens on localhost. Start it from the project folder (which holds "
            ".streamlit/config.toml) or add `--server.address 127.0.0.1`.",
            icon=":material/lock:",
        )
        st.stop()
    data = locations.data_dir()
    kids = children(str(data))
    st.title(":material/draw: Digit Recognizer")
    st.caption("Draw a digit with the mouse and a CNN trained on MNIST says which one it is, live.")
    picker_column, option_column = st.columns([3, 2], vertical_alignment="bottom")
    with picker_column:
        model = model_picker(data)
    option_column.toggle("Full screen", key="fullscreen", help="Open the game full screen.")
    game_panel(kids.game, model, data)
    model_tab, history_tab, training_tab = st.tabs(
        [
            ":material/analytics: The model",
            ":material/history: Your drawings",
            ":material/model_training: Train a new model",
        ]
    )
    with model_tab:
        show_card(model)
    with history_tab:
        show_history(data)
    with training_tab:
        training_panel(kids.training, data, model)


if __name__ == "__main__":
    main()
