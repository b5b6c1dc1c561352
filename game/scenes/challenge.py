"""Challenge mode: "Draw a 7" against the clock, ten rounds, then the results.

The rules are game.challenge's; this scene feeds it the live predictions and the canvas, shows
the countdown, and records every round's drawing in the history (mode 'challenge'; what is
labelled is challenge_rounds'). A "write this number" round is read as a whole number
(game.segment). Settings come from the scene's parameters (tests, callers) or the
environment (DIGITS_CHALLENGE_SECONDS, DIGITS_CHALLENGE_THRESHOLD, DIGITS_CHALLENGE_ROUNDS,
DIGITS_CHALLENGE_NUMBER_EVERY).
"""

import time

import pygame
import pygame_gui

from game.canvas import Canvas
from game.challenge import Challenge, RoundResult
from game.predictor import READY, Prediction
from game.scenes import challenge_panels, chrome, look
from game.scenes.base import Scene
from game.scenes.buttons import menu_and_help, tool_row
from game.scenes.canvas_panel import pressed_on, start_stroke
from game.scenes.challenge_panels import HINTS, challenge_layout
from game.scenes.challenge_reading import draw_reading
from game.scenes.challenge_rounds import guess_from, record_round
from game.scenes.challenge_setup import record_score, settings_from
from game.scenes.confirm import Confirm
from game.scenes.draw_keys import DIGIT_KEYS
from game.scenes.prediction_view import PredictionView

BRUSH = 20
PAUSE_SECONDS = 1.4  # the round's result stays on screen this long before the next digit
# Keys that do what a button does, by the button's name (Ctrl+Z apart).
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
        tool_row(self, bar, challenge_panels.TOOLS, (bar.width - 2 * gap) // 3, gap)
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
        guess = guess_from(prediction, self.challenge.number_round)
        decided = self.challenge.offer(guess) if guess is not None else None
        if decided is not None:
            self._round_over(decided)

    def _round_over(self, result: RoundResult) -> None:
        self.last_result = result
        if self.canvas.drawing:
            self.canvas.end()
        self.next_round_at = self.clock() + PAUSE_SECONDS
        record_round(self.app, result)

    def _next_round(self) -> None:
        challenge = self.challenge
        if challenge.finished:
            if self.best_answer is None:
                self.best_answer = self.app.recorder.ask(record_score(challenge))
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
        challenge, settings, last = self.challenge, self.settings, self.last_result
        challenge_panels.draw_round_canvas(surface, self.canvas, canvas, challenge, last)
        challenge_panels.draw_prompt(surface, rects["prompt"], challenge, settings, last)
        reading = (self.prediction, last, self.app.predictor.state)
        draw_reading(surface, rects["prediction"], self.view, challenge, settings, reading)
        look.text(surface, HINTS, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, rects["canvas"])
