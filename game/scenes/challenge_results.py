"""The end of a challenge: the score, the best score, and each drawing beside what the model
thought of it. The game was recorded by the challenge scene; the best score before it arrives
from the recorder's thread (`best`, an Answer), so "new best" is said only when it is one.
"""

import numpy as np
import pygame
import pygame_gui

from game import charts
from game.challenge import WON, Challenge, RoundResult
from game.scenes import chrome, look
from game.scenes.base import Scene

MARGIN = 24


class ChallengeResultsScene(Scene):
    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.challenge: Challenge = params["challenge"]
        self.best = params.get("best")  # Answer: the best score before this game, or None

    def build(self) -> None:
        width, height = self.app.size
        right = width - MARGIN
        self.button(pygame.Rect(right - 92, 14, 92, 36), "Help", "help", "@quiet", "Keys (H)")
        self.button(pygame.Rect(right - 92 - 8 - 92, 14, 92, 36), "Menu", "menu", "@quiet", "Esc")
        row = pygame.Rect(0, 0, 220, 50)
        row.midbottom = (width // 2, height - 44)
        self.button(row, "Play again", "again", "@primary", "Enter")

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            name = event.ui_element.get_object_ids()[-1].lstrip("#")
            if name == "again":
                self.app.replace("challenge")
            elif name == "menu":
                self.app.pop()
            elif name == "help":
                self.app.push("help")
            else:
                return False
            return True
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_g):
                self.app.replace("challenge")
            elif event.key == pygame.K_ESCAPE:
                self.app.pop()
            elif event.key in (pygame.K_h, pygame.K_F1):
                self.app.push("help")
            else:
                return False
            return True
        return False

    def best_line(self) -> tuple[str, tuple[int, int, int]]:
        """What is said about the best score (tests read it)."""
        score = self.challenge.score
        if self.best is None or not self.best.done:
            return "", look.MUTED
        if self.best.error:
            return "Best score not kept: the history is off.", look.BAD
        previous = self.best.value
        if score > 0 and (previous is None or score > previous):
            return "New best score!", look.GOOD
        if previous is None:
            return "No best score yet: win a round to set one.", look.MUTED
        return f"Best so far: {previous}", look.MUTED

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        chrome.draw_top_bar(surface, pygame.Rect(0, 0, width, 64), self.app)
        x = MARGIN + look.font(24, "bold").size("Digit Recognizer")[0] + 14
        look.text(surface, "/  Challenge results", (x, 32), 20, look.MUTED, "regular", "midleft")
        challenge = self.challenge
        centre = width // 2
        look.text(surface, str(challenge.score), (centre, 128), 72, look.ACCENT, "bold", "center")
        line, colour = self.best_line()
        summary = (
            f"{challenge.wins} of {len(challenge.results)} digits in time"
            f"   ·   best streak {challenge.best_streak}"
        )
        look.text(surface, summary, (centre, 182), 18, look.TEXT, "regular", "center")
        if line:
            look.text(surface, line, (centre, 210), 16, colour, "bold", "center")
        self._draw_rounds(surface, pygame.Rect(MARGIN, 236, width - 2 * MARGIN, height - 236 - 108))
        hint = "Enter plays again   ·   Esc for the menu   ·   H for help"
        look.text(surface, hint, (centre, height - 12), 14, look.FAINT, "regular", "midbottom")

    def _draw_rounds(self, surface, area: pygame.Rect) -> None:
        results = self.challenge.results
        columns = 5
        rows = max(1, -(-len(results) // columns))
        gap = 12
        width = (area.width - gap * (columns - 1)) // columns
        height = min((area.height - gap * (rows - 1)) // rows, 190)
        # The words' column decides how big the drawings can be: in a small window the cards
        # are narrow, and words beside big drawings ran out of them.
        widest = max((_words_width(result) for result in results), default=0)
        side = max(28, min(height - 48, int(width * 0.38), width - 14 - 12 - 10 - widest))
        for index, result in enumerate(results):
            row, column = divmod(index, columns)
            card = pygame.Rect(
                area.x + column * (width + gap), area.y + row * (height + gap), width, height
            )
            self._draw_round(surface, card, index + 1, result, side)

    def _draw_round(
        self, surface, card: pygame.Rect, number: int, result: RoundResult, side: int
    ) -> None:
        won = result.outcome == WON
        colour = look.GOOD if won else look.BAD
        look.panel(surface, card)
        pygame.draw.rect(surface, colour, (card.x + 1, card.y + 12, 3, card.height - 24))
        guess = result.guess
        thought, sure, verdict = _words(result)
        box = pygame.Rect(card.x + 14, card.y + (card.height - side) // 2, side, side)
        if guess is not None and guess.image is not None:
            image = np.clip(guess.image * 255 + 0.5, 0, 255).astype(np.uint8)
            surface.blit(charts.thumbnail(image, side), box)
        else:
            pygame.draw.rect(surface, look.PAPER, box)
            look.text(surface, "blank", box.center, 12, look.FAINT, "regular", "center")
        pygame.draw.rect(surface, look.PANEL_EDGE, box.inflate(2, 2), 1)
        x, y = box.right + 12, card.y
        look.text(surface, f"ROUND {number}", (x, y + 14), 10, look.MUTED, "bold")
        look.text(surface, f"Asked {result.asked_text}", (x, y + 28), 17, look.TEXT, "bold")
        look.text(surface, thought, (x, y + 56), 13, look.GOOD if won else look.AMBER, "bold")
        if sure:
            look.text(surface, sure, (x, y + 74), 13, look.MUTED)
        bottom = max(card.bottom - 12, y + 110)
        look.text(surface, verdict, (x, bottom), 13, colour, "bold", "bottomleft")


def _words(result: RoundResult) -> tuple[str, str, str]:
    """What a round's card says beside its drawing: what the model read, how sure, verdict."""
    guess, read = result.guess, result.read_text
    if read is not None:
        thought, sure = f"read as {read}", f"{guess.confidence:.0%} sure"
    elif guess is not None and guess.image is not None:
        thought, sure = "not a digit", ""
    else:
        thought, sure = "nothing drawn", ""
    won = result.outcome == WON
    return thought, sure, f"+{result.points} in {result.seconds:.1f} s" if won else result.outcome


def _words_width(result: RoundResult) -> int:
    thought, sure, verdict = _words(result)
    return max(
        look.font(17, "bold").size(f"Asked {result.asked_text}")[0],
        look.font(13, "bold").size(thought)[0],
        look.font(13, "bold").size(verdict)[0],
        look.font(13).size(sure)[0],
    )
