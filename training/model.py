"""The convolutional network and its SGD optimizer.

Four convolutions (28 -> 14 -> 7 -> 3 pixels) with batch normalisation, then one small dense
layer and a softmax: about 430k parameters, a good fit for MNIST on a CPU in minutes.
"""

import keras
from keras import layers

from game.contract import INPUT_SHAPE, NUM_CLASSES


def build_model(dropout: float = 0.2, outputs: int = NUM_CLASSES + 1) -> keras.Model:
    """The uncompiled CNN: (N, 28, 28, 1) floats in [0, 1] -> (N, outputs) softmax
    probabilities: the digits 0-9 and, with 11 outputs, "not a digit" (game.contract).

    The first convolution has stride 2: MNIST's strokes are 2-3 pixels wide, so a 5x5 window
    every other pixel loses nothing, and the network does a quarter of the work at 28x28 that a
    stride of 1 would cost, which is what makes 15 augmented epochs fit in minutes on a CPU.
    """

    def conv(filters: int, size: int = 3, strides: int = 1) -> list[layers.Layer]:
        # No bias: the batch normalisation right after supplies the offset.
        return [
            layers.Conv2D(filters, size, strides=strides, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
        ]

    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            *conv(32, 5, strides=2),  # 14x14
            *conv(64),
            layers.MaxPooling2D(),  # 7x7
            *conv(64),
            *conv(128),
            layers.MaxPooling2D(),  # 3x3
            layers.Flatten(),
            layers.Dropout(dropout),
            layers.Dense(256, use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dropout(dropout),
            # Float32 even when training in mixed precision: probabilities need the resolution.
            layers.Dense(outputs, activation="softmax", dtype="float32"),
        ],
        name="digit_cnn",
    )


def float32_copy(trained: keras.Model) -> keras.Model:
    """The same network and weights with float32 computation everywhere, for export and use."""
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("float32")
    try:
        copy = build_model(outputs=trained.output_shape[-1])
    finally:
        keras.mixed_precision.set_global_policy(previous)
    copy.set_weights(trained.get_weights())
    return copy


def sgd(
    learning_rate: float,
    total_steps: int,
    warmup_fraction: float = 0.15,
    weight_decay: float = 0.0,
) -> keras.Optimizer:
    """SGD with Nesterov momentum, on the schedule below; every step shrinks the weights by
    `weight_decay` times the learning rate (decoupled weight decay). Batch normalisation's
    scales and offsets and the output's biases are left alone: they set ranges, not features."""
    schedule = learning_rate_schedule(learning_rate, total_steps, warmup_fraction)
    optimizer = keras.optimizers.SGD(
        learning_rate=schedule, momentum=0.9, nesterov=True, weight_decay=weight_decay or None
    )
    optimizer.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
    return optimizer


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
