"""The two runtimes a model file can be opened in: ONNX Runtime for `.onnx` (what the shipped
game uses, no TensorFlow) and Keras for `.h5` / `.keras`. Each is imported inside its loader, so
a frozen bundle without TensorFlow can still load ONNX models.

A loader returns what game.classifier needs to build a Classifier: the model's input and output
shapes and a function from a (N, 28, 28, 1) float32 batch to its outputs.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from game.keras_file import import_for_keras
from game.model_errors import ANOTHER, ModelLoadError, check_model_shapes, first_line

Shape = tuple[int | None, ...]
Loaded = tuple[Shape, Shape, Callable[[np.ndarray], np.ndarray]]


def load_onnx(path: Path) -> Loaded:
    """An ONNX model in ONNX Runtime, on one CPU thread."""
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
            f"The model file {path} is not a valid ONNX model ({first_line(error)}); {ANOTHER}."
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
    check_model_shapes(path, input_shape, output_shape)
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

    return input_shape, output_shape, run


def load_keras(path: Path) -> Loaded:
    """A Keras model, loaded in safe mode and called as a traced function."""
    # TensorFlow logs a page of start-up noise on stderr; the user needs none of it.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = import_for_keras(path, "keras")

    try:
        # safe_mode refuses lambda deserialisation as a second line of defence; compile=False
        # because the game never trains and the optimizer state is not needed.
        model = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types for files it cannot rebuild.
        raise ModelLoadError(
            f"The model file {path} could not be loaded by Keras ({first_line(error)}); {ANOTHER}."
        ) from None
    try:
        input_shape = tuple(model.input_shape)
        output_shape = tuple(model.output_shape)
    except (AttributeError, ValueError, TypeError):
        raise ModelLoadError(
            f"The model {path} cannot be used: it has no single image input and output; {ANOTHER}."
        ) from None
    check_model_shapes(path, input_shape, output_shape)
    wants_channel = len(input_shape) == 4
    call = _compiled_call(keras, model, input_shape)

    def run(batch: np.ndarray) -> np.ndarray:
        return keras.ops.convert_to_numpy(call(batch if wants_channel else batch[..., 0]))

    return input_shape, output_shape, run


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


def _onnx_shape(shape: list) -> tuple[int | None, ...]:
    # Symbolic dimensions ("unk__44", "batch") come back as strings.
    return tuple(d if isinstance(d, int) else None for d in shape)
