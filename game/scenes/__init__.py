"""The game's scenes, by name: the app opens them with app.push("name")."""

from game.scenes.base import Scene
from game.scenes.challenge import ChallengeScene
from game.scenes.challenge_results import ChallengeResultsScene
from game.scenes.draw import DrawScene
from game.scenes.help import HelpOverlay
from game.scenes.mistakes import MistakesScene
from game.scenes.number import NumberScene
from game.scenes.stats import StatsScene
from game.scenes.title import TitleScene

SCENES: dict[str, type[Scene]] = {
    "title": TitleScene,
    "draw": DrawScene,
    "number": NumberScene,
    "help": HelpOverlay,
    "stats": StatsScene,
    "mistakes": MistakesScene,
    "challenge": ChallengeScene,
    "challenge_results": ChallengeResultsScene,
}
