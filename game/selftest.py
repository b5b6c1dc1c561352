"""`python -m game --self-test`: classify the bundled sample digits without a window.

The samples (assets/samples/digits.json) are digits drawn as mouse strokes on a canvas, at
different sizes and places and with different brushes; they are read by `game.reader.Reader`
exactly as the window's strokes are. Nothing here imports pygame or TensorFlow (unless the model
is a Keras file), so it also checks a frozen bundle.
"""

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.paths import assets_dir
from game.preprocess import Stroke
from game.reader import Reader


@dataclass(frozen=True)
class Sample:
    name: str
    digit: int
    strokes: list[Stroke]


def samples_path() -> Path:
    return assets_dir() / "samples" / "digits.json"


def load_samples(path: str | Path | None = None) -> list[Sample]:
    """The bundled sample digits as strokes, in file order."""
    data = json.loads(Path(path or samples_path()).read_text(encoding="utf-8"))
    return [
        Sample(
            name=item["name"],
            digit=int(item["digit"]),
            strokes=[
                Stroke.from_points(stroke["points"], stroke.get("width", 16.0))
                for stroke in item["strokes"]
            ],
        )
        for item in data["samples"]
    ]


def run_self_test(model_path: str | Path) -> dict[str, Any]:
    """Load the model, classify every sample; the report's "ok" is True when all are right.

    Raises ModelLoadError for a model that cannot be used.
    """
    start = time.perf_counter()
    reader = Reader.load(model_path)
    results = []
    for sample in load_samples():
        answer = reader.read(sample.strokes)
        result = {"sample": sample.name, "digit": sample.digit, "predicted": answer.digit}
        if answer.drawn:
            result["confidence"] = round(answer.confidence, 4)
        results.append(result)
    return {
        "ok": bool(results) and all(r["predicted"] == r["digit"] for r in results),
        "model": reader.info.name,
        "sha256": reader.info.sha256,
        "backend": reader.info.backend,
        "correct": sum(r["predicted"] == r["digit"] for r in results),
        "total": len(results),
        "results": results,
        "seconds": round(time.perf_counter() - start, 3),
    }
