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
    digits: Sequence[int], accuracy: Sequence[float | None], title: str, zoom: bool = True
) -> alt.Chart:
    """Accuracy per digit; `zoom` starts the axis just below the lowest bar."""
    frame = pd.DataFrame(
        {"digit": [str(d) for d in digits], "accuracy": [a for a in accuracy]}
    ).dropna()
    # A good model's bars all sit near 100%: start the axis just below the lowest one, unless
    # some digit is far off, where the whole range tells the story better.
    low = float(frame["accuracy"].min()) if len(frame) else 0.0
    floor = float(np.floor((low - 0.005) * 100) / 100) if zoom and low >= 0.9 else 0.0
    return (
        alt.Chart(frame, title=title)
        .mark_bar(clip=True)
        .encode(
            x=alt.X("digit:O", title="digit", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "accuracy:Q",
                scale=alt.Scale(domain=[floor, 1.0]),
                axis=alt.Axis(format="%"),
                title="accuracy",
            ),
            tooltip=["digit", alt.Tooltip("accuracy:Q", format=".2%")],
        )
        .properties(height=340)
    )


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
            x=alt.X("block:Q", axis=alt.Axis(tickMinStep=1, format="d"), title="older → newer"),
            y=alt.Y(
                "right:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title=None
            ),
            tooltip=[alt.Tooltip("right:Q", format=".0%")],
        )
        .properties(height=200)
    )
