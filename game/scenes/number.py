"""Number mode: write a whole number on a wide canvas; each digit is boxed live with its reading.

The draw scene's canvas, tools and keys, on a wider layout. Classify asks whether the number
was right: Enter or "Yes" confirms; a click on a digit's box (or Tab) selects it and a digit key
or button corrects it; digit keys typed with no digit selected spell out the right number.
The number and each digit with its strokes are recorded in the history.
"""

import pygame

from game.number_history import add_number, set_number_label
from game.scenes import chrome, look, number_panels
from game.scenes.canvas_panel import draw_canvas
from game.scenes.draw import DrawScene
from game.scenes.draw_keys import DIGIT_KEYS
from game.scenes.draw_layout import number_layout
from game.segment import Number

HINTS = "Enter classify   ·   Backspace reset   ·   Ctrl+Z undo   ·   E erase   ·   N one digit   ·   H help   ·   Esc menu"  # noqa: E501
ANSWER_HINTS = "Enter confirms   ·   click a box (or Tab) and a digit corrects it   ·   or type the number   ·   Esc skips"  # noqa: E501


class NumberScene(DrawScene):
    mode_name = "number"
    layout = staticmethod(number_layout)
    other_mode = ("draw", "One digit", "Write one digit at a time (N)")

    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.asked: Number | None = None  # the number the question is about
        self.corrected: list[str] = []  # the player's answer, digit by digit
        self.selected: int | None = None
        self.typed: str | None = None  # the number typed out, when the player types one
        self.saved = None  # the history's answer to "record this number" (its row id)

    # Reading -----------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.read_canvas(number=True)
        self._commit_if_ready()
        if self.app.recorder.error and not self.history_error_shown:
            self.history_error_shown = True
            self.show_toast(self.app.recorder.error, look.BAD)
        self.refresh_widgets()

    def shown_number(self) -> Number | None:
        if self.asked is not None:
            return self.asked
        if self.canvas.is_empty or self.prediction is None:
            return None
        return self.prediction.number

    def _commit_if_ready(self) -> None:
        prediction = self.prediction
        if not self.classify_pending or prediction is None or prediction.number is None:
            return
        if prediction.version != self.canvas.version or self.canvas.drawing:
            return
        self.classify_pending = False
        number = prediction.number
        if not number.found:
            self.show_toast("No digit found: write a number", look.AMBER)
            return
        info = getattr(self.app.predictor.classifier, "info", None)
        sha256 = str(getattr(info, "sha256", ""))
        self.saved = self.app.recorder.ask(
            lambda history: add_number(history, number, sha256, mode=self.mode_name)
        )
        self.committed += 1
        self.asked, self.corrected = number, [d.text for d in number.digits]
        self.selected, self.typed = None, None
        self.answering = (0, prediction)
        self.refresh_widgets()

    # Answering ---------------------------------------------------------------------------------

    def _show_answer_widgets(self, answering: bool) -> None:
        super()._show_answer_widgets(answering)
        confirm = self.widget_named("confirm")
        if answering and not self.covered and confirm is not None:
            text = self.answer_text()
            label = f"Yes, it's {text}" if text == self.asked.text else f"Save {text or '…'}"
            if confirm.text != label:
                confirm.set_text(label)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.answering is not None:
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                for index, box in enumerate(self.digit_boxes()):
                    if box.collidepoint(event.pos):
                        self.select(index)
                        return True
            if event.type == pygame.KEYDOWN and self._on_answer_key(event):
                return True
        return super().handle_event(event)

    def _on_answer_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_TAB:
            count = len(self.corrected)
            self.select(0 if self.selected is None else (self.selected + 1) % count)
        elif event.key == pygame.K_BACKSPACE and self.typed is not None:
            self.typed = self.typed[:-1] or None
        elif event.key in DIGIT_KEYS:
            self.answer(DIGIT_KEYS[event.key])
        else:
            return False
        return True

    def select(self, index: int) -> None:
        self.selected, self.typed = index, None

    def answer(self, digit: int) -> None:
        """A digit key or button: corrects the selected digit, or types the number."""
        if self.answering is None:
            return
        if self.selected is None:
            self.typed = (self.typed or "") + str(digit)
            return
        self.corrected[self.selected] = str(digit)
        following = self.selected + 1
        self.selected = following if following < len(self.corrected) else None

    def answer_text(self) -> str:
        return self.typed if self.typed is not None else "".join(self.corrected)

    def confirm(self) -> None:
        if self.answering is None:
            return
        text = self.answer_text()
        if not text.isdigit():
            self.show_toast("Which digit is the '?': click it and type the digit", look.AMBER)
            return
        saved = self.saved
        self.app.recorder.ask(lambda history: set_number_label(history, saved.value, text))
        if text == self.asked.text:
            self.show_toast(f"Nice, {text}. Saved.", look.GOOD)
        else:
            self.show_toast(f"Noted: it was {text}, not {self.asked.text}.", look.AMBER)
        self._end_answer(clear=True)

    def skip_answer(self, clear: bool = False) -> None:
        if self.answering is not None:
            self._end_answer(clear)

    def _end_answer(self, clear: bool) -> None:
        self.answering, self.asked, self.selected, self.typed = None, None, None, None
        if clear:
            self.canvas.clear()
        self.refresh_widgets()

    # Drawing -----------------------------------------------------------------------------------

    def digit_boxes(self) -> list[pygame.Rect]:
        """Each digit's box on screen, a little larger than its ink."""
        return number_panels.digit_boxes(self.shown_number(), self.rects["canvas"])

    def draw(self, surface: pygame.Surface) -> None:
        rects = self.rects
        chrome.draw_top_bar(surface, rects["top_bar"], self.app)
        canvas = rects["canvas"]
        draw_canvas(surface, self.canvas, canvas)
        if self.canvas.is_empty:
            look.text(
                surface, "Write a number here", canvas.center, 30, look.FAINT, "bold", "center"
            )
        number, asked = self.shown_number(), self.asked is not None
        if number is not None:
            stale = not asked and self.prediction.version != self.canvas.version
            corrected = self.corrected if asked else None
            boxes = self.digit_boxes()
            number_panels.draw_boxes(surface, number, boxes, corrected, self.selected, stale)
        self._draw_cursor(surface, canvas)
        self._draw_brush(surface, rects["toolbar"])
        answer = self.answer_text() if asked else None
        state, typed = self.app.predictor.state, self.typed is not None
        number_panels.draw_number(surface, rects["prediction"], number, state, answer, typed)
        if self.answering is not None:
            self._draw_question(surface, rects["answer"])
        hints = HINTS if self.answering is None else ANSWER_HINTS
        look.text(surface, hints, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, canvas)

    def _draw_question(self, surface, rect) -> None:
        number_panels.draw_question(surface, rect, self.asked.text)
