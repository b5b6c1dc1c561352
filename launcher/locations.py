"""Where the launcher reads and writes: the user's data folder (overridable), models, logs."""

import os
from pathlib import Path

from game import paths

# Tests and people with several profiles point the launcher (and the game it starts) elsewhere.
DATA_DIR_VARIABLE = "DIGITS_DATA_DIR"


def data_dir() -> Path:
    """The user's data folder: $DIGITS_DATA_DIR when set, else the platform's own place."""
    override = os.environ.get(DATA_DIR_VARIABLE) or None
    return paths.user_data_dir(override)


def models_dir(data: Path) -> Path:
    return paths.user_models_dir(data)


def history_path(data: Path) -> Path:
    return paths.history_path(data)


def logs_dir(data: Path) -> Path:
    return data / "logs"


def model_folders(data: Path) -> list[Path]:
    """The folders the model picker lists: the shipped models first, then the user's own."""
    return [paths.assets_dir(), models_dir(data)]
