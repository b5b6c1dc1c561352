"""Load a model file and turn 28x28 images into digit probabilities.

Three backends behind one interface: numpy (game.numpy_backend) for a `.onnx` with the `.npz`
written from it beside it (what the shipped game uses: no ONNX Runtime in memory), ONNX Runtime
for any other `.onnx`, and Keras for `.h5` / `.keras` (any Keras model that fits the contract).
ONNX Runtime and Keras are imported lazily inside their loaders (game.backends), so importing
this module costs nothing and a frozen bundle without TensorFlow can still load ONNX models.

A model file is checked before anything in it runs (game.keras_file reads a Keras config as
data to refuse Lambda layers and wrong input shapes), and once loaded it must turn a probe image
into probabilities. Every refusal is a ModelLoadError (game.model_errors).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.backends import load_keras, load_onnx
from game.contract import OUTPUT_SIZES, to_model_input
from game.keras_file import check_keras_config, read_keras_config
from game.model_errors import ANOTHER, ModelLoadError, first_line
from game.numpy_backend import load_numpy, matching_weights

ONNX_SUFFIXES = (".onnx",)
KERAS_SUFFIXES = (".h5", ".keras")
SUPPORTED_SUFFIXES = ONNX_SUFFIXES + KERAS_SUFFIXES


@dataclass(frozen=True)
class ClassifierInfo:
    name: str
    path: Path
    sha256: str
    backend: str  # "numpy", "onnx" or "keras"
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
        check_keras_config(path, read_keras_config(path))
    return path


def load_classifier(path: str | Path) -> Classifier:
    """Load a .onnx, .h5 or .keras model that fits the contract; raises ModelLoadError.

    Slow for Keras files (imports TensorFlow): call it off the UI thread.
    """
    path = check_model_file(path)
    sha256 = file_sha256(path)
    weights = matching_weights(path, sha256) if path.suffix.lower() in ONNX_SUFFIXES else None
    if weights is not None:
        input_shape, output_shape, run = load_numpy(weights)
        backend = "numpy"
    elif path.suffix.lower() in ONNX_SUFFIXES:
        input_shape, output_shape, run = load_onnx(path)
        backend = "onnx"
    else:
        input_shape, output_shape, run = load_keras(path)
        backend = "keras"
    classifier = Classifier(_info(path, sha256, backend, input_shape, output_shape), run)
    _check_outputs(path, classifier)
    return classifier


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_outputs(path: Path, classifier: Classifier) -> None:
    """One prediction at load time: it warms the model up (the first call of a Keras model
    traces it), and it catches a model whose last layer gives scores, not probabilities."""
    probe = np.zeros((2, 28, 28), dtype=np.float32)
    probe[1, 4:24, 13:15] = 1.0  # a stroke, so a model that ignores blank input still shows
    try:
        output = classifier.predict(probe)
    except Exception as error:  # Either runtime can fail here on a model that loaded.
        raise ModelLoadError(
            f"The model {path} cannot classify a 28x28 image ({first_line(error)}); {ANOTHER}."
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


def _info(path: Path, sha256: str, backend: str, input_shape, output_shape) -> ClassifierInfo:
    return ClassifierInfo(
        name=path.name,
        path=path.resolve(),
        sha256=sha256,
        backend=backend,
        input_shape=tuple(input_shape),
        output_shape=tuple(output_shape),
    )
