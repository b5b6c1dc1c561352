"""The game window: owns the display, the clock, the widget manager and a stack of scenes.

There is exactly one loop, `App.run_loop`; every frame is one `App.step()`, which tests call
directly (`run_frames`) with posted pygame events, so the whole game runs headless and
deterministically. Scene changes requested during a frame happen at its end. The frame loop
never waits: the model loads and classifies in game.predictor's thread, history writes go
through game.recorder's thread.

Environment hooks (for the screenshot test, the README picture and the benchmarks):
DIGITS_SCREENSHOT=path saves the window as a PNG after DIGITS_SCREENSHOT_FRAMES frames (default
1) and then closes the app with exit code 0; DIGITS_STARTUP_REPORT=1 prints "first_frame T" and
"model_ready T" (T = time.time()), each followed by the process' CPU seconds so far, to stdout
and closes once the model is ready.
"""

import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core.surface_cache import SurfaceCache

from game import heap, modelcard, paths
from game.predictor import FAILED, READY, LivePredictor, default_loader
from game.recorder import HistoryRecorder, default_opener
from game.scenes import SCENES
from game.scenes.base import Scene
from game.scenes.draw_layout import MINIMUM_SIZE
from game.scenes.look import BACKGROUND, theme

FPS = 60
# Frames after a scene change before the heap is trimmed: enough for pygame-gui to draw every
# state of the new widgets (one state per widget a frame).
TRIM_AFTER_FRAMES = 30
DEFAULT_SIZE = (1180, 760)
SHAPE_CACHE_SIDE = 512
TITLE = "Digit Recognizer"
LOADER_GRACE_SECONDS = 60.0


class App:
    def __init__(
        self,
        model_path: Path,
        data_dir: Path | None = None,
        fullscreen: bool = False,
        size: tuple[int, int] = DEFAULT_SIZE,
        loader: Callable[[Path], Any] = default_loader,
        history_opener: Callable[[Path], Any] = default_opener,
        history_file: Path | None = None,
        start: str = "title",
    ) -> None:
        heap.keep_large_blocks_mapped()  # before the widgets draw their first scratch surfaces
        self.model_path = Path(model_path)
        self.card = modelcard.load_card(self.model_path)
        self.predictor = LivePredictor(self.model_path, loader)
        # An ONNX model loads while the window and its widgets are made: ready sooner. A Keras
        # model imports TensorFlow, which holds the interpreter for seconds: it starts once the
        # first frame is on screen, so the window shows at once.
        self._load_after_first_frame = self.model_path.suffix.lower() in (".h5", ".keras")
        if not self._load_after_first_frame:
            self.predictor.start()
        pygame.display.init()
        pygame.font.init()
        self._set_icon()  # before the window exists: some systems ignore a later icon
        self._flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        self.surface = pygame.display.set_mode(size if not fullscreen else (0, 0), self._flags)
        pygame.display.set_caption(TITLE)
        self._set_minimum_size()
        self.manager = pygame_gui.UIManager(self.surface.get_size(), theme())
        _use_a_smaller_shape_cache(self.manager)
        self.clock = pygame.time.Clock()
        if history_file is None:
            history_file = paths.history_path(data_dir)
        self.recorder = HistoryRecorder(history_file, history_opener)
        self.recorder.start()
        self.scenes: list[Scene] = []
        self._transitions: list[tuple[str, str | None, dict]] = []
        self.running = True
        self.exit_code = 0
        self.error = ""
        self.frames = 0
        # pygame-gui draws a new scene's widget states over its first frames, then frees the
        # scratch space: the heap is trimmed once, this frame (game.heap).
        self._trim_at_frame = TRIM_AFTER_FRAMES
        # How long the last step took, on the wall clock and in this thread's CPU time: on a
        # busy machine the two differ by the time other processes and threads took.
        self.frame_seconds = 0.0
        self.frame_cpu_seconds = 0.0
        self.push(start)
        self._apply_transitions()

    # Scene stack -------------------------------------------------------------------------------

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def push(self, name: str, **params: Any) -> None:
        self._transitions.append(("push", name, params))

    def pop(self) -> None:
        self._transitions.append(("pop", None, {}))

    def replace(self, name: str, **params: Any) -> None:
        self._transitions.append(("replace", name, params))

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    def _apply_transitions(self) -> None:
        while self._transitions:
            kind, name, params = self._transitions.pop(0)
            if kind in ("pop", "replace") and self.scenes:
                self.scenes.pop().leave()
                if kind == "pop" and self.scenes:
                    self.scenes[-1].resume()
            if kind in ("push", "replace"):
                scene = SCENES[name](self, **params)
                if self.scenes and kind == "push":
                    self.scenes[-1].pause(covered=not scene.overlay)
                self.scenes.append(scene)
                scene.enter()
            if not self.scenes:
                self.quit()
            self._trim_at_frame = self.frames + TRIM_AFTER_FRAMES

    # The frame ---------------------------------------------------------------------------------

    def step(self, dt: float = 1 / FPS) -> bool:
        """One frame: events, update, draw, flip. Returns False once the app should close."""
        started, started_cpu = time.perf_counter(), time.thread_time()
        for event in pygame.event.get():
            self._dispatch(event)
            # A scene change takes effect before the next event: a key that closed the help
            # must not also reach the help overlay a second time in the same frame.
            self._apply_transitions()
        if self.predictor.state == FAILED:
            self.error = self.predictor.error
            self.quit(2)
        if self.running and self.top is not None:
            self.top.update(dt)
            self.manager.update(dt)
            self._draw()
            self.frames += 1
            if self.frames == self._trim_at_frame:
                heap.release_free_memory()
            if self.frames == 1 and self._load_after_first_frame:
                self.predictor.start()
        self._apply_transitions()
        self.frame_seconds = time.perf_counter() - started
        self.frame_cpu_seconds = time.thread_time() - started_cpu
        return self.running

    def run_frames(self, count: int, dt: float = 1 / FPS) -> bool:
        for _ in range(count):
            if not self.step(dt):
                return False
        return True

    def run_loop(self) -> int:
        """The game's only loop: 60 frames a second until a scene quits or the window closes."""
        screenshot = os.environ.get("DIGITS_SCREENSHOT")
        screenshot_after = int(os.environ.get("DIGITS_SCREENSHOT_FRAMES", "1"))
        report = os.environ.get("DIGITS_STARTUP_REPORT") == "1"
        reported_ready = False
        dt = 0.0
        while self.step(dt):
            if report and self.frames == 1:
                print(f"first_frame {time.time():.6f} {time.process_time():.4f}", flush=True)
            if report and not reported_ready and self.predictor.state == READY:
                ready_at = self.predictor.ready_at
                print(f"model_ready {ready_at:.6f} {time.process_time():.4f}", flush=True)
                reported_ready = True
                self.quit()
            if screenshot and self.frames >= screenshot_after:
                self.save_screenshot(Path(screenshot))
                self.quit()
            dt = self.clock.tick(FPS) / 1000
        return self.exit_code

    def save_screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.surface, str(path))

    def close(self) -> None:
        while self.scenes:
            self.scenes.pop().leave()
        # The window goes first: the last history write may take the writer a moment (up to
        # the recorder's close timeout), and the player should not watch a window that no
        # longer answers meanwhile.
        pygame.display.quit()
        self.predictor.close()
        self.recorder.close()

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type == pygame.VIDEORESIZE:
            self._resize(event.size)
            return
        top = self.top
        if top is None:
            return
        # An overlay takes all input: the widgets of the scene below must not react under it.
        if not top.overlay and self.manager.process_events(event):
            return
        top.handle_event(event)

    def _resize(self, size: tuple[int, int]) -> None:
        size = (max(int(size[0]), 1), max(int(size[1]), 1))
        if self.surface.get_size() != size:
            self.surface = pygame.display.set_mode(size, self._flags)
        self.manager.set_window_resolution(self.surface.get_size())
        for scene in self.scenes:
            scene.relayout()

    def _draw(self) -> None:
        surface = self.surface
        surface.fill(BACKGROUND)
        base = len(self.scenes) - 1
        while base > 0 and self.scenes[base].overlay:
            base -= 1
        self.scenes[base].draw(surface)
        self.manager.draw_ui(surface)
        for scene in self.scenes[base + 1 :]:
            scene.draw(surface)
        pygame.display.flip()

    def _set_icon(self) -> None:
        icon = paths.assets_dir() / "icon.png"
        if icon.is_file():
            pygame.display.set_icon(pygame.image.load(str(icon)))

    def _set_minimum_size(self) -> None:
        try:
            # The display module's window is what set_mode made; pygame-ce warns that this
            # bridge is deprecated, but it is the only way to a minimum size in 2.5.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                pygame.Window.from_display_module().minimum_size = MINIMUM_SIZE
        except (AttributeError, pygame.error):
            pass  # older pygame-ce: the layout still copes with small windows


def run(model_path: Path, data_dir: Path | None, fullscreen: bool) -> int:
    """Open the window and play until it is closed; the exit code (2: the model was refused)."""
    app = App(Path(model_path), data_dir, fullscreen)
    try:
        code = app.run_loop()
    finally:
        app.close()
    if app.error:
        print(app.error, file=sys.stderr)
    # Closed while the model was still loading (TensorFlow takes seconds): the window is gone
    # already; let the import finish, since an interpreter that shuts down under a thread
    # importing TensorFlow aborts. If it never finishes, leave without the shutdown.
    if not app.predictor.join(LOADER_GRACE_SECONDS) or _tensorflow_done(app):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _tensorflow_done(app: App) -> bool:
    """A Keras model was played and every write is saved: TensorFlow's own interpreter shutdown
    (its exit hooks, its modules torn down) would keep the process alive seconds after the
    window is gone, with nothing left to do."""
    classifier = app.predictor.classifier
    backend = getattr(getattr(classifier, "info", None), "backend", "")
    return backend == "keras" and app.recorder.unsaved == 0


def _use_a_smaller_shape_cache(manager: pygame_gui.UIManager) -> None:
    """pygame-gui caches drawn widget shapes on 1024x1024 surfaces, the first one made and
    cleared (4 MB resident) with the manager. The game's cached shapes are buttons at most ~380
    pixels wide, so a 512x512 sheet holds them in a quarter of that (issue 15); a full sheet
    only means shapes are drawn again instead of copied. Call before any widget exists."""
    cache = SurfaceCache()
    size = (SHAPE_CACHE_SIDE, SHAPE_CACHE_SIDE)
    sheet = pygame.Surface(size, flags=pygame.SRCALPHA, depth=32)
    sheet.fill((0, 0, 0, 0))
    cache.cache_surface_size = size
    cache.cache_surfaces = [
        {"surface": sheet, "free_space_rectangles": [pygame.Rect((0, 0), size)]}
    ]
    manager.get_theme().shape_cache = cache
