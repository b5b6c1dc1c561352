"""Draw the app icon (assets/icon.png, and assets/icon.ico for Windows bundles).

The icon is a hand-drawn "7" in the game's own ink, on its own dark canvas: drawn with
game.canvas, so it looks like what the player draws. Run: python scripts/make_icon.py
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from game.canvas import Canvas  # noqa: E402
from game.scenes import look  # noqa: E402

SIZE = 256


def draw_icon() -> pygame.Surface:
    canvas = Canvas((SIZE, SIZE), paper=look.PANEL, ink=look.ACCENT)
    for points in (
        [(74, 70), (128, 66), (184, 70), (160, 118), (134, 166), (120, 198)],
        [(102, 136), (162, 136)],
    ):
        canvas.begin(points[0], 26)
        for point in points[1:]:
            canvas.extend(point)
        canvas.end()
    icon = pygame.Surface((SIZE, SIZE), pygame.SRCALPHA)
    pygame.draw.rect(icon, (255, 255, 255, 255), icon.get_rect(), border_radius=56)
    icon.blit(canvas.surface, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
    pygame.draw.rect(icon, (*look.PANEL_EDGE, 255), icon.get_rect(), width=4, border_radius=56)
    return icon


def main() -> None:
    pygame.display.init()
    icon = draw_icon()
    png = REPO / "assets" / "icon.png"
    pygame.image.save(icon, str(png))
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: icon.ico not written")
        return
    Image.open(png).save(REPO / "assets" / "icon.ico", sizes=[(s, s) for s in (16, 32, 48, 256)])
    print(f"wrote {png} and icon.ico")


if __name__ == "__main__":
    main()
