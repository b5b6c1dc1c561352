"""The statistics page's model card: which model plays, how it did on the MNIST test digits,
its facts (size, training date, epochs) and its training curves, from model.json."""

from datetime import datetime

import pygame

from game import charts
from game.scenes import look
from game.scenes.stat_charts import DIGIT_LABELS, centred


def draw_model_card(page: pygame.Surface, rect: pygame.Rect, card: dict, name: str) -> None:
    look.panel(page, rect, "The model")
    inner = rect.inflate(-36, 0)
    look.text(page, name, (inner.x, rect.y + 36), 18, look.TEXT, "bold")
    if not card:
        centred(page, rect, "This model has no model card (model.json).")
        return
    test = card.get("test") or {}
    accuracy = test.get("accuracy")
    y = rect.y + 66
    if accuracy is not None:
        look.text(page, f"{accuracy:.2%}", (inner.x, y), 38, look.ACCENT, "bold")
        look.text(page, "on the 10,000 MNIST test digits", (inner.x, y + 50), 12, look.MUTED)
    y += 76
    for fact, value in facts(card):
        look.text(page, fact, (inner.x, y), 13, look.MUTED)
        look.text(page, value, (inner.right, y), 13, look.TEXT, "bold", "topright")
        y += 21
    per_class = test.get("per_class_accuracy")
    if isinstance(per_class, list) and len(per_class) == 10:
        y = _draw_per_class(page, inner, y + 8, per_class)
    curves = card.get("history") or {}
    room = rect.bottom - 16 - y
    if curves.get("loss") and room > 120:
        _draw_curves(page, inner, y, (room - 2 * 22) // 2, curves)


def facts(card: dict) -> list[tuple[str, str]]:
    """(name, value) lines of the card: parameters, training date, epochs, the player's share."""
    found = []
    if card.get("parameters"):
        found.append(("Parameters", f"{int(card['parameters']):,}"))
    if card.get("created"):
        found.append(("Trained", _date(card["created"])))
    epochs = len((card.get("history") or {}).get("loss") or [])
    if epochs:
        seconds = card.get("training_seconds")
        took = f", {duration(seconds)}" if isinstance(seconds, int | float) else ""
        found.append(("Epochs", f"{epochs}{took}"))
    if card.get("user_drawings"):
        found.append(("Your drawings", str(card["user_drawings"])))
    return found


def _draw_per_class(page: pygame.Surface, inner: pygame.Rect, y: int, per_class: list) -> int:
    """The test accuracy per digit as bars; returns where the next part starts."""
    look.text(page, "PER DIGIT (MNIST TEST)", (inner.x, y), 11, look.MUTED, "bold")
    worst = min(per_class)
    # The axis starts a little under the weakest digit: at 99 % every bar would look alike.
    floor = max(0.0, int(worst * 100 - 1.5) / 100)
    look.text(page, f"from {floor:.0%}", (inner.right, y), 11, look.FAINT, anchor="topright")
    area = pygame.Rect(inner.x, y + 18, inner.width, 96)
    captions = [f"{value * 100:.1f}" for value in per_class]
    chart = charts.bar_chart(per_class, area.size, DIGIT_LABELS, captions, floor)
    page.blit(chart, area)
    return area.bottom + 10


def _draw_curves(page: pygame.Surface, inner: pygame.Rect, y: int, height: int, curves) -> None:
    """Loss and accuracy per epoch, training and validation, one chart under the other."""
    for title, key, axis in (("LOSS", "loss", "{:.2f}"), ("ACCURACY", "accuracy", "{:.1%}")):
        look.text(page, f"{title} PER EPOCH", (inner.x, y), 11, look.MUTED, "bold")
        legend_x = inner.right
        # The legend once, beside the first chart: both use the same colours.
        legend = () if key != "loss" else (("validation", look.AMBER), ("training", look.ACCENT))
        for label, colour in legend:
            width = look.text(page, label, (legend_x, y), 11, colour, "bold", "topright").width
            legend_x -= width + 12
        series = [
            (curves.get(key) or [], look.ACCENT),
            (curves.get(f"val_{key}") or [], look.AMBER),
        ]
        area = pygame.Rect(inner.x - 4, y + 18, inner.width + 4, height)
        page.blit(charts.line_chart(series, area.size, axis_format=axis), area)
        y = area.bottom + 4 + 22 - 18


def _date(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp


def duration(seconds: float) -> str:
    """'14 min 03 s': the launcher writes the card's training time the same way."""
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
