"""The self-test: bundled sample digits, the window's code path, a one-line JSON verdict."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.paths import default_model_path
from game.preprocess import preprocess
from game.selftest import load_samples

REPO = Path(__file__).resolve().parent.parent


def shipped_model() -> Path:
    path = default_model_path()
    if not path.is_file():
        pytest.skip(f"the shipped model {path} is not built yet (make train)")
    return path


def test_samples_cover_every_digit_at_different_sizes_and_places() -> None:
    samples = load_samples()
    assert {s.digit for s in samples} == set(range(10))
    boxes = []
    for sample in samples:
        points = np.concatenate([stroke.points for stroke in sample.strokes])
        boxes.append((*points.min(axis=0), *(points.max(axis=0) - points.min(axis=0))))
        assert preprocess(sample.strokes) is not None, sample.name
    corners, sizes = {(round(x, -2), round(y, -2)) for x, y, _, _ in boxes}, [h for *_, h in boxes]
    assert len(corners) >= 5, "drawn in different places"
    assert max(sizes) > 3 * min(sizes), "drawn at different sizes"
    assert len({s.width for sample in samples for s in sample.strokes}) >= 4, "different brushes"


def test_self_test_passes_on_the_shipped_model() -> None:
    model = shipped_model()
    result = subprocess.run(
        [sys.executable, "-m", "game", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["ok"] is True and report["backend"] == "numpy"
    assert report["model"] == model.name
    assert report["correct"] == report["total"] == len(load_samples())
    assert all(r["predicted"] == r["digit"] for r in report["results"])
    assert report["seconds"] < 30


def test_self_test_imports_neither_pygame_nor_tensorflow() -> None:
    """It must run in the frozen bundle, which ships ONNX Runtime and no TensorFlow."""
    model = shipped_model()
    code = (
        "import sys, contextlib, io\n"
        "from game.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main([{str(model)!r}, '--self-test'])\n"
        "heavy = {'pygame', 'pygame_gui', 'tensorflow', 'keras'}\n"
        "print(code, sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.stdout.split() == ["0", "[]"], result.stdout + result.stderr
