"""The shipped network run in numpy, without ONNX Runtime.

ONNX Runtime costs the window about 46 MB resident (its library and a session) to run a CNN of
200k weights; numpy, which the game loads anyway, runs it in well under a millisecond a drawing.
The weights and the layer list come from `MODEL.npz`, written beside `MODEL.onnx` from that very
file (training.onnx_weights, checked against ONNX Runtime to 1e-4 when written) and naming the
SHA-256 of the .onnx it was made from: a stale or foreign .npz is never used, the .onnx then
goes through ONNX Runtime as before.

Layers run in NHWC order (the drawing's own layout); a convolution is im2col + one matrix
product, which is where nearly all of the time goes (BLAS).
"""

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# 2: layers name the layers they read, so that a network may branch and join again.
FORMAT = 2
# Images per pass: the im2col copy of the widest layer is ~225 KB an image, so a long batch
# (the explanation's occlusion maps, the self-test) goes through in slices of bounded memory.
CHUNK = 16

Layer = Callable[..., np.ndarray]


def weights_path(onnx_path: Path) -> Path:
    """Where the numpy weights of `onnx_path` live: beside it, with the suffix .npz."""
    return onnx_path.with_suffix(".npz")


def matching_weights(onnx_path: Path, onnx_sha256: str) -> Path | None:
    """The .npz beside `onnx_path` if it was written from exactly that file, else None."""
    path = weights_path(onnx_path)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            made_from = str(data["source_sha256"])
            version = int(data["format"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None  # unreadable or not ours: ONNX Runtime reads the .onnx itself
    return path if version == FORMAT and made_from == onnx_sha256 else None


def load_numpy(path: Path) -> tuple[tuple, tuple, Callable[[np.ndarray], np.ndarray]]:
    """The network in `path` (a .npz from training.onnx_weights): the same triple as
    game.backends' loaders, input shape, output shape and a batch function."""
    with np.load(path, allow_pickle=False) as data:
        spec = json.loads(str(data["layers"]))
        arrays = {
            name: np.ascontiguousarray(data[name], dtype=np.float32)
            for name in data.files
            if name.startswith(("w_", "b_"))
        }
        outputs = int(data["outputs"])
    layers = [(_layer(entry, arrays), entry["inputs"]) for entry in spec]

    def network(x: np.ndarray) -> np.ndarray:
        values: list[np.ndarray] = []
        for layer, inputs in layers:
            values.append(layer(*[values[i] if i >= 0 else x for i in inputs]))
        return values[-1]

    def run(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32).reshape(len(batch), 28, 28, 1)
        parts = [network(batch[start : start + CHUNK]) for start in range(0, len(batch), CHUNK)]
        return np.concatenate(parts) if len(parts) != 1 else parts[0]

    return (None, 28, 28, 1), (None, outputs), run


def _layer(entry: dict, arrays: dict[str, np.ndarray]) -> Layer:
    op = entry["op"]
    weights, bias = arrays.get(f"w_{entry.get('weights')}"), arrays.get(f"b_{entry.get('weights')}")
    if op == "conv":
        return _conv(weights, bias, entry["stride"], entry["pads"])
    if op == "dense":
        return _dense(weights, bias)
    if op == "affine":
        return lambda x: x * weights + bias
    if op == "maxpool":
        return _maxpool(entry["size"], entry["stride"])
    if op == "relu":
        # In place: training.onnx_weights only writes a relu over a value nothing else reads.
        return lambda x: np.maximum(x, 0, out=x)
    if op == "flatten":
        # ONNX flattens in its own channel-first order unless the graph transposed first.
        order = (0, 3, 1, 2) if entry["order"] == "nchw" else (0, 1, 2, 3)
        return lambda x: x.transpose(order).reshape(len(x), -1)
    if op == "softmax":
        return _softmax
    if op == "sigmoid":
        return lambda x: 0.5 + 0.5 * np.tanh(0.5 * x)  # 1 / (1 + e^-x), without overflow
    if op == "multiply":
        return np.multiply
    if op == "concat":
        return lambda *parts: np.concatenate(parts, axis=1)
    if op == "output":
        return lambda x: x
    raise ValueError(f"unknown layer {op!r}")


def _conv(weights: np.ndarray, bias: np.ndarray, stride: list, pads: list) -> Layer:
    """weights (kh, kw, C, O); pads (top, left, bottom, right) as in ONNX."""
    kh, kw, channels, out = weights.shape
    matrix = weights.reshape(kh * kw * channels, out)
    top, left, bottom, right = pads
    sy, sx = stride

    def conv(x: np.ndarray) -> np.ndarray:
        n, height, width, _ = x.shape
        padded = np.zeros((n, height + top + bottom, width + left + right, channels), np.float32)
        padded[:, top : top + height, left : left + width] = x
        h, w = (padded.shape[1] - kh) // sy + 1, (padded.shape[2] - kw) // sx + 1
        # im2col as one shifted copy per kernel tap, in (kh, kw, C) order like `matrix`: a
        # contiguous copy of C floats per pixel, twice as fast as reshaping a sliding window.
        taps = [
            padded[:, dy : dy + sy * (h - 1) + 1 : sy, dx : dx + sx * (w - 1) + 1 : sx]
            for dy in range(kh)
            for dx in range(kw)
        ]
        y = np.concatenate(taps, axis=-1).reshape(n * h * w, -1) @ matrix
        y += bias
        return y.reshape(n, h, w, out)

    return conv


def _dense(weights: np.ndarray, bias: np.ndarray) -> Layer:
    def dense(x: np.ndarray) -> np.ndarray:
        y = x @ weights
        y += bias
        return y

    return dense


def _maxpool(size: list, stride: list) -> Layer:
    (kh, kw), (sy, sx) = size, stride

    def maxpool(x: np.ndarray) -> np.ndarray:
        n, height, width, channels = x.shape
        h, w = (height - kh) // sy + 1, (width - kw) // sx + 1
        if (kh, kw) == (sy, sx):  # tiles: a reshape, no window copies
            tiles = x[:, : h * kh, : w * kw].reshape(n, h, kh, w, kw, channels)
            return tiles.max(axis=(2, 4))
        windows = sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::sy, ::sx]
        return windows.max(axis=(-2, -1))

    return maxpool


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
