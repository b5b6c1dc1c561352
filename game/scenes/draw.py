"""The draw scene: a large canvas, the tools under it, the live prediction beside it.

Classify commits the current prediction (it is recorded in the history) and asks the player
whether it was right: Enter or "Yes" confirms, a digit key or button corrects, Esc skips.
"""

import numpy as np
import pygame
import pygame_gui

from game.canvas import MAX_BRUSH, MIN_BRUSH, Canvas
from game.predictor import READY, Prediction
from game.reader import NOT_A_DIGIT
from game.scenes import chrome, look
from game.scenes.base import Scene
from game.scenes.draw_layout import MARGIN, layout
from game.scenes.prediction_view import PredictionView
from game.settings import save_mode, settings_path

BRUSH_SIZES = (6, 10, 14, 20, 26, 34, 44, 56)
DEFAULT_BRUSH = 20
ANSWER_WIDGETS = ("confirm", "skip")
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): d for d in range(10)}
DIGIT_KEYS.update({getattr(pygame, f"K_KP{d}"): d for d in range(10)})
HINTS = "Enter classify   ·   Backspace reset   ·   Ctrl+Z undo   ·   E erase   ·   D draw   ·   +/- brush   ·   N numbers   ·   H help   ·   Esc menu"  # noqa: E501


class DrawScene(Scene):
    mode_name = "free"  # the history's `mode` column; the challenge mode records 'challenge'
    layout = staticmethod(layout)  # the number mode has its own
    other_mode = ("number", "Numbers", "Write whole numbers (N)")  # scene, label, tip

    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.rects = self.layout(app.size)
        self.canvas = Canvas(self.rects["canvas"].size, look.PAPER, look.TEXT)
        self.view = PredictionView()
        self.brush = DEFAULT_BRUSH
        self.erasing = False
        self.prediction: Prediction | None = None
        self.submitted_version = -1
        self.classify_pending = False
        self.answering: tuple[int, Prediction] | None = None  # (history ticket, what was said)
        self.toast = chrome.Toast()
        self.history_error_shown = False
        self.committed = 0
        self._answer_widgets_shown: bool | None = None

    # Widgets -----------------------------------------------------------------------------------

    def build(self) -> None:
        self.rects = self.layout(self.app.size)
        self.canvas.resize(self.rects["canvas"].size)
        bar = self.rects["toolbar"]
        brush_width = 170
        gap = 8
        tool = (bar.width - brush_width - 3 * gap - 2 * 16) // 4
        x = bar.x
        for name, label, tip in (
            ("draw", "Draw", "Pen (D)"),
            ("erase", "Erase", "Eraser (E)"),
            ("undo", "Undo", "Undo the last stroke (Ctrl+Z)"),
            ("reset", "Reset", "Clear the canvas (Backspace or R)"),
        ):
            self.button(pygame.Rect(x, bar.y, tool, bar.height), label, name, "@tool", tip)
            x += tool + gap + (16 if name == "erase" else 0)
        right = bar.right
        self.button(
            pygame.Rect(right - 40, bar.y, 40, bar.height),
            "+",
            "bigger",
            "@tool",
            "Bigger brush (+)",
        )
        self.button(
            pygame.Rect(right - brush_width, bar.y, 40, bar.height),
            "-",
            "smaller",
            "@tool",
            "Smaller brush (-)",
        )
        top = self.rects["top_bar"]
        self.button(
            pygame.Rect(top.right - MARGIN - 92, 14, 92, 36),
            "Help",
            "help",
            "@quiet",
            "Keys (H or F1)",
        )
        self.button(
            pygame.Rect(top.right - MARGIN - 92 - 8 - 92, 14, 92, 36),
            "Menu",
            "menu",
            "@quiet",
            "Back to the title (Esc)",
        )
        scene, label, tip = self.other_mode
        self.button(pygame.Rect(MARGIN + 232, 14, 140, 36), label, "mode", "@quiet", tip)
        self.button(
            self.rects["classify"],
            "Classify",
            "classify",
            "@primary",
            "Commit this prediction (Enter or C)",
        )
        # The answer buttons are made once and shown when asked: rebuilding a dozen rounded
        # buttons at the moment of Classify would cost a frame.
        self._build_answer_buttons()
        self._answer_widgets_shown = None
        self.refresh_widgets()

    def _build_answer_buttons(self) -> None:
        area = self.rects["answer"]
        inner = area.inflate(-36, 0)
        yes = pygame.Rect(inner.x, area.y + 42, inner.width, 44)
        self.button(yes, "Yes", "confirm", "@primary", "Confirm (Enter)")
        skip = pygame.Rect(inner.right - 110, yes.bottom + 10, 110, 32)
        self.button(skip, "Skip  (Esc)", "skip", "@quiet", "Do not answer")
        # Two rows of five when there is room for them, else one row of ten.
        top = skip.bottom + 10
        room = area.bottom - 14 - top
        per_row = 5 if room >= 2 * 38 + 6 else 10
        gap = 8 if per_row == 5 else 4
        cell = (inner.width - (per_row - 1) * gap) // per_row
        height = min(44, (room - 6) // 2) if per_row == 5 else min(44, room)
        for d in range(10):
            row, column = divmod(d, per_row)
            rect = pygame.Rect(
                inner.x + column * (cell + gap), top + row * (height + 6), cell, height
            )
            self.button(rect, str(d), f"digit_{d}", "@digit", f"It's a {d} (key {d})")

    def refresh_widgets(self) -> None:
        # Called every frame: touch a widget only when its state really changes (cheap).
        on_top = self.app.top is self
        self._show_answer_widgets(self.answering is not None)
        _select(self.widget_named("draw"), not self.erasing)
        _select(self.widget_named("erase"), self.erasing)
        if on_top:
            ready = self.app.predictor.state == READY and not self.canvas.is_empty
            _enable(self.widget_named("classify"), ready)
            _enable(self.widget_named("bigger"), self.brush < BRUSH_SIZES[-1])
            _enable(self.widget_named("smaller"), self.brush > BRUSH_SIZES[0])

    def resume(self) -> None:
        super().resume()
        self._answer_widgets_shown = None
        self.refresh_widgets()

    def _show_answer_widgets(self, answering: bool) -> None:
        if self.covered or self._answer_widgets_shown == answering:
            return
        self._answer_widgets_shown = answering
        for widget in self.widgets:
            name = widget.get_object_ids()[-1].lstrip("#")
            if name in ANSWER_WIDGETS or name.startswith("digit_"):
                widget.show() if answering else widget.hide()
            elif name == "classify":
                widget.hide() if answering else widget.show()
        if answering:
            digit = self.answering[1].digit
            confirm = "Right, not a digit" if digit is None else f"Yes, it's {look.a_digit(digit)}"
            self.widget_named("confirm").set_text(confirm)

    # Input -------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self._on_button(event.ui_element)
        if event.type == pygame.KEYDOWN:
            return self._on_key(event)
        canvas = self.rects["canvas"]
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if canvas.collidepoint(event.pos):
                if self.answering is not None:
                    self.skip_answer(clear=True)
                self.canvas.begin(self._to_canvas(event.pos), self.brush, self.erasing)
                return True
        return self.canvas.follow(event, canvas.topleft)

    def _on_button(self, widget) -> bool:
        name = widget.get_object_ids()[-1].lstrip("#")
        actions = {
            "draw": lambda: self.set_erasing(False),
            "erase": lambda: self.set_erasing(True),
            "undo": self.undo,
            "reset": self.reset,
            "bigger": lambda: self.change_brush(+1),
            "smaller": lambda: self.change_brush(-1),
            "classify": self.classify,
            "confirm": self.confirm,
            "skip": self.skip_answer,
            "help": lambda: self.app.push("help"),
            "menu": self.app.pop,
            "mode": self.switch_mode,
        }
        if name.startswith("digit_"):
            self.answer(int(name.removeprefix("digit_")))
            return True
        action = actions.get(name)
        if action is None:
            return False
        action()
        return True

    def _on_key(self, event: pygame.event.Event) -> bool:
        key, ctrl = event.key, bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
        if self.answering is not None:
            if key in DIGIT_KEYS:
                self.answer(DIGIT_KEYS[key])
                return True
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.confirm()
                return True
            if key == pygame.K_ESCAPE:
                self.skip_answer()
                return True
        if key == pygame.K_z and ctrl:
            self.undo()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_c):
            self.classify()
        elif key in (pygame.K_BACKSPACE, pygame.K_r, pygame.K_DELETE):
            self.reset()
        elif key == pygame.K_e:
            self.set_erasing(True)
        elif key == pygame.K_d:
            self.set_erasing(False)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.change_brush(+1)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS, pygame.K_UNDERSCORE):
            self.change_brush(-1)
        elif key in (pygame.K_h, pygame.K_F1):
            self.app.push("help")
        elif key == pygame.K_n:
            self.switch_mode()
        elif key == pygame.K_ESCAPE:
            self.app.pop()
        else:
            return False
        return True

    def _to_canvas(self, position) -> tuple[float, float]:
        canvas = self.rects["canvas"]
        return (position[0] - canvas.x, position[1] - canvas.y)

    # Actions -----------------------------------------------------------------------------------

    def switch_mode(self) -> None:
        """One digit <-> whole numbers; the menu opens the mode chosen last."""
        save_mode(settings_path(self.app.recorder.path), self.other_mode[0])
        self.app.replace(self.other_mode[0])

    def set_erasing(self, erasing: bool) -> None:
        self.erasing = erasing
        self.refresh_widgets()

    def change_brush(self, direction: int) -> None:
        index = min(range(len(BRUSH_SIZES)), key=lambda i: abs(BRUSH_SIZES[i] - self.brush))
        index = min(max(index + direction, 0), len(BRUSH_SIZES) - 1)
        self.brush = int(min(max(BRUSH_SIZES[index], MIN_BRUSH), MAX_BRUSH))
        self.refresh_widgets()

    def undo(self) -> None:
        if self.answering is None:
            self.canvas.undo()

    def reset(self) -> None:
        if self.answering is not None:
            self.skip_answer(clear=False)
        self.canvas.clear()
        self.classify_pending = False

    def classify(self) -> None:
        """Commit the prediction for the strokes as they are now (when it is ready)."""
        if self.answering is not None:
            return
        if self.app.predictor.state != READY:
            self.show_toast("The model is still loading", look.AMBER)
        elif self.canvas.is_empty:
            self.show_toast("Draw a digit first", look.AMBER)
        else:
            # The prediction for this exact version may still be on its way: commit on arrival.
            self.classify_pending = True
            self._commit_if_ready()

    def _commit_if_ready(self) -> None:
        prediction = self.prediction
        if not self.classify_pending or prediction is None:
            return
        if prediction.version != self.canvas.version or self.canvas.drawing:
            return
        self.classify_pending = False
        if prediction.probabilities is None:
            self.show_toast("Draw a digit: a dot is not enough", look.AMBER)
            return
        info = getattr(self.app.predictor.classifier, "info", None)
        ticket = self.app.recorder.add(
            model_sha256=str(getattr(info, "sha256", "")),
            image=np.clip(prediction.image * 255 + 0.5, 0, 255).astype(np.uint8),
            probabilities=prediction.probabilities.astype(np.float32),
            prediction=NOT_A_DIGIT if prediction.digit is None else prediction.digit,
            latency_ms=float(prediction.latency_ms),
            mode=self.mode_name,
        )
        self.committed += 1
        self.answering = (ticket, prediction)
        self.refresh_widgets()

    def confirm(self) -> None:
        if self.answering is None:
            return
        if self.answering[1].digit is None:
            # The player agrees it is no digit: nothing to label, the drawing stays unlabelled.
            self.skip_answer(clear=True)
            self.show_toast("Noted: not a digit.")
        else:
            self.answer(self.answering[1].digit)

    def answer(self, digit: int) -> None:
        """The player says which digit it was: recorded as the label, then a fresh canvas."""
        if self.answering is None:
            return
        ticket, prediction = self.answering
        self.app.recorder.set_label(ticket, digit)
        if digit == prediction.digit:
            self.show_toast(f"Nice, {look.a_digit(digit)}. Saved.", look.GOOD)
        else:
            said = "" if prediction.digit is None else f", not {look.a_digit(prediction.digit)}"
            self.show_toast(f"Noted: it was {look.a_digit(digit)}{said}.", look.AMBER)
        self.answering = None
        self.canvas.clear()
        self.refresh_widgets()

    def skip_answer(self, clear: bool = False) -> None:
        if self.answering is None:
            return
        self.answering = None
        if clear:
            self.canvas.clear()
        self.refresh_widgets()

    def show_toast(self, message: str, colour=look.TEXT) -> None:
        self.toast.show(message, colour)

    # Per frame ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        predictor = self.app.predictor
        result = predictor.poll()
        if result is not None:
            self.prediction = result
        if predictor.state == READY and self.canvas.version != self.submitted_version:
            predictor.submit(self.canvas.version, self.canvas.all_strokes())
            self.submitted_version = self.canvas.version
        if self.canvas.is_empty and self.prediction is not None and self.answering is None:
            self.prediction = None
        self._commit_if_ready()
        if self.app.recorder.error and not self.history_error_shown:
            self.history_error_shown = True
            self.show_toast(self.app.recorder.error, look.BAD)
        self.view.update(dt, self._shown_prediction())
        self.refresh_widgets()

    def _shown_prediction(self) -> Prediction | None:
        if self.answering is not None:
            return self.answering[1]
        if self.canvas.is_empty:
            return None
        return self.prediction

    def draw(self, surface: pygame.Surface) -> None:
        rects = self.rects
        chrome.draw_top_bar(surface, rects["top_bar"], self.app)
        canvas = rects["canvas"]
        surface.blit(self.canvas.surface, canvas)
        # Rounded corners: the background colour over the canvas' corners, then the frame.
        frame = canvas.inflate(2, 2)
        pygame.draw.rect(surface, look.BACKGROUND, frame.inflate(8, 8), width=6, border_radius=16)
        pygame.draw.rect(surface, look.PANEL_EDGE, frame, width=2, border_radius=12)
        if self.canvas.is_empty:
            look.text(surface, "Draw a digit here", canvas.center, 30, look.FAINT, "bold", "center")
        self._draw_cursor(surface, canvas)
        self._draw_brush(surface, rects["toolbar"])
        shown = self._shown_prediction()
        stale = shown is not None and shown.version != self.canvas.version
        state = self.app.predictor.state
        self.view.draw_prediction(surface, rects["prediction"], shown, state, stale)
        if self.answering is None:
            self.view.draw_model_input(surface, rects["sees"], shown)
        else:
            self._draw_question(surface, rects["answer"])
        look.text(surface, HINTS, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, canvas)

    def _draw_cursor(self, surface, canvas) -> None:
        position = pygame.mouse.get_pos()
        if not canvas.collidepoint(position) or self.app.top is not self:
            return
        colour = look.AMBER if self.erasing else look.ACCENT
        pygame.draw.circle(surface, colour, position, max(self.brush // 2, 2), 1)

    def _draw_brush(self, surface, bar) -> None:
        # Between the - and + buttons: the brush at its real size, and its width in pixels.
        centre = (bar.right - 85, bar.centery)
        colour = look.AMBER if self.erasing else look.TEXT
        pygame.draw.circle(surface, colour, (centre[0] - 24, centre[1]), max(self.brush // 6, 2))
        label = f"{self.brush} px"
        look.text(surface, label, (centre[0] - 8, centre[1]), 14, look.MUTED, "bold", "midleft")

    def _draw_question(self, surface, rect) -> None:
        digit = self.answering[1].digit
        look.panel(
            surface, rect, "Not a digit?" if digit is None else f"Was it {look.a_digit(digit)}?"
        )
        look.text(
            surface,
            "keys 0-9 answer too",
            (rect.right - 18, rect.y + 14),
            12,
            look.FAINT,
            "regular",
            "topright",
        )
        look.text(
            surface,
            "No, it's a …",
            (rect.x + 18, rect.y + 42 + 44 + 26),
            15,
            look.MUTED,
            "regular",
            "midleft",
        )


def _select(widget, selected: bool) -> None:
    if widget is not None and widget.is_selected != selected:
        widget.select() if selected else widget.unselect()


def _enable(widget, enabled: bool) -> None:
    if widget is not None and widget.is_enabled != enabled:
        widget.enable() if enabled else widget.disable()
