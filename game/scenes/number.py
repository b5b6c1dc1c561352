"""Number mode: write a whole number on a wide canvas; each digit is boxed live with its reading.

The draw scene's canvas, tools and keys, on a wider layout. Classify asks whether the number
was right: Enter or "Yes" confirms; a click on a digit's box (or Tab) selects it and a digit key
or button corrects it; digit keys typed with no digit selected spell out the right number.
The number and each digit with its strokes are recorded in the history.
"""

import numpy as np
import pygame

from game.number_history import add_number, set_number_label
from game.predictor import READY
from game.reader import SURE
from game.scenes import look
from game.scenes.draw import DIGIT_KEYS, DrawScene
from game.scenes.draw_layout import GAP, HINT_BAR, MARGIN, MINIMUM_SIZE, TOOLBAR, TOP_BAR
from game.segment import Number

HINTS = "Enter classify   ·   Backspace reset   ·   Ctrl+Z undo   ·   E erase   ·   N one digit   ·   H help   ·   Esc menu"  # noqa: E501
ANSWER_HINTS = "Enter confirms   ·   click a box (or Tab) and a digit corrects it   ·   or type the number   ·   Esc skips"  # noqa: E501
DOUBTFUL = 0.6


def number_layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """The draw layout's parts for a wide canvas with the number and the question below it."""
    width, height = max(size[0], MINIMUM_SIZE[0]), max(size[1], MINIMUM_SIZE[1])
    content_top, content_bottom = TOP_BAR + 12, height - HINT_BAR - 4
    lower = 250
    canvas_height = max(content_bottom - content_top - TOOLBAR - 2 * GAP - lower, 180)
    canvas = pygame.Rect(MARGIN, content_top, width - 2 * MARGIN, canvas_height)
    toolbar = pygame.Rect(MARGIN, canvas.bottom + GAP, min(canvas.width, 640), TOOLBAR)
    below = toolbar.bottom + GAP
    side_width = int(min(max(width * 0.32, 300), 420))
    answer = pygame.Rect(width - MARGIN - side_width, below, side_width, content_bottom - below)
    classify = pygame.Rect(answer.x, answer.bottom - 52, side_width, 52)
    prediction = pygame.Rect(MARGIN, below, answer.x - 2 * MARGIN, answer.height)
    return {
        "canvas": canvas,
        "toolbar": toolbar,
        "prediction": prediction,
        "sees": prediction,
        "classify": classify,
        "answer": answer,
        "top_bar": pygame.Rect(0, 0, width, TOP_BAR),
        "hints": pygame.Rect(0, height - HINT_BAR, width, HINT_BAR),
    }


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
        predictor = self.app.predictor
        result = predictor.poll()
        if result is not None:
            self.prediction = result
        if predictor.state == READY and self.canvas.version != self.submitted_version:
            predictor.submit(self.canvas.version, self.canvas.all_strokes(), number=True)
            self.submitted_version = self.canvas.version
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
        number = self.shown_number()
        if number is None:
            return []
        canvas = self.rects["canvas"]
        boxes = []
        for digit in number.digits:
            left, top, right, bottom = digit.box
            rect = pygame.Rect(int(left), int(top), int(right - left) + 1, int(bottom - top) + 1)
            boxes.append(rect.move(canvas.topleft).inflate(16, 16))
        return boxes

    def draw(self, surface: pygame.Surface) -> None:
        rects = self.rects
        from game.scenes import chrome

        chrome.draw_top_bar(surface, rects["top_bar"], self.app)
        canvas = rects["canvas"]
        surface.blit(self.canvas.surface, canvas)
        frame = canvas.inflate(2, 2)
        pygame.draw.rect(surface, look.BACKGROUND, frame.inflate(8, 8), width=6, border_radius=16)
        pygame.draw.rect(surface, look.PANEL_EDGE, frame, width=2, border_radius=12)
        if self.canvas.is_empty:
            look.text(
                surface, "Write a number here", canvas.center, 30, look.FAINT, "bold", "center"
            )
        self._draw_boxes(surface)
        self._draw_cursor(surface, canvas)
        self._draw_brush(surface, rects["toolbar"])
        self._draw_number(surface, rects["prediction"])
        if self.answering is not None:
            self._draw_question(surface, rects["answer"])
        hints = HINTS if self.answering is None else ANSWER_HINTS
        look.text(surface, hints, rects["hints"].center, 13, look.FAINT, "regular", "center")
        self.toast.draw(surface, canvas)

    def _draw_boxes(self, surface: pygame.Surface) -> None:
        number = self.shown_number()
        if number is None:
            return
        stale = self.asked is None and self.prediction.version != self.canvas.version
        for index, (digit, box) in enumerate(zip(number.digits, self.digit_boxes(), strict=True)):
            text = self.corrected[index] if self.asked is not None else digit.text
            colour = _colour(digit.digit, digit.confidence)
            if stale:
                colour = look.FAINT
            width = 2
            if index == self.selected:
                colour, width = look.ACCENT, 3
            elif self.asked is not None and text != digit.text:
                colour = look.ACCENT
            pygame.draw.rect(surface, colour, box, width=width, border_radius=8)
            label = text if self.asked is not None and text != digit.text else digit.text
            if self.asked is None or text == digit.text:
                label = f"{label}  {digit.confidence:.0%}" if digit.digit is not None else label
            look.text(surface, label, (box.x + 2, box.y - 4), 16, colour, "bold", "bottomleft")

    def _draw_number(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        look.panel(surface, rect, "The number")
        number = self.shown_number()
        centre = (rect.x + 24, rect.y + 92)
        if self.app.predictor.state != READY:
            look.text(surface, "Loading the model…", centre, 26, look.AMBER, "bold", "midleft")
            return
        if number is None or not number.found:
            message = "Write digits side by side" if number is None else "No digit found yet"
            look.text(surface, message, centre, 26, look.FAINT, "bold", "midleft")
            return
        text = self.answer_text() if self.asked is not None else number.text
        look.text(surface, text or "…", centre, 64, look.TEXT, "bold", "midleft")
        if "?" in number.text:
            detail = "a '?' is a piece the model could not read as a digit"
        else:
            detail = f"{number.confidence:.0%} sure of every digit  ·  {len(number.digits)} digits"
        detail_at = (rect.x + 24, rect.y + 150)
        look.text(surface, detail, detail_at, 16, look.MUTED, "regular", "midleft")
        if self.typed is not None:
            typed_at = (rect.x + 24, rect.y + 178)
            look.text(
                surface, "typed: Enter confirms", typed_at, 15, look.ACCENT, "regular", "midleft"
            )
        self._draw_inputs(surface, rect, number)

    def _draw_inputs(self, surface: pygame.Surface, rect: pygame.Rect, number: Number) -> None:
        # What the model saw of each digit, small, along the panel's bottom.
        side = 56
        x, y = rect.x + 24, rect.bottom - side - 16
        for digit in number.digits:
            if x + side > rect.right - 16 or digit.answer.image is None:
                break
            grey = (np.clip(digit.answer.image, 0.0, 1.0) * 255).astype(np.uint8)
            small = pygame.surfarray.make_surface(np.repeat(grey.T[:, :, None], 3, axis=2))
            surface.blit(pygame.transform.scale(small, (side, side)), (x, y))
            pygame.draw.rect(surface, look.PANEL_EDGE, (x - 1, y - 1, side + 2, side + 2), 1)
            x += side + 8

    def _draw_question(self, surface, rect) -> None:
        look.panel(surface, rect, f"Was it {self.asked.text}?")
        look.text(
            surface,
            "No: click a digit, then …",
            (rect.x + 18, rect.y + 42 + 44 + 26),
            15,
            look.MUTED,
            "regular",
            "midleft",
        )


def _colour(digit: int | None, confidence: float) -> tuple[int, int, int]:
    if digit is None:
        return look.BAD
    if confidence >= SURE:
        return look.GOOD
    return look.AMBER if confidence >= DOUBTFUL else look.BAD
