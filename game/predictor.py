"""The live-prediction worker: loads the model, then classifies the latest strokes off the UI
thread.

The frame loop only ever calls `submit` and `poll`, which take a lock for a few microseconds.
Requests are "latest wins": while the worker classifies one drawing the user may draw on, and
only the newest strokes are classified next; older requests are dropped, never queued.
"""

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.explain import Explanation, explain
from game.preprocess import Stroke
from game.reader import Answer, Reader
from game.segment import Number

LOADING, READY, FAILED = "loading", "ready", "failed"
# What a request asks to have explained: (explain at all, the digit, or None for the answer).
Why = tuple[bool, int | None]


@dataclass(frozen=True)
class Prediction:
    """What the model said about one version of the canvas."""

    version: int
    image: np.ndarray | None  # the 28x28 model input; None when there is nothing to classify
    probabilities: np.ndarray | None  # (10,) float32, calibrated
    latency_ms: float  # preprocessing plus inference
    answer: Answer | None = None  # the reader's verdict; None for a bare replayed guess
    explanation: Explanation | None = None  # when one was asked for (submit's `explain`)
    number: Number | None = None  # for a whole-number request: the digits read

    @property
    def digit(self) -> int | None:
        """The digit read, or None: nothing to classify, or not a digit."""
        if self.answer is not None:
            return self.answer.digit
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """How sure the reader is of `digit` (or, when that is None, that it is no digit)."""
        if self.answer is not None:
            return self.answer.confidence
        return 0.0 if self.probabilities is None else float(np.max(self.probabilities))

    @property
    def not_a_digit(self) -> bool:
        """Something was drawn, and the reader says it is not a digit."""
        return self.image is not None and self.digit is None

    @classmethod
    def of(
        cls, version: int, answer: Answer, explanation: Explanation | None = None
    ) -> "Prediction":
        probabilities = answer.probabilities if answer.drawn else None
        return cls(version, answer.image, probabilities, answer.latency_ms, answer, explanation)


def default_loader(path: Path) -> Reader:
    # Called in the worker thread: the Keras backend pulls in TensorFlow (seconds).
    return Reader.load(path)


class LivePredictor:
    """One daemon thread: load the classifier, then serve the latest request until closed."""

    def __init__(self, model_path: Path, loader: Callable[[Path], Any] = default_loader) -> None:
        self.model_path = Path(model_path)
        self._loader = loader
        self._condition = threading.Condition()
        self._request: tuple[int, list[Stroke], Why, bool] | None = None
        self._result: Prediction | None = None
        self._closed = False
        self.state = LOADING
        self.error = ""
        self.reader: Reader | None = None
        self.classifier: Any = None  # the reader's model (its `info` names file and backend)
        self.load_seconds = 0.0
        self.ready_at = 0.0  # time.time() when the model became ready (startup figures)
        self._thread = threading.Thread(target=self._run, name="live-prediction", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(
        self,
        version: int,
        strokes: Sequence[Stroke],
        explain: bool = False,
        digit: int | None = None,
        number: bool = False,
    ) -> None:
        """Ask for the prediction of these strokes; replaces any request not yet started. With
        `explain`, it comes with an explanation of the answer (or of `digit`, if given); with
        `number`, the strokes are read as a whole number."""
        with self._condition:
            self._request = (version, list(strokes), (explain, digit), number)
            self._condition.notify()

    def poll(self) -> Prediction | None:
        """The newest finished prediction, once (None if nothing new)."""
        with self._condition:
            result, self._result = self._result, None
        return result

    def classify_now(self, strokes: Sequence[Stroke], version: int = -1) -> Prediction:
        """Classify in the caller's thread (for the self-test and the benchmarks)."""
        return self._classify(version, list(strokes))

    def wait_ready(self, timeout: float) -> bool:
        """Block until the model is loaded or failed (tests and benchmarks only)."""
        deadline = time.monotonic() + timeout
        while self.state == LOADING and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.state == READY

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify()

    def join(self, timeout: float) -> bool:
        """Wait for the worker to end (after close); False if it is still busy loading."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            loaded = self._loader(self.model_path)
            # A loader may hand over a bare classifier (tests): read it uncalibrated.
            self.reader = loaded if isinstance(loaded, Reader) else Reader(loaded)
            self.classifier = self.reader.classifier
        except ValueError as error:  # ModelLoadError: one sentence for the user
            self.error = str(error)
            self.state = FAILED
            return
        except Exception as error:  # noqa: BLE001 - any other failure must still reach the user
            self.error = f"The model {self.model_path.name} could not be loaded: {error}."
            self.state = FAILED
            return
        self.load_seconds = time.perf_counter() - start
        self.ready_at = time.time()
        self.state = READY
        while True:
            with self._condition:
                while self._request is None and not self._closed:
                    self._condition.wait()
                if self._closed:
                    return
                version, strokes, why, number = self._request
                self._request = None
            try:
                result = (
                    self._read_number(version, strokes)
                    if number
                    else self._classify(version, strokes, why)
                )
            except Exception as error:  # noqa: BLE001 - one bad drawing must not end live play
                self.error = f"The drawing could not be classified: {error}."
                result = Prediction(version, None, None, 0.0)
            with self._condition:
                self._result = result

    def _classify(self, version: int, strokes: list[Stroke], why: Why = (False, None)):
        # The answer is read alone even when explained: its latency stays the reading's own
        # (the history records it), and the explanation's batch reads it again for its sums.
        answer = self.reader.read(strokes)
        explanation = explain(self.reader, strokes, why[1]) if why[0] else None
        return Prediction.of(version, answer, explanation)

    def _read_number(self, version: int, strokes: list[Stroke]) -> Prediction:
        number = self.reader.read_number(strokes)
        return Prediction(version, None, None, number.latency_ms, number=number)
