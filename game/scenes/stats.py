"""A first statistics scene: how often the model was right on the player's own drawings.

Read from the history database on the recorder's thread (the frame loop never waits on disk).
Issue 5 brings the full scene (confusion matrix, model card, curves); this one shows the
essentials: totals, accuracy per digit and the latest drawings.
"""

import numpy as np
import pygame
import pygame_gui

from game.scenes import look
from game.scenes.base import Scene

RECENT = 14


def summarise(history) -> dict:
    """What the scene shows, from the history (runs on the recorder's thread)."""
    drawings = history.drawings(limit=5000)
    labelled = [d for d in drawings if d.label is not None]
    per_digit = []
    for digit in range(10):
        of_digit = [d for d in labelled if d.label == digit]
        right = sum(d.prediction == digit for d in of_digit)
        per_digit.append((right, len(of_digit)))
    return {
        "total": history.count(),
        "labelled": len(labelled),
        "right": sum(d.prediction == d.label for d in labelled),
        "per_digit": per_digit,
        "recent": [(d.image, d.prediction, d.label) for d in drawings[:RECENT]],
    }


class StatsScene(Scene):
    def enter(self) -> None:
        super().enter()
        self.answer = self.app.recorder.ask(summarise)
        self.thumbnails: list[pygame.Surface] = []

    def build(self) -> None:
        rect = pygame.Rect(24, 14, 92, 36)
        self.button(rect, "Back", "back", "@quiet", "Back to the title (Esc)")

    def handle_event(self, event: pygame.event.Event) -> bool:
        back = event.type == pygame_gui.UI_BUTTON_PRESSED
        back |= event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_s)
        if back:
            self.app.pop()
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_h, pygame.K_F1):
            self.app.push("help")
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        look.text(surface, "Your statistics", (width // 2, 32), 26, look.TEXT, "bold", "center")
        if not self.answer.done:
            look.text(
                surface,
                "Reading the history…",
                (width // 2, height // 2),
                20,
                look.MUTED,
                "regular",
                "center",
            )
            return
        if self.answer.error:
            look.text(
                surface,
                self.answer.error,
                (width // 2, height // 2),
                18,
                look.BAD,
                "regular",
                "center",
            )
            return
        summary = self.answer.value
        if summary["total"] == 0:
            look.text(
                surface,
                "No drawings yet: draw a digit and press Enter to classify it.",
                (width // 2, height // 2),
                20,
                look.MUTED,
                "regular",
                "center",
            )
            return
        self._draw_totals(surface, summary, pygame.Rect(48, 80, width - 96, 110))
        self._draw_per_digit(surface, summary, pygame.Rect(48, 210, width - 96, 220))
        self._draw_recent(
            surface, summary, pygame.Rect(48, 450, width - 96, min(height - 480, 150))
        )

    def _draw_totals(self, surface, summary, rect) -> None:
        labelled = summary["labelled"]
        accuracy = f"{summary['right'] / labelled:.0%}" if labelled else "–"
        figures = (
            ("Drawings", str(summary["total"])),
            ("Answered", str(labelled)),
            ("Model right", accuracy),
        )
        card_width = (rect.width - 2 * 16) // 3
        for index, (name, value) in enumerate(figures):
            card = pygame.Rect(rect.x + index * (card_width + 16), rect.y, card_width, rect.height)
            look.panel(surface, card, name)
            look.text(
                surface,
                value,
                (card.x + 18, card.bottom - 16),
                44,
                look.ACCENT,
                "bold",
                "bottomleft",
            )

    def _draw_per_digit(self, surface, summary, rect) -> None:
        look.panel(surface, rect, "Right per digit (on the drawings you answered)")
        slot = (rect.width - 36) / 10
        chart_top, chart_bottom = rect.y + 50, rect.bottom - 44
        for digit, (right, count) in enumerate(summary["per_digit"]):
            x = rect.x + 18 + slot * digit
            track = pygame.Rect(
                round(x + slot * 0.25), chart_top, round(slot * 0.5), chart_bottom - chart_top
            )
            pygame.draw.rect(surface, look.BAR_TRACK, track, border_radius=4)
            if count:
                height = round(track.height * right / count)
                fill = pygame.Rect(track.x, track.bottom - height, track.width, height)
                pygame.draw.rect(surface, look.ACCENT, fill, border_radius=4)
            label = f"{right}/{count}" if count else "–"
            look.text(
                surface,
                str(digit),
                (track.centerx, chart_bottom + 4),
                16,
                look.TEXT,
                "bold",
                "midtop",
            )
            look.text(
                surface,
                label,
                (track.centerx, chart_bottom + 24),
                12,
                look.MUTED,
                "regular",
                "midtop",
            )

    def _draw_recent(self, surface, summary, rect) -> None:
        if rect.height < 90:
            return
        look.panel(surface, rect, "Latest drawings: the model said / you said")
        side = min(72, rect.height - 80)
        x = rect.x + 18
        for image, prediction, label in summary["recent"]:
            if x + side > rect.right - 18:
                break
            rgb = np.repeat(np.asarray(image, dtype=np.uint8).T[:, :, np.newaxis], 3, axis=2)
            thumb = pygame.transform.scale(pygame.surfarray.make_surface(rgb), (side, side))
            surface.blit(thumb, (x, rect.y + 40))
            colour = look.MUTED if label is None else look.GOOD if label == prediction else look.BAD
            caption = f"{prediction}" if label is None else f"{prediction} / {label}"
            look.text(
                surface, caption, (x + side // 2, rect.y + 46 + side), 13, colour, "bold", "midtop"
            )
            x += side + 12
