"""What the number scene draws of its reading: each digit's box on the canvas with its reading,
the card with the whole number (and what the model saw of each digit), and the question."""

import numpy as np
import pygame

from game.predictor import READY
from game.reader import SURE
from game.scenes import look
from game.segment import Number

DOUBTFUL = 0.6


def digit_boxes(number: Number | None, canvas: pygame.Rect) -> list[pygame.Rect]:
    """Each digit's box on screen, a little larger than its ink."""
    if number is None:
        return []
    boxes = []
    for digit in number.digits:
        left, top, right, bottom = digit.box
        rect = pygame.Rect(int(left), int(top), int(right - left) + 1, int(bottom - top) + 1)
        boxes.append(rect.move(canvas.topleft).inflate(16, 16))
    return boxes


def draw_boxes(
    surface: pygame.Surface,
    number: Number,
    boxes: list[pygame.Rect],
    corrected: list[str] | None,
    selected: int | None,
    stale: bool,
) -> None:
    """Each digit's box, coloured by how sure the model is (faint while the reading is stale);
    while asked (`corrected` given), a corrected or selected digit in the accent colour."""
    asked = corrected is not None
    for index, (digit, box) in enumerate(zip(number.digits, boxes, strict=True)):
        text = corrected[index] if asked else digit.text
        colour = _colour(digit.digit, digit.confidence)
        if stale:
            colour = look.FAINT
        width = 2
        if index == selected:
            colour, width = look.ACCENT, 3
        elif asked and text != digit.text:
            colour = look.ACCENT
        pygame.draw.rect(surface, colour, box, width=width, border_radius=8)
        label = text if asked and text != digit.text else digit.text
        if not asked or text == digit.text:
            label = f"{label}  {digit.confidence:.0%}" if digit.digit is not None else label
        look.text(surface, label, (box.x + 2, box.y - 4), 16, colour, "bold", "bottomleft")


def draw_number(
    surface: pygame.Surface,
    rect: pygame.Rect,
    number: Number | None,
    state: str,
    answer: str | None,
    typed: bool,
) -> None:
    """The card with the number read (or `answer`, the player's, while asked), how sure the
    model is, and what it saw of each digit."""
    look.panel(surface, rect, "The number")
    centre = (rect.x + 24, rect.y + 92)
    if state != READY:
        look.text(surface, "Loading the model…", centre, 26, look.AMBER, "bold", "midleft")
        return
    if number is None or not number.found:
        message = "Write digits side by side" if number is None else "No digit found yet"
        look.text(surface, message, centre, 26, look.FAINT, "bold", "midleft")
        return
    text = answer if answer is not None else number.text
    look.text(surface, text or "…", centre, 64, look.TEXT, "bold", "midleft")
    if "?" in number.text:
        detail = "a '?' is a piece the model could not read as a digit"
    else:
        detail = f"{number.confidence:.0%} sure of every digit  ·  {len(number.digits)} digits"
    detail_at = (rect.x + 24, rect.y + 150)
    look.text(surface, detail, detail_at, 16, look.MUTED, "regular", "midleft")
    if typed:
        typed_at = (rect.x + 24, rect.y + 178)
        look.text(surface, "typed: Enter confirms", typed_at, 15, look.ACCENT, "regular", "midleft")
    _draw_inputs(surface, rect, number)


def _draw_inputs(surface: pygame.Surface, rect: pygame.Rect, number: Number) -> None:
    # What the model saw of each digit, small, along the panel's bottom.
    side = 56
    x, y = rect.x + 24, rect.bottom - side - 16
    for digit in number.digits:
        if x + side > rect.right - 16 or digit.answer.image is None:
            break
        grey = (np.clip(digit.answer.image, 0.0, 1.0) * 255).astype(np.uint8)
        small = pygame.surfarray.make_surface(np.repeat(grey.T[:, :, None], 3, axis=2))
        surface.blit(pygame.transform.scale(small, (side, side)), (x, y))
        pygame.draw.rect(surface, look.PANEL_EDGE, (x - 1, y - 1, side + 2, side + 2), 1)
        x += side + 8


def draw_question(surface: pygame.Surface, rect: pygame.Rect, asked: str) -> None:
    """The question's card; its buttons are the draw scene's answer buttons."""
    look.panel(surface, rect, f"Was it {asked}?")
    hint_at = (rect.x + 18, rect.y + 42 + 44 + 26)
    look.text(surface, "No: click a digit, then …", hint_at, 15, look.MUTED, "regular", "midleft")


def _colour(digit: int | None, confidence: float) -> tuple[int, int, int]:
    if digit is None:
        return look.BAD
    if confidence >= SURE:
        return look.GOOD
    return look.AMBER if confidence >= DOUBTFUL else look.BAD
