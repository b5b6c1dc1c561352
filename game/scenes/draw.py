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
from game.scenes.confirm import Confirm
from game.scenes.draw_layout import MARGIN, layout
from game.scenes.explain_view import ExplainView
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
        self.why = ExplainView(self)  # off until asked: X, the Why? button, a bar
        self.brush = DEFAULT_BRUSH
        self.erasing = False
        self.prediction: Prediction | None = None
        self.submitted_version = -1
        self.classify_pending = False
        self.answering: tuple[int, Prediction] | None = None  # (history ticket, what was said)
        self.toast = chrome.Toast()
        self.history_error_shown = False
        self.saving: tuple[int, str, tuple] | None = None  # (write, what was said, colour)
        self.fresh_answer = None  # the Answer of a Start fresh in progress
        self.committed = 0
        self._answer_widgets_shown: bool | None = None
        self.asking = Confirm()

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
        self.why.build()
        self._build_history_notice()
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

    def _build_history_notice(self) -> None:
        hints = self.rects["hints"]
        rect = pygame.Rect(hints.right - MARGIN - 130, hints.y + 4, 130, hints.height - 8)
        tip = "Move the refused history database aside (nothing is deleted) and start a new one"
        self.button(rect, "Start fresh", "fresh", "@quiet", tip)
        self.widget_named("fresh").hide()

    def refresh_widgets(self) -> None:
        # Called every frame: touch a widget only when its state really changes (cheap).
        on_top = self.app.top is self
        if not self.covered:
            _show(
                self.widget_named("fresh"),
                bool(self.app.recorder.error) and self._can_start_fresh(),
            )
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
        if self.why.handle_event(event):
            return True
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self._on_button(event.ui_element)
        if event.type == pygame.KEYDOWN:
            return self._on_key(event)
        canvas = self.rects["canvas"]
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if canvas.collidepoint(event.pos):
                self.asking.withdraw(self.toast)
                if self.answering is not None:
                    # Said, not silent: the open question goes with the drawing it was about.
                    self.skip_answer(clear=True)
                    self.show_toast("Question skipped: you started a new drawing", look.AMBER)
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
            "menu": self.go_back,
            "fresh": self.start_fresh,
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
            self.go_back()
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
        if not self.canvas.is_empty:
            self.canvas.clear(undoable=True)
            self.show_toast("Canvas cleared: Ctrl+Z brings the drawing back")
        self.classify_pending = False

    def go_back(self) -> None:
        """Back to the title: the drawing is lost then, so with one on the canvas, ask first."""
        question = "Press Esc again (or Menu) to leave: this drawing will be lost"
        if self.canvas.is_empty or self.asking.ask("leave", question, self.toast):
            self.app.pop()

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
        write = self.app.recorder.set_label(ticket, digit)
        if digit == prediction.digit:
            said, colour = f"Nice, {look.a_digit(digit)}.", look.GOOD
        else:
            was = "" if prediction.digit is None else f", not {look.a_digit(prediction.digit)}"
            said, colour = f"Noted: it was {look.a_digit(digit)}{was}.", look.AMBER
        # "Saved." is added only once the writer says the label is committed.
        self.saving = (write, said, colour)
        self.show_toast(said, colour)
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

    def start_fresh(self) -> None:
        if self.fresh_answer is None and self._can_start_fresh():
            self.fresh_answer = self.app.recorder.start_fresh()

    # History status ----------------------------------------------------------------------------

    def _can_start_fresh(self) -> bool:
        return bool(getattr(self.app.recorder, "can_start_fresh", False))

    def _notice(self) -> str:
        """The line under the canvas while drawings are not being saved, and why."""
        recorder = self.app.recorder
        if recorder.error:
            reason = recorder.error.removeprefix("History is off: ")
            return f"History is off, drawings are not saved: {reason[:1].lower()}{reason[1:]}"
        return getattr(recorder, "waiting", "")

    def _update_history_status(self) -> None:
        recorder = self.app.recorder
        if recorder.error and not self.history_error_shown:
            self.history_error_shown = True
            self.show_toast(recorder.error, look.BAD)
        if self.saving is not None:
            write, said, colour = self.saving
            outcome = recorder.outcome(write)
            if outcome is True:
                self.saving = None
                if self.toast.message == said:  # the player has not been told something newer
                    self.toast.show(f"{said} Saved.", colour)
            elif outcome is not None:
                self.saving = None
                reason = "the history is off (see below)" if recorder.error else outcome
                self.toast.show(f"{said} Not saved: {reason}", look.BAD, 6.0)
        if self.fresh_answer is not None and self.fresh_answer.done:
            done, self.fresh_answer = self.fresh_answer, None
            if done.error:
                self.toast.show(done.error, look.BAD, 6.0)
            else:
                kept = f" The old one is kept as {done.value.name}." if done.value else ""
                self.toast.show(f"A fresh history was started.{kept}", look.GOOD, 6.0)
                self.history_error_shown = False

    def _draw_notice(self, surface: pygame.Surface, rect: pygame.Rect) -> bool:
        notice = self._notice()
        if not notice:
            return False
        right = rect.right - MARGIN - (140 if self._can_start_fresh() else 0)
        area = pygame.Rect(MARGIN, rect.y, right - MARGIN, rect.height)
        font = look.font(13, "bold")
        lines = chrome.wrap(notice, font, area.width)
        if len(lines) > 2:
            lines = [lines[0], _fit(" ".join(lines[1:]), font, area.width)]
        top = area.centery - 8 * len(lines)
        for index, line in enumerate(lines):
            look.text(
                surface, line, (area.x, top + 8 + 16 * index), 13, look.BAD, "bold", "midleft"
            )
        return True

    # Per frame ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        predictor = self.app.predictor
        result = predictor.poll()
        if result is not None:
            self.prediction = result
        if predictor.state == READY and self.canvas.version != self.submitted_version:
            predictor.submit(self.canvas.version, self.canvas.all_strokes(), *self.why.request)
            self.submitted_version = self.canvas.version
        if self.canvas.is_empty and self.prediction is not None and self.answering is None:
            self.prediction = None
        self._commit_if_ready()
        self._update_history_status()
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
        self.why.draw_canvas(surface, canvas, self._shown_prediction())
        if self.canvas.is_empty:
            look.text(surface, "Draw a digit here", canvas.center, 30, look.FAINT, "bold", "center")
        self._draw_cursor(surface, canvas)
        self._draw_brush(surface, rects["toolbar"])
        shown = self._shown_prediction()
        stale = shown is not None and shown.version != self.canvas.version
        state = self.app.predictor.state
        self.view.draw_prediction(surface, rects["prediction"], shown, state, stale)
        self.why.draw_bars(surface, rects["prediction"], shown)
        if self.answering is None:
            self.view.draw_model_input(surface, rects["sees"], shown, *self.why.model_input(shown))
        else:
            self._draw_question(surface, rects["answer"])
        if not self._draw_notice(surface, rects["hints"]):
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


def _show(widget, shown: bool) -> None:
    if widget is not None and widget.visible != shown:
        widget.show() if shown else widget.hide()


def _fit(text: str, font: pygame.font.Font, width: int) -> str:
    """`text` cut to `width` pixels with an ellipsis (the notice has room for two lines)."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"
