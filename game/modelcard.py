"""The model card (`model.json` beside a model file): what the training run measured.

Light on purpose: the launcher and the stats scene import it, so no pygame, no TensorFlow.
"""

import json
from pathlib import Path
from typing import Any

MODEL_SUFFIXES = (".onnx", ".h5", ".keras")


def card_path(model_path: str | Path) -> Path:
    return Path(model_path).with_suffix(".json")


def load_card(model_path: str | Path) -> dict[str, Any] | None:
    """The card of this model, or None when it has none or it cannot be read."""
    try:
        card = json.loads(card_path(model_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) else None


def test_accuracy(card: dict[str, Any] | None) -> float | None:
    """MNIST test accuracy in [0, 1] from a card, or None."""
    try:
        return float(card["test"]["accuracy"])
    except (TypeError, KeyError, ValueError):
        return None


def list_models(*folders: str | Path) -> list[Path]:
    """Model files in these folders (not recursive), sorted, missing folders skipped."""
    found = []
    for folder in folders:
        folder = Path(folder)
        if folder.is_dir():
            found.extend(p for p in folder.iterdir() if p.is_file() and p.suffix in MODEL_SUFFIXES)
    return sorted(found)
