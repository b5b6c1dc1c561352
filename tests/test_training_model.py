"""The network fits the model contract the game checks, and trains with SGD."""

import keras
import numpy as np

from game.contract import INPUT_SHAPE, NOT_A_DIGIT, NUM_CLASSES, check_shapes
from training import model


def test_model_fits_the_contract_and_outputs_probabilities() -> None:
    network = model.build_model()
    check_shapes(network.input_shape, network.output_shape)
    assert network.input_shape[1:] == INPUT_SHAPE
    images = np.random.default_rng(0).random((5, *INPUT_SHAPE), dtype=np.float32)
    probabilities = np.asarray(network(images, training=False))
    # The digits, and "not a digit" as the last output.
    assert probabilities.shape == (5, NUM_CLASSES + 1) and NOT_A_DIGIT == NUM_CLASSES
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_model_has_no_lambda_layer_and_a_cpu_friendly_size() -> None:
    network = model.build_model()
    assert not any(isinstance(layer, keras.layers.Lambda) for layer in network.layers)
    # About 430k: reading one drawing stays well under a millisecond on one CPU core.
    assert 100_000 <= network.count_params() <= 500_000


def test_optimizer_is_sgd_with_nesterov_momentum() -> None:
    optimizer = model.sgd(0.1, total_steps=100)
    assert isinstance(optimizer, keras.optimizers.SGD)
    assert optimizer.nesterov and optimizer.momentum == 0.9


def test_weight_decay_shrinks_the_weights_but_not_batch_normalisation() -> None:
    network = model.build_model()
    optimizer = model.sgd(0.1, total_steps=100, warmup_fraction=0.0, weight_decay=0.5)
    before = [np.array(v) for v in network.trainable_variables]
    # A zero gradient: whatever changes, weight decay changed it.
    optimizer.apply_gradients(
        [(np.zeros(v.shape, "float32"), v) for v in network.trainable_variables]
    )
    for variable, old in zip(network.trainable_variables, before, strict=True):
        shrunk = not np.allclose(np.array(variable), old)
        assert shrunk == (variable.name == "kernel"), variable.path


def test_learning_rate_warms_up_to_the_peak_then_decays_to_zero() -> None:
    schedule = model.learning_rate_schedule(0.1, total_steps=1000, warmup_fraction=0.1)
    rates = [float(schedule(step)) for step in (0, 50, 100, 500, 999)]
    assert rates[0] < rates[1] < rates[2]
    assert abs(rates[2] - 0.1) < 1e-6
    assert rates[2] > rates[3] > rates[4] and rates[4] < 0.001


def test_float32_copy_of_a_bfloat16_model_gives_its_probabilities_in_float32() -> None:
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        mixed = model.build_model()
    finally:
        keras.mixed_precision.set_global_policy("float32")
    copy = model.float32_copy(mixed)
    assert all(layer.compute_dtype == "float32" for layer in copy.layers)
    images = np.random.default_rng(1).random((4, *INPUT_SHAPE), dtype=np.float32)
    expected = np.asarray(mixed(images, training=False), dtype=np.float32)
    probabilities = np.asarray(copy(images, training=False))
    assert probabilities.dtype == np.float32
    # bfloat16 keeps about 3 significant digits; the float32 copy computes the same function.
    np.testing.assert_allclose(probabilities, expected, atol=0.02)
