"""Small charts drawn with pygame into surfaces: a heat map, bars and lines.

Each function returns a new transparent surface of the asked size; a scene makes it once when
its data arrives and blits it every frame (drawing text per cell each frame would cost time).
"""

from collections.abc import Sequence

import numpy as np
import pygame

from game.scenes import look


def blend(low, high, t: float) -> tuple[int, int, int]:
    t = float(np.clip(t, 0.0, 1.0))
    return tuple(round(a + (b - a) * t) for a, b in zip(low, high, strict=True))


def heat_map(
    matrix: np.ndarray, size: tuple[int, int], row_title: str = "", column_title: str = ""
) -> pygame.Surface:
    """A square matrix of counts as coloured cells with the counts written in them. Colour is
    the share of the row (how often a true digit was read as each digit): the diagonal is
    right, anything else off it is a mistake, drawn warm."""
    matrix = np.asarray(matrix)
    n = matrix.shape[0]
    surface = pygame.Surface(size, pygame.SRCALPHA)
    # The row digits' column, and left of it the turned row title: kept apart, or at some
    # sizes the title runs through the digits.
    axis = 22 + (look.font(11).get_height() if row_title else 0)
    side = min(size[0] - axis - 4, size[1] - axis - 32)
    cell = max(4, side // n)
    top = 32 if column_title else 18
    origin = (axis + (size[0] - axis - cell * n) // 2, top)
    rows = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, rows, out=np.zeros(matrix.shape, dtype=float), where=rows > 0)
    text_size = max(8, min(13, int(cell * 0.42)))
    for row in range(n):
        for column in range(n):
            rect = pygame.Rect(origin[0] + column * cell, origin[1] + row * cell, cell, cell)
            share = shares[row, column]
            if matrix[row, column] == 0:
                colour = look.BAR_TRACK
            elif row == column:
                colour = blend(look.ACCENT_DIM, look.ACCENT, share)
            else:
                colour = blend((70, 40, 40), look.BAD, min(1.0, share * 3))
            pygame.draw.rect(surface, colour, rect.inflate(-2, -2), border_radius=3)
            count = int(matrix[row, column])
            if count and cell >= 16:
                ink = (
                    (10, 20, 24) if share > 0.55 or (row != column and share > 0.25) else look.TEXT
                )
                label = str(count) if count < 1000 else f"{count / 1000:.0f}k"
                look.text(surface, label, rect.center, text_size, ink, "bold", "center")
    for index in range(n):
        x = origin[0] + index * cell + cell // 2
        look.text(surface, str(index), (x, origin[1] - 2), 12, look.MUTED, "bold", "midbottom")
        y = origin[1] + index * cell + cell // 2
        look.text(surface, str(index), (origin[0] - 6, y), 12, look.MUTED, "bold", "midright")
    if column_title:
        centre = origin[0] + cell * n // 2
        look.text(surface, column_title, (centre, 0), 11, look.FAINT, "regular", "midtop")
    if row_title:
        label = look.font(11).render(row_title, True, look.FAINT)
        label = pygame.transform.rotate(label, 90)
        surface.blit(label, label.get_rect(midleft=(0, origin[1] + cell * n // 2)))
    return surface


def bar_chart(
    values: Sequence[float | None],
    size: tuple[int, int],
    labels: Sequence[str] | None = None,
    captions: Sequence[str] | None = None,
    floor: float = 0.0,
) -> pygame.Surface:
    """Vertical bars for values in [floor, 1]; None is an empty slot (no data). Bars under 90 %
    are amber, under 60 % red, so the weak digits stand out."""
    surface = pygame.Surface(size, pygame.SRCALPHA)
    count = len(values)
    slot = size[0] / max(len(values), 1)
    if captions and max(look.font(10).size(c)[0] for c in captions) > slot - 2:
        captions = None  # no room to write them side by side
    label_room = 18 if labels else 0
    caption_room = 15 if captions else 0
    chart = pygame.Rect(0, 0, size[0], size[1] - label_room - caption_room)
    slot = size[0] / max(count, 1)
    width = max(3, int(slot * 0.58))
    for index, value in enumerate(values):
        track = pygame.Rect(0, chart.y, width, chart.height)
        track.centerx = round(slot * (index + 0.5))
        pygame.draw.rect(surface, look.BAR_TRACK, track, border_radius=3)
        if value is not None:
            share = (float(value) - floor) / (1.0 - floor) if floor < 1 else 1.0
            height = max(2, round(np.clip(share, 0.0, 1.0) * chart.height))
            colour = look.ACCENT if value >= 0.9 else look.AMBER if value >= 0.6 else look.BAD
            fill = pygame.Rect(track.x, track.bottom - height, width, height)
            pygame.draw.rect(surface, colour, fill, border_radius=3)
        if labels:
            look.text(
                surface,
                labels[index],
                (track.centerx, chart.bottom + 2),
                12,
                look.TEXT,
                "bold",
                "midtop",
            )
        if captions:
            look.text(
                surface,
                captions[index],
                (track.centerx, chart.bottom + label_room),
                10,
                look.MUTED,
                "regular",
                "midtop",
            )
    return surface


def line_chart(
    series: Sequence[tuple[Sequence[float], tuple[int, int, int]]],
    size: tuple[int, int],
    low: float | None = None,
    high: float | None = None,
    axis_format: str = "{:.2f}",
    x_label: str = "",
) -> pygame.Surface:
    """Lines (values, colour) over a shared x axis (index 0, 1, ...), with the y range's ends
    written on the left; a line of one point is a dot."""
    surface = pygame.Surface(size, pygame.SRCALPHA)
    values = [float(v) for points, _ in series for v in points if np.isfinite(v)]
    if not values:
        look.text(surface, "no data", (size[0] // 2, size[1] // 2), 12, look.FAINT, anchor="center")
        return surface
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    left = max(look.font(10).size(axis_format.format(v))[0] for v in (low, high)) + 6
    bottom = 14 if x_label else 4
    plot = pygame.Rect(left, 6, size[0] - left - 6, size[1] - 6 - bottom)
    for fraction in (0.0, 0.5, 1.0):
        y = round(plot.bottom - fraction * plot.height)
        pygame.draw.line(surface, look.BAR_TRACK, (plot.x, y), (plot.right, y))
    look.text(
        surface, axis_format.format(high), (left - 4, plot.y), 10, look.MUTED, anchor="midright"
    )
    look.text(
        surface, axis_format.format(low), (left - 4, plot.bottom), 10, look.MUTED, anchor="midright"
    )
    if x_label:
        look.text(surface, x_label, (plot.right, size[1]), 10, look.FAINT, anchor="bottomright")
    longest = max(len(points) for points, _ in series)
    for points, colour in series:
        coordinates = []
        for index, value in enumerate(points):
            x = plot.x + (plot.width * index / (longest - 1) if longest > 1 else plot.width / 2)
            share = (float(np.clip(value, low, high)) - low) / (high - low)
            coordinates.append((round(x), round(plot.bottom - share * plot.height)))
        if len(coordinates) > 1:
            pygame.draw.aalines(surface, colour, False, coordinates)
            pygame.draw.lines(surface, colour, False, coordinates, 2)
        for point in coordinates:
            pygame.draw.circle(surface, colour, point, 3)
    return surface


def thumbnail(image: np.ndarray, side: int) -> pygame.Surface:
    """A 28x28 uint8 image (0 background, 255 ink) as a side x side surface, pixels kept sharp."""
    grey = np.asarray(image, dtype=np.uint8)
    rgb = np.repeat(grey.T[:, :, np.newaxis], 3, axis=2)
    return pygame.transform.scale(pygame.surfarray.make_surface(rgb), (side, side))
