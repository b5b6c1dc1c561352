"""The player's small preferences (today: which drawing mode the menu opens), kept as a JSON
file next to the history. Light: no pygame. A missing or unreadable file means the defaults."""

import json
import os
import tempfile
from pathlib import Path

SETTINGS_FILE = "settings.json"
MODES = ("draw", "number")  # the scene names of one digit and whole numbers


def settings_path(history_file: Path | None) -> Path | None:
    """Beside the history file; None when the app keeps no history file."""
    return None if history_file is None else Path(history_file).parent / SETTINGS_FILE


def load_mode(path: Path | None) -> str:
    """The drawing mode last chosen, "draw" when none was (or the file cannot be read)."""
    try:
        mode = json.loads(Path(path).read_text(encoding="utf-8")).get("mode")
    except (TypeError, OSError, ValueError, AttributeError):
        return MODES[0]
    return mode if mode in MODES else MODES[0]


def save_mode(path: Path | None, mode: str) -> bool:
    """Remember the mode, written atomically; False when it could not be (nothing changes)."""
    if path is None or mode not in MODES:
        return False
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"mode": mode}, file)
        os.replace(temporary, path)
    except OSError:
        return False
    return True
