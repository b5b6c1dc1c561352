"""Writing OUT.h5, OUT.onnx, OUT.npz and OUT.json all-or-nothing.

OUT.npz holds the ONNX model's layers for game.numpy_backend, which the game runs instead of
ONNX Runtime (about 46 MB less memory); it names the OUT.onnx it was made from.

Everything is first written into a hidden temporary folder beside the target (same file system,
so the final renames are atomic), and only a complete set replaces the old files: an interrupted
or failed run leaves whatever model was there untouched.
"""

import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import keras

from training.card import sha256
from training.onnx_weights import UnsupportedModel, write_npz


def sibling_paths(output: Path) -> dict[str, Path]:
    return {
        "model": output,
        "onnx": output.with_suffix(".onnx"),
        "npz": output.with_suffix(".npz"),
        "card": output.with_suffix(".json"),
    }


def write_outputs(
    model: keras.Model,
    output: Path,
    make_card: Callable[[dict[str, dict[str, str]]], dict[str, Any]],
) -> dict[str, Any]:
    """Save the model in both formats and its card; `make_card(files)` returns the card."""
    targets = sibling_paths(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.stem}-", dir=output.parent))
    try:
        staged = {key: staging / path.name for key, path in targets.items()}
        with _quiet_legacy_warning():
            model.save(staged["model"])
        # Keras's exporter traces the model; it needs to have been called on data once, which
        # training and evaluation did. Its tf2onnx bridge probes `np.object` on import, which
        # makes numpy warn about a future change that concerns neither the user nor the file.
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message=r"In the future `np\.object`", category=FutureWarning
            )
            model.export(str(staged["onnx"]), format="onnx", verbose=False)
        numpy_runs_it = _write_npz(staged["onnx"])
        files = {
            "h5": {"name": targets["model"].name, "sha256": sha256(staged["model"])},
            "onnx": {"name": targets["onnx"].name, "sha256": sha256(staged["onnx"])},
        }
        card = make_card(files)
        staged["card"].write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
        # The card last: a reader that finds a new card also finds the files it describes.
        for key in ("model", "onnx", "npz", "card"):
            if key != "npz" or numpy_runs_it:
                os.replace(staged[key], targets[key])
        if not numpy_runs_it:
            targets["npz"].unlink(missing_ok=True)  # it describes the previous model
        return card
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _quiet_legacy_warning() -> Iterator[None]:
    """Keras logs (through absl) that `.h5` is legacy; the README says why the command still
    writes it. Only that one message is dropped."""

    def keep(record: logging.LogRecord) -> bool:
        return "considered legacy" not in record.getMessage()

    logger = logging.getLogger("absl")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def _write_npz(onnx_path: Path) -> bool:
    """Write the numpy backend's .npz beside `onnx_path`; False for an architecture it does not
    run (the game then uses ONNX Runtime for this model)."""
    try:
        write_npz(onnx_path)
    except UnsupportedModel:
        return False
    return True
