"""The frame around a game scene: the top bar (name, model state) and short messages (toasts).

Shared by the scenes that play (the draw scene, the challenge mode).
"""

import time

import pygame

from game.predictor import LOADING, READY
from game.scenes import look

MARGIN = 24
TOAST_SECONDS = 2.6
# Room left at the right of the top bar for the scene's own buttons (Menu, Help).
BUTTONS_WIDTH = 92 + 8 + 92 + 16


def draw_top_bar(surface: pygame.Surface, rect: pygame.Rect, app) -> None:
    """The game's name on the left; on the right, which model plays and whether it is ready."""
    look.text(surface, "Digit", (MARGIN, rect.centery), 24, look.TEXT, "bold", "midleft")
    x = MARGIN + look.font(24, "bold").size("Digit ")[0]
    look.text(surface, "Recognizer", (x, rect.centery), 24, look.ACCENT, "bold", "midleft")
    status = app.predictor.state
    name = app.model_path.name
    if status == LOADING:
        label, colour = f"Loading {name}…", look.AMBER
    elif status == READY:
        backend = getattr(getattr(app.predictor.classifier, "info", None), "backend", "")
        label = f"{name}  ·  {str(backend).upper() or 'ready'}"
        colour = look.GOOD
    else:
        label, colour = f"{name} failed", look.BAD
    pill = look.font(14).size(label)[0] + 34
    box = pygame.Rect(rect.right - MARGIN - BUTTONS_WIDTH - pill, 18, pill, 28)
    pygame.draw.rect(surface, look.PANEL, box, border_radius=14)
    pygame.draw.rect(surface, look.PANEL_EDGE, box, 1, border_radius=14)
    pygame.draw.circle(surface, colour, (box.x + 15, box.centery), 4)
    look.text(surface, label, (box.x + 26, box.centery), 14, look.MUTED, "regular", "midleft")
    if app.recorder.error:
        # Said once in a toast; this stays, so the player knows drawings are not kept.
        look.text(
            surface, "history off", (box.x - 14, box.centery), 14, look.BAD, "bold", "midright"
        )
    pygame.draw.line(surface, look.PANEL, (0, rect.bottom - 1), (rect.right, rect.bottom - 1))


def draw_scene_name(surface: pygame.Surface, rect: pygame.Rect, name: str) -> None:
    """ "/  name" after the game's name in the top bar: which part of the game this is."""
    x = MARGIN + look.font(24, "bold").size("Digit Recognizer")[0] + 14
    look.text(surface, f"/  {name}", (x, rect.centery), 20, look.MUTED, "regular", "midleft")


class Toast:
    """A message shown for a moment at the top of an area, wrapped to its width."""

    def __init__(self) -> None:
        self.message = ""
        self.colour = look.TEXT
        self.until = 0.0

    @property
    def visible(self) -> bool:
        return bool(self.message) and time.monotonic() <= self.until

    def show(self, message: str, colour=look.TEXT, seconds: float = TOAST_SECONDS) -> None:
        self.message, self.colour, self.until = message, colour, time.monotonic() + seconds

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        if not self.visible:
            return
        font = look.font(15, "bold")
        lines = wrap(self.message, font, area.width - 64)
        width = max(font.size(line)[0] for line in lines)
        box = pygame.Rect(0, 0, width + 36, 22 * len(lines) + 16)
        box.midtop = (area.centerx, area.y + 16)
        radius = min(box.height // 2, 18)
        pygame.draw.rect(surface, look.BACKGROUND, box, border_radius=radius)
        pygame.draw.rect(surface, self.colour, box, 1, border_radius=radius)
        for index, line in enumerate(lines):
            at = (box.centerx, box.y + 8 + 22 * index)
            look.text(surface, line, at, 15, self.colour, "bold", "midtop")


def wrap(message: str, font: pygame.font.Font, width: int) -> list[str]:
    """Words into lines no wider than `width` (a long file path may still overflow a line)."""
    lines: list[str] = []
    for word in message.split():
        if lines and font.size(f"{lines[-1]} {word}")[0] <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
