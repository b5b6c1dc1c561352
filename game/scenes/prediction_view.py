"""The live prediction as the player sees it: the digit in large type, its confidence, ten
probability bars, and what the model sees (the 28x28 input, enlarged). Reusable by any scene
that shows predictions (the draw scene, the challenge mode).
"""

import math

import numpy as np
import pygame

from game.contract import not_a_digit_share
from game.predictor import FAILED, LOADING, Prediction
from game.reader import MAYBE, SURE
from game.scenes import chrome, look

# How fast the bars glide to new values (per second); a quick ease reads as "live", not jumpy.
EASE_RATE = 14.0


class PredictionView:
    def __init__(self) -> None:
        self.bars = np.zeros(10, dtype=np.float32)
        self._image_key: int | None = None
        self._image_surface: pygame.Surface | None = None
        self.clock = 0.0

    def update(self, dt: float, prediction: Prediction | None) -> None:
        self.clock += dt
        target = np.zeros(10, dtype=np.float32)
        if prediction is not None and prediction.probabilities is not None:
            target = prediction.probabilities
        self.bars += (target - self.bars) * min(1.0, dt * EASE_RATE)

    # The prediction card -----------------------------------------------------------------------

    def draw_prediction(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        prediction: Prediction | None,
        state: str,
        stale: bool = False,
    ) -> None:
        look.panel(surface, rect, "Prediction")
        bars = bars_rect(rect)
        hero = pygame.Rect(bars.x, rect.y + 38, bars.width, bars.y - 4 - rect.y - 38)
        if state == LOADING:
            self._draw_loading(surface, hero)
        elif state == FAILED:
            look.text(
                surface,
                "The model could not be loaded",
                hero.center,
                18,
                look.BAD,
                "bold",
                "center",
            )
        elif prediction is None or prediction.probabilities is None:
            self._draw_hero(surface, hero, "?", look.FAINT, "Draw a digit", "on the canvas")
        else:
            glyph, colour, title, detail = verdict(prediction)
            timing = "updating…" if stale else f"answered in {prediction.latency_ms:.1f} ms"
            self._draw_hero(surface, hero, glyph, colour, title, detail, timing)
        self._draw_bars(surface, bars, prediction)

    def _draw_hero(
        self, surface, rect, digit: str, colour, title: str, detail: str, timing: str = ""
    ) -> None:
        size = max(48, min(int(rect.height * 1.05), 150))
        digit_box = pygame.Rect(rect.x, rect.y, int(size * 0.8), rect.height)
        look.text(surface, digit, digit_box.center, size, colour, "bold", "center")
        text_x = digit_box.right + 18
        look.text(surface, title, (text_x, rect.centery - 4), 26, look.TEXT, "bold", "bottomleft")
        look.text(surface, detail, (text_x, rect.centery + 6), 15, look.MUTED, "regular", "topleft")
        if timing and rect.height >= 96:
            look.text(surface, timing, (text_x, rect.centery + 28), 13, look.FAINT)

    def _draw_loading(self, surface, rect) -> None:
        centre = (rect.x + 44, rect.centery)
        # A spinning arc: the window is alive while the model loads in the background.
        angle = self.clock * 5.0
        arc = pygame.Rect(0, 0, 52, 52)
        arc.center = centre
        pygame.draw.circle(surface, look.BAR_TRACK, centre, 26, 5)
        pygame.draw.arc(surface, look.ACCENT, arc, angle, angle + math.pi * 0.6, 5)
        look.text(
            surface,
            "Loading model",
            (rect.x + 92, rect.centery - 4),
            24,
            look.TEXT,
            "bold",
            "bottomleft",
        )
        look.text(
            surface,
            "You can start drawing",
            (rect.x + 92, rect.centery + 6),
            15,
            look.MUTED,
            "regular",
            "topleft",
        )

    def _draw_bars(self, surface, rect, prediction: Prediction | None) -> None:
        label_height = 22
        chart = pygame.Rect(rect.x, rect.y, rect.width, rect.height - label_height)
        slot = rect.width / 10
        bar_width = max(6, int(slot * 0.56))
        best = prediction.digit if prediction is not None else None
        for digit in range(10):
            centre_x = rect.x + slot * (digit + 0.5)
            track = pygame.Rect(0, chart.y, bar_width, chart.height)
            track.centerx = round(centre_x)
            pygame.draw.rect(surface, look.BAR_TRACK, track, border_radius=4)
            value = float(np.clip(self.bars[digit], 0.0, 1.0))
            height = round(value * chart.height)
            if height >= 2:
                fill = pygame.Rect(track.x, track.bottom - height, bar_width, height)
                colour = look.ACCENT if digit == best else look.BAR_FILL
                pygame.draw.rect(surface, colour, fill, border_radius=4)
            label_colour = look.TEXT if digit == best else look.MUTED
            weight = "bold" if digit == best else "regular"
            look.text(
                surface,
                str(digit),
                (centre_x, chart.bottom + 3),
                15,
                label_colour,
                weight,
                "midtop",
            )

    # What the model sees -----------------------------------------------------------------------

    def draw_model_input(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        prediction: Prediction | None,
        overlay: pygame.Surface | None = None,
        lines: list[str] | None = None,
    ) -> None:
        """The model's input; `overlay` (28x28, with alpha) is laid over it and `lines` replace
        the words beside it (the explanation's heat map and legend)."""
        look.panel(surface, rect, "What the model sees")
        side = max(28, (min(rect.height - 56, rect.width // 2) // 28) * 28)
        box = pygame.Rect(rect.x + 18, rect.y + 38, side, side)
        image = None if prediction is None else prediction.image
        pygame.draw.rect(surface, look.PAPER, box)
        if image is not None:
            surface.blit(self._input_surface(prediction, side), box)
            if overlay is not None:
                surface.blit(pygame.transform.scale(overlay, (side, side)), box)
        pygame.draw.rect(surface, look.PANEL_EDGE, box.inflate(2, 2), width=1)
        text_x = box.right + 16
        if image is None:
            lines = ["Nothing to classify yet: an empty canvas or a dot is skipped."]
        elif lines is None:
            lines = ["Your strokes redrawn at 28 × 28 pixels, centred like MNIST."]
        # Wrapped to the card: a narrow window leaves less room beside the image.
        font, room = look.font(15), rect.right - 14 - text_x
        wrapped = [part for line in lines for part in chrome.wrap(line, font, room)]
        for index, line in enumerate(wrapped):
            look.text(surface, line, (text_x, box.y + 2 + index * 21), 15, look.MUTED)

    def _input_surface(self, prediction: Prediction, side: int) -> pygame.Surface:
        key = (prediction.version, id(prediction.image), side)
        if key != self._image_key:
            grey = (np.clip(prediction.image, 0.0, 1.0) * 255).astype(np.uint8)
            rgb = np.repeat(grey.T[:, :, np.newaxis], 3, axis=2)
            small = pygame.surfarray.make_surface(rgb)
            self._image_surface = pygame.transform.scale(small, (side, side))
            self._image_key = key
        return self._image_surface


def bars_rect(rect: pygame.Rect) -> pygame.Rect:
    """Where the probability bars and their digit labels are in a prediction card at `rect`."""
    bars_height = max(70, min(220, int(rect.height * 0.45)))
    inner = rect.inflate(-36, 0)
    return pygame.Rect(inner.x, rect.bottom - 14 - bars_height, inner.width, bars_height)


def bar_digit_at(rect: pygame.Rect, position: tuple[int, int]) -> int | None:
    """The digit whose bar (or label) is at `position` in a prediction card at `rect`."""
    bars = bars_rect(rect)
    if not bars.collidepoint(position):
        return None
    return min(int((position[0] - bars.x) * 10 // bars.width), 9)


def verdict(prediction: Prediction) -> tuple[str, tuple[int, int, int], str, str]:
    """What the card says about a drawn prediction: the big glyph, its colour, a title and a
    detail line. Sure answers are stated, doubtful ones name their alternative (another digit,
    or "not a digit" when that is likelier), and a drawing that is no digit is called that."""
    digit, confidence = prediction.digit, prediction.confidence
    if digit is None:
        return "?", look.AMBER, "Not a digit", f"{confidence:.0%} sure it is none"
    order = [int(d) for d in np.argsort(prediction.probabilities)[::-1] if d != digit]
    runner_up = order[0]
    share = float(prediction.probabilities[runner_up])
    if confidence >= SURE:
        return (
            str(digit),
            look.ACCENT,
            f"{confidence:.0%} sure",
            f"next: {runner_up} at {share:.0%}",
        )
    colour = look.AMBER if confidence >= 0.5 else look.BAD
    none = not_a_digit_share(prediction.probabilities)
    if none >= MAYBE and none >= share:
        detail = f"{digit} {confidence:.0%}, not a digit {none:.0%}"
        return str(digit), colour, "or not a digit", detail
    if share >= MAYBE:
        return (
            str(digit),
            colour,
            f"or maybe {runner_up}",
            f"{digit} {confidence:.0%}, {runner_up} {share:.0%}",
        )
    return str(digit), colour, "not sure", f"{confidence:.0%} sure"
