"""Cut the game's Noto Sans fonts (assets/fonts) down to the scripts it can show.

Every pygame font object holds its own copy of the font's glyph and layout tables once it has
drawn a letter (HarfBuzz loads them per font), about as much memory as the file: the full Noto
Sans (580 KB) cost ~0.5 MB per size and weight, and the statistics scene draws text in 13 of
them (issue 15). Latin, Greek, Cyrillic, punctuation, arrows, maths and shapes stay (kerning
and ligatures too); what goes is Vietnamese stacked accents, IPA and the rarer Latin letters.

    pip install fonttools
    python scripts/subset_fonts.py [SOURCE_FOLDER]

SOURCE_FOLDER holds the full NotoSans-Regular.ttf and NotoSans-Bold.ttf (default: the copies
pygame-gui ships, which are the same release). The files are written atomically.
"""

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "assets" / "fonts"
NAMES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
UNICODES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation (– … ·)
    (0x20A0, 0x20CF),  # currency
    (0x2190, 0x21FF),  # arrows (→)
    (0x2200, 0x22FF),  # maths (×, −)
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # symbols and dingbats (✓, where the font has them)
]


def default_source() -> Path:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame_gui

    return Path(pygame_gui.__file__).parent / "data"


def subset(source: Path, target: Path) -> int:
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.layout_features = ["*"]  # kerning and ligatures as before
    options.name_IDs = ["*"]  # the copyright and licence names stay
    font = ft_subset.load_font(str(source), options)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in UNICODES for c in range(low, high + 1)])
    subsetter.subset(font)
    fd, staged = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".ttf", dir=target.parent)
    os.close(fd)
    try:
        ft_subset.save_font(font, staged, options)
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    finally:
        if os.path.exists(staged):
            os.remove(staged)
    return target.stat().st_size


def main(argv: list[str]) -> int:
    try:
        import fontTools  # noqa: F401
    except ImportError:
        print("This script needs fontTools: pip install fonttools, then run it again.")
        return 1
    source = Path(argv[0]) if argv else default_source()
    missing = [name for name in NAMES if not (source / name).is_file()]
    if missing:
        print(f"{source} has no {', '.join(missing)}; give the folder of the full Noto Sans.")
        return 1
    for name in NAMES:
        size = subset(source / name, FONTS / name)
        print(f"{FONTS / name}: {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
