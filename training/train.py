"""One training run: data, styles, split, distribution strategy, fit, and the final test.

The test set is touched once, after training, for the report; the epoch count is fixed in
advance and the last epoch's weights are kept, so nothing is chosen by looking at the test set.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from game.contract import NOT_A_DIGIT, NUM_CLASSES
from training import augment, calibrate, data, mixing, model, styles, traced
from training.cli_options import DEFAULT_WEIGHT_DECAY

# --quick: enough to see the network learn, small enough for a smoke test in seconds.
QUICK_TRAIN = 3000
QUICK_TEST = 1000
# Fine-tuning: each epoch shows every user drawing about this many times, at most, so that a few
# dozen drawings weigh against 54,000 MNIST digits without being learnt by heart.
USER_REPEAT = 20


@dataclass
class Settings:
    """What a run does; the CLI fills it from the options."""

    epochs: int = 20
    batch_size: int = 128
    learning_rate: float = 0.1
    weight_decay: float = DEFAULT_WEIGHT_DECAY
    seed: int = 0
    data: Path | None = None
    validation_split: float = 0.1
    augment: bool = True
    quick: bool = False
    # Train on a seeded random subset of this many MNIST training images (None: all of them).
    subset: int | None = None
    # Compute in bfloat16 (weights stay float32): about 1.5x faster on CPUs with AVX512-BF16 or
    # AMX, much slower on others. The saved model computes in float32 either way.
    bfloat16: bool = False
    style_shares: dict[str, float] = field(default_factory=lambda: dict(styles.DEFAULT_SHARES))
    base_model: Path | None = None
    user_data: Path | None = None
    verbose: int = 2
    # Drawn digits in real writers' shapes, and non-digits (the 11th output), as shares of the
    # MNIST training images; see training.mixing.
    drawn_share: float = mixing.DEFAULT_DRAWN
    not_digit_share: float = mixing.DEFAULT_NOT_A_DIGIT
    # MNIST training digits traced into strokes and drawn again (training.traced).
    traced_share: float = traced.DEFAULT_TRACED
    # Two traced MNIST digits written side by side, taught as "not a digit" (training.traced).
    pairs_share: float = traced.DEFAULT_PAIRS


@dataclass
class Result:
    model: keras.Model
    history: dict[str, list[float]]
    test: dict[str, Any]
    seconds: float
    style_counts: dict[str, int]
    user_drawings: int
    augmentation: dict[str, Any]
    outputs: int = NUM_CLASSES
    drawn: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)


def choose_strategy() -> tf.distribute.Strategy:
    """Several machines with TF_CONFIG, several GPUs on this one, otherwise the default."""
    if os.environ.get("TF_CONFIG"):
        return tf.distribute.MultiWorkerMirroredStrategy()
    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def is_chief() -> bool:
    """Whether this process writes the outputs: the chief, or worker 0 where there is none."""
    try:
        task = json.loads(os.environ.get("TF_CONFIG", "{}")).get("task", {})
    except ValueError:
        return True
    task_type = task.get("type", "chief")
    return task_type == "chief" or (task_type == "worker" and task.get("index", 0) == 0)


def load_base_model(path: Path) -> keras.Model:
    """A model to fine-tune; safe_mode refuses Lambda layers that would run code on load."""
    if not path.is_file():
        raise data.DataError(f"The base model {path} does not exist.")
    try:
        base = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many kinds for files it cannot read.
        raise data.DataError(f"The base model {path} cannot be loaded ({error}).") from error
    from game.contract import check_shapes

    try:
        check_shapes(base.input_shape, base.output_shape)
    except ValueError as error:
        raise data.DataError(f"The base model {path} does not fit: {error}.") from error
    return base


def run(
    settings: Settings,
    callbacks: list[keras.callbacks.Callback] | None = None,
    mnist: data.Mnist | None = None,
) -> Result:
    """Train as `settings` say (on `mnist` if given, else on settings.data) and test."""
    keras.utils.set_random_seed(settings.seed)
    mnist = mnist if mnist is not None else data.load_mnist(settings.data)
    base = load_base_model(settings.base_model) if settings.base_model else None
    user_images = np.zeros((0, 28, 28), np.uint8)
    user_labels = np.zeros((0,), np.uint8)
    if settings.user_data is not None:
        user_images, user_labels = data.load_user_drawings(settings.user_data)
    x_train, y_train, x_test, y_test = mnist.x_train, mnist.y_train, mnist.x_test, mnist.y_test
    subset = QUICK_TRAIN if settings.quick else settings.subset
    if subset is not None:
        pick = np.random.default_rng(settings.seed).permutation(len(x_train))[:subset]
        x_train, y_train = x_train[pick], y_train[pick]
    if settings.quick:
        x_test, y_test = x_test[:QUICK_TEST], y_test[:QUICK_TEST]

    traced_images, traced_labels, traced_info = traced.traced_data(
        x_train, y_train, settings.traced_share, settings.seed
    )
    mnist_digits = x_train  # before the styles draw over some of them
    x_train, style_counts = styles.apply_styles(
        x_train, y_train, settings.style_shares, settings.seed
    )
    # A model that cannot say "not a digit" (a seed-style base model) gets no non-digits.
    outputs = base.output_shape[-1] if base is not None else NUM_CLASSES + 1
    not_digit_share = settings.not_digit_share if outputs > NUM_CLASSES else 0.0
    drawn_images, drawn_labels, drawn = mixing.drawn_data(
        len(x_train), settings.drawn_share, not_digit_share, settings.seed
    )
    pairs_share = settings.pairs_share if outputs > NUM_CLASSES else 0.0
    pair_images, pairs_info = traced.traced_pairs(mnist_digits, pairs_share, settings.seed)
    pair_labels = np.full(len(pair_images), NOT_A_DIGIT, np.uint8)
    x_train = np.concatenate([x_train, drawn_images, traced_images, pair_images])
    y_train = np.concatenate([y_train, drawn_labels, traced_labels, pair_labels])
    # The split holds out drawn digits and non-digits too: the calibration needs them.
    x_train, y_train, x_val, y_val = data.split_validation(
        x_train, y_train, settings.validation_split, settings.seed
    )
    if len(user_labels):
        repeat = max(1, min(USER_REPEAT, len(x_train) // (10 * len(user_labels))))
        x_train = np.concatenate([x_train, np.repeat(user_images, repeat, axis=0)])
        y_train = np.concatenate([y_train, np.repeat(user_labels, repeat, axis=0)])

    augmentation = augment.Augmentation() if settings.augment else None
    strategy = choose_strategy()
    previous_policy = keras.mixed_precision.global_policy()
    if settings.bfloat16:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        network, history, seconds = _fit(
            settings,
            strategy,
            base,
            outputs,
            x_train,
            y_train,
            x_val,
            y_val,
            augmentation,
            callbacks,
        )
    finally:
        keras.mixed_precision.set_global_policy(previous_policy)
    if settings.bfloat16 and base is None:
        network = model.float32_copy(network)
    fitted = calibrate.calibration(
        predict(network, x_val),
        y_val,
        "the validation split: MNIST and drawn digits and non-digits held out from training",
    )
    return Result(
        model=network,
        history=history,
        test=evaluate(network, x_test, y_test, fitted["temperature"]),
        seconds=seconds,
        style_counts=style_counts,
        user_drawings=int(len(user_labels)),
        augmentation=augmentation.as_dict() if augmentation else {"enabled": False},
        outputs=outputs,
        drawn={**drawn, "traced": traced_info, "traced_pairs": pairs_info},
        calibration=fitted,
    )


def _fit(
    settings: Settings,
    strategy: tf.distribute.Strategy,
    base: keras.Model | None,
    outputs: int,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    augmentation: augment.Augmentation | None,
    callbacks: list[keras.callbacks.Callback] | None,
) -> tuple[keras.Model, dict[str, list[float]], float]:
    steps = int(np.ceil(len(x_train) / settings.batch_size))
    epochs = settings.epochs
    with strategy.scope():
        network = base if base is not None else model.build_model(outputs=outputs)
        # Fine-tuning starts from good weights: no warm-up from a tenth of the rate needed,
        # but the same SGD and cosine decay.
        optimizer = model.sgd(
            settings.learning_rate, steps * epochs, 0.0 if base else 0.15, settings.weight_decay
        )
        model.compile_model(network, optimizer)

    train_data = augment.training_dataset(
        x_train, y_train, settings.batch_size, settings.seed, augmentation
    )
    validation_data = (
        augment.evaluation_dataset(x_val, y_val, settings.batch_size) if len(x_val) else None
    )
    started = time.monotonic()
    fitted = network.fit(
        train_data,
        epochs=epochs,
        steps_per_epoch=steps,
        validation_data=validation_data,
        callbacks=callbacks,
        shuffle=False,  # The dataset is shuffled, seeded, by the pipeline.
        verbose=settings.verbose,
    )
    seconds = time.monotonic() - started
    history = {name: [float(v) for v in values] for name, values in fitted.history.items()}
    return network, history, seconds


def evaluate(
    network: keras.Model, images: np.ndarray, labels: np.ndarray, temperature: float = 1.0
) -> dict[str, Any]:
    """Accuracy, loss, per-class accuracy and confusion matrix (rows = true digit, columns =
    the answer: 10 digits, and "not a digit" where the model has that output), and the
    calibration error before and after the temperature."""
    probabilities = predict(network, images)
    predicted = probabilities.argmax(axis=1)
    confusion = np.zeros((NUM_CLASSES, probabilities.shape[1]), dtype=np.int64)
    np.add.at(confusion, (labels.astype(int), predicted), 1)
    picked = probabilities[np.arange(len(labels)), labels.astype(int)]
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    scaled = calibrate.apply_temperature(probabilities, temperature)
    return {
        "accuracy": float((predicted == labels).mean()),
        "ece_before": round(calibrate.expected_calibration_error(probabilities, labels), 5),
        "ece_after": round(calibrate.expected_calibration_error(scaled, labels), 5),
        "loss": float(-np.log(np.clip(picked, 1e-7, 1.0)).mean()),
        "per_class_accuracy": [round(float(a), 6) for a in per_class],
        "confusion_matrix": confusion.tolist(),
        "count": int(len(labels)),
    }


def predict(network: keras.Model, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """(N, outputs) probabilities for uint8 (N, 28, 28) or float (N, 28, 28[, 1]) images."""
    from game.contract import to_model_input

    batch = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images
    batch = to_model_input(batch)
    parts = [
        np.asarray(network(batch[i : i + batch_size], training=False))
        for i in range(0, len(batch), batch_size)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, network.output_shape[-1]), np.float32)
