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
    running = game.is_running()
    # One wrapping row: each button as wide as its label (never cut to "Start …" on a narrow
    # window), the status taking the rest, or the next line when there is no room.
    with st.container(horizontal=True, vertical_alignment="center", key="game_row"):
        st.button(
            "Start Drawing",
            key="start_game",
            icon=":material/draw:",
            type="primary",
            # While the game runs its window is the place to draw; a second one is not wanted.
            disabled=model is None or running,
            on_click=start_game,
            args=(game, model, data),
        )
        st.button(
            "Stop",
            key="stop_game",
            icon=":material/stop:",
            disabled=not running,
            on_click=game.stop,
        )
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
        # The notice of a click that came too late (another tab started it) goes in the same box,
        # so that the row keeps its height and the buttons stay in line.
        st.success(
            f"The game is running with **{game.label}** (process {game.pid}): draw in its window."
            + (f" {notice}" if notice else ""),
            icon=":material/play_circle:",
            width="stretch",
        )
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
