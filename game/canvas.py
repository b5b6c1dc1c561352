"""The drawing canvas: strokes recorded as point lists, shown as smooth anti-aliased ink.

The strokes are the truth (they are what game.preprocess classifies); the picture on screen is
drawn from them. Each new mouse position adds one segment, drawn at once into a coverage array as
a capsule (a segment with round ends): a pixel's ink comes from its distance to the segment, with
one pixel of soft edge, so strokes are anti-aliased and consecutive positions are always joined,
however fast the mouse moves. Undo and resize redraw the picture from the recorded strokes.

The eraser is drawn as it moves (it clears the pixels under it); when the eraser stroke ends the
picture is redrawn from the strokes as game.preprocess.cut left them, so that ink whose centre
line was erased leaves no sliver on screen that the model would not see.
"""

from collections.abc import Sequence

import numpy as np
import pygame

from game.preprocess import Stroke, cut

PAPER = (12, 16, 26)
INK = (241, 245, 252)
MIN_BRUSH = 4
MAX_BRUSH = 64


class Canvas:
    """Strokes in canvas pixels (origin at the canvas' top left) and their rendered picture."""

    def __init__(self, size: tuple[int, int], paper=PAPER, ink=INK) -> None:
        self.size = (max(1, int(size[0])), max(1, int(size[1])))
        self.paper = np.array(paper, dtype=np.float32)
        self.ink = np.array(ink, dtype=np.float32)
        self.strokes: list[Stroke] = []
        self._points: list[tuple[float, float]] = []
        self._width = 16.0
        self._erase = False
        # The strokes each undoable clear removed, the latest last: Ctrl+Z brings them back.
        self._cleared: list[list[Stroke]] = []
        # Bumped whenever the strokes change, so that a prediction can say which strokes it is for.
        self.version = 0
        self._coverage = np.zeros((self.size[0], self.size[1]), dtype=np.float32)
        self.surface = pygame.Surface(self.size)
        self.surface.fill(paper)

    # The strokes -------------------------------------------------------------------------------

    @property
    def drawing(self) -> bool:
        return bool(self._points)

    @property
    def is_empty(self) -> bool:
        return not self.strokes and not self._points

    def all_strokes(self) -> list[Stroke]:
        """The finished strokes and the one being drawn, as game.preprocess takes them."""
        strokes = list(self.strokes)
        if self._points:
            strokes.append(Stroke.from_points(self._points, self._width, self._erase))
        return strokes

    def begin(self, position: Sequence[float], width: float, erase: bool = False) -> None:
        """Press: a new stroke starts with a round dot under the pen."""
        if self._points:
            self.end()
        self._width = float(width)
        self._erase = erase
        point = self._clamp(position)
        self._points = [point]
        self._paint(point, point, self._width, erase)
        self.version += 1

    def extend(self, position: Sequence[float]) -> None:
        """Drag: the pen moved; the segment from its last position is drawn."""
        if not self._points:
            return
        point = self._clamp(position)
        last = self._points[-1]
        if point == last:
            return
        self._points.append(point)
        self._paint(last, point, self._width, self._erase)
        self.version += 1

    def end(self) -> None:
        """Release: the stroke is finished and kept."""
        if self._points:
            self.strokes.append(Stroke.from_points(self._points, self._width, self._erase))
            self._points = []
            self.version += 1
            if self._erase:
                self._redraw()

    def follow(self, event: pygame.event.Event, origin: Sequence[int]) -> bool:
        """Drag and release of the stroke in progress, for a canvas shown at `origin` in the
        window; True when the event belonged to that stroke."""
        if not self._points or event.type not in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button != 1:
            return False
        self.extend((event.pos[0] - origin[0], event.pos[1] - origin[1]))
        # A motion without the button held: the release happened outside the window, unseen.
        if event.type == pygame.MOUSEBUTTONUP or not getattr(event, "buttons", (1,))[0]:
            self.end()
        return True

    def undo(self) -> bool:
        """Remove the last stroke (the one being drawn, if any), or bring back what the last
        undoable clear removed once the strokes since are undone; False if there was nothing."""
        if self._points:
            self._points = []
        elif self.strokes:
            self.strokes.pop()
        elif self._cleared:
            self.strokes = self._cleared.pop()
        else:
            return False
        self.version += 1
        self._redraw()
        return True

    def clear(self, undoable: bool = False) -> None:
        """Empty the canvas; an undoable clear (the player's Reset) can be undone, a plain one
        (a new question, a new round) also forgets what earlier clears kept for undo."""
        if undoable:
            self.end()
            if self.strokes:
                self._cleared.append(self.strokes)
        else:
            self._cleared = []
        changed = not self.is_empty
        self.strokes = []
        self._points = []
        if changed:
            self.version += 1
        self._coverage[:] = 0
        self.surface.fill(self.paper.astype(int).tolist())

    def resize(self, size: tuple[int, int]) -> None:
        """Follow the window: the strokes are scaled with the canvas and drawn anew."""
        size = (max(1, int(size[0])), max(1, int(size[1])))
        if size == self.size:
            return
        factor = min(size[0] / self.size[0], size[1] / self.size[1])
        self.strokes = _scaled(self.strokes, factor)
        self._cleared = [_scaled(strokes, factor) for strokes in self._cleared]
        self._points = [(x * factor, y * factor) for x, y in self._points]
        self._width *= factor
        self.size = size
        self._coverage = np.zeros((size[0], size[1]), dtype=np.float32)
        self.surface = pygame.Surface(size)
        self.version += 1
        self._redraw()

    # The picture -------------------------------------------------------------------------------

    def ink_at(self, position: Sequence[int]) -> float:
        """Ink coverage in [0, 1] at a canvas pixel (for tests and the eraser cursor)."""
        x, y = int(position[0]), int(position[1])
        if 0 <= x < self.size[0] and 0 <= y < self.size[1]:
            return float(self._coverage[x, y])
        return 0.0

    def _clamp(self, position: Sequence[float]) -> tuple[float, float]:
        # Ink that leaves the canvas would be classified but not seen; keep the whole pen on
        # the paper: with only its centre kept in, a stroke along the border showed half cut.
        x = _within(position[0], self._width / 2, self.size[0])
        y = _within(position[1], self._width / 2, self.size[1])
        return (x, y)

    def _redraw(self) -> None:
        self._coverage[:] = 0
        self.surface.fill(self.paper.astype(int).tolist())
        strokes = self.all_strokes()
        for index, stroke in enumerate(strokes):
            if stroke.erase:
                self._paint_stroke(stroke)
                continue
            for piece in cut(stroke, [s for s in strokes[index + 1 :] if s.erase]):
                self._paint_stroke(piece)

    def _paint_stroke(self, stroke: Stroke) -> None:
        points = [tuple(p) for p in stroke.points]
        self._paint(points[0], points[0], stroke.width, stroke.erase)
        for start, end in zip(points, points[1:], strict=False):
            self._paint(start, end, stroke.width, stroke.erase)

    def _paint(self, start, end, width: float, erase: bool) -> None:
        """Draw (or erase) one round-ended segment into the coverage and the surface."""
        radius = max(width / 2.0, 0.5)
        reach = radius + 1.0
        left = max(int(np.floor(min(start[0], end[0]) - reach)), 0)
        top = max(int(np.floor(min(start[1], end[1]) - reach)), 0)
        right = min(int(np.ceil(max(start[0], end[0]) + reach)) + 1, self.size[0])
        bottom = min(int(np.ceil(max(start[1], end[1]) + reach)) + 1, self.size[1])
        if left >= right or top >= bottom:
            return
        xs = np.arange(left, right, dtype=np.float32)[:, np.newaxis] + 0.5
        ys = np.arange(top, bottom, dtype=np.float32)[np.newaxis, :] + 0.5
        distance = _distance_to_segment(xs, ys, start, end)
        # One pixel of soft edge centred on the brush's radius: the anti-aliasing.
        pen = np.clip(radius + 0.5 - distance, 0.0, 1.0)
        patch = self._coverage[left:right, top:bottom]
        if erase:
            np.minimum(patch, 1.0 - pen, out=patch)
        else:
            np.maximum(patch, pen, out=patch)
        colours = self.paper + patch[..., np.newaxis] * (self.ink - self.paper)
        pixels = pygame.surfarray.pixels3d(self.surface)
        pixels[left:right, top:bottom] = colours.astype(np.uint8)
        del pixels  # releases the surface lock


def _scaled(strokes: list[Stroke], factor: float) -> list[Stroke]:
    return [Stroke(s.points * factor, s.width * factor, s.erase) for s in strokes]


def _distance_to_segment(xs: np.ndarray, ys: np.ndarray, start, end) -> np.ndarray:
    """Distance from each pixel centre (xs column, ys row, broadcast) to the segment."""
    ax, ay = float(start[0]), float(start[1])
    dx, dy = float(end[0]) - ax, float(end[1]) - ay
    length_squared = dx * dx + dy * dy
    if length_squared == 0.0:
        return np.hypot(xs - ax, ys - ay)
    along = np.clip(((xs - ax) * dx + (ys - ay) * dy) / length_squared, 0.0, 1.0)
    return np.hypot(xs - (ax + along * dx), ys - (ay + along * dy))


def _within(value: float, radius: float, size: int) -> float:
    """`value` kept where a pen of `radius` around it stays inside 0..size-1."""
    low, high = min(radius, (size - 1) / 2), max(size - 1.0 - radius, (size - 1) / 2)
    return min(max(float(value), low), high)
