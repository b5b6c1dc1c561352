"""The model picker and the selected model's card (its measurements, charts and recipe)."""

from pathlib import Path

import streamlit as st

from game import modelcard, paths
from launcher import charts, locations
from launcher.resources import card_of
from launcher.text import duration, percent
from launcher.widgets import metric_row


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
    # A training run that just finished asks for its model to be selected (see page_training).
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
    show_numbers(card)
    show_charts(card)
    show_recipe(card)


def show_numbers(card: dict) -> None:
    test = card.get("test", {})
    seconds = card.get("training_seconds")
    with metric_row():
        for label, value in (
            ("MNIST test accuracy", percent(modelcard.test_accuracy(card))),
            ("Test loss", f"{test['loss']:.4f}" if "loss" in test else "n/a"),
            ("Parameters", f"{card['parameters']:,}" if "parameters" in card else "n/a"),
            ("Epochs", len(card.get("history", {}).get("loss", [])) or "n/a"),
            ("Training time", duration(seconds) if isinstance(seconds, int | float) else "n/a"),
        ):
            st.metric(label, value, width="content")


def show_charts(card: dict) -> None:
    test = card.get("test", {})
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
            charts.confusion_heatmap(matrix, "Confusion matrix, MNIST test set"),
            width="stretch",
        )
    left, right = st.columns(2)
    for column, metric, title in (
        (left, "accuracy", "Accuracy per epoch"),
        (right, "loss", "Loss per epoch"),
    ):
        chart = charts.curves(card.get("history", {}), metric, title)
        if chart is not None:
            column.altair_chart(chart, width="stretch")


def show_recipe(card: dict) -> None:
    created = str(card.get("created", ""))[:16].replace("T", " ")
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
