"""The drawing canvas as the playing scenes show and feed it (draw, numbers, challenge): framed
with rounded corners on screen; a left press on it starts a stroke, the mouse then leads the pen;
and a finished drawing recorded in the history."""

import numpy as np
import pygame

from game.canvas import Canvas
from game.reader import NOT_A_DIGIT
from game.scenes import look


def draw_canvas(
    surface: pygame.Surface,
    canvas: Canvas,
    rect: pygame.Rect,
    edge: tuple[int, int, int] = look.PANEL_EDGE,
    width: int = 2,
) -> None:
    """The canvas at `rect`; rounded corners: the background colour over its corners, then the
    frame (`edge` colour, `width` pixels)."""
    surface.blit(canvas.surface, rect)
    frame = rect.inflate(2, 2)
    pygame.draw.rect(surface, look.BACKGROUND, frame.inflate(8, 8), width=6, border_radius=16)
    pygame.draw.rect(surface, edge, frame, width=width, border_radius=12)


def pressed_on(event: pygame.event.Event, rect: pygame.Rect) -> bool:
    """A left press inside `rect` (a stroke starts there)."""
    return (
        event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and rect.collidepoint(event.pos)
    )


def start_stroke(
    canvas: Canvas, rect: pygame.Rect, position, brush: float, erasing: bool = False
) -> None:
    """Begin a stroke at a window `position` on the canvas shown at `rect`."""
    canvas.begin((position[0] - rect.x, position[1] - rect.y), brush, erasing)


def record_drawing(
    app, image, probabilities, digit: int | None, latency_ms: float, mode: str, label=None
) -> int:
    """Queue one read drawing for the history (the recorder's thread writes it); `image` in
    [0, 1] is kept as bytes, a drawing read as no digit as NOT_A_DIGIT. Returns the ticket."""
    info = getattr(app.predictor.classifier, "info", None)
    return app.recorder.add(
        model_sha256=str(getattr(info, "sha256", "")),
        image=np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8),
        probabilities=np.array(probabilities, dtype=np.float32),  # a copy for the thread
        prediction=NOT_A_DIGIT if digit is None else int(digit),
        latency_ms=float(latency_ms),
        mode=mode,
        label=label,
    )
