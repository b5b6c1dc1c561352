"""What the draw scene says about an answer and its saving: the question after Classify, the
toast that adds "Saved." only once the writer has committed, and the notice under the canvas
while the history is off (with Start fresh's outcome)."""

import pygame

from game.scenes import chrome, look
from game.scenes.draw_layout import MARGIN


def draw_question(surface: pygame.Surface, rect: pygame.Rect, digit: int | None) -> None:
    """The question's card (its buttons are the scene's widgets)."""
    title = "Not a digit?" if digit is None else f"Was it {look.a_digit(digit)}?"
    look.panel(surface, rect, title)
    corner = (rect.right - 18, rect.y + 14)
    look.text(surface, "keys 0-9 answer too", corner, 12, look.FAINT, "regular", "topright")
    below_yes = (rect.x + 18, rect.y + 42 + 44 + 26)
    look.text(surface, "No, it's a …", below_yes, 15, look.MUTED, "regular", "midleft")


def confirm_label(digit: int | None) -> str:
    """The Yes button's words for the prediction asked about."""
    return "Right, not a digit" if digit is None else f"Yes, it's {look.a_digit(digit)}"


# Saving ----------------------------------------------------------------------------------------


def follow_save(recorder, saving: tuple, toast: chrome.Toast) -> tuple | None:
    """`saving` is (write, what was said, colour): once the writer answers, the toast says
    whether it was saved (when nothing newer was said since). Returns `saving` while waiting."""
    write, said, colour = saving
    outcome = recorder.outcome(write)
    if outcome is None:
        return saving
    if outcome is True:
        if toast.message == said:  # the player has not been told something newer
            toast.show(f"{said} Saved.", colour)
    else:
        reason = "the history is off (see below)" if recorder.error else outcome
        toast.show(f"{said} Not saved: {reason}", look.BAD, 6.0)
    return None


def report_fresh(done, toast: chrome.Toast) -> bool:
    """Say how a Start fresh ended; True when a fresh history was started."""
    if done.error:
        toast.show(done.error, look.BAD, 6.0)
        return False
    kept = f" The old one is kept as {done.value.name}." if done.value else ""
    toast.show(f"A fresh history was started.{kept}", look.GOOD, 6.0)
    return True


# The notice ------------------------------------------------------------------------------------


def can_start_fresh(recorder) -> bool:
    return bool(getattr(recorder, "can_start_fresh", False))


def notice(recorder) -> str:
    """The line under the canvas while drawings are not being saved, and why."""
    if recorder.error:
        reason = recorder.error.removeprefix("History is off: ")
        return f"History is off, drawings are not saved: {reason[:1].lower()}{reason[1:]}"
    return getattr(recorder, "waiting", "")


def draw_notice(surface: pygame.Surface, rect: pygame.Rect, recorder) -> bool:
    """The notice in the hint bar at `rect` (left of Start fresh); False when there is none."""
    text = notice(recorder)
    if not text:
        return False
    right = rect.right - MARGIN - (140 if can_start_fresh(recorder) else 0)
    area = pygame.Rect(MARGIN, rect.y, right - MARGIN, rect.height)
    font = look.font(13, "bold")
    lines = chrome.wrap(text, font, area.width)
    if len(lines) > 2:
        lines = [lines[0], _fit(" ".join(lines[1:]), font, area.width)]
    top = area.centery - 8 * len(lines)
    for index, line in enumerate(lines):
        at = (area.x, top + 8 + 16 * index)
        look.text(surface, line, at, 13, look.BAD, "bold", "midleft")
    return True


def _fit(text: str, font: pygame.font.Font, width: int) -> str:
    """`text` cut to `width` pixels with an ellipsis (the notice has room for two lines)."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"
