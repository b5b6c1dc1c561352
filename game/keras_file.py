"""Keras model files read as data, before anything in them runs.

The config is read as plain JSON (HDF5 attributes for `.h5`, `config.json` in the zip for
`.keras`) to refuse Lambda layers, which would execute code on load, and inputs of the wrong
shape. Also the quiet import of Keras-side modules, which the frozen build leaves out.
"""

import importlib
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from game.model_errors import ANOTHER, ModelLoadError, check_model_shapes, first_line

# Layers whose config carries Python code; deserialising them can run anything.
CODE_LAYERS = ("Lambda",)


def read_keras_config(path: Path) -> dict[str, Any]:
    """The model config of a Keras file, read as data: nothing in the file runs."""
    if path.suffix.lower() == ".keras":
        try:
            with zipfile.ZipFile(path) as archive:
                text = archive.read("config.json")
        except (zipfile.BadZipFile, KeyError, OSError) as error:
            raise ModelLoadError(
                f"The model file {path} is not a Keras .keras archive ({first_line(error)}); "
                f"{ANOTHER}."
            ) from None
    else:
        h5py = import_for_keras(path, "h5py")
        try:
            with h5py.File(path, "r") as file:
                text = file.attrs.get("model_config")
        except OSError as error:
            raise ModelLoadError(
                f"The model file {path} is not a readable HDF5 file ({first_line(error)}); "
                f"{ANOTHER}."
            ) from None
        if text is None:
            raise ModelLoadError(
                f"The model file {path} holds no Keras model (only weights, or other data); "
                f"{ANOTHER}."
            )
    try:
        config = json.loads(text.decode() if isinstance(text, bytes) else text)
    except (ValueError, UnicodeDecodeError):
        raise ModelLoadError(
            f"The model file {path} has an unreadable model config; {ANOTHER}."
        ) from None
    if not isinstance(config, dict):
        raise ModelLoadError(f"The model file {path} has an unreadable model config; {ANOTHER}.")
    return config


def import_quietly(module: str) -> Any:
    """Import a module that loads TensorFlow without its C++ start-up log on stderr: absl
    writes those lines before any log level setting is read, so stderr itself is pointed at
    the null device while the import runs (Python's own errors are raised after, as usual)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        saved = os.dup(2)
    except OSError:
        return importlib.import_module(module)
    try:
        with open(os.devnull, "wb") as null:
            sys.stderr.flush()
            os.dup2(null.fileno(), 2)
            try:
                return importlib.import_module(module)
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def import_for_keras(path: Path, module: str) -> Any:
    """Import a Keras-side module; the frozen build leaves them out to stay small."""
    try:
        return import_quietly(module) if module == "keras" else importlib.import_module(module)
    except ImportError:
        raise ModelLoadError(
            f"The model {path} is a Keras file, but this build has no Keras ({module} is "
            "missing); use the .onnx model."
        ) from None


def check_keras_config(path: Path, config: dict[str, Any]) -> None:
    """Refuse a config with a layer that holds code, or an input that is not 28x28."""
    for layer in _layer_configs(config):
        if layer.get("class_name") in CODE_LAYERS:
            name = (layer.get("config") or {}).get("name", "?")
            raise ModelLoadError(
                f"The model {path} is refused: its {layer['class_name']} layer '{name}' holds "
                f"Python code that loading would run; {ANOTHER}."
            )
    input_shape = _config_input_shape(config)
    if input_shape is not None and tuple(input_shape[1:]) not in ((28, 28, 1), (28, 28)):
        check_model_shapes(path, input_shape, (None, 10))


def _layer_configs(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict with a class_name anywhere in the config: layers of nested models included."""
    if isinstance(node, dict):
        if "class_name" in node:
            yield node
        for value in node.values():
            yield from _layer_configs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _layer_configs(value)


def _config_input_shape(config: dict[str, Any]) -> list[int | None] | None:
    """The declared input shape of the model (first InputLayer), if the config names one."""
    for layer in _layer_configs(config.get("config", {})):
        layer_config = layer.get("config")
        if not isinstance(layer_config, dict):
            continue
        for key in ("batch_shape", "batch_input_shape"):
            shape = layer_config.get(key)
            if isinstance(shape, list) and len(shape) >= 2:
                return shape
    return None
