"""Challenge mode: "Draw a 7" against the clock, ten rounds, then the results.

The rules are game.challenge's; this scene feeds it the live predictions and the canvas, shows
the countdown, and records every round's drawing in the history (mode 'challenge'). Only a won
round labels its drawing, with the asked digit: the model read that digit, and only once the pen
was up, so the drawing was finished; a lost or skipped round's drawing is kept unlabelled, since
nobody said what it is. Settings come from the scene's parameters (tests, callers) or the
environment (DIGITS_CHALLENGE_SECONDS, DIGITS_CHALLENGE_THRESHOLD, DIGITS_CHALLENGE_ROUNDS).
"""

import math
import os
import time

import numpy as np
import pygame
import pygame_gui

from game.canvas import Canvas
from game.challenge import LOST, SKIPPED, TIMED_OUT, WON, Challenge, Guess, RoundResult, Settings
from game.predictor import READY, Prediction
from game.reader import NOT_A_DIGIT
from game.scenes import chrome, look
from game.scenes.base import Scene
from game.scenes.confirm import Confirm
from game.scenes.draw_layout import MARGIN, layout
from game.scenes.prediction_view import PredictionView

BRUSH = 20
PAUSE_SECONDS = 1.4  # the round's result stays on screen this long before the next digit
HINTS = "Draw the digit asked   ·   Backspace clear   ·   Ctrl+Z undo   ·   N skip the round   ·   H help   ·   Esc menu"  # noqa: E501
OUTCOME_TEXT = {
    WON: "Got it!",
    LOST: "Time's up",
    TIMED_OUT: "Time's up",
    SKIPPED: "Skipped",
}


# What each setting must be, said to the player when the environment gives something else.
SETTING_RULES = {
    "rounds": (int, "a whole number of rounds, 1 or more"),
    "seconds": (float, "a number of seconds above 0"),
    "threshold": (float, "a confidence above 0 and at most 1"),
}


def settings_from(params: dict) -> tuple[Settings, str]:
    """Settings from the scene's parameters, else the environment, else the defaults; and a
    sentence for the player when a setting was unusable (the defaults are played then)."""
    values = {}
    for name, (kind, rule) in SETTING_RULES.items():
        source = name if name in params else f"DIGITS_CHALLENGE_{name.upper()}"
        raw = params.get(name, os.environ.get(source) or None)
        if raw is None:
            continue
        try:
            values[name] = kind(raw)
            Settings(**{name: values[name]})  # checks this one setting against the defaults
        except (TypeError, ValueError, OverflowError):
            defaults = Settings()
            return defaults, (
                f"{source}={raw!r} is not usable (it must be {rule}), so the defaults are "
                f"played: {defaults.rounds} rounds of {defaults.seconds:g} s, "
                f"{defaults.threshold:.0%} sure"
            )
    return Settings(**values), ""


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


def record_score(score: int, rounds: int, best_streak: int):
    """A question for the recorder's thread: record the game, answer the best score before it."""

    def question(history) -> int | None:
        previous = history.best_score()
        history.record_score(score, rounds, best_streak)
        return previous

    return question


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
        width = (bar.width - 2 * gap) // 3
        for index, (name, label, tip) in enumerate(
            (
                ("undo", "Undo", "Undo the last stroke (Ctrl+Z)"),
                ("clear", "Clear", "Clear the canvas (Backspace)"),
                ("skip", "Skip round", "Give this digit up (N)"),
            )
        ):
            rect = pygame.Rect(bar.x + index * (width + gap), bar.y, width, bar.height)
            self.button(rect, label, name, "@tool", tip)
        top = self.rects["top_bar"]
        right = top.right - MARGIN
        self.button(pygame.Rect(right - 92, 14, 92, 36), "Help", "help", "@quiet", "Keys (H)")
        self.button(pygame.Rect(right - 92 - 8 - 92, 14, 92, 36), "Menu", "menu", "@quiet", "Esc")

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
            name = event.ui_element.get_object_ids()[-1].lstrip("#")
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
        if event.type == pygame.KEYDOWN:
            ctrl = bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
            if event.key == pygame.K_z and ctrl:
                self.canvas.undo()
            elif event.key in (pygame.K_BACKSPACE, pygame.K_r, pygame.K_DELETE):
                self.clear()
            elif event.key == pygame.K_n:
                self.skip()
            elif event.key in (pygame.K_h, pygame.K_F1):
                self.app.push("help")
            elif event.key == pygame.K_ESCAPE:
                self.go_back()
            else:
                return False
            return True
        return self._mouse(event)

    def _mouse(self, event: pygame.event.Event) -> bool:
        canvas = self.rects["canvas"]
        playing = self.challenge is not None and self.challenge.playing
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if playing and canvas.collidepoint(event.pos):
                self.asking.withdraw(self.toast)
                self.canvas.begin(self._to_canvas(event.pos), BRUSH)
                return True
        return self.canvas.follow(event, canvas.topleft)

    def _to_canvas(self, position) -> tuple[float, float]:
        canvas = self.rects["canvas"]
        return (position[0] - canvas.x, position[1] - canvas.y)

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
            predictor.submit(self.canvas.version, self.canvas.all_strokes())
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
        if guess is None or guess.image is None or guess.probabilities is None:
            return  # nothing was drawn: nothing to keep
        info = getattr(self.app.predictor.classifier, "info", None)
        self.app.recorder.add(
            model_sha256=str(getattr(info, "sha256", "")),
            image=np.clip(guess.image * 255 + 0.5, 0, 255).astype(np.uint8),
            probabilities=np.asarray(guess.probabilities, dtype=np.float32),
            prediction=NOT_A_DIGIT if guess.digit is None else int(guess.digit),
            latency_ms=float(guess.latency_ms),
            mode="challenge",
            label=result.asked if result.won else None,
        )

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
        x = MARGIN + look.font(24, "bold").size("Digit Recognizer")[0] + 14
        look.text(
            surface,
            "/  Challenge",
            (x, rects["top_bar"].centery),
            20,
            look.MUTED,
            "regular",
            "midleft",
        )
        self._draw_canvas(surface, rects["canvas"])
        self._draw_prompt(surface, rects["prompt"])
        state = self.app.predictor.state
        shown = self.prediction
        if self.last_result is not None and self.last_result.guess is not None:
            guess = self.last_result.guess
            if guess.probabilities is not None:
                shown = Prediction(-1, guess.image, guess.probabilities, guess.latency_ms)
        self.view.draw_prediction(surface, rects["prediction"], shown, state)
        self._draw_goal(surface, rects["prediction"])
        look.text(surface, HINTS, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, rects["canvas"])

    def _draw_canvas(self, surface, canvas: pygame.Rect) -> None:
        surface.blit(self.canvas.surface, canvas)
        frame = canvas.inflate(2, 2)
        pygame.draw.rect(surface, look.BACKGROUND, frame.inflate(8, 8), width=6, border_radius=16)
        result = self.last_result
        edge = look.PANEL_EDGE
        if result is not None:
            edge = look.GOOD if result.won else look.BAD
        pygame.draw.rect(surface, edge, frame, width=2 if result is None else 4, border_radius=12)
        if self.challenge is None:
            look.text(
                surface, "Loading the model…", canvas.center, 28, look.FAINT, "bold", "center"
            )
        elif result is not None:
            self._draw_verdict(surface, canvas, result)
        elif self.canvas.is_empty:
            asked = self.challenge.asked
            look.text(
                surface, f"Draw a {asked} here", canvas.center, 30, look.FAINT, "bold", "center"
            )

    def _draw_verdict(self, surface, canvas, result: RoundResult) -> None:
        colour = look.GOOD if result.won else look.BAD
        title = OUTCOME_TEXT[result.outcome]
        if result.won:
            detail = f"+{result.points} points in {result.seconds:.1f} s"
        elif result.guess is not None and result.guess.digit is not None:
            detail = f"the model read a {result.guess.digit}, not a {result.asked}"
        else:
            detail = f"no {result.asked} drawn"
        box = pygame.Rect(0, 0, min(canvas.width - 60, 420), 112)
        box.midbottom = (canvas.centerx, canvas.bottom - 24)
        card = pygame.Surface(box.size, pygame.SRCALPHA)
        pygame.draw.rect(card, (*look.BACKGROUND, 225), card.get_rect(), border_radius=18)
        pygame.draw.rect(card, colour, card.get_rect(), 2, border_radius=18)
        surface.blit(card, box)
        look.text(surface, title, (box.centerx, box.y + 38), 34, colour, "bold", "center")
        look.text(surface, detail, (box.centerx, box.y + 82), 16, look.TEXT, "regular", "center")

    def _draw_prompt(self, surface, rect: pygame.Rect) -> None:
        challenge = self.challenge
        settings = self.settings
        number = 1 if challenge is None else challenge.round_number
        look.panel(surface, rect, f"Round {number} of {settings.rounds}")
        if challenge is None:
            return
        inner = rect.inflate(-36, 0)
        remaining = challenge.remaining()
        if self.last_result is not None:
            remaining = max(0.0, settings.seconds - self.last_result.seconds)
        share = remaining / settings.seconds
        colour = look.ACCENT if remaining > 8 else look.AMBER if remaining > 4 else look.BAD
        # The asked digit inside a ring that empties as the time runs out.
        radius = int(max(34, min(rect.height * 0.3, 68)))
        centre = (inner.x + radius + 4, rect.y + 44 + radius)
        ring = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        ring.center = centre
        pygame.draw.circle(surface, look.BAR_TRACK, centre, radius, 8)
        if share > 0:
            start = math.pi / 2
            pygame.draw.arc(surface, colour, ring, start, start + 2 * math.pi * share, 8)
        asked = str(challenge.asked)
        look.text(surface, asked, centre, int(radius * 1.25), look.TEXT, "bold", "center")
        text_x = ring.right + 22
        look.text(surface, "Draw a", (text_x, centre[1] - 30), 20, look.MUTED, "regular", "midleft")
        look.text(surface, asked, (text_x + 72, centre[1] - 30), 24, look.ACCENT, "bold", "midleft")
        look.text(
            surface,
            f"{remaining:4.1f} s",
            (text_x, centre[1] + 12),
            34,
            colour,
            "bold",
            "midleft",
        )
        needed = f"needs {settings.threshold:.0%} sure"
        look.text(surface, needed, (text_x, centre[1] + 40), 13, look.FAINT, "regular", "midleft")
        # Score, streak and the number of wins, in a row of small figures.
        row_y = rect.bottom - 46
        pygame.draw.line(surface, look.PANEL_EDGE, (inner.x, row_y - 10), (inner.right, row_y - 10))
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

    def _draw_goal(self, surface, rect: pygame.Rect) -> None:
        """A mark at the threshold on the asked digit's bar: how high it must go."""
        if self.challenge is None or self.challenge.asked is None:
            return
        # The bars' place, as PredictionView lays them out.
        inner = rect.inflate(-36, 0)
        bars_height = max(70, min(220, int(rect.height * 0.45)))
        hero_bottom = rect.y + 38 + rect.height - 38 - bars_height - 18
        chart_top = hero_bottom + 4
        chart_height = bars_height - 22
        slot = inner.width / 10
        centre_x = inner.x + slot * (self.challenge.asked + 0.5)
        half = max(6, int(slot * 0.56)) // 2 + 5
        y = round(chart_top + chart_height * (1 - self.settings.threshold))
        pygame.draw.line(surface, look.AMBER, (centre_x - half, y), (centre_x + half, y), 2)
        # The asked digit's label ringed, so the eye finds its bar at once.
        label_centre = (round(centre_x), chart_top + chart_height + 13)
        pygame.draw.circle(surface, look.AMBER, label_centre, 12, 2)
