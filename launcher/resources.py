"""What every part of the page shares: the child processes of a data folder, and the model cards
and history read again only when their files change."""

from pathlib import Path

import streamlit as st

from game import modelcard
from launcher import dashboard, locations
from launcher.process import ChildProcess

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


def history_of(data: Path) -> dashboard.History | None:
    """The history of this data folder; raises dashboard.HistoryUnreadable."""
    path = locations.history_path(data)
    return cached_history(str(path), (mtime(path), mtime(path.with_name(path.name + "-wal"))))
