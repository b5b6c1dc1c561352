"""What the challenge scene draws besides the prediction card (challenge_reading's): its layout
and tools, the canvas with the round's verdict, the prompt (the asked digit in a ring that
empties as time runs out, the score) and the hints."""

import math

import pygame

from game.canvas import Canvas
from game.challenge import LOST, SKIPPED, TIMED_OUT, WON, Challenge, RoundResult, Settings
from game.scenes import look
from game.scenes.canvas_panel import draw_canvas
from game.scenes.draw_layout import layout

HINTS = "Draw the digit asked   ·   Backspace clear   ·   Ctrl+Z undo   ·   N skip the round   ·   H help   ·   Esc menu"  # noqa: E501
TOOLS = (
    ("undo", "Undo", "Undo the last stroke (Ctrl+Z)"),
    ("clear", "Clear", "Clear the canvas (Backspace)"),
    ("skip", "Skip round", "Give this digit up (N)"),
)
# The row of figures at the bottom of the prompt card, with the rule above it.
FIGURES_HEIGHT = 64
OUTCOME_TEXT = {
    WON: "Got it!",
    LOST: "Time's up",
    TIMED_OUT: "Time's up",
    SKIPPED: "Skipped",
}


def challenge_layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """The draw scene's canvas and column, the column split into the prompt and the prediction."""
    rects = layout(size)
    side = rects["prediction"].union(rects["classify"])
    prompt = pygame.Rect(side.x, side.y, side.width, int(side.height * 0.42))
    prediction = pygame.Rect(
        side.x, prompt.bottom + 12, side.width, side.bottom - prompt.bottom - 12
    )
    rects.update(prompt=prompt, prediction=prediction, side=side)
    return rects


def draw_round_canvas(
    surface: pygame.Surface,
    canvas: Canvas,
    rect: pygame.Rect,
    challenge: Challenge | None,
    result: RoundResult | None,
) -> None:
    """The canvas framed in the round's colour once it is decided, with what it asks for."""
    edge = look.PANEL_EDGE
    if result is not None:
        edge = look.GOOD if result.won else look.BAD
    draw_canvas(surface, canvas, rect, edge, 2 if result is None else 4)
    if challenge is None:
        look.text(surface, "Loading the model…", rect.center, 28, look.FAINT, "bold", "center")
    elif result is not None:
        draw_verdict(surface, rect, result)
    elif canvas.is_empty:
        asked = f"Draw {look.a_digit(challenge.asked)} here"
        if challenge.number_round:
            asked = f"Write {challenge.asked_number} here, in one go"
        look.text(surface, asked, rect.center, 30, look.FAINT, "bold", "center")


def draw_verdict(surface: pygame.Surface, canvas: pygame.Rect, result: RoundResult) -> None:
    colour = look.GOOD if result.won else look.BAD
    title = OUTCOME_TEXT[result.outcome]
    if result.won:
        detail = f"+{result.points} points in {result.seconds:.1f} s"
    elif result.read_text is not None:
        detail = f"the model read {_named(result.read_text)}, not {_named(result.asked_text)}"
    else:
        detail = f"no {result.asked_text} drawn"
    box = pygame.Rect(0, 0, min(canvas.width - 60, 420), 112)
    box.midbottom = (canvas.centerx, canvas.bottom - 24)
    card = pygame.Surface(box.size, pygame.SRCALPHA)
    pygame.draw.rect(card, (*look.BACKGROUND, 225), card.get_rect(), border_radius=18)
    pygame.draw.rect(card, colour, card.get_rect(), 2, border_radius=18)
    surface.blit(card, box)
    look.text(surface, title, (box.centerx, box.y + 38), 34, colour, "bold", "center")
    look.text(surface, detail, (box.centerx, box.y + 82), 16, look.TEXT, "regular", "center")


def draw_prompt(
    surface: pygame.Surface,
    rect: pygame.Rect,
    challenge: Challenge | None,
    settings: Settings,
    result: RoundResult | None,
) -> None:
    number = 1 if challenge is None else challenge.round_number
    look.panel(surface, rect, f"Round {number} of {settings.rounds}")
    if challenge is None:
        return
    inner = rect.inflate(-36, 0)
    remaining = challenge.remaining()
    if result is not None:
        remaining = max(0.0, settings.seconds - result.seconds)
    colour = look.ACCENT if remaining > 8 else look.AMBER if remaining > 4 else look.BAD
    # Between the card's title and the row of figures: the ring, and the words beside it.
    band = pygame.Rect(inner.x, rect.y + 40, inner.width, rect.height - 40 - FIGURES_HEIGHT)
    radius = int(max(30, min(band.height // 2 - 4, 68)))
    ring = pygame.Rect(0, 0, 2 * radius, 2 * radius)
    ring.midleft = (band.x + 4, band.centery)
    _draw_ring(surface, ring, challenge.asked_text, remaining / settings.seconds, colour)
    text_x = ring.right + 22
    verb = "Write" if challenge.number_round else f"Draw {look.a_digit(challenge.asked).split()[0]}"
    lines = (
        (verb, 20, look.MUTED, "regular"),
        (f"{remaining:4.1f} s", 34 if band.height >= 120 else 28, colour, "bold"),
        (f"needs {settings.threshold:.0%} sure", 13, look.FAINT, "regular"),
    )
    heights = [look.font(size, weight).get_ascent() + 6 for _, size, _, weight in lines]
    y = band.centery - sum(heights) // 2
    for (words, size, line_colour, weight), height in zip(lines, heights, strict=True):
        look.text(surface, words, (text_x, y + height // 2), size, line_colour, weight, "midleft")
        y += height
    # The asked digit ends the first line, standing out.
    prefix = look.font(20).size(lines[0][0] + " ")[0]
    first = band.centery - sum(heights) // 2 + heights[0] // 2
    asked = challenge.asked_text
    look.text(surface, asked, (text_x + prefix, first), 24, look.ACCENT, "bold", "midleft")
    _draw_figures(surface, rect, inner, challenge)


def _draw_ring(surface, ring: pygame.Rect, asked: str, share: float, colour) -> None:
    """The asked digit (or number) inside a ring that empties as the time runs out."""
    radius = ring.width // 2
    pygame.draw.circle(surface, look.BAR_TRACK, ring.center, radius, 8)
    if share > 0:
        start = math.pi / 2
        pygame.draw.arc(surface, colour, ring, start, start + 2 * math.pi * share, 8)
    look.region(surface, ring, "timer ring")
    # A number's digits share the ring: the longer the number, the smaller they are drawn.
    size = int(radius * 1.25 / max(1.0, 0.55 * len(asked)))
    look.text(surface, asked, ring.center, size, look.TEXT, "bold", "center")


def _draw_figures(surface, rect: pygame.Rect, inner: pygame.Rect, challenge: Challenge) -> None:
    """Score, streak and the number of wins, in a row of small figures."""
    row_y = rect.bottom - 46
    pygame.draw.line(surface, look.PANEL_EDGE, (inner.x, row_y - 10), (inner.right, row_y - 10))
    look.region(surface, pygame.Rect(inner.x, row_y - 10, inner.width, 1), "divider")
    figures = (
        ("Score", str(challenge.score)),
        ("Streak", str(challenge.streak)),
        ("Won", f"{challenge.wins}/{len(challenge.results)}"),
    )
    width = inner.width // len(figures)
    for index, (name, value) in enumerate(figures):
        x = inner.x + index * width
        look.text(surface, name.upper(), (x, row_y), 11, look.MUTED, "bold")
        look.text(surface, value, (x, row_y + 14), 20, look.TEXT, "bold")


def _named(text: str) -> str:
    """A digit as it is said ("an 8"); a number as it is written ("2026")."""
    return look.a_digit(int(text)) if len(text) == 1 and text.isdigit() else text
