"""The model card (`OUT.json`): what a training run was and what it measured.

Read by the game's stats scene and the launcher through `game.modelcard`; the fields are the
shared contract written in the team brief.
"""

import hashlib
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from game.contract import NOT_A_DIGIT
from training import styles
from training.train import Result

CARD_FORMAT = 1
LIBRARIES = ("tensorflow", "keras", "numpy", "onnx", "tf2onnx", "onnxruntime")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def build_card(
    result: Result,
    command: str,
    options: dict[str, Any],
    style_shares: dict[str, float],
    files: dict[str, dict[str, str]],
) -> dict[str, Any]:
    """The card's fields, in the brief's order; `files` maps "h5"/"onnx" to name and sha256."""
    return {
        "format": CARD_FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "parameters": int(result.model.count_params()),
        "command": command,
        "options": options,
        "training_seconds": round(result.seconds, 1),
        "test": result.test,
        "history": result.history,
        "files": files,
        "augmentation": result.augmentation,
        "styles": {
            name: {
                "digit": styles.STYLES[name].digit,
                "description": styles.STYLES[name].description,
                "share": share,
                "count": result.style_counts.get(name, 0),
            }
            for name, share in style_shares.items()
        },
        "user_drawings": result.user_drawings,
        "outputs": {
            "classes": result.outputs,
            "not_a_digit": NOT_A_DIGIT if result.outputs > NOT_A_DIGIT else None,
        },
        "calibration": result.calibration,
        **result.drawn,
    }
