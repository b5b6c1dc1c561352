"""The draw scene's widgets: the toolbar (pen, eraser, undo, reset, brush size), the buttons of
the top bar, Classify, and the answer buttons shown while the player is asked."""

import pygame

from game.scenes import look
from game.scenes.buttons import menu_and_help, tool_row
from game.scenes.draw_layout import MARGIN

BRUSH_SIZES = (6, 10, 14, 20, 26, 34, 44, 56)
# The room at the toolbar's right for -, the brush and +: no more than they need, so that at
# the smallest window the four tools' labels keep clear of their borders.
BRUSH_WIDTH = 150
STEP_BUTTON = 40  # the - and + buttons
ANSWER_WIDGETS = ("confirm", "skip")
TOOLS = (
    ("draw", "Draw", "Pen (D)"),
    ("erase", "Erase", "Eraser (E)"),
    ("undo", "Undo", "Undo the last stroke (Ctrl+Z)"),
    ("reset", "Reset", "Clear the canvas (Backspace or R)"),
)


def build_toolbar(scene, bar: pygame.Rect) -> None:
    """The four tools (pen and eraser apart from undo and reset), then - and + at the right."""
    gap, group = 8, 10
    tool = (bar.width - BRUSH_WIDTH - 3 * gap - 2 * group) // 4
    tool_row(scene, bar, TOOLS, tool, gap, space_after=("erase",), group=group)
    right = bar.right
    scene.button(
        pygame.Rect(right - STEP_BUTTON, bar.y, STEP_BUTTON, bar.height),
        "+",
        "bigger",
        "@tool",
        "Bigger brush (+)",
    )
    scene.button(
        pygame.Rect(right - BRUSH_WIDTH, bar.y, STEP_BUTTON, bar.height),
        "-",
        "smaller",
        "@tool",
        "Smaller brush (-)",
    )


def build_top_bar(scene, top: pygame.Rect, other_mode: tuple[str, str, str]) -> None:
    """Help and Menu at the right; the switch to the other mode after the game's name."""
    menu_and_help(scene, top, "Keys (H or F1)", "Back to the title (Esc)")
    _, label, tip = other_mode
    scene.button(pygame.Rect(MARGIN + 232, 14, 140, 36), label, "mode", "@quiet", tip)


def build_classify(scene, rect: pygame.Rect) -> None:
    scene.button(rect, "Classify", "classify", "@primary", "Commit this prediction (Enter or C)")


def build_answer_buttons(scene, area: pygame.Rect) -> None:
    """Yes, Skip and the ten digits, in the question's card. Made once and shown when asked:
    rebuilding a dozen rounded buttons at the moment of Classify would cost a frame."""
    inner = area.inflate(-36, 0)
    yes = pygame.Rect(inner.x, area.y + 42, inner.width, 44)
    scene.button(yes, "Yes", "confirm", "@primary", "Confirm (Enter)")
    skip = pygame.Rect(inner.right - 110, yes.bottom + 10, 110, 32)
    scene.button(skip, "Skip  (Esc)", "skip", "@quiet", "Do not answer")
    # Two rows of five when there is room for them, else one row of ten.
    top = skip.bottom + 10
    room = area.bottom - 14 - top
    per_row = 5 if room >= 2 * 38 + 6 else 10
    gap = 8 if per_row == 5 else 4
    cell = (inner.width - (per_row - 1) * gap) // per_row
    height = min(44, (room - 6) // 2) if per_row == 5 else min(44, room)
    for d in range(10):
        row, column = divmod(d, per_row)
        rect = pygame.Rect(inner.x + column * (cell + gap), top + row * (height + 6), cell, height)
        scene.button(rect, str(d), f"digit_{d}", "@digit", f"It's a {d} (key {d})")


def build_fresh_button(scene, hints: pygame.Rect) -> None:
    """Start fresh, at the right of the hint bar: hidden unless the history refused to open."""
    rect = pygame.Rect(hints.right - MARGIN - 130, hints.y + 4, 130, hints.height - 8)
    tip = "Move the refused history database aside (nothing is deleted) and start a new one"
    scene.button(rect, "Start fresh", "fresh", "@quiet", tip)
    scene.widget_named("fresh").hide()


def show_answer_buttons(widgets, answering: bool) -> None:
    """The answer buttons while asking, Classify otherwise."""
    for widget in widgets:
        name = widget.get_object_ids()[-1].lstrip("#")
        if name in ANSWER_WIDGETS or name.startswith("digit_"):
            widget.show() if answering else widget.hide()
        elif name == "classify":
            widget.hide() if answering else widget.show()


def draw_brush(surface: pygame.Surface, bar: pygame.Rect, brush: int, erasing: bool) -> None:
    """Between the - and + buttons: the brush at its real size, and its width in pixels."""
    left = bar.right - BRUSH_WIDTH + STEP_BUTTON  # the room between - and +
    colour = look.AMBER if erasing else look.TEXT
    pygame.draw.circle(surface, colour, (left + 15, bar.centery), max(brush // 6, 2))
    label = f"{brush} px"
    look.text(surface, label, (left + 28, bar.centery), 14, look.MUTED, "bold", "midleft")


def draw_cursor(surface: pygame.Surface, position, brush: int, erasing: bool) -> None:
    """The pen's outline under the mouse: its size, amber while erasing."""
    colour = look.AMBER if erasing else look.ACCENT
    pygame.draw.circle(surface, colour, position, max(brush // 2, 2), 1)
