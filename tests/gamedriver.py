"""Drive the real game headless: post pygame events, step frames, read what the player would see.

Shared by the app, scene, digit and monkey tests. The classifiers here stand in for a model at
the boundary (instant, deterministic) so UI tests need no model file; end-to-end tests use the
shipped model through the real loader.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

from game.app import App
from game.paths import assets_dir

SHIPPED_MODEL = assets_dir() / "model.onnx"


@dataclass(frozen=True)
class FakeInfo:
    name: str = "fake.onnx"
    sha256: str = "f" * 64
    backend: str = "onnx"


class FakeClassifier:
    """Always fairly sure it is a 3: enough to test everything but recognition itself."""

    info = FakeInfo()

    def predict(self, images: np.ndarray) -> np.ndarray:
        probabilities = np.full((len(images), 10), 0.01, dtype=np.float32)
        probabilities[:, 3] = 0.91
        return probabilities


def fake_loader(path: Path) -> FakeClassifier:
    return FakeClassifier()


class Driver:
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def scene(self):
        return self.app.top

    def frames(self, count: int = 1) -> bool:
        return self.app.run_frames(count)

    def post(self, kind: int, **attributes) -> None:
        pygame.event.post(pygame.event.Event(kind, **attributes))

    def key(self, key: int, mod: int = 0, frames: int = 1) -> None:
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0)
        self.frames(frames)

    def click(self, position, frames: int = 2) -> None:
        position = (int(position[0]), int(position[1]))
        self.post(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))
        self.post(pygame.MOUSEBUTTONDOWN, pos=position, button=1)
        self.post(pygame.MOUSEBUTTONUP, pos=position, button=1)
        # pygame-gui answers the release with a UI_BUTTON_PRESSED event, seen the next frame.
        self.frames(frames)

    def click_widget(self, name: str, frames: int = 2) -> None:
        widget = self.scene.widget_named(name)
        assert widget is not None, f"no widget #{name} in {type(self.scene).__name__}"
        self.click(widget.rect.center, frames)

    def stroke(self, points, frames: int = 1) -> None:
        """Press at the first point, move through the others, release at the last."""
        points = [(int(round(x)), int(round(y))) for x, y in points]
        self.post(pygame.MOUSEBUTTONDOWN, pos=points[0], button=1)
        for point in points[1:]:
            self.post(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(1, 0, 0))
        self.post(pygame.MOUSEBUTTONUP, pos=points[-1], button=1)
        self.frames(frames)

    def canvas_stroke(self, fractions, frames: int = 1) -> None:
        """A stroke given in fractions (0..1) of the canvas."""
        canvas = self.scene.rects["canvas"]
        self.stroke([(canvas.x + fx * canvas.w, canvas.y + fy * canvas.h) for fx, fy in fractions])
        self.frames(frames - 1 if frames > 1 else 0)

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.app.predictor.wait_ready(timeout), self.app.predictor.error

    def wait_prediction(self, timeout: float = 10.0):
        """Step frames until the draw scene shows the prediction for the canvas as it is."""
        scene = self.scene
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.frames(1)
            prediction = scene.prediction
            if prediction is not None and prediction.version == scene.canvas.version:
                return prediction
            time.sleep(0.002)
        raise AssertionError("no prediction arrived for the current strokes")


@contextmanager
def running(app: App) -> Iterator[Driver]:
    """A driver of `app` once its model is loaded; the app is closed afterwards, whatever
    happened (a model that never loads included)."""
    try:
        driver = Driver(app)
        driver.wait_ready()
        yield driver
    finally:
        app.close()


def make_app(tmp_path: Path, **options) -> App:
    options.setdefault("loader", fake_loader)
    options.setdefault("history_file", tmp_path / "history.sqlite3")
    model = options.pop("model", tmp_path / "model.onnx")
    return App(model, **options)
