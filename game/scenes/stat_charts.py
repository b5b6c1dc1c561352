"""The statistics page's charts of the player's drawings: the confusion matrix, the accuracy per
digit with its trend, and the latest drawings. The drawing itself is game.charts'."""

import math

import pygame

from game import charts
from game.scenes import chrome, look
from game.stats import TREND_FROM, Stats

DIGIT_LABELS = [str(d) for d in range(10)]


def draw_matrix(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    look.panel(page, rect, "Confusion matrix")
    area = rect.inflate(-24, 0)
    area.y, area.height = rect.y + 38, rect.height - 46
    if found.labelled == 0:
        centred(page, area, "Answer the model's question after Classify to fill this in.")
        return
    surface = charts.heat_map(found.confusion, area.size, "you said", "model said")
    page.blit(surface, area)


def draw_digits(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    """Accuracy per digit as bars, the challenge's best score, and the accuracy over time."""
    look.panel(page, rect, "Accuracy per digit")
    if found.best_score is not None:
        _draw_best_score(page, rect, found)
    counts = found.per_digit()
    captions = [f"{right}/{count}" if count else "–" for right, count in counts]
    trend_height = 0 if not found.trend else min(120, rect.height // 3)
    bars = pygame.Rect(rect.x + 14, rect.y + 40, rect.width - 28, 0)
    bars.height = rect.height - 52 - (trend_height + 28 if trend_height else 24)
    chart = charts.bar_chart(found.digit_accuracy(), bars.size, DIGIT_LABELS, captions)
    page.blit(chart, bars)
    if trend_height:
        _draw_trend(page, rect, found, bars.bottom + 14, trend_height)
    else:
        # Why there is no chart over time yet, and when there will be.
        note = f"Accuracy over time: from {TREND_FROM} answered drawings ({found.labelled} so far)"
        if look.font(11).size(note)[0] > rect.width - 36:
            note = f"Trend from {TREND_FROM} answered ({found.labelled} so far)"
        look.text(page, note, (rect.x + 18, rect.bottom - 12), 11, look.FAINT, anchor="bottomleft")


def _draw_best_score(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    games = f"{found.challenges} game" + ("s" if found.challenges != 1 else "")
    best = f"challenge best {found.best_score} ({games})"
    title = look.font(12, "bold").size("ACCURACY PER DIGIT")[0]
    for shorter in (f"challenge best {found.best_score}", f"best {found.best_score}"):
        if title + look.font(11, "bold").size(best)[0] + 50 <= rect.width:
            break
        best = shorter
    look.text(page, best, (rect.right - 18, rect.y + 14), 11, look.AMBER, "bold", "topright")


def _draw_trend(page: pygame.Surface, rect: pygame.Rect, found: Stats, y: int, height: int) -> None:
    look.text(page, "ACCURACY OVER TIME", (rect.x + 18, y), 11, look.MUTED, "bold")
    first, last = found.trend[0], found.trend[-1]
    change = f"from {first:.0%} to {last:.0%}"
    if look.font(11, "bold").size(change + "ACCURACY OVER TIME")[0] + 60 < rect.width:
        look.text(page, change, (rect.right - 18, y), 11, look.MUTED, "bold", "topright")
    area = pygame.Rect(rect.x + 10, y + 16, rect.width - 24, height - 4)
    # The axis from a round ten under the lowest point: on 0-100 % a model that is
    # right most of the time would draw a flat line at the top.
    low = max(0.0, math.floor((min(found.trend) - 0.05) * 10) / 10)
    line = charts.line_chart(
        [(found.trend, look.ACCENT)], area.size, low, 1.0, "{:.0%}", "oldest to newest"
    )
    page.blit(line, area)


def draw_recent(page: pygame.Surface, rect: pygame.Rect, found: Stats) -> None:
    """The latest drawings as thumbnails, each captioned with what the model and player said."""
    look.panel(page, rect, "Latest drawings")
    legend = "model said · you said  ·  dot: a challenge drawing"
    x = rect.x + 18 + look.font(12, "bold").size("LATEST DRAWINGS")[0] + 14
    if x + look.font(11).size(legend)[0] > rect.right - 180:
        legend = "model said · you said"  # the Export button needs the room
    look.text(page, legend, (x, rect.y + 15), 11, look.FAINT)
    side = 56
    step = side + 18
    x = rect.x + 18
    for drawing in found.recent:
        if x + side > rect.right - 12:
            break
        box = pygame.Rect(x, rect.y + 38, side, side)
        page.blit(charts.thumbnail(drawing.image, side), box)
        if drawing.label is None:
            colour, caption = look.MUTED, f"{drawing.read_as} · ?"
        else:
            colour = look.GOOD if drawing.label == drawing.prediction else look.BAD
            caption = f"{drawing.read_as} · {drawing.label}"
        pygame.draw.rect(page, colour, box.inflate(2, 2), 1)
        look.text(page, caption, (box.centerx, box.bottom + 6), 13, colour, "bold", "midtop")
        if drawing.mode == "challenge":
            pygame.draw.circle(page, look.AMBER, (box.right - 5, box.y + 5), 3)
        x += step


def centred(page: pygame.Surface, rect: pygame.Rect, message: str) -> None:
    """A short message in the middle of an empty chart's place."""
    font = look.font(14)
    lines = chrome.wrap(message, font, rect.width - 40)
    for index, line in enumerate(lines):
        y = rect.centery - 11 * len(lines) + 22 * index
        look.text(page, line, (rect.centerx, y), 14, look.MUTED, "regular", "midtop")
