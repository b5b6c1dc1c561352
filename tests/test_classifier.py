"""Loading models: both backends, the same answers, and a clear refusal for every bad file."""

import hashlib
import json
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from game.classifier import ModelLoadError, check_model_file, load_classifier
from game.paths import default_model_path

pytestmark = pytest.mark.slow  # builds Keras models and exports one to ONNX (TensorFlow)


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small models made here, so the tests depend on no shipped file."""
    import keras
    from keras import layers

    folder = tmp_path_factory.mktemp("models")
    keras.utils.set_random_seed(1)

    def small(
        input_shape: tuple, classes: int, *middle, activation: str | None = "softmax"
    ) -> keras.Model:
        return keras.Sequential(
            [
                keras.Input(input_shape),
                layers.Conv2D(4, 3, activation="relu"),
                layers.MaxPooling2D(),
                *middle,
                layers.Flatten(),
                layers.Dense(classes, activation=activation),
            ]
        )

    good = small((28, 28, 1), 10)
    good.save(folder / "good.h5")
    good.save(folder / "good.keras")
    good(np.zeros((1, 28, 28, 1), dtype=np.float32))  # export needs a built, called model
    good.export(str(folder / "good.onnx"), format="onnx")
    small((32, 32, 1), 10).save(folder / "wide.h5")
    small((28, 28, 1), 26).save(folder / "letters.h5")
    small((28, 28, 1), 26).save(folder / "letters.keras")
    small((28, 28, 1), 10, activation=None).save(folder / "logits.h5")
    # Loading this would deserialise and run the lambda's bytecode.
    sneaky = small((28, 28, 1), 10, layers.Lambda(lambda x: x * 1.0))
    sneaky.save(folder / "lambda.h5")
    sneaky.save(folder / "lambda.keras")
    return {path.stem + path.suffix: path for path in folder.iterdir()}


@pytest.fixture
def images() -> np.ndarray:
    rng = np.random.default_rng(0)
    batch = rng.random((16, 28, 28), dtype=np.float32)
    batch[:8] *= rng.random((8, 28, 28)) > 0.7  # sparse, ink-like images as well as noise
    return batch


@pytest.mark.parametrize("name", ["good.h5", "good.keras"])
def test_keras_and_onnx_backends_give_the_same_probabilities(
    models: dict[str, Path], images: np.ndarray, name: str
) -> None:
    keras_model = load_classifier(models[name])
    onnx_model = load_classifier(models["good.onnx"])
    assert keras_model.info.backend == "keras" and onnx_model.info.backend == "onnx"
    np.testing.assert_allclose(keras_model.predict(images), onnx_model.predict(images), atol=1e-4)


@pytest.mark.parametrize("name", ["good.h5", "good.keras", "good.onnx"])
def test_predict_returns_ten_probabilities_per_image(
    models: dict[str, Path], images: np.ndarray, name: str
) -> None:
    classifier = load_classifier(models[name])
    batch = classifier.predict(images)
    assert batch.shape == (16, 10) and batch.dtype == np.float32
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, atol=1e-5)
    one = classifier.predict(images[3])  # a single (28, 28) image
    assert one.shape == (1, 10)
    np.testing.assert_allclose(one[0], batch[3], atol=1e-6)
    with_channel = classifier.predict_one(images[3][..., np.newaxis])
    np.testing.assert_allclose(with_channel, batch[3], atol=1e-6)


def test_info_names_the_file_its_hash_backend_and_shapes(models: dict[str, Path]) -> None:
    path = models["good.onnx"]
    info = load_classifier(path).info
    assert info.name == "good.onnx" and info.path == path.resolve()
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.backend == "onnx"
    assert info.input_shape == (None, 28, 28, 1) and info.output_shape == (None, 10)
    keras_info = load_classifier(models["good.h5"]).info
    assert keras_info.backend == "keras" and keras_info.output_shape == (None, 10)


def _refusal(path: Path) -> str:
    with pytest.raises(ModelLoadError) as caught:
        load_classifier(path)
    message = str(caught.value)
    assert str(path) in message, "the message names the file"
    assert "\n" not in message and message.endswith("."), "one sentence"
    return message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "does not exist" in _refusal(tmp_path / "nothing.onnx")


def test_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    path.write_bytes(b"\x80\x02weights")
    assert "unsupported type '.pt'" in _refusal(path)


def test_text_file_named_h5_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "model.h5"
    path.write_text("definitely not HDF5\n")
    assert "not a readable HDF5 file" in _refusal(path)


def test_truncated_h5_is_refused(models: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "cut.h5"
    path.write_bytes(models["good.h5"].read_bytes()[:3000])
    assert "not a readable HDF5 file" in _refusal(path)


def test_h5_with_only_weights_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "weights.h5"
    with h5py.File(path, "w") as file:
        file["dense/kernel"] = np.zeros((784, 10), dtype=np.float32)
    assert "holds no Keras model" in _refusal(path)


def test_zip_without_config_is_not_a_keras_model(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "not a Keras .keras archive" in _refusal(path)


def test_garbage_onnx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.onnx"
    path.write_bytes(b"\x00\x01garbage" * 50)
    assert "not a valid ONNX model" in _refusal(path)


def test_model_for_32x32_images_is_refused_before_loading(models: dict[str, Path]) -> None:
    assert "(32, 32, 1)" in _refusal(models["wide.h5"])
    with pytest.raises(ModelLoadError, match=r"\(32, 32, 1\)"):
        check_model_file(models["wide.h5"])  # caught without TensorFlow


@pytest.mark.parametrize("name", ["letters.h5", "letters.keras"])
def test_model_with_26_classes_is_refused(models: dict[str, Path], name: str) -> None:
    message = _refusal(models[name])
    assert "(26,)" in message and "10 digit probabilities" in message


@pytest.mark.parametrize("name", ["lambda.h5", "lambda.keras"])
def test_lambda_layer_is_refused_before_its_code_can_run(
    models: dict[str, Path], name: str
) -> None:
    path = models[name]
    message = _refusal(path)
    assert "Lambda layer" in message
    with pytest.raises(ModelLoadError, match="Lambda"):
        check_model_file(path)  # found by reading the config as data, nothing loaded


def test_lambda_hidden_in_a_nested_model_is_refused(tmp_path: Path) -> None:
    """A config written by another tool: the Lambda sits inside a sub-model."""
    inner = {"class_name": "Lambda", "config": {"name": "hidden", "function": "..."}}
    config = {
        "class_name": "Sequential",
        "config": {
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1]}},
                {"class_name": "Sequential", "config": {"layers": [inner]}},
            ]
        },
    }
    path = tmp_path / "nested.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = json.dumps(config)
    assert "Lambda layer 'hidden'" in _refusal(path)


def test_model_without_softmax_is_refused(models: dict[str, Path]) -> None:
    assert "needs a softmax" in _refusal(models["logits.h5"])


def test_onnx_model_with_a_fixed_batch_of_one_classifies_batches(tmp_path: Path) -> None:
    from test_game_cli import onnx_model

    fixed = load_classifier(onnx_model(tmp_path / "fixed.onnx", batch=1, seed=3))
    free = load_classifier(onnx_model(tmp_path / "free.onnx", seed=3))
    images = np.random.default_rng(1).random((5, 28, 28), dtype=np.float32)
    assert fixed.info.input_shape == (1, 28, 28, 1)
    np.testing.assert_allclose(fixed.predict(images), free.predict(images), atol=1e-6)


def test_keras_file_in_a_build_without_keras_says_so(
    models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frozen bundle ships ONNX Runtime only; a .h5 there gets a sentence, not a crash."""
    monkeypatch.setitem(sys.modules, "h5py", None)  # makes `import h5py` fail
    assert "this build has no Keras" in _refusal(models["good.h5"])


def test_shipped_models_match_their_card_and_each_other() -> None:
    """assets/model.onnx and model.h5 are the same weights: same answers on drawn digits."""
    from game.modelcard import load_card
    from game.preprocess import preprocess
    from game.selftest import load_samples

    onnx_path = default_model_path()
    if not onnx_path.is_file():
        pytest.skip(f"the shipped model {onnx_path} is not built yet (make train)")
    onnx_model = load_classifier(onnx_path)
    keras_model = load_classifier(onnx_path.with_suffix(".h5"))
    card = load_card(onnx_path)
    assert onnx_model.info.sha256 == card["files"]["onnx"]["sha256"]
    assert keras_model.info.sha256 == card["files"]["h5"]["sha256"]
    drawn = np.stack([preprocess(sample.strokes) for sample in load_samples()])
    np.testing.assert_allclose(onnx_model.predict(drawn), keras_model.predict(drawn), atol=1e-4)
