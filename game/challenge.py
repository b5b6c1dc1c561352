"""Challenge mode's rules, without a window: ask for a digit, count down, judge, keep score.

A round asks for a digit (each of the ten once, in random order, before any comes again) and
lasts `seconds`. It is won the moment the prediction for the drawing (offered when the pen is up)
says the asked digit with confidence at least `threshold`; when time runs out it is lost (or
timed out, when nothing was drawn at all). Every `number_every`-th round asks instead to write a
number of NUMBER_DIGITS digits in one go: won when the whole number is read as asked
(game.segment) and the number's confidence, the chance that every digit is right, reaches the
threshold. A game is `rounds`
rounds. A win scores WIN_POINTS plus SPEED_POINTS for every whole second left, plus
STREAK_POINTS for each win in a row before it. The clock is injected (tests pass a fake one),
and so is the random generator.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

WON, LOST, TIMED_OUT, SKIPPED = "won", "lost", "timed out", "skipped"
WIN_POINTS = 100
SPEED_POINTS = 5
STREAK_POINTS = 10
DEFAULT_ROUNDS = 10
DEFAULT_SECONDS = 20.0
DEFAULT_THRESHOLD = 0.8
DEFAULT_NUMBER_EVERY = 3
NUMBER_DIGITS = (2, 4)  # a number round asks for 2 to 4 digits


@dataclass(frozen=True)
class Settings:
    rounds: int = DEFAULT_ROUNDS
    seconds: float = DEFAULT_SECONDS
    threshold: float = DEFAULT_THRESHOLD
    number_every: int = DEFAULT_NUMBER_EVERY  # 0: digit rounds only

    def __post_init__(self) -> None:
        if self.rounds < 1:
            raise ValueError(f"a challenge needs at least one round, got {self.rounds}")
        # nan compares false with everything and inf never runs out: both are refused.
        if not math.isfinite(self.seconds) or self.seconds <= 0:
            raise ValueError(f"a round needs some time, got {self.seconds} seconds")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"the confidence threshold must be in (0, 1], got {self.threshold}")
        if self.number_every < 0:
            raise ValueError(f"number rounds come every 0 or more rounds, got {self.number_every}")


@dataclass(frozen=True)
class Guess:
    """What the model last said about the player's drawing."""

    digit: int | None  # None: nothing to classify (empty canvas, a dot)
    confidence: float
    image: np.ndarray | None = None  # the 28x28 model input, [0, 1]
    probabilities: np.ndarray | None = None
    latency_ms: float = 0.0
    text: str | None = None  # in a number round: the whole number read ("" for none)
    number: Any = None  # in a number round: game.segment's Number, digits and strokes


@dataclass(frozen=True)
class RoundResult:
    asked: int | None  # the digit asked; None in a number round
    outcome: str  # WON, LOST, TIMED_OUT or SKIPPED
    guess: Guess | None  # the winning guess, or the last one when time ran out
    seconds: float  # how long the round took
    points: int
    asked_number: str | None = None  # the number asked in a number round

    @property
    def won(self) -> bool:
        return self.outcome == WON

    @property
    def asked_text(self) -> str:
        """What was asked, as the player reads it: "7", or "2026" in a number round."""
        return self.asked_number if self.asked_number is not None else str(self.asked)

    @property
    def read_text(self) -> str | None:
        """What the model last read: the digit, or the number; None when nothing was read."""
        if self.guess is None:
            return None
        if self.asked_number is not None:
            return self.guess.text or None
        return None if self.guess.digit is None else str(self.guess.digit)


class Challenge:
    def __init__(
        self,
        settings: Settings = Settings(),
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self.results: list[RoundResult] = []
        self.score = 0
        self.streak = 0
        self.best_streak = 0
        self.asked: int | None = None
        self.asked_number: str | None = None  # the number asked, in a number round
        self.last_guess: Guess | None = None
        self.started_at = 0.0
        self.playing = False  # False between rounds, while the last result is shown
        self._deck: list[int] = []  # the digits still to ask, the next one last
        self.start_round()

    @property
    def round_number(self) -> int:
        """1-based number of the round being played; between rounds, of the one just ended
        (its "Got it!" or "Time's up" is still on screen), and the last one once finished."""
        return max(1, min(len(self.results) + int(self.playing), self.settings.rounds))

    @property
    def finished(self) -> bool:
        return len(self.results) >= self.settings.rounds

    @property
    def wins(self) -> int:
        return sum(result.won for result in self.results)

    def remaining(self) -> float:
        """Seconds left in this round (0 once finished)."""
        if self.finished:
            return 0.0
        if not self.playing:
            return self.settings.seconds
        return max(0.0, self.settings.seconds - (self.clock() - self.started_at))

    @property
    def number_round(self) -> bool:
        """Whether the round being played asks for a whole number."""
        return self.asked_number is not None

    @property
    def asked_text(self) -> str:
        """What this round asks for, as the player reads it: "7", or "2026"."""
        return self.asked_number if self.asked_number is not None else str(self.asked)

    def start_round(self) -> None:
        """Ask for the next digit of a shuffled deck (no digit twice in ten rounds), or on every
        `number_every`-th round a number."""
        if self.finished or self.playing:
            return
        every = self.settings.number_every
        if every and (len(self.results) + 1) % every == 0:
            length = self.rng.randint(*NUMBER_DIGITS)
            # No leading zero: a number as people write it.
            first = str(self.rng.randint(1, 9))
            self.asked_number = first + "".join(
                str(self.rng.randint(0, 9)) for _ in range(length - 1)
            )
        else:
            self.asked, self.asked_number = self._next_digit(), None
        self.last_guess = None
        self.started_at = self.clock()
        self.playing = True

    def _next_digit(self) -> int:
        if not self._deck:
            self._deck = list(range(10))
            self.rng.shuffle(self._deck)
            # A new deck must not start with the digit the old one ended on (deck pops from
            # the end): two rounds in a row would look the same.
            if self._deck[-1] == self.asked:
                self._deck[0], self._deck[-1] = self._deck[-1], self._deck[0]
        return self._deck.pop()

    def offer(self, guess: Guess) -> RoundResult | None:
        """The live prediction changed: returns the result if this guess wins the round (or time
        had already run out), else None."""
        if not self.playing:
            return None
        expired = self.check_time()
        if expired is not None:
            return expired
        self.last_guess = guess
        if self.asked_number is not None:
            right = guess.text == self.asked_number
        else:
            right = guess.text is None and guess.digit == self.asked
        if right and guess.confidence >= self.settings.threshold:
            return self._finish(WON, guess)
        return None

    def check_time(self) -> RoundResult | None:
        """Call every frame: ends the round when its time is up."""
        if not self.playing or self.remaining() > 0:
            return None
        last = self.last_guess
        drew = last is not None and (last.digit is not None or bool(last.text))
        return self._finish(LOST if drew else TIMED_OUT, self.last_guess)

    def skip(self) -> RoundResult | None:
        """The player gives this round up: it counts as lost."""
        if not self.playing:
            return None
        return self._finish(SKIPPED, self.last_guess)

    def _finish(self, outcome: str, guess: Guess | None) -> RoundResult:
        elapsed = min(self.clock() - self.started_at, self.settings.seconds)
        self.playing = False
        points = 0
        if outcome == WON:
            left = int(self.settings.seconds - elapsed)
            points = WIN_POINTS + SPEED_POINTS * left + STREAK_POINTS * self.streak
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)
        else:
            self.streak = 0
        self.score += points
        asked = None if self.asked_number is not None else self.asked
        result = RoundResult(asked, outcome, guess, elapsed, points, self.asked_number)
        self.results.append(result)
        return result
