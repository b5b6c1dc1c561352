"""The statistics page's two actions on the history: export the labelled drawings, and reset
(asked first in a dialog, then the database is moved aside; game.history.reset, never deleted).
Both run on the recorder's thread: the frame loop never waits on the disk."""

from datetime import UTC, datetime
from pathlib import Path

import pygame

from game import history
from game.scenes import chrome, look


def export_labelled(recorder) -> "object":
    """Ask the recorder's thread to write the labelled drawings to an .npz in MNIST's layout
    beside the database (read-only on it); the Answer's value is (path, count)."""

    def export(current) -> tuple[Path, int]:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = Path(current.path).with_name(f"drawings-{stamp}.npz")
        return out, history.export_drawings(current.path, out)

    return recorder.ask(export)


def reset_history(recorder) -> "object":
    """Ask the recorder's thread to close the database, move it aside and start a new one;
    the Answer's value is where the old one went (None: there was none)."""

    def move_aside(current) -> object:
        path = current.path
        current.close()
        try:
            moved = history.reset(path)
        finally:
            # Whatever happened, the game goes on with a database at the usual place, or says
            # once that history is off (as when it could not be opened at start).
            try:
                recorder.history = history.History.open(path)
            except history.HistoryError as error:
                recorder.history = None
                recorder.error = str(error)
        return moved

    return recorder.ask(move_aside)


# The reset dialog ------------------------------------------------------------------------------


def confirm_box(size: tuple[int, int]) -> pygame.Rect:
    """Where the reset dialog is: centred in the window."""
    box = pygame.Rect(0, 0, 520, 236)
    box.center = pygame.Rect((0, 0), size).center
    return box


def add_confirm_buttons(scene, box: pygame.Rect) -> None:
    """The dialog's two buttons, made with the page and shown only while it asks."""
    half = (box.width - 3 * 24) // 2
    row = pygame.Rect(box.x + 24, box.bottom - 24 - 44, half, 44)
    scene.button(row, "Move it aside", "confirm_reset", "@primary", "Enter")
    scene.button(row.move(half + 24, 0), "Cancel", "cancel_reset", "@tool", "Esc")


def draw_confirm(surface: pygame.Surface, box: pygame.Rect) -> None:
    """The page dimmed and the question over it (the buttons are the scene's widgets)."""
    look.shade(surface, 190)
    look.panel(surface, box, radius=18)
    look.text(surface, "Reset your statistics?", (box.x + 24, box.y + 22), 24, look.TEXT, "bold")
    message = (
        "The history database is moved aside under a new name, beside the old one: "
        "nothing is deleted. Counting starts again from zero."
    )
    for index, line in enumerate(chrome.wrap(message, look.font(15), box.width - 48)):
        look.text(surface, line, (box.x + 24, box.y + 70 + 22 * index), 15, look.MUTED)
