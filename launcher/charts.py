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


def accuracy_bars(digits: Sequence[int], accuracy: Sequence[float | None], title: str) -> alt.Chart:
    """Accuracy per digit, zoomed on the range where the bars differ."""
    frame = pd.DataFrame(
        {"digit": [str(d) for d in digits], "accuracy": [a for a in accuracy]}
    ).dropna()
    # A good model's bars all sit near 100%: start the axis just below the lowest one, unless
    # some digit is far off, where the whole range tells the story better.
    low = float(frame["accuracy"].min()) if len(frame) else 0.0
    floor = float(np.floor((low - 0.005) * 100) / 100) if low >= 0.9 else 0.0
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


def curves(history: dict[str, list[float]], metric: str) -> pd.DataFrame:
    """One metric per epoch, training and validation side by side, for st.line_chart."""
    columns = {}
    for key, name in ((metric, "training"), (f"val_{metric}", "validation")):
        values = history.get(key)
        if values:
            columns[name] = [float(v) for v in values]
    if not columns:
        return pd.DataFrame()
    length = max(len(v) for v in columns.values())
    frame = pd.DataFrame({k: v + [np.nan] * (length - len(v)) for k, v in columns.items()})
    frame.index = pd.RangeIndex(1, length + 1, name="epoch")
    return frame
