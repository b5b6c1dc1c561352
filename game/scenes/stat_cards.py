"""The statistics page's figure cards: drawings, confirmed, corrected, accuracy and the median
answer time (the same name as in the launcher and the README)."""

import pygame

from game.scenes import chrome, look
from game.stats import Stats

# One colour per card, in the order of figures(): the good news green, the corrections amber.
COLOURS = (look.TEXT, look.GOOD, look.AMBER, look.ACCENT, look.TEXT)
NARROW = {"Median answer time": "Answer time"}
TITLE_ROOM = 18 + 8  # a card's title starts 18 px in; a little room after it


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
        ("Median answer time", latency, "from drawing to answer"),
    ]


def draw_figures(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    """The cards side by side across `rect`."""
    cards = figures(found)
    gap = 10
    even = (rect.width - gap * (len(cards) - 1)) // len(cards)
    names = [NARROW.get(name, name) if even < 160 else name for name, _, _ in cards]
    x = rect.x
    for index, ((_, value, detail), name, width) in enumerate(
        zip(cards, names, _widths(names, rect.width - gap * (len(cards) - 1)), strict=True)
    ):
        card = pygame.Rect(x, rect.y, width, rect.height)
        x += width + gap
        look.panel(page, card, name)
        # A narrow card takes its words on two lines, under a smaller figure.
        lines = chrome.wrap(detail, look.font(11), width - 30)
        small = len(lines) > 1 or look.font(30, "bold").size(value)[0] >= width - 30
        size, value_y = (22, card.y + 46) if small else (30, card.y + 52)
        look.text(page, value, (card.x + 16, value_y), size, COLOURS[index], "bold", "midleft")
        for number, line in enumerate(reversed(lines)):
            at = (card.x + 17, card.bottom - 8 - 14 * number)
            look.text(page, line, at, 11, look.FAINT, anchor="bottomleft")


def _widths(names: list[str], room: int) -> list[int]:
    """Equal cards when every title fits; else each as wide as its title needs, plus an even
    share of what is left (at 860x600 "ANSWER TIME" needs more than a fifth of the room)."""
    needs = [look.font(12, "bold").size(name.upper())[0] + TITLE_ROOM for name in names]
    even = room // len(names)
    if even >= max(needs):
        return [even] * len(names)
    extra = max(0, room - sum(needs)) // len(names)
    return [need + extra for need in needs]
