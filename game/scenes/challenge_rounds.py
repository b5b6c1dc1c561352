"""A challenge round's bookkeeping outside its scene: the guess a reading offers, every round's
drawing recorded in the history (mode 'challenge').

Only a won round labels its drawing, with the asked digit: the model read that digit, and only
once the pen was up, so the drawing was finished; a lost or skipped round's drawing is kept
unlabelled, since nobody said what it is. A "write this number" round is recorded as number
mode records numbers, each digit with its strokes; only a won round labels it, with the number
asked."""

from game.challenge import Guess, RoundResult
from game.number_history import add_number, set_number_label
from game.predictor import Prediction
from game.scenes.canvas_panel import record_drawing


def guess_from(prediction: Prediction, number_round: bool) -> Guess | None:
    """What a reading offers the round; None when it was read for the other kind of round."""
    number = prediction.number
    if number_round != (number is not None):
        return None
    if number is not None:
        confidence, latency = number.confidence, number.latency_ms
        return Guess(None, confidence, latency_ms=latency, text=number.text, number=number)
    return Guess(
        prediction.digit,
        prediction.confidence,
        prediction.image,
        prediction.probabilities,
        prediction.latency_ms,
    )


def record_round(app, result: RoundResult) -> None:
    """Queue the round's drawing for the history, labelled only when the round was won."""
    guess = result.guess
    if result.asked_number is not None:
        _record_number(app, result)
        return
    if guess is None or guess.image is None or guess.probabilities is None:
        return  # nothing was drawn: nothing to keep
    label = result.asked if result.won else None
    read = (guess.image, guess.probabilities, guess.digit, guess.latency_ms)
    record_drawing(app, *read, "challenge", label)


def _record_number(app, result: RoundResult) -> None:
    """A number round's writing goes where number mode's numbers go, its digits with their
    strokes; only a won round labels it with the number asked (read as asked, pen up)."""
    number = result.guess.number if result.guess is not None else None
    if number is None or not number.found:
        return  # nothing was written: nothing to keep
    info = getattr(app.predictor.classifier, "info", None)
    sha256 = str(getattr(info, "sha256", ""))
    label = result.asked_number if result.won else None

    def record(history) -> int:
        number_id = add_number(history, number, sha256, mode="challenge")
        if label is not None:
            set_number_label(history, number_id, label)
        return number_id

    app.recorder.ask(record)
