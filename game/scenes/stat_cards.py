"""The statistics page's figure cards: drawings, confirmed, corrected, accuracy and latency."""

import pygame

from game.scenes import look
from game.stats import Stats

# One colour per card, in the order of figures(): the good news green, the corrections amber.
COLOURS = (look.TEXT, look.GOOD, look.AMBER, look.ACCENT, look.TEXT)


def figures(found: Stats) -> list[tuple[str, str, str]]:
    """(name, value, detail) of the figure cards, as shown (tests read them)."""
    accuracy = "–" if found.accuracy is None else f"{found.accuracy:.0%}"
    latency = "–" if found.median_latency_ms is None else f"{found.median_latency_ms:.1f} ms"
    unanswered = found.total - found.labelled
    return [
        ("Drawings", str(found.total), f"{found.challenge} in challenges"),
        ("Confirmed", str(found.confirmed), "the model was right"),
        ("Corrected", str(found.corrected), f"{unanswered} not answered"),
        ("Accuracy", accuracy, f"on {found.labelled} answered"),
        ("Median latency", latency, "drawing to answer"),
    ]


def draw_figures(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    """The cards side by side across `rect`."""
    cards = figures(found)
    gap = 10
    width = (rect.width - gap * (len(cards) - 1)) // len(cards)
    for index, (name, value, detail) in enumerate(cards):
        card = pygame.Rect(rect.x + index * (width + gap), rect.y, width, rect.height)
        if width < 130:
            name = {"Median latency": "Latency"}.get(name, name)
        look.panel(page, card, name)
        # A narrow window: what does not fit is cut at the card's edge, not drawn over the next.
        page.set_clip(card.inflate(-8, 0))
        size = 30 if look.font(30, "bold").size(value)[0] < width - 30 else 22
        look.text(page, value, (card.x + 16, card.y + 52), size, COLOURS[index], "bold", "midleft")
        look.text(page, detail, (card.x + 17, card.bottom - 8), 11, look.FAINT, anchor="bottomleft")
        page.set_clip(None)
