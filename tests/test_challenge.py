"""Challenge mode: the rules with a fake clock, the scene with a fake classifier at the boundary,
and one round end to end with the shipped model."""

import random
import time

import numpy as np
import pygame
import pytest
from gamedriver import SHIPPED_MODEL, Driver, FakeInfo, make_app

from game import stats
from game.challenge import (
    LOST,
    SKIPPED,
    SPEED_POINTS,
    STREAK_POINTS,
    TIMED_OUT,
    WIN_POINTS,
    WON,
    Challenge,
    Guess,
    Settings,
)
from game.history import History
from game.predictor import default_loader
from game.preprocess import preprocess
from game.scenes.challenge import PAUSE_SECONDS


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


def guess(digit, confidence):
    return Guess(digit, confidence)


# The rules ---------------------------------------------------------------------------------------


def test_round_is_won_at_the_threshold_and_not_just_below(clock):
    challenge = Challenge(Settings(threshold=0.8), clock, random.Random(1))
    asked = challenge.asked
    assert challenge.offer(guess(asked, 0.7999)) is None
    assert challenge.playing
    result = challenge.offer(guess(asked, 0.8))
    assert result is not None and result.outcome == WON and result.asked == asked


def test_a_sure_wrong_digit_does_not_win(clock):
    challenge = Challenge(Settings(), clock, random.Random(2))
    other = (challenge.asked + 1) % 10
    assert challenge.offer(guess(other, 1.0)) is None
    assert challenge.offer(guess(None, 0.0)) is None
    assert challenge.playing and challenge.score == 0


def test_time_runs_out_at_the_configured_seconds(clock):
    challenge = Challenge(Settings(seconds=20), clock, random.Random(3))
    challenge.offer(guess((challenge.asked + 1) % 10, 0.95))
    clock.advance(19.99)
    assert challenge.check_time() is None
    assert challenge.remaining() == pytest.approx(0.01)
    clock.advance(0.01)
    result = challenge.check_time()
    assert result.outcome == LOST and result.points == 0
    assert result.guess.digit == (challenge.asked + 1) % 10, "what the model last thought"


def test_nothing_drawn_until_the_end_is_a_time_out(clock):
    challenge = Challenge(Settings(seconds=5), clock, random.Random(4))
    clock.advance(5)
    assert challenge.check_time().outcome == TIMED_OUT


def test_a_right_answer_after_the_deadline_does_not_win(clock):
    challenge = Challenge(Settings(seconds=5), clock, random.Random(5))
    clock.advance(6)
    result = challenge.offer(guess(challenge.asked, 0.99))
    assert result.outcome == TIMED_OUT and challenge.score == 0


def test_score_rewards_speed_and_streak_and_a_loss_breaks_the_streak(clock):
    challenge = Challenge(Settings(rounds=4, seconds=20), clock, random.Random(6))
    clock.advance(4.5)  # 15 whole seconds left
    first = challenge.offer(guess(challenge.asked, 0.9))
    assert first.points == WIN_POINTS + SPEED_POINTS * 15
    challenge.start_round()
    clock.advance(10)  # 10 seconds left, second win in a row
    second = challenge.offer(guess(challenge.asked, 0.9))
    assert second.points == WIN_POINTS + SPEED_POINTS * 10 + STREAK_POINTS
    assert challenge.streak == 2
    challenge.start_round()
    assert challenge.skip().outcome == SKIPPED
    assert challenge.streak == 0 and challenge.best_streak == 2
    challenge.start_round()
    third = challenge.offer(guess(challenge.asked, 0.9))
    assert third.points == WIN_POINTS + SPEED_POINTS * 20
    assert challenge.finished and challenge.score == first.points + second.points + third.points
    assert challenge.wins == 3


def test_a_game_is_ten_rounds_and_never_asks_the_same_digit_twice_in_a_row(clock):
    challenge = Challenge(Settings(), clock, random.Random(7))
    asked = []
    while not challenge.finished:
        asked.append(challenge.asked_text)
        if challenge.number_round:
            challenge.offer(Guess(None, 1.0, text=challenge.asked_number))
        else:
            challenge.offer(guess(challenge.asked, 1.0))
        challenge.start_round()
    assert len(asked) == len(challenge.results) == 10
    assert all(a != b for a, b in zip(asked, asked[1:], strict=False))
    assert challenge.offer(guess(int(asked[-1][0]), 1.0)) is None, "a finished game takes no more"


@pytest.mark.parametrize("seed", range(20))
def test_no_digit_is_asked_twice_in_ten_rounds_even_in_long_games(clock, seed):
    challenge = Challenge(Settings(rounds=50), clock, random.Random(seed))
    asked = []  # the digit rounds' digits; every third round asks for a number instead
    while not challenge.finished:
        if not challenge.number_round:
            asked.append(challenge.asked)
        challenge.skip()
        challenge.start_round()
    assert sorted(asked[:10]) == list(range(10)), "a plain game asks every digit once"
    assert all(a != b for a, b in zip(asked, asked[1:], strict=False)), asked
    assert sorted(asked[10:20]) == sorted(asked[20:30]) == list(range(10))


def test_between_rounds_the_header_still_counts_the_round_just_ended(clock):
    challenge = Challenge(Settings(rounds=3), clock, random.Random(1))
    assert challenge.round_number == 1
    challenge.offer(guess(challenge.asked, 1.0))
    assert not challenge.playing and challenge.round_number == 1, "its 'Got it!' is on screen"
    challenge.start_round()
    assert challenge.round_number == 2
    challenge.skip()
    challenge.start_round()
    challenge.skip()
    assert challenge.finished and challenge.round_number == 3


def test_between_rounds_the_clock_does_not_end_another_round(clock):
    challenge = Challenge(Settings(seconds=5), clock, random.Random(8))
    challenge.offer(guess(challenge.asked, 1.0))
    clock.advance(60)
    assert challenge.check_time() is None and len(challenge.results) == 1


@pytest.mark.parametrize(
    "settings",
    [
        {"rounds": 0},
        {"seconds": 0},
        {"seconds": -5},
        {"seconds": float("nan")},
        {"seconds": float("inf")},
        {"threshold": 0},
        {"threshold": 1.5},
        {"threshold": float("nan")},
    ],
)
def test_impossible_settings_are_refused(settings):
    with pytest.raises(ValueError):
        Settings(**settings)


# The scene, with a classifier that says what the test wants --------------------------------------


class ScriptedClassifier:
    """Says `digit` with `confidence` for any drawing (the rest spread over the other digits)."""

    info = FakeInfo()

    def __init__(self) -> None:
        self.digit, self.confidence = 0, 0.9

    def predict(self, images: np.ndarray) -> np.ndarray:
        probabilities = np.full((len(images), 10), (1 - self.confidence) / 9, dtype=np.float32)
        probabilities[:, self.digit] = self.confidence
        return probabilities


@pytest.fixture
def game(tmp_path, clock):
    classifier = ScriptedClassifier()
    app = make_app(tmp_path, loader=lambda path: classifier)
    driver = Driver(app)
    driver.wait_ready()
    driver.frames(2)
    yield driver, classifier, clock
    app.close()


def start_challenge(driver, clock, **settings):
    # Digit rounds only, unless a test asks for numbers: the fake model reads one digit.
    settings.setdefault("number_every", 0)
    driver.app.push("challenge", clock=clock, rng=random.Random(0), **settings)
    driver.frames(2)
    return driver.scene


def draw_something(driver):
    driver.canvas_stroke([(0.3, 0.2), (0.6, 0.5), (0.4, 0.8)])


def wait_for(driver, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the game never got there"
        driver.frames(1)
        time.sleep(0.003)


def test_title_has_a_challenge_entry(game):
    driver, _, _ = game
    assert "Challenge" in [widget.text for widget in driver.scene.widgets]
    driver.key(pygame.K_g, frames=2)
    assert type(driver.scene).__name__ == "ChallengeScene"


def test_scene_wins_when_the_model_is_sure_enough_and_records_the_drawing(game, tmp_path):
    driver, classifier, clock = game
    scene = start_challenge(driver, clock)
    asked = scene.challenge.asked
    classifier.digit, classifier.confidence = asked, 0.8
    clock.advance(3)
    draw_something(driver)
    wait_for(driver, lambda: scene.challenge.results)
    result = scene.challenge.results[0]
    assert result.outcome == WON and scene.challenge.score == result.points > 0
    driver.app.recorder.flush()
    with History.open(tmp_path / "history.sqlite3") as history:
        (row,) = history.drawings()
    assert (row.mode, row.label, row.prediction) == ("challenge", asked, asked)


def test_scene_does_not_win_below_the_threshold_and_times_out(game):
    driver, classifier, clock = game
    scene = start_challenge(driver, clock, seconds=8, threshold=0.9)
    classifier.digit, classifier.confidence = scene.challenge.asked, 0.89
    draw_something(driver)
    wait_for(driver, lambda: scene.challenge.last_guess is not None)
    driver.frames(3)
    assert scene.challenge.playing and not scene.challenge.results
    clock.advance(8)
    driver.frames(2)
    assert scene.challenge.results[0].outcome == LOST
    assert scene.last_result is not None  # the verdict is on screen
    asked_before = scene.challenge.asked
    clock.advance(PAUSE_SECONDS)
    driver.frames(2)
    assert scene.challenge.playing and scene.canvas.is_empty, "the next round starts clean"
    assert scene.challenge.asked != asked_before


def test_scene_times_out_with_a_blank_canvas(game):
    driver, _, clock = game
    scene = start_challenge(driver, clock)
    clock.advance(20)
    driver.frames(2)
    assert scene.challenge.results[0].outcome == TIMED_OUT


def test_skip_key_loses_the_round(game):
    driver, _, clock = game
    scene = start_challenge(driver, clock)
    driver.key(pygame.K_n)
    assert scene.challenge.results[0].outcome == SKIPPED


def play_a_game(driver, classifier, clock, wins: int):
    scene = start_challenge(driver, clock, rounds=3)
    for number in range(3):
        wait_for(driver, lambda: scene.challenge.playing)
        classifier.digit = (
            scene.challenge.asked if number < wins else (scene.challenge.asked + 1) % 10
        )
        classifier.confidence = 0.95
        clock.advance(2)
        draw_something(driver)
        if number >= wins:
            wait_for(driver, lambda: scene.challenge.last_guess is not None)
            clock.advance(20)
        wait_for(driver, lambda n=number: len(scene.challenge.results) > n)
        clock.advance(PAUSE_SECONDS)
    wait_for(driver, lambda: type(driver.scene).__name__ == "ChallengeResultsScene")
    results = driver.scene
    wait_for(driver, lambda: results.best is not None and results.best.done)
    return results


def test_results_show_every_round_and_the_best_score_is_kept(game, tmp_path):
    driver, classifier, clock = game
    first = play_a_game(driver, classifier, clock, wins=2)
    assert [r.outcome for r in first.challenge.results] == [WON, WON, LOST]
    assert first.best_line()[0] == "New best score!"
    best = first.challenge.score
    driver.key(pygame.K_RETURN, frames=2)  # play again
    assert type(driver.scene).__name__ == "ChallengeScene"
    driver.app.pop()
    driver.frames(2)
    second = play_a_game(driver, classifier, clock, wins=1)
    assert second.challenge.score < best
    assert second.best_line()[0] == f"Best so far: {best}"
    driver.app.recorder.flush()
    found = stats.load_stats(tmp_path / "history.sqlite3")
    assert (found.best_score, found.challenges) == (best, 2)
    # Only the won rounds are labelled (with the asked digit); the lost ones are kept unlabelled.
    assert found.challenge == 6 and found.labelled == 3
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "TitleScene"


def test_a_digit_key_in_a_challenge_says_the_drawing_is_the_answer(game):
    driver, _, clock = game
    start_challenge(driver, clock)
    driver.key(pygame.K_4)
    assert driver.scene.toast.message == (
        "No need to type: draw the digit, it is read when you lift the pen"
    )


def test_a_game_without_points_is_no_new_best_and_results_offer_menu_and_help(game):
    driver, classifier, clock = game
    results = play_a_game(driver, classifier, clock, wins=0)
    assert results.challenge.score == 0
    assert results.best_line()[0] == "No best score yet: win a round to set one."
    assert results.widget_named("menu") is not None and results.widget_named("help") is not None
    driver.key(pygame.K_h, frames=2)
    assert type(driver.scene).__name__ == "HelpOverlay"
    driver.key(pygame.K_ESCAPE, frames=2)
    driver.click_widget("menu")
    assert type(driver.scene).__name__ == "TitleScene"


# End to end with the shipped model ---------------------------------------------------------------

SEVEN = [(0.05, 0.02), (0.5, 0.0), (0.95, 0.02), (0.7, 0.4), (0.5, 0.75), (0.4, 1.0)]
SEED_ASKING_SEVEN = 668  # random.Random(668) asks for a 7 first


def test_a_round_with_the_real_model_is_won_by_drawing_the_asked_digit(tmp_path, clock):
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"the shipped model {SHIPPED_MODEL} is not there yet (make train)")
    app = make_app(tmp_path, model=SHIPPED_MODEL, loader=default_loader)
    try:
        driver = Driver(app)
        driver.wait_ready()
        driver.key(pygame.K_g, frames=2)
        app.pop()
        driver.frames(1)
        app.push("challenge", clock=clock, rng=random.Random(SEED_ASKING_SEVEN))
        driver.frames(2)
        scene = driver.scene
        assert scene.challenge.asked == 7
        clock.advance(4)
        driver.canvas_stroke([(0.2 + x * 0.5, 0.15 + y * 0.7) for x, y in SEVEN])
        wait_for(driver, lambda: scene.challenge.results)
        result = scene.challenge.results[0]
        assert result.outcome == WON, f"read as {result.guess}"
        assert result.guess.confidence >= 0.8
        app.recorder.flush()
        with History.open(tmp_path / "history.sqlite3") as history:
            (row,) = history.drawings()
        assert (row.mode, row.label, row.prediction) == ("challenge", 7, 7)
    finally:
        app.close()


def test_random_play_in_challenge_and_statistics_never_fails(game):
    driver, classifier, clock = game
    rng = random.Random(42)
    start_challenge(driver, clock, rounds=3, seconds=4)
    keys = [pygame.K_n, pygame.K_r, pygame.K_z, pygame.K_h, pygame.K_ESCAPE, pygame.K_RETURN,
            pygame.K_g, pygame.K_s, pygame.K_BACKSPACE]  # fmt: skip
    seen = set()
    for _ in range(1500):
        if type(driver.scene).__name__ == "TitleScene":
            start_challenge(driver, clock, rounds=3, seconds=4)  # Esc on the title would quit
        seen.add(type(driver.scene).__name__)
        width, height = driver.app.size
        position = (rng.randrange(width), rng.randrange(height))
        kind = rng.random()
        if kind < 0.35:
            driver.post(pygame.MOUSEBUTTONDOWN, pos=position, button=1)
        elif kind < 0.7:
            driver.post(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(1, 0, 0))
        elif kind < 0.8:
            driver.post(pygame.MOUSEBUTTONUP, pos=position, button=1)
        elif kind < 0.95:
            key = rng.choice(keys)
            driver.post(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        elif kind < 0.97:
            size = (rng.randrange(700, 1600), rng.randrange(500, 1000))
            driver.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        classifier.digit = rng.randrange(10)
        clock.advance(rng.choice([0.0, 0.1, 0.5, 3.0]))
        driver.frames(1)
        assert driver.app.running, "only Esc on the title quits, and the test never sends it"
    assert driver.app.error == ""
    assert {"ChallengeScene", "ChallengeResultsScene", "HelpOverlay"} <= seen


def test_time_with_the_help_open_is_not_taken_from_the_round(game):
    driver, _, clock = game
    scene = start_challenge(driver, clock, seconds=10)
    clock.advance(3)
    driver.key(pygame.K_h, frames=2)
    clock.advance(30)
    driver.key(pygame.K_ESCAPE, frames=2)
    assert scene.challenge.playing and scene.challenge.remaining() == pytest.approx(7)


def test_settings_come_from_the_environment_and_bad_ones_are_said(game, monkeypatch):
    driver, _, clock = game
    monkeypatch.setenv("DIGITS_CHALLENGE_SECONDS", "12")
    monkeypatch.setenv("DIGITS_CHALLENGE_THRESHOLD", "0.6")
    scene = start_challenge(driver, clock)
    assert (scene.settings.seconds, scene.settings.threshold, scene.settings.rounds) == (
        12,
        0.6,
        10,
    )
    driver.app.pop()
    driver.frames(1)
    monkeypatch.setenv("DIGITS_CHALLENGE_SECONDS", "soon")
    scene = start_challenge(driver, clock)
    assert scene.settings == Settings()
    assert "DIGITS_CHALLENGE_SECONDS" in scene.toast.message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DIGITS_CHALLENGE_SECONDS", "nan"),
        ("DIGITS_CHALLENGE_SECONDS", "inf"),
        ("DIGITS_CHALLENGE_SECONDS", "-3"),
        ("DIGITS_CHALLENGE_SECONDS", "1e999"),
        ("DIGITS_CHALLENGE_THRESHOLD", "nan"),
        ("DIGITS_CHALLENGE_THRESHOLD", "80"),
        ("DIGITS_CHALLENGE_ROUNDS", "2.5"),
        ("DIGITS_CHALLENGE_ROUNDS", "-1"),
    ],
)
def test_a_bad_setting_is_named_and_the_defaults_are_played(game, monkeypatch, variable, value):
    driver, _, clock = game
    monkeypatch.setenv(variable, value)
    scene = start_challenge(driver, clock)
    assert scene.settings == Settings()
    message = scene.toast.message
    assert variable in message and value in message and "default" in message
    assert message.count(". ") == 0, "one sentence"
    assert scene.toast.visible


def stored_rows(driver, tmp_path):
    driver.app.recorder.flush()
    with History.open(tmp_path / "history.sqlite3") as history:
        return history.drawings()


def test_a_round_lost_on_time_is_stored_without_the_asked_digit_as_label(game, tmp_path):
    driver, classifier, clock = game
    scene = start_challenge(driver, clock)
    classifier.digit, classifier.confidence = (scene.challenge.asked + 1) % 10, 0.95
    draw_something(driver)
    wait_for(driver, lambda: scene.challenge.last_guess is not None)
    clock.advance(20)
    wait_for(driver, lambda: scene.challenge.results)
    assert scene.challenge.results[0].outcome == LOST
    (row,) = stored_rows(driver, tmp_path)
    assert (row.mode, row.label, row.prediction) == ("challenge", None, classifier.digit)


def test_a_skipped_round_is_stored_unlabelled(game, tmp_path):
    driver, classifier, clock = game
    scene = start_challenge(driver, clock)
    classifier.digit, classifier.confidence = scene.challenge.asked, 0.5
    draw_something(driver)
    wait_for(driver, lambda: scene.challenge.last_guess is not None)
    driver.key(pygame.K_n)
    assert scene.challenge.results[0].outcome == SKIPPED
    (row,) = stored_rows(driver, tmp_path)
    assert (row.mode, row.label) == ("challenge", None)


def test_a_round_is_not_won_mid_stroke_and_the_whole_digit_is_saved(game, tmp_path):
    driver, classifier, clock = game
    scene = start_challenge(driver, clock)
    classifier.digit, classifier.confidence = scene.challenge.asked, 0.95
    canvas = scene.rects["canvas"]
    points = [(canvas.x + fx * canvas.w, canvas.y + fy * canvas.h) for fx, fy in SEVEN]
    points = [(int(x), int(y)) for x, y in points]
    driver.post(pygame.MOUSEBUTTONDOWN, pos=points[0], button=1)
    for point in points[1:3]:
        driver.post(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(1, 0, 0))
    driver.frames(1)
    wait_for(
        driver,
        lambda: scene.prediction is not None and scene.prediction.version == scene.canvas.version,
    )
    driver.frames(3)
    assert scene.canvas.drawing and scene.challenge.playing, "won with the pen still down"
    for point in points[3:]:
        driver.post(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(1, 0, 0))
    driver.post(pygame.MOUSEBUTTONUP, pos=points[-1], button=1)
    wait_for(driver, lambda: scene.challenge.results)
    assert scene.challenge.results[0].outcome == WON
    (row,) = stored_rows(driver, tmp_path)
    whole = np.clip(preprocess(scene.canvas.strokes) * 255 + 0.5, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(row.image, whole)
    assert row.label == scene.challenge.results[0].asked


def test_escape_in_a_challenge_asks_before_abandoning_it(game):
    driver, _, clock = game
    scene = start_challenge(driver, clock)
    draw_something(driver)
    driver.key(pygame.K_ESCAPE, frames=2)
    assert driver.scene is scene and scene.challenge.playing, "one Esc abandoned the challenge"
    assert scene.toast.visible and "Esc again" in scene.toast.message
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "TitleScene"


def test_clear_in_a_challenge_can_be_undone(game):
    driver, _, clock = game
    scene = start_challenge(driver, clock)
    draw_something(driver)
    driver.key(pygame.K_BACKSPACE)
    assert scene.canvas.is_empty
    driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL)
    assert len(scene.canvas.strokes) == 1


# "Write this number" rounds ----------------------------------------------------------------------


def test_every_third_round_asks_for_a_number_of_two_to_four_digits(clock):
    challenge = Challenge(Settings(rounds=9), clock, random.Random(11))
    asked = []
    while not challenge.finished:
        asked.append(challenge.asked_text if challenge.number_round else challenge.asked)
        challenge.skip()
        challenge.start_round()
    numbers = asked[2::3]
    assert all(isinstance(a, int) for i, a in enumerate(asked) if i % 3 != 2)
    assert all(n.isdigit() and 2 <= len(n) <= 4 and n[0] != "0" for n in numbers)
    assert (
        Challenge(Settings(number_every=0, rounds=3), clock, random.Random(11)).asked_number is None
    )


def test_a_number_round_is_won_only_by_the_whole_number_at_the_threshold(clock):
    challenge = Challenge(Settings(number_every=1, threshold=0.8), clock, random.Random(3))
    asked = challenge.asked_number
    wrong = str(int(asked) + 1)
    assert challenge.offer(Guess(None, 0.99, text=wrong)) is None
    assert challenge.offer(Guess(int(asked[0]), 0.99)) is None, "one digit is not the number"
    assert challenge.offer(Guess(None, 0.79, text=asked)) is None
    result = challenge.offer(Guess(None, 0.8, text=asked))
    assert result is not None and result.won and result.asked_number == asked
    assert result.asked_text == asked


class OnesAndZeros(ScriptedClassifier):
    """Reads a narrow drawing (a stroke) as a sure 1 and a wide one (a ring) as a sure 0."""

    def predict(self, images: np.ndarray) -> np.ndarray:
        probabilities = np.full((len(images), 10), 0.001, dtype=np.float32)
        for row, image in zip(probabilities, images, strict=True):
            columns = np.nonzero(image.max(axis=0) > 0.5)[0]
            row[1 if np.ptp(columns) < 10 else 0] = 0.991
        return probabilities


def test_a_won_number_round_records_the_number_and_its_digits_labelled(tmp_path, clock):
    from game.number_history import numbers

    # A game whose first round asks for a number of ones and zeros: one the fake model can read.
    seed = next(
        s
        for s in range(5000)
        if set(Challenge(Settings(number_every=1), clock, random.Random(s)).asked_number)
        <= {"0", "1"}
    )
    app = make_app(tmp_path, loader=lambda path: OnesAndZeros())
    driver = Driver(app)
    try:
        driver.wait_ready()
        driver.app.push("challenge", clock=clock, rng=random.Random(seed), number_every=1)
        driver.frames(2)
        scene = driver.scene
        asked = scene.challenge.asked_number
        step = 0.8 / len(asked)
        for position, character in enumerate(asked):
            left = 0.1 + position * step
            if character == "1":
                driver.canvas_stroke([(left + step / 2, 0.3), (left + step / 2, 0.7)])
            else:
                ring = np.linspace(0, 2 * np.pi, 24)
                centre = left + step / 2
                driver.canvas_stroke(
                    [(centre + 0.3 * step * np.cos(t), 0.5 + 0.2 * np.sin(t)) for t in ring]
                )
        wait_for(driver, lambda: scene.challenge.results)
        assert scene.challenge.results[0].won
        driver.app.recorder.flush()
        with History.open(tmp_path / "history.sqlite3") as history:
            (row,) = numbers(history)
            digits = history._connection.execute(
                "SELECT label FROM number_digits WHERE number_id = ? ORDER BY position", (row.id,)
            ).fetchall()
        assert (row.reading, row.label, row.mode) == (asked, asked, "challenge")
        assert [d for (d,) in digits] == [int(c) for c in asked]
    finally:
        app.close()
