"""The history dashboard: what the user drew and how often the model was right (read-only)."""

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from game.stats import RecentDrawing, Stats
from launcher import charts, dashboard, locations
from launcher.resources import history_of
from launcher.text import percent


def drawing_caption(drawing: RecentDrawing) -> str:
    if drawing.label is None:
        return f"said {drawing.read_as}"
    mark = "✓" if drawing.label == drawing.prediction else f"✗ was {drawing.label}"
    return f"said {drawing.read_as} {mark}"


def show_history(data: Path) -> None:
    path = locations.history_path(data)
    try:
        history = history_of(data)
    except dashboard.HistoryUnreadable as error:
        st.error(str(error), icon=":material/error:")
        return
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


def show_numbers(stats: Stats) -> None:
    columns = st.columns(4)
    columns[0].metric("Drawings", f"{stats.total:,}")
    columns[1].metric("Confirmed or corrected", f"{stats.labelled:,}")
    columns[2].metric("Model right on those", percent(stats.accuracy, 1))
    columns[3].metric(
        "Median answer time",
        f"{stats.median_latency_ms:.1f} ms" if stats.median_latency_ms is not None else "n/a",
        help="Preprocessing and the model, per drawing, as the game measured it.",
    )


def show_digit_accuracy(stats: Stats) -> None:
    if not stats.labelled:
        st.info("Confirm or correct a few answers in the game to see accuracy per digit.")
        return
    st.altair_chart(
        charts.accuracy_bars(
            range(10), stats.digit_accuracy(), "Model right per digit", zoom=False
        ),
        width="stretch",
    )


def show_mistakes(stats: Stats) -> None:
    if stats.labelled:
        st.altair_chart(
            charts.confusion_heatmap(stats.confusion, "Your confusion matrix"), width="stretch"
        )
    if stats.trend:
        st.altair_chart(
            charts.trend(stats.trend, "Model right over time (answered drawings, in blocks)"),
            width="stretch",
        )


def show_recent(stats: Stats) -> None:
    st.markdown("**Recent drawings** (what the model saw)")
    per_row = 6
    for start in range(0, len(stats.recent), per_row):
        row = st.columns(per_row)
        for column, drawing in zip(row, stats.recent[start : start + per_row], strict=False):
            # Nearest-neighbour enlargement keeps the pixels the model saw crisp.
            big = np.kron(drawing.image, np.ones((3, 3), dtype=np.uint8))
            column.image(big, caption=drawing_caption(drawing), width="stretch")
