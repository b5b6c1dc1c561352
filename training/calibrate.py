"""Honest confidence: temperature scaling fitted on held-out data, and its measure (ECE).

A network trained with cross-entropy and heavy augmentation is usually over- or under-sure of
itself. One number T, fitted by minimising the negative log-likelihood on data training did not
fit on, rescales every answer as softmax(log(p) / T): the ranking (and so the accuracy) stays,
the stated confidence moves towards how often the model is right.
"""

import numpy as np

BINS = 15
# log T is searched on this grid, then refined around the best point.
LOG_T_RANGE = (-2.0, 2.0)


def apply_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(log(p) / T) for each row of probabilities."""
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def negative_log_likelihood(probabilities: np.ndarray, labels: np.ndarray) -> float:
    picked = probabilities[np.arange(len(labels)), labels.astype(int)]
    return float(-np.log(np.clip(picked, 1e-12, 1.0)).mean())


def fit_temperature(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The T > 0 that minimises the NLL of the labels: a 1-D search over log T."""
    low, high = LOG_T_RANGE
    for _ in range(3):
        grid = np.linspace(low, high, 41)
        losses = [
            negative_log_likelihood(apply_temperature(probabilities, np.exp(g)), labels)
            for g in grid
        ]
        best = int(np.argmin(losses))
        step = grid[1] - grid[0]
        low, high = grid[best] - step, grid[best] + step
    return float(np.exp(grid[best]))


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """ECE over BINS equal-width confidence bins: the mean |accuracy - confidence|, weighted by
    each bin's share of the answers (confidence = the top probability, over all outputs)."""
    if not len(labels):
        return 0.0
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels.astype(int)
    bins = np.minimum((confidence * BINS).astype(int), BINS - 1)
    total = 0.0
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


def calibration(probabilities: np.ndarray, labels: np.ndarray, held_out: str) -> dict:
    """The model card's calibration entry for these held-out probabilities and labels."""
    if not len(labels):
        return {
            "temperature": 1.0,
            "method": "none: there was no held-out data (--validation-split 0)",
            "set": held_out,
        }
    temperature = fit_temperature(probabilities, labels)
    return {
        "temperature": round(temperature, 4),
        "method": "temperature scaling on held-out validation data",
        "ece_before": round(expected_calibration_error(probabilities, labels), 5),
        "ece_after": round(
            expected_calibration_error(apply_temperature(probabilities, temperature), labels), 5
        ),
        "set": held_out,
        "count": int(len(labels)),
    }
