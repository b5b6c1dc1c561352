"""Explanations (game.explain): how long one takes, the frame time while they are on, and whether
the stroke they mark as most important really matters more than any stroke.

- Time for one explanation of a 5-stroke drawing (a barred 7 with serifs), stroke and part
  importance plus the occlusion map, all in one batch; and stroke importance alone.
- Frame time over a scripted drawing session with explanations on (X pressed), as bench_game
  measures it with them off.
- Faithfulness on the drawn-digit sets: for every drawing of two or more strokes, does the answer
  change when the stroke marked most important is removed, and when a random one is? The style
  set (benchmarks.style_digits) and MNIST test digits traced into strokes
  (benchmarks.mnist_strokes, "redrawn" and "combined"; needs DIGITS_MNIST).
"""

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks.runner import Figure, timed
from game.explain import explain
from game.paths import default_model_path
from game.preprocess import Stroke
from game.reader import Reader

FIVE_STROKES = [
    np.linspace(a, b, n)
    for a, b, n in (
        ((140, 80), (300, 80), 30),
        ((300, 80), (190, 340), 60),
        ((180, 210), (290, 210), 25),
        ((140, 80), (140, 110), 8),
        ((190, 340), (220, 340), 8),
    )
]
FAITHFULNESS_SEED = 0
STYLE_PER_STYLE = 30
MNIST_DIGITS = 300


def explanation_ms(reader: Reader, occlude: bool, calls: int = 50) -> float:
    strokes = [Stroke.from_points(points) for points in FIVE_STROKES]
    explain(reader, strokes, occlude=occlude)  # warm
    return timed(lambda: [explain(reader, strokes, occlude=occlude) for _ in range(calls)]) * (
        1000 / calls
    )


def frame_times_explaining(model: Path, seconds: float = 10.0) -> list[float]:
    """Frame times (ms) of the draw scene, explanations on, while a script draws digits."""
    import pygame

    from benchmarks.bench_game import drawing_session

    return drawing_session(model, seconds, keys_first=(pygame.K_x,))[0]


def faithfulness(reader: Reader, drawings: list[list[Stroke]]) -> tuple[float, float, int]:
    """(share of answers changed removing the most important stroke, the same removing a random
    stroke, drawings counted): drawings of two or more ink strokes with a digit answer."""
    rng = np.random.default_rng(FAITHFULNESS_SEED)
    top = random = counted = 0
    for strokes in drawings:
        ink = [index for index, stroke in enumerate(strokes) if not stroke.erase]
        if len(ink) < 2:
            continue
        why = explain(reader, strokes, occlude=False)
        if why.answer.digit is None:
            continue
        # The most important stroke: the one that speaks most for the answer (ties: first).
        marked = max(why.strokes, key=lambda piece: piece.effect).stroke
        chosen = int(rng.choice(ink))
        without = reader.read_many(
            [[s for i, s in enumerate(strokes) if i != drop] for drop in (marked, chosen)]
        )
        top += without[0].digit != why.answer.digit
        random += without[1].digit != why.answer.digit
        counted += 1
    return top / max(counted, 1), random / max(counted, 1), counted


def style_drawings() -> list[list[Stroke]]:
    from benchmarks.style_digits import STYLES, style_strokes

    return [
        style_strokes(name, np.random.default_rng([FAITHFULNESS_SEED, number, index]))
        for number, name in enumerate(STYLES)
        for index in range(STYLE_PER_STYLE)
    ]


def mnist_drawings(transformation: str) -> list[list[Stroke]] | None:
    from benchmarks.drawn_digits import mnist_path, mnist_test_set
    from benchmarks.mnist_strokes import skeleton_polylines, transformed_strokes

    path = mnist_path()
    if path is None:
        return None
    images, _ = mnist_test_set(path)
    return [
        transformed_strokes(skeleton_polylines(image), transformation, FAITHFULNESS_SEED, index)
        for index, image in enumerate(images[:MNIST_DIGITS])
    ]


def figures(repeat: int) -> Iterable[Figure]:
    model = Path(os.environ.get("DIGITS_BENCH_MODEL", default_model_path()))
    reader = Reader.load(model)
    full = [explanation_ms(reader, True) for _ in range(repeat)]
    yield Figure("one explanation, 5 strokes, with occlusion map", "ms", full, "< 15 ms")
    strokes_only = [explanation_ms(reader, False) for _ in range(repeat)]
    yield Figure("one explanation, 5 strokes, strokes only", "ms", strokes_only)
    medians, worst = [], []
    for _ in range(repeat):
        frames = sorted(frame_times_explaining(model))
        medians.append(frames[len(frames) // 2])
        worst.append(frames[-1])
    yield Figure("frame time drawing, explanations on, median", "ms", medians, "< 16.7 ms")
    yield Figure("frame time drawing, explanations on, worst", "ms", worst, "<= 33 ms")
    sets = {"style digits": style_drawings()}
    for transformation in ("redrawn", "combined"):
        drawings = mnist_drawings(transformation)
        if drawings is None:
            print(
                "bench_explain: no MNIST (DIGITS_MNIST); no traced-digit figures", file=sys.stderr
            )
            break
        sets[f"MNIST traced, {transformation}"] = drawings
    for name, drawings in sets.items():
        start = time.perf_counter()
        top, random, counted = faithfulness(reader, drawings)
        took = time.perf_counter() - start
        print(f"bench_explain: {name}: {counted} drawings in {took:.0f} s", file=sys.stderr)
        yield Figure(f"answer changed, most important stroke removed, {name}", "%", [top * 100])
        yield Figure(f"answer changed, random stroke removed, {name}", "%", [random * 100])
        yield Figure(f"drawings of 2+ strokes, {name}", "drawings", [counted])
