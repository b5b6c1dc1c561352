"""The history dashboard: what the user drew and how often the model was right (read-only)."""

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from game.contract import IMAGE_SIZE
from game.stats import RecentDrawing, Stats
from launcher import charts, dashboard, locations
from launcher.resources import history_of
from launcher.text import percent
from launcher.widgets import metric_row

# game.stats draws the trend from two blocks of five answered drawings on.
TREND_FROM = 10


# Each recent drawing at three times the 28x28 the model saw, with a white margin on each side so
# that the black squares do not touch; the row wraps to the page width.
SCALE = 3
MARGIN = 4
CAPTIONS = (
    'Under each: what the model said ("none": not a digit), ✓ when you confirmed it, '
    "→ the digit you meant when you corrected it."
)


def drawing_caption(drawing: RecentDrawing) -> str:
    """Short enough for one line under a thumbnail: "3 ✓", "5 → 6", "none → 7", "3"."""
    if drawing.label is None:
        return drawing.read_as
    if drawing.label == drawing.prediction:
        return f"{drawing.read_as} ✓"
    return f"{drawing.read_as} → {drawing.label}"


def show_history(data: Path) -> None:
    path = locations.history_path(data)
    try:
        history = history_of(data)
    except dashboard.HistoryUnreadable as error:
        st.error(str(error), icon=":material/error:")
        return
    if history is not None and history.numbers:
        show_written_numbers(history.numbers)
    if history is None or history.stats.total == 0:
        st.info(
            "No drawings yet. Click **Start Drawing**, draw a digit, press **Classify** and "
            "confirm or correct the answer: your drawings, and how often the model got them "
            f"right, appear here. (History file: `{path}`)",
            icon=":material/draw:",
        )
        return
    show_numbers(history.stats)
    left, right = st.columns(2)
    with left:
        st.markdown("**Drawings per day**")
        per_day = pd.DataFrame(history.per_day, columns=["day", "drawings"]).set_index("day")
        st.bar_chart(per_day, height=300, x_label="day (UTC)", y_label="drawings")
    with right:
        show_digit_accuracy(history.stats)
    left, right = st.columns(2)
    with left:
        show_mistakes(history.stats)
    with right:
        show_recent(history.stats)
    st.caption(f"Read from `{path}` (read-only; the game writes it).")


def show_written_numbers(numbers: list[tuple[str, str, str, float, int]]) -> None:
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


def show_numbers(stats: Stats) -> None:
    with metric_row():
        st.metric("Drawings", f"{stats.total:,}", width="content")
        st.metric("Confirmed or corrected", f"{stats.labelled:,}", width="content")
        st.metric("Model right on those", percent(stats.accuracy, 1), width="content")
        st.metric(
            "Median answer time",
            f"{stats.median_latency_ms:.1f} ms" if stats.median_latency_ms is not None else "n/a",
            help="Preprocessing and the model, per drawing, as the game measured it.",
            width="content",
        )
        st.metric(
            "Challenge best score",
            "n/a" if stats.best_score is None else f"{stats.best_score}",
            help=f"The best of your {stats.challenges} challenge games."
            if stats.challenges
            else "Play a challenge in the game (C on the title screen) to set one.",
            width="content",
        )


def show_digit_accuracy(stats: Stats) -> None:
    if not stats.labelled:
        st.info("Confirm or correct a few answers in the game to see accuracy per digit.")
        return
    st.altair_chart(
        charts.accuracy_bars(
            range(10), stats.digit_accuracy(), "Model right per digit", zoom=False, labels=True
        ),
        width="stretch",
    )


def show_mistakes(stats: Stats) -> None:
    if stats.labelled:
        st.altair_chart(
            charts.confusion_heatmap(stats.confusion, "Your confusion matrix"), width="stretch"
        )
    if stats.trend:
        st.altair_chart(charts.trend(stats.trend, "Model right over time"), width="stretch")
    elif stats.labelled:
        st.caption(
            f"The trend of how often the model is right appears after {TREND_FROM} answered "
            f"drawings ({stats.labelled} so far)."
        )


def show_recent(stats: Stats) -> None:
    st.markdown("**Recent drawings** (what the model saw)")
    st.caption(CAPTIONS)
    # Nearest-neighbour enlargement keeps the pixels the model saw crisp.
    images = [thumbnail(drawing.image) for drawing in stats.recent]
    width = IMAGE_SIZE * SCALE + 2 * MARGIN
    st.image(images, caption=[drawing_caption(drawing) for drawing in stats.recent], width=width)


def thumbnail(image: np.ndarray) -> np.ndarray:
    big = np.kron(image, np.ones((SCALE, SCALE), np.uint8))
    return np.pad(big, ((0, 0), (MARGIN, MARGIN)), constant_values=255)
