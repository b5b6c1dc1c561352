"""The convolutional network and its SGD optimizer.

Three convolution blocks (28 -> 14 -> 7 -> 3 pixels) with batch normalisation, then one small
dense layer and a softmax: about 214k parameters, a good fit for MNIST on a CPU in minutes.
"""

import keras
from keras import layers

from game.contract import INPUT_SHAPE, NUM_CLASSES


def build_model(dropout: float = 0.3) -> keras.Model:
    """The uncompiled CNN: (N, 28, 28, 1) floats in [0, 1] -> (N, 10) softmax probabilities."""

    def conv(filters: int) -> list[layers.Layer]:
        # No bias: the batch normalisation right after supplies the offset.
        return [
            layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
        ]

    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            *conv(32),
            *conv(32),
            layers.MaxPooling2D(),
            *conv(64),
            *conv(64),
            layers.MaxPooling2D(),
            *conv(128),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(dropout),
            layers.Dense(64, use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dropout(dropout),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ],
        name="digit_cnn",
    )


def sgd(learning_rate: float, total_steps: int, warmup_fraction: float = 0.15) -> keras.Optimizer:
    """SGD with Nesterov momentum, on the schedule below."""
    schedule = learning_rate_schedule(learning_rate, total_steps, warmup_fraction)
    return keras.optimizers.SGD(learning_rate=schedule, momentum=0.9, nesterov=True)


def learning_rate_schedule(
    learning_rate: float, total_steps: int, warmup_fraction: float = 0.15
) -> keras.optimizers.schedules.LearningRateSchedule:
    """A linear warm-up from a tenth of the peak rate, then a cosine down to zero.

    The warm-up lets a high peak rate work with batch normalisation from random weights; the
    cosine tail gives the last epochs small steps, where most of the final accuracy is won.
    """
    warmup_steps = max(1, int(total_steps * warmup_fraction))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=learning_rate / 10,
        decay_steps=max(1, total_steps - warmup_steps),
        alpha=0.0,
        warmup_target=learning_rate,
        warmup_steps=warmup_steps,
    )


def compile_model(model: keras.Model, optimizer: keras.Optimizer) -> None:
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
