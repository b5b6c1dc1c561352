"""Prediction latency, time to a ready model, and history write time.

Measured on the shipped model (assets/model.onnx and its Keras twin assets/model.h5); set
DIGITS_BENCH_MODEL to another .onnx to measure that one (its .h5 sibling, if any, for Keras).
A drawing is one of the bundled sample digits (mouse strokes), so the latency includes
preprocessing exactly as the window does it.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from benchmarks.runner import Figure
from game.paths import default_model_path

DRAWINGS_PER_RUN = 400
WRITES_PER_RUN = 100

READY = """
import sys, time
from game.reader import Reader
from game.selftest import load_samples
Reader.load(sys.argv[1]).read(load_samples()[0].strokes)
print("ready", flush=True)
"""


def figures(repeat: int) -> Iterable[Figure]:
    onnx_path = Path(os.environ.get("DIGITS_BENCH_MODEL", default_model_path()))
    if not onnx_path.is_file():
        print(f"no model at {onnx_path}: inference figures skipped", file=sys.stderr)
    else:
        # The shipped .onnx runs in numpy when its .npz is beside it, else in ONNX Runtime.
        backend = "numpy" if onnx_path.with_suffix(".npz").is_file() else "ONNX"
        yield from _backend_figures(onnx_path, backend, repeat, "< 1 ms", "< 0.5 s")
        yield from _onnx_thread_figures(onnx_path, repeat)
        keras_path = onnx_path.with_suffix(".h5")
        if keras_path.is_file():
            yield from _backend_figures(keras_path, "Keras", repeat, "", "")
    yield _history_write_figure(repeat)


def _backend_figures(
    path: Path, backend: str, repeat: int, latency_target: str, ready_target: str
) -> Iterable[Figure]:
    from game.reader import Reader
    from game.selftest import load_samples

    reader = Reader.load(path)
    samples = load_samples()

    def one_drawing(index: int) -> tuple[float, float]:
        strokes = samples[index % len(samples)].strokes
        start, start_cpu = time.perf_counter(), time.thread_time()
        reader.read(strokes)
        return (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000

    for index in range(20):  # warm-up: first calls build kernels and caches
        one_drawing(index)
    medians, tails, cpu_tails = [], [], []
    for _ in range(repeat):
        wall, cpu = np.array([one_drawing(index) for index in range(DRAWINGS_PER_RUN)]).T
        medians.append(float(np.median(wall)))
        tails.append(float(np.percentile(wall, 99)))
        cpu_tails.append(float(np.percentile(cpu, 99)))
    yield Figure(f"prediction per drawing, {backend}, median", "ms", medians, latency_target)
    yield Figure(f"prediction per drawing, {backend}, p99", "ms", tails, latency_target)
    # On a shared machine the wall-clock tail is mostly time spent waiting for a core; the
    # calling thread's CPU time shows what the prediction itself costs.
    yield Figure(f"prediction per drawing, {backend}, p99 CPU time", "ms", cpu_tails)
    ready = [_seconds_to_ready(path) for _ in range(repeat)]
    yield Figure(f"process start to model ready, {backend}", "s", ready, ready_target)


def _seconds_to_ready(path: Path) -> float:
    """From starting a new Python process to its first prediction made by a loaded model."""
    repo = Path(__file__).resolve().parent.parent
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", READY, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait(timeout=120)
    if line.strip() != "ready":
        raise RuntimeError(f"the model {path} did not load in a fresh process")
    return elapsed


def _onnx_thread_figures(path: Path, repeat: int) -> Iterable[Figure]:
    """Why the classifier runs ONNX Runtime on one thread: one image at a time, threads cost."""
    import onnxruntime

    image = np.random.default_rng(0).random((1, 28, 28, 1), dtype=np.float32)
    for threads, label in ((1, "1 thread (used)"), (0, "default threads")):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        name = session.get_inputs()[0].name

        def infer(session=session, name=name) -> None:
            session.run(None, {name: image})

        samples = [_median_ms(infer, DRAWINGS_PER_RUN) for _ in range(repeat)]
        yield Figure(f"ONNX inference only, {label}, median", "ms", samples)


def _history_write_figure(repeat: int) -> Figure:
    """One committed classification: History.add, a transaction synced to disk (WAL, FULL)."""
    from game.history import History

    image = np.random.default_rng(0).random((28, 28), dtype=np.float32)
    probabilities = np.full(10, 0.1, dtype=np.float32)
    medians = []
    with tempfile.TemporaryDirectory() as folder:
        with History.open(Path(folder) / "history.sqlite3") as history:

            def write() -> None:
                history.add(image, probabilities, 3, 0.5, "ab" * 32, label=3)

            for _ in range(repeat):
                medians.append(_median_ms(write, WRITES_PER_RUN))
    return Figure("history write per committed classification, median", "ms", medians)


def _median_ms(action: Callable[[], object], count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
