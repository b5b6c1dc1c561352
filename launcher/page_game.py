"""Start Drawing and Stop: the game as a child process, and whether it runs."""

from pathlib import Path

import streamlit as st

from launcher import process
from launcher.process import ChildProcess


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
        game_status(game)
    if game.failed():
        with st.expander("Game output"):
            st.code(game.log_text() or "(nothing)", language=None)


def game_status(game: ChildProcess) -> None:
    # Shown for as long as that game runs: a poll in between must not swallow it.
    if not game.is_running():
        st.session_state.pop("game_notice", None)
    notice = st.session_state.get("game_notice")
    if game.is_running():
        st.success(
            f"The game is running with **{game.label}** (process {game.pid}): draw in its window.",
            icon=":material/play_circle:",
        )
        if notice:
            st.caption(notice)
    elif game.failed():
        st.error(f"The game stopped with an error: {game.error_message()}", icon=":material/error:")
    elif game.returncode is not None:
        st.info(
            "The game is closed. Click **Start Drawing** to play again.", icon=":material/info:"
        )
    else:
        st.info(
            "The game is not running. Pick a model and click **Start Drawing**.",
            icon=":material/info:",
        )
