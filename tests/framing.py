"""How a 28x28 input is framed: the measures MNIST's own framing is checked with."""

import numpy as np


def ink_box(image: np.ndarray) -> tuple[int, int]:
    """Height and width in pixels of the ink brighter than 0.1."""
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    cols = np.flatnonzero(image.max(axis=0) > 0.1)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's centre of mass, in pixel indices."""
    rows, cols = np.indices(image.shape)
    return (image * rows).sum() / image.sum(), (image * cols).sum() / image.sum()
