"""The title scene: the game's name, the menu, and which model is playing."""

from functools import lru_cache

import pygame
import pygame_gui

from game import modelcard
from game.paths import assets_dir
from game.predictor import FAILED, LOADING
from game.scenes import look
from game.scenes.base import Scene
from game.settings import load_mode, settings_path

# (label, scene to open, key, tip); a scene missing from game.scenes.SCENES is not shown, so
# the challenge mode of issue 5 appears here as soon as it is registered.
MENU = (
    ("Start drawing", "draw", "Enter"),
    ("Challenge", "challenge", "G"),
    ("Statistics", "stats", "S"),
    ("Quit", None, "Esc"),
)
# The menu's rhythm (a button and its gap), and what goes below it, in pixels.
STEP = 66
HINT_GAP, HINT_HEIGHT = 14, 20
PILL_GAP, PILL_HEIGHT, PILL_MARGIN = 14, 48, 20
BACKENDS = {"numpy": "numpy", "onnx": "ONNX Runtime", "keras": "Keras"}
KEYS = {
    pygame.K_RETURN: "draw",
    pygame.K_KP_ENTER: "draw",
    pygame.K_SPACE: "draw",
    pygame.K_g: "challenge",
    pygame.K_s: "stats",
}


class TitleScene(Scene):
    def entries(self) -> list[tuple[str, str | None, str]]:
        from game.scenes import SCENES

        return [entry for entry in MENU if entry[1] is None or entry[1] in SCENES]

    def menu_top(self, height: int) -> int:
        """Where the menu starts: below the middle when there is room, else as low as the
        keys line and the model card below it allow (at 860x600 they would overlap Quit)."""
        below = len(self.entries()) * STEP + HINT_GAP + HINT_HEIGHT + PILL_GAP + PILL_HEIGHT
        return min(max(height // 2 - 20, 250), height - PILL_MARGIN - below)

    def build(self) -> None:
        width, height = self.app.size
        entries = self.entries()
        button_width, button_height = 340, STEP - 12
        top = self.menu_top(height)
        for index, (label, scene, key) in enumerate(entries):
            rect = pygame.Rect(0, 0, button_width, button_height)
            rect.midtop = (width // 2, top + index * STEP)
            kind = "@primary" if index == 0 else "@menu"
            self.button(rect, label, scene or "quit", kind, f"Key: {key}")

    def handle_event(self, event: pygame.event.Event) -> bool:
        from game.scenes import SCENES

        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            name = event.ui_element.get_object_ids()[-1].lstrip("#")
            if name == "quit":
                self.app.quit()
            elif name in SCENES:
                self.app.push(self.remembered(name))
            return True
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_ESCAPE, pygame.K_q):
                self.app.quit()
            elif event.key in (pygame.K_h, pygame.K_F1):
                self.app.push("help")
            elif KEYS.get(event.key) in SCENES:
                self.app.push(self.remembered(KEYS[event.key]))
            else:
                return False
            return True
        return False

    def remembered(self, name: str) -> str:
        """Drawing opens the mode the player chose last: one digit or whole numbers."""
        if name != "draw":
            return name
        from game.scenes import SCENES

        mode = load_mode(settings_path(self.app.recorder.path))
        return mode if mode in SCENES else name

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        centre = width // 2
        top = self.menu_top(height)
        title_y = top - 120
        icon = _icon(88)
        if icon is not None and title_y - 132 > 0:
            surface.blit(icon, icon.get_rect(midbottom=(centre, title_y - 44)))
        look.text(surface, "Digit Recognizer", (centre, title_y), 60, look.TEXT, "bold", "center")
        look.text(
            surface,
            "Draw a digit. A neural network reads it as you draw.",
            (centre, title_y + 54),
            19,
            look.MUTED,
            "regular",
            "center",
        )
        below = top + len(self.entries()) * STEP - 12 + HINT_GAP
        look.text(
            surface,
            "Enter to start   ·   H for help   ·   Esc to quit",
            (centre, below),
            14,
            look.FAINT,
            "regular",
            "midtop",
        )
        self._draw_model(surface, (centre, height - PILL_MARGIN))

    def model_line(self) -> list[tuple[str, tuple[int, int, int], str]]:
        """(text, colour, weight) parts of the line about the model: name, state, accuracy."""
        predictor = self.app.predictor
        accuracy = modelcard.test_accuracy(self.app.card)
        if predictor.state == LOADING:
            status = "loading…"
        elif predictor.state == FAILED:
            status = "could not be loaded"
        else:
            backend = getattr(getattr(predictor.classifier, "info", None), "backend", "")
            status = BACKENDS.get(backend, backend) or "ready"
        if accuracy is None:
            known = "accuracy unknown (no model card)"
        else:
            known = f"{accuracy:.2%} on the MNIST test set"
        return [
            (self.app.model_path.name, look.TEXT, "bold"),
            (status, look.MUTED, "regular"),
            (known, look.MUTED, "regular"),
        ]

    def _draw_model(self, surface: pygame.Surface, bottom_centre: tuple[int, int]) -> None:
        state = self.app.predictor.state
        colour = {LOADING: look.AMBER, FAILED: look.BAD}.get(state, look.GOOD)
        parts = self.model_line()
        separator = "   ·   "
        widths = [look.font(15, weight).size(part)[0] for part, _, weight in parts]
        dot = look.font(15).size(separator)[0]
        total = sum(widths) + dot * (len(parts) - 1)
        card = pygame.Rect(0, 0, total + 64, PILL_HEIGHT)
        card.midbottom = bottom_centre
        look.panel(surface, card, radius=24)
        pygame.draw.circle(surface, colour, (card.x + 24, card.centery), 5)
        x = card.x + 40
        for index, ((part, part_colour, weight), width) in enumerate(
            zip(parts, widths, strict=True)
        ):
            if index:
                look.text(
                    surface, separator, (x, card.centery), 15, look.FAINT, "regular", "midleft"
                )
                x += dot
            look.text(surface, part, (x, card.centery), 15, part_colour, weight, "midleft")
            x += width


@lru_cache(maxsize=4)
def _icon(size: int) -> pygame.Surface | None:
    path = assets_dir() / "icon.png"
    if not path.is_file():
        return None
    return pygame.transform.smoothscale(pygame.image.load(str(path)).convert_alpha(), (size, size))
