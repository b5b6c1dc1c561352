"""What a challenge game starts from and ends with outside its scene: the settings (the scene's
parameters, else the environment, else the defaults) and the question that records the score."""

import os

from game.challenge import Challenge, Settings

# What each setting must be, said to the player when the environment gives something else.
SETTING_RULES = {
    "rounds": (int, "a whole number of rounds, 1 or more"),
    "seconds": (float, "a number of seconds above 0"),
    "threshold": (float, "a confidence above 0 and at most 1"),
    "number_every": (int, "a whole number of rounds, 0 for no number rounds"),
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


def record_score(challenge: Challenge):
    """A question for the recorder's thread: record the game, answer the best score before it."""
    score, rounds, best_streak = challenge.score, challenge.settings.rounds, challenge.best_streak

    def question(history) -> int | None:
        previous = history.best_score()
        history.record_score(score, rounds, best_streak)
        return previous

    return question
