"""Where the app finds its assets and keeps the user's data.

Light on purpose: the launcher imports it, so no pygame and no TensorFlow here.
"""

import sys
from pathlib import Path

import platformdirs

APP_NAME = "digit-recognizer"
HISTORY_FILE = "history.sqlite3"


def assets_dir() -> Path:
    """The shipped assets: next to the package in a checkout, inside the bundle when frozen."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def default_model_path() -> Path:
    """The shipped model: ONNX, the fast backend that needs no TensorFlow."""
    return assets_dir() / "model.onnx"


def user_data_dir(override: str | Path | None = None) -> Path:
    """The user's data folder (history, models, logs); `override` is the --data-dir option."""
    if override is not None:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def history_path(data_dir: str | Path | None = None) -> Path:
    return user_data_dir(data_dir) / HISTORY_FILE


def user_models_dir(data_dir: str | Path | None = None) -> Path:
    return user_data_dir(data_dir) / "models"
