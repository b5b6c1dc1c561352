"""Load a model file and turn 28x28 images into digit probabilities.

Two backends behind one interface: ONNX Runtime for `.onnx` (fast, what the shipped game uses,
no TensorFlow) and Keras for `.h5` / `.keras` (any Keras model that fits the contract). Both
are imported lazily inside the loaders, so importing this module costs nothing and a frozen
bundle without TensorFlow can still load ONNX models.

A model file is checked before anything in it runs: the Keras config is read as plain JSON
(HDF5 attributes for `.h5`, `config.json` in the zip for `.keras`) to refuse Lambda layers,
which would execute code on load, and inputs of the wrong shape.
"""

import hashlib
import importlib
import json
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.contract import OUTPUT_SIZES, ModelContractError, check_shapes, to_model_input

ONNX_SUFFIXES = (".onnx",)
KERAS_SUFFIXES = (".h5", ".keras")
SUPPORTED_SUFFIXES = ONNX_SUFFIXES + KERAS_SUFFIXES
# Layers whose config carries Python code; deserialising them can run anything.
CODE_LAYERS = ("Lambda",)
# What to do about a model that is refused: said at the end of every refusal.
ANOTHER = "use another model file, such as the shipped assets/model.onnx"


class ModelLoadError(ValueError):
    """A model file that cannot be used; the message is one sentence naming file and problem."""


@dataclass(frozen=True)
class ClassifierInfo:
    name: str
    path: Path
    sha256: str
    backend: str  # "onnx" or "keras"
    input_shape: tuple[int | None, ...]
    output_shape: tuple[int | None, ...]


class Classifier:
    """A loaded model: `predict(images (N, 28, 28[, 1])) -> (N, 10) float32 probabilities`."""

    def __init__(self, info: ClassifierInfo, run: Callable[[np.ndarray], np.ndarray]) -> None:
        self.info = info
        self._run = run

    def predict(self, images: np.ndarray) -> np.ndarray:
        batch = to_model_input(images)
        return np.asarray(self._run(batch), dtype=np.float32).reshape(len(batch), -1)

    def predict_one(self, image: np.ndarray) -> np.ndarray:
        """Probabilities (10,) for one (28, 28) image."""
        return self.predict(image)[0]


def check_model_file(path: str | Path) -> Path:
    """The checks that need no model runtime: the file exists, has a known type, and for Keras
    files its config asks for 28x28 input and holds no Lambda layer. Raises ModelLoadError.

    Cheap (no TensorFlow), so the entry point runs it before it opens a window.
    """
    path = Path(path)
    if not path.exists():
        raise ModelLoadError(f"The model file {path} does not exist; check the path.")
    if not path.is_file():
        raise ModelLoadError(f"The model path {path} is not a file; give a model file.")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ModelLoadError(
            f"The model file {path} has an unsupported type '{path.suffix}'; "
            "use a .onnx, .h5 or .keras model."
        )
    try:
        with open(path, "rb") as file:
            file.read(1)
    except OSError as error:
        raise ModelLoadError(
            f"The model file {path} cannot be read ({error.strerror}); check its permissions."
        ) from None
    if path.suffix.lower() in KERAS_SUFFIXES:
        _check_keras_config(path, _read_keras_config(path))
    return path


def load_classifier(path: str | Path) -> Classifier:
    """Load a .onnx, .h5 or .keras model that fits the contract; raises ModelLoadError.

    Slow for Keras files (imports TensorFlow): call it off the UI thread.
    """
    path = check_model_file(path)
    if path.suffix.lower() in ONNX_SUFFIXES:
        classifier = _load_onnx(path)
    else:
        classifier = _load_keras(path)
    _check_outputs(path, classifier)
    return classifier


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_onnx(path: Path) -> Classifier:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # One image at a time: a single thread is faster than waking a pool (measured in
    # benchmarks/bench_inference.py) and leaves the other cores to the window.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as error:  # ONNX Runtime raises its own types for every kind of bad file.
        raise ModelLoadError(
            f"The model file {path} is not a valid ONNX model ({_first_line(error)}); {ANOTHER}."
        ) from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) < 1:
        raise ModelLoadError(
            f"The model {path} cannot be used: it has {len(inputs)} inputs and "
            f"{len(outputs)} outputs, but the app needs one image input and one output; {ANOTHER}."
        )
    if inputs[0].type != "tensor(float)":
        raise ModelLoadError(
            f"The model {path} cannot be used: its input is {inputs[0].type}, not float32 "
            f"images; {ANOTHER}."
        )
    input_shape, output_shape = _onnx_shape(inputs[0].shape), _onnx_shape(outputs[0].shape)
    _check_shapes(path, input_shape, output_shape)
    input_name, output_name = inputs[0].name, outputs[0].name
    # Some exporters drop the channel axis; feed the shape the file declares.
    wants_channel = len(input_shape) == 4
    # Some fix the batch size (usually 1); then the batch goes through in slices of that size.
    fixed_batch = input_shape[0]

    def run(batch: np.ndarray) -> np.ndarray:
        feed = batch if wants_channel else batch[..., 0]
        if fixed_batch is None or fixed_batch == len(feed):
            return session.run([output_name], {input_name: feed})[0]
        if len(feed) % fixed_batch:
            raise ValueError(f"this model takes batches of exactly {fixed_batch} images")
        slices = [feed[i : i + fixed_batch] for i in range(0, len(feed), fixed_batch)]
        return np.concatenate([session.run([output_name], {input_name: s})[0] for s in slices])

    return Classifier(_info(path, "onnx", input_shape, output_shape), run)


def _load_keras(path: Path) -> Classifier:
    # TensorFlow logs a page of start-up noise on stderr; the user needs none of it.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = _import_for_keras(path, "keras")

    try:
        # safe_mode refuses lambda deserialisation as a second line of defence; compile=False
        # because the game never trains and the optimizer state is not needed.
        model = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types for files it cannot rebuild.
        raise ModelLoadError(
            f"The model file {path} could not be loaded by Keras ({_first_line(error)}); {ANOTHER}."
        ) from None
    try:
        input_shape = tuple(model.input_shape)
        output_shape = tuple(model.output_shape)
    except (AttributeError, ValueError, TypeError):
        raise ModelLoadError(
            f"The model {path} cannot be used: it has no single image input and output; {ANOTHER}."
        ) from None
    _check_shapes(path, input_shape, output_shape)
    wants_channel = len(input_shape) == 4
    call = _compiled_call(keras, model, input_shape)

    def run(batch: np.ndarray) -> np.ndarray:
        return keras.ops.convert_to_numpy(call(batch if wants_channel else batch[..., 0]))

    return Classifier(_info(path, "keras", input_shape, output_shape), run)


def _compiled_call(keras: Any, model: Any, input_shape: tuple) -> Callable[[np.ndarray], Any]:
    """The model called directly, never model.predict (which builds a dataset per call, about
    60 ms). On TensorFlow the call is traced once into a graph: op-by-op eager execution of a
    CNN costs ten times more (measured 82 ms against 8.6 ms for the shipped model, loaded machine).
    """

    def direct(batch: np.ndarray) -> Any:
        return model(batch, training=False)

    if keras.backend.backend() != "tensorflow":
        return direct
    import tensorflow

    # A batch axis of any size in the signature: one trace serves every batch size.
    signature = [tensorflow.TensorSpec((None, *input_shape[1:]), tensorflow.float32)]
    return tensorflow.function(direct, input_signature=signature)


def _check_outputs(path: Path, classifier: Classifier) -> None:
    """One prediction at load time: it warms the model up (the first call of a Keras model
    traces it), and it catches a model whose last layer gives scores, not probabilities."""
    probe = np.zeros((2, 28, 28), dtype=np.float32)
    probe[1, 4:24, 13:15] = 1.0  # a stroke, so a model that ignores blank input still shows
    try:
        output = classifier.predict(probe)
    except Exception as error:  # Either runtime can fail here on a model that loaded.
        raise ModelLoadError(
            f"The model {path} cannot classify a 28x28 image ({_first_line(error)}); {ANOTHER}."
        ) from None
    if output.shape[1:] not in {(size,) for size in OUTPUT_SIZES} or not np.all(
        np.isfinite(output)
    ):
        raise ModelLoadError(
            f"The model {path} does not output 10 (or 11, with 'not a digit') finite numbers "
            f"per image; {ANOTHER}."
        )
    sums = output.sum(axis=1)
    if np.any(output < 0) or not np.allclose(sums, 1.0, atol=1e-3):
        raise ModelLoadError(
            f"The model {path} outputs scores (summing to {sums[1]:.3g}), not probabilities; "
            "its last layer needs a softmax."
        )


def _read_keras_config(path: Path) -> dict[str, Any]:
    """The model config of a Keras file, read as data: nothing in the file runs."""
    if path.suffix.lower() == ".keras":
        try:
            with zipfile.ZipFile(path) as archive:
                text = archive.read("config.json")
        except (zipfile.BadZipFile, KeyError, OSError) as error:
            raise ModelLoadError(
                f"The model file {path} is not a Keras .keras archive ({_first_line(error)}); "
                f"{ANOTHER}."
            ) from None
    else:
        h5py = _import_for_keras(path, "h5py")
        try:
            with h5py.File(path, "r") as file:
                text = file.attrs.get("model_config")
        except OSError as error:
            raise ModelLoadError(
                f"The model file {path} is not a readable HDF5 file ({_first_line(error)}); "
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


def _import_for_keras(path: Path, module: str) -> Any:
    """Import a Keras-side module; the frozen build leaves them out to stay small."""
    try:
        return import_quietly(module) if module == "keras" else importlib.import_module(module)
    except ImportError:
        raise ModelLoadError(
            f"The model {path} is a Keras file, but this build has no Keras ({module} is "
            "missing); use the .onnx model."
        ) from None


def _check_keras_config(path: Path, config: dict[str, Any]) -> None:
    for layer in _layer_configs(config):
        if layer.get("class_name") in CODE_LAYERS:
            name = (layer.get("config") or {}).get("name", "?")
            raise ModelLoadError(
                f"The model {path} is refused: its {layer['class_name']} layer '{name}' holds "
                f"Python code that loading would run; {ANOTHER}."
            )
    input_shape = _config_input_shape(config)
    if input_shape is not None and tuple(input_shape[1:]) not in ((28, 28, 1), (28, 28)):
        _check_shapes(path, input_shape, (None, 10))


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


def _check_shapes(path: Path, input_shape, output_shape) -> None:
    try:
        check_shapes(input_shape, output_shape)
    except ModelContractError as error:
        raise ModelLoadError(f"The model {path} cannot be used: {error}; {ANOTHER}.") from None


def _onnx_shape(shape: list) -> tuple[int | None, ...]:
    # Symbolic dimensions ("unk__44", "batch") come back as strings.
    return tuple(d if isinstance(d, int) else None for d in shape)


def _info(path: Path, backend: str, input_shape, output_shape) -> ClassifierInfo:
    return ClassifierInfo(
        name=path.name,
        path=path.resolve(),
        sha256=file_sha256(path),
        backend=backend,
        input_shape=tuple(input_shape),
        output_shape=tuple(output_shape),
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line.rstrip(".")[:200]
