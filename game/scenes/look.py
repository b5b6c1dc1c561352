"""The game's look in one place: colours, the shipped fonts, and small drawing helpers.

The widget colours live in assets/theme.json; these are the same colours for what the scenes
draw themselves (panels, the big digit, the bars), so both stay one consistent dark theme.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pygame

from game.paths import assets_dir

BACKGROUND = (8, 11, 18)
PANEL = (20, 26, 40)
PANEL_EDGE = (40, 50, 74)
PAPER = (12, 16, 26)
TEXT = (230, 235, 245)
MUTED = (138, 148, 168)
FAINT = (70, 80, 104)
ACCENT = (45, 212, 191)
ACCENT_DIM = (22, 86, 82)
AMBER = (251, 191, 36)
GOOD = (74, 222, 128)
BAD = (248, 113, 113)
BAR_TRACK = (30, 38, 56)
BAR_FILL = (71, 85, 115)

# What text and cards the scenes drew, while a layout test records it (see `recording`).
Drawn = tuple[str, str, pygame.Rect, pygame.Rect]  # kind, words, visible part, whole (ink)
_drawn: list[Drawn] | None = None

FONT_FILES = {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"}


def font_path(weight: str = "regular") -> Path:
    return assets_dir() / "fonts" / FONT_FILES[weight]


@lru_cache(maxsize=64)
def font(size: int, weight: str = "regular") -> pygame.font.Font:
    return pygame.font.Font(font_path(weight), max(6, int(size)))


def text(
    surface: pygame.Surface,
    string: str,
    position: tuple[float, float],
    size: int,
    colour=TEXT,
    weight: str = "regular",
    anchor: str = "topleft",
) -> pygame.Rect:
    """Draw one line of text with its rect's `anchor` at `position`; returns where it went."""
    image = font(size, weight).render(string, True, colour)
    rect = image.get_rect(**{anchor: (round(position[0]), round(position[1]))})
    surface.blit(image, rect)
    if _drawn is not None and string.strip():
        # The ink, not the line box: a big digit's box holds empty leading above its glyph.
        _record(surface, "text", string, image.get_bounding_rect().move(rect.topleft))
    return rect


def panel(surface: pygame.Surface, rect: pygame.Rect, title: str = "", radius: int = 14) -> None:
    """A card: rounded, slightly lighter than the background, with a small caps title."""
    pygame.draw.rect(surface, PANEL, rect, border_radius=radius)
    pygame.draw.rect(surface, PANEL_EDGE, rect, width=1, border_radius=radius)
    if _drawn is not None:
        _record(surface, "card", title, rect)
    if title:
        text(surface, title.upper(), (rect.x + 18, rect.y + 14), 12, MUTED, "bold")


def key_cap(surface: pygame.Surface, label: str, position: tuple[int, int], size: int = 14) -> int:
    """A keyboard key drawn as a small rounded cap; returns its width."""
    image = font(size, "bold").render(label, True, TEXT)
    rect = pygame.Rect(position, (max(image.get_width() + 16, size * 2), size + 14))
    pygame.draw.rect(surface, (30, 38, 56), rect, border_radius=6)
    pygame.draw.rect(surface, PANEL_EDGE, rect, width=1, border_radius=6)
    pygame.draw.line(surface, (16, 20, 32), rect.bottomleft, rect.bottomright)
    surface.blit(image, image.get_rect(center=rect.center))
    return rect.width


def theme(assets: Path | None = None) -> dict:
    """assets/theme.json with its font paths made absolute, as pygame-gui wants them."""
    import json

    folder = assets or assets_dir()
    data = json.loads((folder / "theme.json").read_text(encoding="utf-8"))
    for block in data.values():
        font_block = block.get("font", {}) if isinstance(block, dict) else {}
        for key in ("regular_path", "bold_path", "italic_path", "bold_italic_path"):
            if key in font_block:
                font_block[key] = str(folder / font_block[key])
    return data


def a_digit(digit: int) -> str:
    """'a 3', but 'an 8': the article a reader expects before the digit's spoken name."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def region(surface: pygame.Surface, rect: pygame.Rect, what: str = "") -> None:
    """Tell a recording layout test about a drawn shape (a ring, a rule) that text must keep
    out of, or lie wholly inside, as with a card; draws nothing."""
    if _drawn is not None:
        _record(surface, "card", what, rect)


def shade(surface: pygame.Surface, alpha: int = 190) -> None:
    """Dim everything drawn so far (under a dialog); a recording layout test starts afresh."""
    dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    dim.fill((5, 8, 14, alpha))
    surface.blit(dim, (0, 0))
    if _drawn is not None:
        _drawn.clear()


def _record(surface: pygame.Surface, kind: str, words: str, rect: pygame.Rect) -> None:
    """In window coordinates, with what the surface's clip (or its edge) lets show. A page
    drawn off-screen at the window's size (statistics) is blitted at the window's corner; other
    off-screen surfaces (blitted somewhere later, maybe turned) are not recorded."""
    window = pygame.display.get_surface()
    root = surface.get_abs_parent()
    if _drawn is None or window is None:
        return
    if root is not window and root.get_size() != window.get_size():
        return
    offset = surface.get_abs_offset()
    whole = pygame.Rect(rect).move(offset)
    visible = pygame.Rect(rect).clip(surface.get_clip()).move(offset)
    _drawn.append((kind, words, visible, whole))


@contextmanager
def recording() -> Iterator[list[Drawn]]:
    """Collect every line of text and every card drawn meanwhile (the layout test checks that
    no text leaves its card or is cut off): (kind, words, visible part, whole); a text's
    rects are those of its ink."""
    global _drawn  # noqa: PLW0603 - one list, only while a test records
    _drawn = []
    try:
        yield _drawn
    finally:
        _drawn = None
