"""The draw scene: a large canvas, the tools under it, the live prediction beside it.

Classify commits the current prediction (it is recorded in the history) and asks the player
whether it was right: Enter or "Yes" confirms, a digit key or button corrects, Esc skips.
The widgets are draw_widgets', the keys draw_keys', the question and what is said about saving
answer_panel's.
"""

import pygame
import pygame_gui

from game.canvas import MAX_BRUSH, MIN_BRUSH, Canvas
from game.predictor import READY, Prediction
from game.scenes import answer_panel, chrome, draw_keys, draw_widgets, look
from game.scenes.answer_flow import AnswerFlow
from game.scenes.base import Scene
from game.scenes.buttons import set_enabled, set_selected, set_shown
from game.scenes.canvas_panel import draw_canvas, pressed_on, start_stroke
from game.scenes.confirm import Confirm
from game.scenes.draw_keys import HINTS
from game.scenes.draw_layout import layout
from game.scenes.draw_widgets import BRUSH_SIZES
from game.scenes.explain_view import ExplainView
from game.scenes.prediction_view import PredictionView
from game.settings import save_mode, settings_path

DEFAULT_BRUSH = 20


class DrawScene(AnswerFlow, Scene):
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
        draw_widgets.build_toolbar(self, self.rects["toolbar"])
        draw_widgets.build_top_bar(self, self.rects["top_bar"], self.other_mode)
        draw_widgets.build_classify(self, self.rects["classify"])
        draw_widgets.build_answer_buttons(self, self.rects["answer"])
        self.why.build()
        draw_widgets.build_fresh_button(self, self.rects["hints"])
        self._answer_widgets_shown = None
        self.refresh_widgets()

    def refresh_widgets(self) -> None:
        # Called every frame: touch a widget only when its state really changes (cheap).
        if not self.covered:
            recorder = self.app.recorder
            fresh = bool(recorder.error) and answer_panel.can_start_fresh(recorder)
            set_shown(self.widget_named("fresh"), fresh)
        self._show_answer_widgets(self.answering is not None)
        set_selected(self.widget_named("draw"), not self.erasing)
        set_selected(self.widget_named("erase"), self.erasing)
        if self.app.top is self:
            set_enabled(self.widget_named("classify"), self._something_to_classify())
            set_enabled(self.widget_named("bigger"), self.brush < BRUSH_SIZES[-1])
            set_enabled(self.widget_named("smaller"), self.brush > BRUSH_SIZES[0])

    def _something_to_classify(self) -> bool:
        """A model, and ink it can read: a dot (what the reader calls nothing drawn) is not."""
        if self.app.predictor.state != READY or self.canvas.is_empty:
            return False
        read = self.prediction
        return read is None or read.version != self.canvas.version or read.image is not None

    def resume(self) -> None:
        super().resume()
        self._answer_widgets_shown = None
        self.refresh_widgets()

    # Input -------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.why.handle_event(event):
            return True
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return draw_keys.press(self, event.ui_element.get_object_ids()[-1].lstrip("#"))
        if event.type == pygame.KEYDOWN:
            return draw_keys.on_key(self, event)
        canvas = self.rects["canvas"]
        if pressed_on(event, canvas):
            self.asking.withdraw(self.toast)
            if self.answering is not None:
                # Said, not silent: the open question goes with the drawing it was about.
                self.skip_answer(clear=True)
                self.show_toast("Question skipped: you started a new drawing", look.AMBER)
            start_stroke(self.canvas, canvas, event.pos, self.brush, self.erasing)
            return True
        return self.canvas.follow(event, canvas.topleft)

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

    # Per frame ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.read_canvas(*self.why.request)
        if self.canvas.is_empty and self.prediction is not None and self.answering is None:
            self.prediction = None
        self._commit_if_ready()
        self._update_history_status()
        self.view.update(dt, self._shown_prediction())
        self.refresh_widgets()

    def read_canvas(self, *request, **options) -> None:
        """Take the newest reading, and ask for one of the canvas as it is now (once per
        version); `request` and `options` go to the predictor's submit."""
        predictor = self.app.predictor
        result = predictor.poll()
        if result is not None:
            self.prediction = result
        if predictor.state == READY and self.canvas.version != self.submitted_version:
            predictor.submit(self.canvas.version, self.canvas.all_strokes(), *request, **options)
            self.submitted_version = self.canvas.version

    def draw(self, surface: pygame.Surface) -> None:
        rects = self.rects
        chrome.draw_top_bar(surface, rects["top_bar"], self.app)
        canvas = rects["canvas"]
        draw_canvas(surface, self.canvas, canvas)
        shown = self._shown_prediction()
        self.why.draw_canvas(surface, canvas, shown)
        if self.canvas.is_empty:
            look.text(surface, "Draw a digit here", canvas.center, 30, look.FAINT, "bold", "center")
        self._draw_cursor(surface, canvas)
        self._draw_brush(surface, rects["toolbar"])
        stale = shown is not None and shown.version != self.canvas.version
        state = self.app.predictor.state
        self.view.draw_prediction(surface, rects["prediction"], shown, state, stale)
        self.why.draw_bars(surface, rects["prediction"], shown)
        if self.answering is None:
            self.view.draw_model_input(surface, rects["sees"], shown, *self.why.model_input(shown))
        else:
            self._draw_question(surface, rects["answer"])
        if not answer_panel.draw_notice(surface, rects["hints"], self.app.recorder):
            look.text(surface, HINTS, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, canvas)

    def _draw_cursor(self, surface, canvas) -> None:
        position = pygame.mouse.get_pos()
        if canvas.collidepoint(position) and self.app.top is self:
            draw_widgets.draw_cursor(surface, position, self.brush, self.erasing)

    def _draw_brush(self, surface, bar) -> None:
        draw_widgets.draw_brush(surface, bar, self.brush, self.erasing)

    def _draw_question(self, surface, rect) -> None:
        answer_panel.draw_question(surface, rect, self.answering[1].digit)
