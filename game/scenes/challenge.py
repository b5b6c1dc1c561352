"""Challenge mode: "Draw a 7" against the clock, ten rounds, then the results.

The rules are game.challenge's; this scene feeds it the live predictions and the canvas, shows
the countdown, and records every round's drawing in the history (mode 'challenge'). Only a won
round labels its drawing, with the asked digit: the model read that digit, and only once the pen
was up, so the drawing was finished; a lost or skipped round's drawing is kept unlabelled, since
nobody said what it is. A "write this number" round is read as a whole number (game.segment)
and recorded as number mode records numbers, each digit with its strokes; only a won round
labels it, with the number asked. Settings come from the scene's parameters (tests, callers) or the
environment (DIGITS_CHALLENGE_SECONDS, DIGITS_CHALLENGE_THRESHOLD, DIGITS_CHALLENGE_ROUNDS,
DIGITS_CHALLENGE_NUMBER_EVERY).
"""

import time

import pygame
import pygame_gui

from game.canvas import Canvas
from game.challenge import Challenge, Guess, RoundResult
from game.number_history import add_number, set_number_label
from game.predictor import READY, Prediction
from game.scenes import chrome, look
from game.scenes.base import Scene
from game.scenes.buttons import menu_and_help, tool_row
from game.scenes.canvas_panel import pressed_on, record_drawing, start_stroke
from game.scenes.challenge_panels import (
    challenge_layout,
    draw_goal,
    draw_number_reading,
    draw_prompt,
    draw_round_canvas,
)
from game.scenes.challenge_setup import record_score, settings_from
from game.scenes.confirm import Confirm
from game.scenes.prediction_view import PredictionView

BRUSH = 20
PAUSE_SECONDS = 1.4  # the round's result stays on screen this long before the next digit
HINTS = "Draw the digit asked   ·   Backspace clear   ·   Ctrl+Z undo   ·   N skip the round   ·   H help   ·   Esc menu"  # noqa: E501
TOOLS = (
    ("undo", "Undo", "Undo the last stroke (Ctrl+Z)"),
    ("clear", "Clear", "Clear the canvas (Backspace)"),
    ("skip", "Skip round", "Give this digit up (N)"),
)
# Keys that do what a button does, by the button's name (Ctrl+Z apart).
DIGIT_KEYS = {getattr(pygame, f"K_{d}") for d in range(10)}
DIGIT_KEYS |= {getattr(pygame, f"K_KP{d}") for d in range(10)}
KEY_ACTIONS = {
    **dict.fromkeys((pygame.K_BACKSPACE, pygame.K_r, pygame.K_DELETE), "clear"),
    pygame.K_n: "skip",
    **dict.fromkeys((pygame.K_h, pygame.K_F1), "help"),
    pygame.K_ESCAPE: "menu",
}


class ChallengeScene(Scene):
    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.settings, problem = settings_from(params)
        self.clock = params.get("clock", time.monotonic)
        self.rng = params.get("rng")
        self.rects = challenge_layout(app.size)
        self.canvas = Canvas(self.rects["canvas"].size, look.PAPER, look.TEXT)
        self.view = PredictionView()
        self.prediction: Prediction | None = None
        self.submitted_version = -1
        self.round_version = 0  # predictions for older canvases belong to an earlier round
        self.challenge: Challenge | None = None
        self.last_result: RoundResult | None = None
        self.next_round_at = 0.0
        self.toast = chrome.Toast()
        self.best_answer = None
        self._paused_at: float | None = None
        self.asking = Confirm()
        if problem:
            self.toast.show(problem, look.AMBER, 6.0)

    # Widgets -----------------------------------------------------------------------------------

    def build(self) -> None:
        self.rects = challenge_layout(self.app.size)
        self.canvas.resize(self.rects["canvas"].size)
        bar = self.rects["toolbar"]
        gap = 8
        tool_row(self, bar, TOOLS, (bar.width - 2 * gap) // 3, gap)
        menu_and_help(self, self.rects["top_bar"], "Keys (H)", "Esc")

    def pause(self, covered: bool = True) -> None:
        super().pause(covered)
        self._paused_at = self.clock()

    def resume(self) -> None:
        super().resume()
        # The help was open: the time it was up is not taken from the round.
        paused_at = self._paused_at
        if paused_at is not None and self.challenge is not None:
            away = self.clock() - paused_at
            self.challenge.started_at += away
            self.next_round_at += away
        self._paused_at = None

    # Input -------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self._act(event.ui_element.get_object_ids()[-1].lstrip("#"))
        if event.type == pygame.KEYDOWN:
            ctrl = bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
            if event.key == pygame.K_z and ctrl:
                return self._act("undo")
            if event.key in DIGIT_KEYS:
                # Typing is how the draw screen answers; here the drawing is the answer.
                message = "No need to type: draw the digit, it is read when you lift the pen"
                self.toast.show(message, look.AMBER)
                return True
            return event.key in KEY_ACTIONS and self._act(KEY_ACTIONS[event.key])
        return self._mouse(event)

    def _act(self, name: str) -> bool:
        action = {
            "undo": self.canvas.undo,
            "clear": self.clear,
            "skip": self.skip,
            "help": lambda: self.app.push("help"),
            "menu": self.go_back,
        }.get(name)
        if action is None:
            return False
        action()
        return True

    def _mouse(self, event: pygame.event.Event) -> bool:
        canvas = self.rects["canvas"]
        playing = self.challenge is not None and self.challenge.playing
        if playing and pressed_on(event, canvas):
            self.asking.withdraw(self.toast)
            start_stroke(self.canvas, canvas, event.pos, BRUSH)
            return True
        return self.canvas.follow(event, canvas.topleft)

    # Actions -----------------------------------------------------------------------------------

    def clear(self) -> None:
        self.canvas.clear(undoable=True)

    def go_back(self) -> None:
        """Back to the title: a game in progress is abandoned then, so ask first."""
        question = "Press Esc again (or Menu) to abandon this challenge: it will not be scored"
        playing = self.challenge is not None and not self.challenge.finished
        if not playing or self.asking.ask("leave", question, self.toast):
            self.app.pop()

    def skip(self) -> None:
        if self.challenge is not None:
            result = self.challenge.skip()
            if result is not None:
                self._round_over(result)

    # Per frame ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        predictor = self.app.predictor
        if self.challenge is None:
            if predictor.state != READY:
                self.view.update(dt, None)
                return
            # The clock starts once the model can judge: a loading model must not cost time.
            self.challenge = Challenge(self.settings, self.clock, self.rng)
            self.round_version = self.canvas.version
        result = predictor.poll()
        if result is not None and result.version >= self.round_version:
            self.prediction = result
            # Judged only with the pen up: a round won mid-stroke would keep an unfinished digit.
            if result.version == self.canvas.version and not self.canvas.drawing:
                self._judge(result)
        if self.canvas.version != self.submitted_version:
            number = self.challenge.number_round
            predictor.submit(self.canvas.version, self.canvas.all_strokes(), number=number)
            self.submitted_version = self.canvas.version
        if self.canvas.is_empty and not self.canvas.drawing:
            self.prediction = None
        expired = self.challenge.check_time()
        if expired is not None:
            self._round_over(expired)
        if not self.challenge.playing and self.clock() >= self.next_round_at:
            self._next_round()
        self.view.update(dt, self.prediction)

    def _judge(self, prediction: Prediction) -> None:
        number = prediction.number
        if self.challenge.number_round != (number is not None):
            return  # read for the other kind of round
        if number is not None:
            confidence, latency = number.confidence, number.latency_ms
            guess = Guess(None, confidence, latency_ms=latency, text=number.text, number=number)
        else:
            guess = Guess(
                prediction.digit,
                prediction.confidence,
                prediction.image,
                prediction.probabilities,
                prediction.latency_ms,
            )
        decided = self.challenge.offer(guess)
        if decided is not None:
            self._round_over(decided)

    def _round_over(self, result: RoundResult) -> None:
        self.last_result = result
        if self.canvas.drawing:
            self.canvas.end()
        self.next_round_at = self.clock() + PAUSE_SECONDS
        self._record(result)

    def _record(self, result: RoundResult) -> None:
        guess = result.guess
        if result.asked_number is not None:
            self._record_number(result)
            return
        if guess is None or guess.image is None or guess.probabilities is None:
            return  # nothing was drawn: nothing to keep
        label = result.asked if result.won else None
        read = (guess.image, guess.probabilities, guess.digit, guess.latency_ms)
        record_drawing(self.app, *read, "challenge", label)

    def _record_number(self, result: RoundResult) -> None:
        """A number round's writing goes where number mode's numbers go, its digits with their
        strokes; only a won round labels it with the number asked (read as asked, pen up)."""
        number = result.guess.number if result.guess is not None else None
        if number is None or not number.found:
            return  # nothing was written: nothing to keep
        info = getattr(self.app.predictor.classifier, "info", None)
        sha256 = str(getattr(info, "sha256", ""))
        label = result.asked_number if result.won else None

        def record(history) -> int:
            number_id = add_number(history, number, sha256, mode="challenge")
            if label is not None:
                set_number_label(history, number_id, label)
            return number_id

        self.app.recorder.ask(record)

    def _next_round(self) -> None:
        challenge = self.challenge
        if challenge.finished:
            if self.best_answer is None:
                self.best_answer = self.app.recorder.ask(
                    record_score(challenge.score, challenge.settings.rounds, challenge.best_streak)
                )
                self.app.replace("challenge_results", challenge=challenge, best=self.best_answer)
            return
        self.canvas.clear()
        self.prediction = None
        self.round_version = self.canvas.version
        self.last_result = None
        challenge.start_round()

    # Drawing -----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        rects = self.rects
        chrome.draw_top_bar(surface, rects["top_bar"], self.app)
        chrome.draw_scene_name(surface, rects["top_bar"], "Challenge")
        canvas = rects["canvas"]
        draw_round_canvas(surface, self.canvas, canvas, self.challenge, self.last_result)
        draw_prompt(surface, rects["prompt"], self.challenge, self.settings, self.last_result)
        state = self.app.predictor.state
        shown = self.prediction
        if self.last_result is not None and self.last_result.guess is not None:
            guess = self.last_result.guess
            if guess.probabilities is not None:
                shown = Prediction(-1, guess.image, guess.probabilities, guess.latency_ms)
        challenge = self.challenge
        if challenge is not None and challenge.number_round:
            number = self.prediction.number if self.prediction is not None else None
            if self.last_result is not None and self.last_result.guess is not None:
                number = self.last_result.guess.number
            asked, threshold = challenge.asked_number, self.settings.threshold
            draw_number_reading(surface, rects["prediction"], number, asked, threshold)
        else:
            self.view.draw_prediction(surface, rects["prediction"], shown, state)
            if challenge is not None and challenge.asked is not None:
                draw_goal(surface, rects["prediction"], challenge.asked, self.settings.threshold)
        look.text(surface, HINTS, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, rects["canvas"])
