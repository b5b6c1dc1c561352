"""Charts for the model card and the history dashboard (Altair, which Streamlit ships)."""

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd


def confusion_heatmap(matrix: Sequence[Sequence[int]] | np.ndarray, title: str) -> alt.Chart:
    """Rows: the true digit, columns: the predicted one; a log colour scale, so that the few
    mistakes show beside a diagonal of thousands."""
    matrix = np.asarray(matrix, dtype=np.int64)
    cells = pd.DataFrame(
        [
            {"true": str(row), "predicted": str(column), "count": int(matrix[row, column])}
            for row in range(matrix.shape[0])
            for column in range(matrix.shape[1])
        ]
    )
    digits = [str(digit) for digit in range(matrix.shape[0])]
    base = alt.Chart(cells, title=title).encode(
        x=alt.X("predicted:O", sort=digits, title="predicted", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("true:O", sort=digits, title="true digit"),
    )
    squares = base.mark_rect().encode(
        color=alt.Color(
            "count:Q",
            scale=alt.Scale(type="symlog", scheme="blues"),
            legend=None,
        ),
        tooltip=["true", "predicted", "count"],
    )
    largest = max(int(matrix.max()), 1)
    labels = base.mark_text(fontSize=11).encode(
        text=alt.condition("datum.count > 0", "count:Q", alt.value("")),
        color=alt.condition(
            f"datum.count > {largest**0.6:.1f}", alt.value("white"), alt.value("#333")
        ),
    )
    return (squares + labels).properties(height=340)


def accuracy_bars(
    digits: Sequence[int],
    accuracy: Sequence[float | None],
    title: str,
    zoom: bool = True,
    labels: bool = False,
) -> alt.Chart:
    """Accuracy per digit; `zoom` starts the axis just below the lowest bar; `labels` writes the
    share above a bar too short to see (a 0 % bar has no height) and "–" for a digit without
    answers, so that every digit shows something."""
    names = [str(d) for d in digits]
    frame = pd.DataFrame({"digit": names, "accuracy": list(accuracy)})
    known = frame.dropna()
    # A good model's bars all sit near 100%: start the axis just below the lowest one, unless
    # some digit is far off, where the whole range tells the story better.
    low = float(known["accuracy"].min()) if len(known) else 0.0
    floor = float(np.floor((low - 0.005) * 100) / 100) if zoom and low >= 0.9 else 0.0
    # Every digit on the axis, each labelled: Vega would otherwise drop every other label
    # where they are close together, and leave out the digits without a bar.
    x = alt.X(
        "digit:O",
        title="digit",
        scale=alt.Scale(domain=names),
        axis=alt.Axis(labelAngle=0, labelOverlap=False),
    )
    y_scale = alt.Scale(domain=[floor, 1.0])
    bars = (
        alt.Chart(known)
        .mark_bar(clip=True)
        .encode(
            x=x,
            y=alt.Y("accuracy:Q", scale=y_scale, axis=alt.Axis(format="%"), title="accuracy"),
            tooltip=["digit", alt.Tooltip("accuracy:Q", format=".2%")],
        )
    )
    if not labels:
        return bars.properties(title=title, height=340)
    frame["shown"] = frame["accuracy"].fillna(floor)
    frame["text"] = ["–" if pd.isna(value) else f"{value:.0%}" for value in frame["accuracy"]]
    # Only under a fifth: ten "100%" side by side would run into each other on a narrow page.
    short = frame[frame["accuracy"].isna() | (frame["accuracy"] < floor + (1 - floor) / 5)]
    texts = (
        alt.Chart(short)
        .mark_text(baseline="bottom", dy=-3, fontSize=11, color="#333")
        .encode(x=x, y=alt.Y("shown:Q", scale=y_scale), text="text:N")
    )
    return alt.layer(bars, texts, title=title).properties(height=340)


def curves(history: dict[str, list[float]], metric: str, title: str) -> alt.Chart | None:
    """One metric per epoch, training and validation, on an axis zoomed to the values."""
    rows = []
    for key, name in ((metric, "training"), (f"val_{metric}", "validation")):
        for epoch, value in enumerate(history.get(key) or [], start=1):
            rows.append({"epoch": epoch, metric: float(value), "data": name})
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("epoch:Q", axis=alt.Axis(tickMinStep=1, format="d"), title="epoch"),
            y=alt.Y(f"{metric}:Q", scale=alt.Scale(zero=False), title=metric),
            color=alt.Color(
                "data:N",
                scale=alt.Scale(domain=["training", "validation"], range=["#3b6fd8", "#f28e2b"]),
                legend=alt.Legend(title=None, orient="right"),
            ),
            tooltip=["data", "epoch", alt.Tooltip(f"{metric}:Q", format=".4f")],
        )
        .properties(height=300)
    )


def trend(values: Sequence[float], title: str) -> alt.Chart:
    """Share right in consecutive blocks of answered drawings, oldest first."""
    frame = pd.DataFrame({"block": range(1, len(values) + 1), "right": [float(v) for v in values]})
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "block:Q",
                axis=alt.Axis(tickMinStep=1, format="d"),
                title="blocks of answered drawings, older → newer",
            ),
            y=alt.Y(
                "right:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title=None
            ),
            tooltip=[alt.Tooltip("right:Q", format=".0%")],
        )
        .properties(height=200)
    )
