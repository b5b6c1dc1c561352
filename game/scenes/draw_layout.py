"""Where the draw and number scenes put things, for any window size: pure functions, tested
on their own."""

import pygame

MINIMUM_SIZE = (860, 600)
MARGIN = 24
TOP_BAR = 64
HINT_BAR = 40
TOOLBAR = 48
GAP = 14


def layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """Where everything goes in a window of this size (pure: tested and reused on resize)."""
    # Below the window's minimum size (set by the app) the layout stays as at the minimum.
    width, height = max(size[0], MINIMUM_SIZE[0]), max(size[1], MINIMUM_SIZE[1])
    content_top, content_bottom = TOP_BAR + 12, height - HINT_BAR - 4
    side_width = int(min(max(width * 0.32, 300), 420))
    canvas_side = min(width - side_width - 3 * MARGIN, content_bottom - content_top - TOOLBAR - GAP)
    canvas_side = max(canvas_side, 200)
    left = (width - (canvas_side + MARGIN + side_width)) // 2
    canvas = pygame.Rect(left, content_top, canvas_side, canvas_side)
    toolbar = pygame.Rect(left, canvas.bottom + GAP, canvas_side, TOOLBAR)
    side = pygame.Rect(canvas.right + MARGIN, content_top, side_width, toolbar.bottom - content_top)
    classify = pygame.Rect(side.x, side.bottom - 52, side.width, 52)
    # The model's input is shown at a whole multiple of 28 pixels; the card fits it snugly.
    zoom = int(min(max((side.height * 0.34 - 58) // 28, 4), 6))
    sees_height = 28 * zoom + 58
    sees = pygame.Rect(side.x, classify.y - 12 - sees_height, side.width, sees_height)
    prediction = pygame.Rect(side.x, side.y, side.width, sees.y - 12 - side.y)
    answer = pygame.Rect(side.x, sees.y, side.width, side.bottom - sees.y)
    return {
        "canvas": canvas,
        "toolbar": toolbar,
        "prediction": prediction,
        "sees": sees,
        "classify": classify,
        "answer": answer,
        "top_bar": pygame.Rect(0, 0, width, TOP_BAR),
        "hints": pygame.Rect(0, height - HINT_BAR, width, HINT_BAR),
    }


def number_layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """The draw layout's parts for a wide canvas with the number and the question below it."""
    width, height = max(size[0], MINIMUM_SIZE[0]), max(size[1], MINIMUM_SIZE[1])
    content_top, content_bottom = TOP_BAR + 12, height - HINT_BAR - 4
    lower = 250
    canvas_height = max(content_bottom - content_top - TOOLBAR - 2 * GAP - lower, 180)
    canvas = pygame.Rect(MARGIN, content_top, width - 2 * MARGIN, canvas_height)
    toolbar = pygame.Rect(MARGIN, canvas.bottom + GAP, min(canvas.width, 640), TOOLBAR)
    below = toolbar.bottom + GAP
    side_width = int(min(max(width * 0.32, 300), 420))
    answer = pygame.Rect(width - MARGIN - side_width, below, side_width, content_bottom - below)
    classify = pygame.Rect(answer.x, answer.bottom - 52, side_width, 52)
    prediction = pygame.Rect(MARGIN, below, answer.x - 2 * MARGIN, answer.height)
    return {
        "canvas": canvas,
        "toolbar": toolbar,
        "prediction": prediction,
        "sees": prediction,
        "classify": classify,
        "answer": answer,
        "top_bar": pygame.Rect(0, 0, width, TOP_BAR),
        "hints": pygame.Rect(0, height - HINT_BAR, width, HINT_BAR),
    }
