"""Style data makes a real difference: a model trained with slashed zeros reads them as 0."""

from pathlib import Path

import numpy as np
import pytest

from benchmarks.style_digits import style_test_set
from training import data, train


def slashed_zeros() -> np.ndarray:
    images, _, names = style_test_set(seed=11, per_style=40)
    return images[np.array(names) == "zero slashed"]


@pytest.mark.slow
def test_model_trained_with_slashed_zeros_reads_them_as_zero_more_often(mnist_path: Path) -> None:
    mnist = data.load_mnist(mnist_path)
    zeros = slashed_zeros()
    assert len(zeros) == 40
    read_as_zero = {}
    for label, shares in (("with", {"slashed_zero": 0.5}), ("without", {})):
        # Only the bitmap styles differ: the drawn shapes, traced digits and traced pairs (which
        # hold slashed zeros of their own) are left out of both.
        settings = train.Settings(
            epochs=2,
            subset=5000,
            augment=False,
            style_shares=shares,
            verbose=0,
            drawn_share=0.0,
            not_digit_share=0.0,
            traced_share=0.0,
            pairs_share=0.0,
        )
        network = train.run(settings, mnist=mnist).model
        read_as_zero[label] = (train.predict(network, zeros).argmax(axis=1) == 0).mean()
    assert read_as_zero["with"] > read_as_zero["without"] + 0.15
    assert read_as_zero["with"] > 0.6
