"""The draw scene's question after Classify, as a part of the scene: the prediction committed
(recorded in the history), the player's answer (confirmed, corrected or skipped) recorded as its
label, and what the scene says about saving. The number mode overrides the answering steps.

A mixin of DrawScene: it works on the scene's state (canvas, prediction, answering, saving,
toast), which DrawScene.__init__ sets up; what is drawn is answer_panel's.
"""

from game.predictor import READY, Prediction
from game.scenes import answer_panel, draw_widgets, look
from game.scenes.canvas_panel import record_drawing


class AnswerFlow:
    def _show_answer_widgets(self, answering: bool) -> None:
        if self.covered or self._answer_widgets_shown == answering:
            return
        self._answer_widgets_shown = answering
        draw_widgets.show_answer_buttons(self.widgets, answering)
        if answering:
            label = answer_panel.confirm_label(self.answering[1].digit)
            self.widget_named("confirm").set_text(label)

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
        ticket = record_drawing(
            self.app,
            prediction.image,
            prediction.probabilities,
            prediction.digit,
            prediction.latency_ms,
            self.mode_name,
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
        if self.fresh_answer is None and answer_panel.can_start_fresh(self.app.recorder):
            self.fresh_answer = self.app.recorder.start_fresh()

    def _notice(self) -> str:
        """The line under the canvas while drawings are not being saved, and why."""
        return answer_panel.notice(self.app.recorder)

    def _update_history_status(self) -> None:
        recorder = self.app.recorder
        if recorder.error and not self.history_error_shown:
            self.history_error_shown = True
            self.show_toast(recorder.error, look.BAD)
        if self.saving is not None:
            self.saving = answer_panel.follow_save(recorder, self.saving, self.toast)
        if self.fresh_answer is not None and self.fresh_answer.done:
            done, self.fresh_answer = self.fresh_answer, None
            if answer_panel.report_fresh(done, self.toast):
                self.history_error_shown = False

    def _shown_prediction(self) -> Prediction | None:
        if self.answering is not None:
            return self.answering[1]
        if self.canvas.is_empty:
            return None
        return self.prediction
