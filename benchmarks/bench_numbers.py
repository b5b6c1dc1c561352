"""Whole numbers written in one go (see benchmarks/number_set.py), read by `read_number`.

Figures: whole-number accuracy against its ceiling (the share of numbers whose every digit the
reader reads right on its own), the share cut into the wrong count of digits (targets: at most
1 % where no digits are joined, at most 5 % with joined pairs), and the time of `read_number` by
number length.

    python -m benchmarks numbers
    python -m benchmarks.bench_numbers [--count N]    # the figures and the commonest mistakes
"""

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from benchmarks.drawn_digits import mnist_path, mnist_test_set, shipped_model
from benchmarks.number_set import DigitShapes, WrittenNumber, number_set
from benchmarks.runner import Figure
from game.reader import Reader

SEED = 0
COUNT = 2000
WRONG_COUNT_TARGET = {"separate": "<= 1 %", "joined": "<= 5 %"}


@dataclass
class Tally:
    numbers: int = 0
    right: int = 0
    ceiling: int = 0
    wrong_count: int = 0
    mistakes: Counter = field(default_factory=Counter)


def evaluate(reader: Reader, numbers: list[WrittenNumber]) -> tuple[dict, dict]:
    """({"separate"/"joined": Tally}, {length: [read_number milliseconds]})."""
    tallies = {"separate": Tally(), "joined": Tally()}
    times: dict[int, list[float]] = {}
    for written in numbers:
        start = time.perf_counter()
        number = reader.read_number(written.strokes)
        times.setdefault(len(written.text), []).append((time.perf_counter() - start) * 1000)
        singles = reader.read_many(written.digits)
        tally = tallies["joined" if written.joined else "separate"]
        tally.numbers += 1
        tally.right += number.text == written.text
        tally.ceiling += all(a.digit == int(c) for a, c in zip(singles, written.text, strict=True))
        if len(number.digits) != len(written.text):
            tally.wrong_count += 1
            tally.mistakes[f"{written.text} -> {number.text or '(none)'}"] += 1
    return tallies, times


def written_numbers(count: int = COUNT, seed: int = SEED) -> list[WrittenNumber]:
    path = mnist_path()
    if path is None:
        raise SystemExit("MNIST is needed for the number set: set DIGITS_MNIST to an mnist.npz.")
    images, labels = mnist_test_set(path)
    return number_set(DigitShapes(images, labels), seed=seed, count=count)


def figures(repeat: int, count: int = COUNT) -> Iterable[Figure]:
    # Accuracy on a fixed set is the same on every run; the times are medians over the set.
    reader = Reader.load(shipped_model())
    reader.read_number([[(0, 0), (0, 50)]])  # the first call pays for ONNX Runtime's warm-up
    tallies, times = evaluate(reader, written_numbers(count))
    for kind, tally in tallies.items():
        label = f"{kind} digits, {tally.numbers} numbers"
        yield Figure(f"numbers read right ({label})", "%", [100 * tally.right / tally.numbers])
        ceiling = 100 * tally.ceiling / tally.numbers
        yield Figure(f"ceiling: every digit read right alone ({label})", "%", [ceiling])
        wrong = 100 * tally.wrong_count / tally.numbers
        target = WRONG_COUNT_TARGET[kind]
        yield Figure(f"cut into the wrong count of digits ({label})", "%", [wrong], target)
        for mistake, times_seen in tally.mistakes.most_common(8):
            print(f"  {kind}: {mistake} ({times_seen}x)", file=sys.stderr)
    for length in sorted(times):
        target = "< 10 ms" if length == 6 else ""
        median = statistics.median(times[length])
        yield Figure(f"read_number, {length} digits (median)", "ms", [median], target)
        yield Figure(
            f"read_number, {length} digits (95th percentile)",
            "ms",
            [float(np.percentile(times[length], 95))],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_numbers")
    parser.add_argument("--count", type=int, default=COUNT, help=f"numbers (default {COUNT})")
    args = parser.parse_args(argv)
    if args.count < 10:
        parser.error("--count must be at least 10")
    for figure in figures(1, args.count):
        print(f"{figure.name}: {figure.median:.2f} {figure.unit} {figure.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
