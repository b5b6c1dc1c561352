"""The player's mistakes, explained: from the statistics (the Mistakes button or M).

For each of the latest labelled drawings the model read wrong: the drawing as it was saved, an
occlusion map of why the model reads it as it does (teal: the ink that makes it say so), one for
the digit it should have been (red: the ink that speaks against it), and both digits. Loaded and
explained on the recorder's thread; the page is drawn once when the answer arrives.
"""

import pygame
import pygame_gui

from game import charts
from game.explain import NOT_A_DIGIT, Explanation
from game.mistakes import Mistake, explain_mistakes, load_mistakes
from game.predictor import READY
from game.scenes import chrome, look
from game.scenes.base import Scene
from game.scenes.explain_view import heat_surface

MARGIN = 24
TOP_BAR = 64
COLUMNS = 2


def add_button(scene: Scene, rect: pygame.Rect) -> None:
    """The stats scene's way in: a small button at `rect`."""
    tip = "Your drawings the model got wrong, and why (M)"
    scene.button(rect, "Mistakes", "mistakes", "@quiet", tip)


def show_button(scene: Scene, shown: bool) -> None:
    widget = scene.widget_named("mistakes")
    if widget is not None and widget.visible != shown:
        widget.show() if shown else widget.hide()


class MistakesScene(Scene):
    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.answer = None
        self.page: pygame.Surface | None = None

    def enter(self) -> None:
        super().enter()
        reader = self.app.predictor.reader if self.app.predictor.state == READY else None
        if reader is not None:
            self.answer = self.app.recorder.ask(
                lambda current: explain_mistakes(reader, load_mistakes(current.path))
            )

    def build(self) -> None:
        right = self.app.size[0] - MARGIN
        self.button(pygame.Rect(right - 92, 14, 92, 36), "Back", "back", "@quiet", "Esc")
        self.page = None

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.widget_named("back"):
                self.app.pop()
                return True
            return False
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_m):
            self.app.pop()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        top = pygame.Rect(0, 0, surface.get_width(), TOP_BAR)
        chrome.draw_top_bar(surface, top, self.app)
        x = MARGIN + look.font(24, "bold").size("Digit Recognizer")[0] + 14
        label = "/  Statistics  /  Mistakes"
        look.text(surface, label, (x, top.centery), 20, look.MUTED, "regular", "midleft")
        area = pygame.Rect(MARGIN, TOP_BAR + 14, surface.get_width() - 2 * MARGIN, 0)
        area.height = surface.get_height() - area.y - MARGIN
        message = self.message()
        if message:
            look.panel(surface, area)
            look.text(surface, message, area.center, 18, look.MUTED, "regular", "center")
            return
        if self.page is None or self.page.get_size() != surface.get_size():
            # Drawn at the window's size (the page's part in `area`), as the statistics page
            # is: a layout test then sees its words where they land on screen.
            self.page = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            render_page(self.answer.value, self.page.subsurface(area))
        surface.blit(self.page, (0, 0))

    def message(self) -> str:
        """What the page says instead of mistakes, or "" when there are some to show."""
        if self.answer is None:
            return "The model is not ready: come back once it has loaded."
        if not self.answer.done:
            return "Looking at your mistakes…"
        if self.answer.error:
            return self.answer.error
        if not self.answer.value:
            return "No mistakes yet: every drawing you answered was read right."
        return ""


# What the colours say, the longest that fits beside the card's title.
LEGENDS = (
    "covering teal ink lowers the digit named under the picture, covering red raises it",
    "covering teal ink lowers the named digit, red raises it",
    "teal ink: for the named digit, red: against",
)


def render_page(mistakes: list[Mistake], page: pygame.Surface) -> None:
    """The mistakes drawn onto `page` (a surface of the page's size)."""
    size = page.get_size()
    title = "Your latest mistakes, and what the model saw"
    look.panel(page, page.get_rect(), title)
    room = size[0] - 18 - 24 - look.font(12, "bold").size(title.upper())[0] - 18
    for legend in LEGENDS:
        if look.font(12).size(legend)[0] <= room:
            look.text(page, legend, (size[0] - 18, 14), 12, look.FAINT, "regular", "topright")
            break
    rows = (len(mistakes) + COLUMNS - 1) // COLUMNS
    cell_width = (size[0] - 24) // COLUMNS
    cell_height = min((size[1] - 44) // max(rows, 1), 170)
    for index, mistake in enumerate(mistakes):
        row, column = divmod(index, COLUMNS)
        cell = pygame.Rect(12 + column * cell_width, 40 + row * cell_height, cell_width, 0)
        cell.height = cell_height
        draw_mistake(page, cell.inflate(-12, -10), mistake)


def draw_mistake(page: pygame.Surface, rect: pygame.Rect, mistake: Mistake) -> None:
    side = max(28, min(rect.height - 24, (rect.width - 40) // 3))
    said = "not a digit" if mistake.prediction == NOT_A_DIGIT else str(mistake.prediction)
    pictures = (
        ("as saved", None),
        (f"why it says {_name(mistake.said)}", mistake.said),
        (f"for and against {mistake.label}", mistake.truth),
    )
    for index, (caption, explanation) in enumerate(pictures):
        box = pygame.Rect(rect.x + index * (side + 12), rect.y, side, side)
        page.blit(charts.thumbnail(mistake.image, side), box)
        if explanation is not None and explanation.heat is not None:
            page.blit(pygame.transform.scale(heat_surface(explanation.heat), (side, side)), box)
        pygame.draw.rect(page, look.PANEL_EDGE, box.inflate(2, 2), 1)
        look.text(page, caption, (box.centerx, box.bottom + 4), 12, look.MUTED, "regular", "midtop")
    text_x = rect.x + 3 * (side + 12) + 4
    look.text(page, f"said {said}", (text_x, rect.y + 4), 18, look.BAD, "bold")
    look.text(page, f"was {mistake.label}", (text_x, rect.y + 30), 18, look.GOOD, "bold")
    if mistake.said is not None and mistake.said.answer.digit == mistake.label:
        lines = chrome.wrap("this model reads it right", look.font(12), rect.right - text_x)
        for index, line in enumerate(lines):
            look.text(page, line, (text_x, rect.y + 58 + 16 * index), 12, look.MUTED)


def _name(explanation: Explanation | None) -> str:
    if explanation is None or explanation.target is None:
        return "?"
    return "no digit" if explanation.target == NOT_A_DIGIT else str(explanation.target)
