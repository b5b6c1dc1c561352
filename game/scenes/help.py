"""The help overlay: every key, over a dimmed game. Any key or click closes it."""

import pygame

from game.scenes import look
from game.scenes.base import Scene

KEYS = (
    (("Enter", "C"), "Classify the drawing, then confirm or correct it"),
    (("0-9",), "Answer which digit it really was"),
    (("Backspace", "R"), "Reset the canvas"),
    (("Ctrl+Z",), "Undo the last stroke, or a reset"),
    (("D",), "Draw with the pen"),
    (("E",), "Erase"),
    (("+", "-"), "Brush size, 6 to 56 px (= works as +)"),
    (("X",), "Why: strokes for and against; Shift+digit: that digit"),
    (("S",), "Statistics (from the title)"),
    (("G",), "Challenge mode (from the title)"),
    (("N",), "Number mode and back (draw); skip a round (challenge)"),
    (("H", "F1"), "Show or hide this help"),
    (("Esc",), "Back or skip the question; twice drops work"),
)


class HelpOverlay(Scene):
    overlay = True

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
            self.app.pop()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        dim.fill((5, 8, 14, 200))
        surface.blit(dim, (0, 0))
        row = 37
        card = pygame.Rect(0, 0, 660, 118 + row * len(KEYS))
        card.center = surface.get_rect().center
        look.panel(surface, card, radius=18)
        look.text(surface, "Keys", (card.x + 32, card.y + 26), 30, look.TEXT, "bold")
        look.text(
            surface,
            "press any key to close",
            (card.right - 32, card.y + 40),
            14,
            look.FAINT,
            "regular",
            "topright",
        )
        y = card.y + 86
        for keys, meaning in KEYS:
            x = card.x + 32
            for index, key in enumerate(keys):
                if index:
                    look.text(surface, "or", (x + 4, y + 5), 13, look.FAINT)
                    x += 26
                x += look.key_cap(surface, key, (x, y)) + 4
            look.text(surface, meaning, (card.x + 236, y + 4), 16, look.TEXT)
            y += row
