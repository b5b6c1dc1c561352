"""Why it read what it read, in the draw scene: off until asked (X or the Why? button).

When on, the live predictor explains each drawing in its worker thread (game.explain) and this
view draws the result: the strokes that speak for the explained answer in teal, those against it
in red, the stroke or part the sentence is about ringed in amber, and the occlusion map over
"what the model sees". A click on a probability bar (or Shift and a digit) explains that digit
instead; the same again goes back to the answer. The scene hands over its events first and asks
for the overlays while it draws: everything else stays in the scene.
"""

import numpy as np
import pygame
import pygame_gui

from game.explain import NOT_A_DIGIT, Explanation, Piece
from game.predictor import Prediction
from game.scenes import look
from game.scenes.prediction_view import bar_digit_at, bars_rect

FOR, AGAINST = look.ACCENT, look.BAD
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): d for d in range(10)}
DIGIT_KEYS.update({getattr(pygame, f"K_KP{d}"): d for d in range(10)})
# The heat map's colours reach full strength at this change in probability or the largest
# change seen, whichever is more: a map of 1 % changes must not look like one of 90 %.
HEAT_FLOOR = 0.1


class ExplainView:
    def __init__(self, scene) -> None:
        self.scene = scene
        self.on = False
        self.digit: int | None = None  # the digit asked about; None: the answer
        self._overlay_key: tuple | None = None
        self._overlay: pygame.Surface | None = None

    @property
    def request(self) -> tuple[bool, int | None]:
        """What the predictor is asked to explain (LivePredictor.submit's explain, digit)."""
        return self.on, self.digit

    def build(self) -> None:
        card = self.scene.rects["prediction"]
        rect = pygame.Rect(card.right - 14 - 92, card.y + 6, 92, 28)
        tip = "Colour the strokes that decided the answer (X); click a bar for another digit"
        self.scene.button(rect, "Why?  X", "explain", "@tool", tip)
        self._select()

    # Input -------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when the event was the explanation's (the Why? button, X, Shift+digit, a bar)."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is not self.scene.widget_named("explain"):
                return False
            self.toggle()
        elif event.type == pygame.KEYDOWN:
            if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
                return False
            if event.key == pygame.K_x:
                self.toggle()
            elif event.key in DIGIT_KEYS and event.mod & pygame.KMOD_SHIFT:
                if self.scene.answering is not None:
                    return False  # the digit answers the question
                self.choose(DIGIT_KEYS[event.key])
            else:
                return False
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            digit = bar_digit_at(self.scene.rects["prediction"], event.pos)
            if digit is None or self.scene.canvas.is_empty:
                return False
            self.choose(digit)
        else:
            return False
        return True

    def toggle(self) -> None:
        self.on = not self.on
        self.digit = None
        self._ask_again()

    def choose(self, digit: int) -> None:
        """Explain `digit`; asked again for the same digit, explain the answer."""
        self.digit = None if (self.on and self.digit == digit) else digit
        self.on = True
        self._ask_again()

    def _ask_again(self) -> None:
        self.scene.submitted_version = -1  # the scene submits the strokes again next frame
        self._select()

    def _select(self) -> None:
        widget = self.scene.widget_named("explain")
        if widget is not None and widget.is_selected != self.on:
            widget.select() if self.on else widget.unselect()

    # Drawing -----------------------------------------------------------------------------------

    def explanation(self, prediction: Prediction | None) -> Explanation | None:
        """The explanation to show: on, for the strokes as they are, of something drawn."""
        if not self.on or prediction is None or prediction.explanation is None:
            return None
        if prediction.version != self.scene.canvas.version:
            return None  # the strokes moved on: old colours would sit on the wrong ink
        explanation = prediction.explanation
        return explanation if explanation.target is not None else None

    def draw_canvas(
        self, surface: pygame.Surface, canvas: pygame.Rect, prediction: Prediction | None
    ) -> None:
        explanation = self.explanation(prediction)
        if explanation is None:
            if self.on and not self.scene.canvas.is_empty:
                caption(surface, canvas, ["Why? Working it out…"], [])
            return
        key = (id(explanation), canvas.size)
        if key != self._overlay_key:
            self._overlay = stroke_overlay(explanation, canvas.size)
            self._overlay_key = key
        surface.blit(self._overlay, canvas)
        caption(surface, canvas, legend(explanation), [FOR, AGAINST])

    def model_input(self, prediction: Prediction | None) -> tuple:
        """(overlay, lines) for PredictionView.draw_model_input: the occlusion map and its key."""
        explanation = self.explanation(prediction)
        if explanation is None or explanation.heat is None:
            return None, None
        peak = float(np.abs(explanation.heat).max())
        what = name(explanation.target)
        lines = [
            "Covering the teal ink",
            f"lowers {what}, covering",
            "the red ink raises it:",
            f"by up to {peak:.0%}.",
        ]
        if peak < 0.01:
            lines = ["Covering any patch", f"changes {what}", "by less than 1%."]
        return heat_surface(explanation.heat), lines

    def draw_bars(self, surface: pygame.Surface, card: pygame.Rect, prediction) -> None:
        """Underline the digit being explained in the probability bars."""
        explanation = self.explanation(prediction)
        if explanation is None or explanation.target == NOT_A_DIGIT:
            return
        bars = bars_rect(card)
        slot = bars.width / 10
        centre = bars.x + slot * (explanation.target + 0.5)
        y = bars.bottom + 6
        pygame.draw.line(surface, look.AMBER, (centre - 9, y), (centre + 9, y), 2)


def name(target: int) -> str:
    return "not a digit" if target == NOT_A_DIGIT else f"the {target}"


def legend(explanation: Explanation) -> list[str]:
    """The caption under the drawing: what is explained, the colours, and the sentence."""
    answer = explanation.answer
    if explanation.target == NOT_A_DIGIT:
        title = "Why not a digit:"
    elif explanation.target == answer.digit:
        title = f"Why {explanation.target}:"
    else:
        title = f"Why not {explanation.target}:"
    lines = [f"{title}  teal speaks for {name(explanation.target)}, red against"]
    if explanation.sentence:
        lines.append(explanation.sentence)
    elif not any(p.speaks_for or p.speaks_against for p in explanation.pieces):
        lines.append("No stroke alone changes it much.")
    return lines


def caption(surface, canvas: pygame.Rect, lines: list[str], colours) -> None:
    height = 10 + 22 * len(lines)
    box = pygame.Rect(canvas.x + 10, canvas.bottom - 10 - height, canvas.width - 20, height)
    shade = pygame.Surface(box.size, pygame.SRCALPHA)
    shade.fill((*look.PANEL, 225))
    surface.blit(shade, box)
    for index, line in enumerate(lines):
        colour = look.TEXT if index == 0 else look.AMBER
        look.text(surface, line, (box.x + 12, box.y + 6 + 22 * index), 15, colour)


def stroke_overlay(explanation: Explanation, size: tuple[int, int]) -> pygame.Surface:
    """Colour over the canvas: whole strokes first, then the parts of long strokes over them,
    the piece the sentence is about ringed in amber beneath its colour."""
    overlay = pygame.Surface(size, pygame.SRCALPHA)
    deciding = explanation.deciding
    if deciding is not None:
        _polyline(overlay, deciding, (*look.AMBER, 230), deciding.width + 12)
    for piece in explanation.strokes + explanation.parts:
        if not (piece.speaks_for or piece.speaks_against):
            continue
        colour = FOR if piece.speaks_for else AGAINST
        alpha = int(90 + 140 * min(1.0, abs(piece.effect)))
        _polyline(overlay, piece, (*colour, alpha), max(piece.width * 0.7, 4))
    return overlay


def _polyline(surface: pygame.Surface, piece: Piece, colour, width: float) -> None:
    # Drawn on its own layer and then laid on: overlapping round joints must not add up.
    layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    points = [(float(x), float(y)) for x, y in piece.points]
    radius = max(int(width / 2), 2)
    opaque = (*colour[:3], 255)
    if len(points) > 1:
        pygame.draw.lines(layer, opaque, False, points, radius * 2)
    for point in points:
        pygame.draw.circle(layer, opaque, point, radius)
    layer.set_alpha(colour[3])
    surface.blit(layer, (0, 0))


def heat_surface(heat: np.ndarray) -> pygame.Surface:
    """The occlusion map as a 28x28 surface with alpha: teal where covering ink lowers the
    explained probability, red where it raises it, stronger for bigger changes."""
    scale = max(float(np.abs(heat).max()), HEAT_FLOOR)
    strength = np.clip(np.abs(heat) / scale, 0.0, 1.0).T  # surfarray is (x, y)
    rgb = np.where((heat.T > 0)[..., np.newaxis], FOR, AGAINST).astype(np.uint8)
    surface = pygame.Surface(heat.shape, pygame.SRCALPHA)
    pygame.surfarray.blit_array(surface, rgb)
    alpha = pygame.surfarray.pixels_alpha(surface)
    alpha[:] = (strength * 200).astype(np.uint8)
    del alpha  # releases the surface lock
    return surface
