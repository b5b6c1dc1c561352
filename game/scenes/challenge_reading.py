"""What the challenge's prediction card shows: the live reading, or once a round is over the
reading that decided it; in a digit round the bars with a mark at the threshold on the asked
digit's, in a number round the number read against the number asked."""

import pygame

from game.challenge import Challenge, RoundResult, Settings
from game.predictor import Prediction
from game.scenes import look
from game.scenes.prediction_view import PredictionView, bars_rect
from game.segment import Number


def draw_reading(
    surface: pygame.Surface,
    rect: pygame.Rect,
    view: PredictionView,
    challenge: Challenge | None,
    settings: Settings,
    reading: tuple[Prediction | None, RoundResult | None, str],
) -> None:
    """The card at `rect`; `reading` is the live prediction, the last round's result and the
    model's state."""
    prediction, last, state = reading
    shown, number = shown_reading(prediction, last)
    if challenge is not None and challenge.number_round:
        asked, threshold = challenge.asked_number, settings.threshold
        draw_number_reading(surface, rect, number, asked, threshold)
    else:
        view.draw_prediction(surface, rect, shown, state)
        if challenge is not None and challenge.asked is not None:
            draw_goal(surface, rect, challenge.asked, settings.threshold)


def shown_reading(
    prediction: Prediction | None, last: RoundResult | None
) -> tuple[Prediction | None, Number | None]:
    """What the prediction card shows: the live reading, or once a round is over the reading
    that decided it; as a digit's prediction and as a number."""
    shown = prediction
    number = prediction.number if prediction is not None else None
    if last is not None and last.guess is not None:
        guess = last.guess
        if guess.probabilities is not None:
            shown = Prediction(-1, guess.image, guess.probabilities, guess.latency_ms)
        number = guess.number
    return shown, number


def draw_number_reading(
    surface: pygame.Surface, rect: pygame.Rect, number: Number | None, asked: str, threshold: float
) -> None:
    """In a number round, the prediction card says what the model reads, digit by digit, and
    how sure it is of the whole number against the threshold."""
    look.panel(surface, rect, f"Write {asked}")
    centre_x = rect.centerx
    if number is None or not number.found:
        look.text(surface, "…", (centre_x, rect.y + 90), 40, look.FAINT, "bold", "center")
    else:
        colour = look.GOOD if number.text == asked else look.TEXT
        look.text(surface, number.text, (centre_x, rect.y + 90), 48, colour, "bold", "center")
        sure = f"{number.confidence:.0%} sure of every digit"
        look.text(surface, sure, (centre_x, rect.y + 134), 15, look.MUTED, "regular", "center")
    needed = f"needs the whole number, {threshold:.0%} sure"
    look.text(surface, needed, (centre_x, rect.y + 160), 13, look.FAINT, "regular", "center")


def draw_goal(surface: pygame.Surface, rect: pygame.Rect, asked: int, threshold: float) -> None:
    """A mark at the threshold on the asked digit's bar of the prediction card at `rect`: how
    high it must go; the digit's label ringed, so the eye finds its bar at once."""
    bars = bars_rect(rect)
    chart_height = bars.height - 22  # the digit labels take the rest
    slot = bars.width / 10
    centre_x = bars.x + slot * (asked + 0.5)
    half = max(6, int(slot * 0.56)) // 2 + 5
    y = round(bars.y + chart_height * (1 - threshold))
    pygame.draw.line(surface, look.AMBER, (centre_x - half, y), (centre_x + half, y), 2)
    label_centre = (round(centre_x), bars.y + chart_height + 13)
    pygame.draw.circle(surface, look.AMBER, label_centre, 12, 2)
