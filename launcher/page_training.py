"""Train a new model: the form, and the live progress of the run it starts."""

import os
import time
from pathlib import Path

import streamlit as st

from launcher import dashboard, locations, mnist_files, training_run
from launcher.process import ChildProcess
from launcher.resources import history_of
from launcher.text import duration, percent


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
        mnist=Path(state["mnist"]) if state.get("mnist") else None,
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
    env = mnist_files.training_env(options.mnist, dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    if not training.start(command, label=str(output), env=env):
        state["training_problems"] = ["A training run is already going; one at a time."]
        return
    state["training_seen_running"] = True


def labelled_drawings(data: Path) -> int:
    try:
        history = history_of(data)
    except dashboard.HistoryUnreadable:
        return 0
    return history.stats.labelled if history else 0


def training_form(training: ChildProcess, data: Path, model: Path | None) -> None:
    # Enter in a number field only fills it in: a training run takes minutes, start it on purpose.
    with st.form("train", border=True, enter_to_submit=False):
        st.markdown(
            "**Train a new model** with SGD on MNIST. It is saved in your models folder and "
            "appears in the model picker when it is done. Leave a number empty for the "
            "training command's default."
        )
        number_fields()
        mnist_picker(data)
        st.checkbox(
            "Augmentation: rotations, shifts, zoom, shear and stroke width, so that the model "
            "holds up on mouse drawings",
            value=True,
            key="augment",
        )
        drawings_checkbox(data, model)
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


def number_fields() -> None:
    # Short placeholders: a narrow window cuts anything longer; the defaults are in the help.
    columns = st.columns(3)
    columns[0].number_input(
        "Epochs",
        value=None,
        step=1,
        placeholder="default",
        key="epochs",
        help="Empty: 20, or 3 when fine-tuning on your drawings.",
    )
    columns[1].number_input(
        "Learning rate",
        value=None,
        step=0.01,
        format="%.4f",
        placeholder="default",
        key="learning_rate",
        help="Empty: 0.1, or 0.01 when fine-tuning on your drawings.",
    )
    columns[2].number_input(
        "Batch size",
        value=None,
        step=32,
        placeholder="default",
        key="batch_size",
        help="Empty: 128.",
    )


DOWNLOAD = ""  # the picker's choice for "let Keras download MNIST"


def mnist_picker(data: Path) -> None:
    """Which MNIST to train on, from the files found; nothing to type, so it works offline."""
    found = {str(place.path): place.where for place in mnist_files.found_files(data)}
    options = [*found, DOWNLOAD]
    if st.session_state.get("mnist") not in options:
        st.session_state["mnist"] = options[0]
    looked = ", ".join(f"{place.path} ({place.where})" for place in mnist_files.places(data))
    st.selectbox(
        "MNIST data",
        options,
        key="mnist",
        format_func=lambda option: (
            f"{option} ({found[option]})" if option else "Download with Keras (needs internet)"
        ),
        help=(
            "An mnist.npz as Keras saves it (x_train, y_train, x_test, y_test: 28x28 uint8 "
            f"images and digit labels). Looked for in: {looked}. To train offline, copy one "
            "into your data folder."
        ),
    )


def drawings_checkbox(data: Path, model: Path | None) -> None:
    base = training_run.fine_tuning_base(model)
    # The drawings `--user-data` trains on: those with a label (label IS NOT NULL), which the
    # user gave by confirming or correcting an answer, or by winning a challenge round with it.
    labelled = labelled_drawings(data)
    st.checkbox(
        "Include my drawings: fine-tune "
        + (f"**{base.name}**" if base else "the shipped model")
        + f" on MNIST mixed with the {labelled} drawing{'' if labelled == 1 else 's'}"
        + " with a label (confirmed, corrected, or won in a challenge)",
        value=False,
        key="include_drawings",
        disabled=labelled == 0,
        help=None if labelled else "Confirm or correct a few drawings in the game first.",
    )


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
        show_progress(training)
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
        show_last_run(training)
    training_form(training, data, model)


def show_progress(training: ChildProcess) -> None:
    st.session_state["training_seen_running"] = True
    log = training.log_text()
    progress = training_run.read_progress(log)
    name = Path(training.label).name
    elapsed = time.time() - (training.started_at or time.time())
    st.progress(progress.fraction if progress else 0.0, text=progress_text(name, progress, elapsed))
    st.code(training_run.readable_log(log) or "(starting)", language=None)
    st.button(
        "Cancel training",
        key="cancel_training",
        icon=":material/cancel:",
        on_click=training.stop,
        args=(True,),
    )


def show_last_run(training: ChildProcess) -> None:
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
