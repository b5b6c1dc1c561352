"""The statistics page below the top bar: where its parts go, and the page drawn once into a
surface when the numbers arrive (each frame then only blits it)."""

import pygame

from game.scenes import chrome, look
from game.scenes.model_card_panel import draw_model_card
from game.scenes.stat_cards import draw_figures
from game.scenes.stat_charts import draw_digits, draw_matrix, draw_recent

MARGIN = 24
TOP_BAR = 64
GAP = 14
NO_DRAWINGS = (
    "Press Start drawing on the title screen (Enter), draw a digit and press Enter to "
    "classify it, then say whether the model was right. Or play a Challenge (G). "
    "Your statistics appear here."
)


def stats_layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """Where the parts of the page go (pure; the page is redrawn for a new window size)."""
    width, height = max(size[0], 860), max(size[1], 600)
    top, bottom = TOP_BAR + 14, height - MARGIN
    card_width = int(min(max(width * 0.3, 256), 400))
    model = pygame.Rect(width - MARGIN - card_width, top, card_width, bottom - top)
    left = pygame.Rect(MARGIN, top, model.x - GAP - MARGIN, bottom - top)
    figures = pygame.Rect(left.x, left.y, left.width, 96)
    recent = pygame.Rect(left.x, left.bottom - 132, left.width, 132)
    middle_top = figures.bottom + GAP
    middle_height = recent.y - GAP - middle_top
    matrix_side = min(middle_height, int(left.width * 0.52))
    matrix = pygame.Rect(left.x, middle_top, matrix_side, middle_height)
    digits = pygame.Rect(matrix.right + GAP, middle_top, left.right - matrix.right - GAP, 0)
    digits.height = middle_height
    return {
        "top_bar": pygame.Rect(0, 0, width, TOP_BAR),
        "left": left,
        "figures": figures,
        "matrix": matrix,
        "digits": digits,
        "recent": recent,
        "model": model,
    }


def render_page(size: tuple[int, int], rects: dict, answer, card: dict, name: str):
    """Everything below the top bar, drawn once for these statistics (`answer`, done) and this
    size; the model card (`card` of the model file `name`) beside them."""
    page = pygame.Surface(size, pygame.SRCALPHA)
    draw_model_card(page, rects["model"], card, name)
    if answer.error:
        draw_message(page, rects["left"], "No statistics", answer.error, look.BAD)
        return page
    found = answer.value
    if found.total == 0:
        draw_message(page, rects["left"], "No drawings yet", NO_DRAWINGS, look.MUTED)
        return page
    draw_figures(page, rects["figures"], found)
    draw_matrix(page, rects["matrix"], found)
    draw_digits(page, rects["digits"], found)
    draw_recent(page, rects["recent"], found)
    return page


def draw_message(page: pygame.Surface, rect: pygame.Rect, title: str, message: str, colour) -> None:
    """A title and a message in place of the charts (no drawings yet, or no statistics)."""
    look.panel(page, rect)
    look.text(page, title, (rect.centerx, rect.centery - 50), 30, look.TEXT, "bold", "center")
    font = look.font(17)
    for index, line in enumerate(chrome.wrap(message, font, min(rect.width - 80, 560))):
        at = (rect.centerx, rect.centery - 10 + 26 * index)
        look.text(page, line, at, 17, colour, "regular", "midtop")
