"""Figures, how they are measured, and the table they are printed in.

A benchmark module is `benchmarks/bench_<topic>.py` with `figures(repeat: int) -> Iterable[Figure]`.
Figures are for closing notes and the README, never timed tests: a busy machine changes them.
"""

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def repeated(name: str, unit: str, measure: Callable[[], float], repeat: int, target: str = ""):
    """A figure from `repeat` calls of `measure`, each returning one sample."""
    return Figure(name, unit, [measure() for _ in range(repeat)], target)


def seconds_in_fresh_python(code: str) -> float:
    """Run `code` in a new interpreter; it must print one number, which is returned."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return float(result.stdout.strip().splitlines()[-1])


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def table(figures: Iterable[Figure]) -> str:
    rows = [("figure", "median", "min", "max", "runs", "target")]
    for figure in figures:
        low, high = min(figure.samples), max(figure.samples)
        rows.append(
            (
                figure.name,
                f"{_format(figure.median)} {figure.unit}",
                _format(low),
                _format(high),
                str(len(figure.samples)),
                figure.target,
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _format(value: float) -> str:
    return f"{value:.4g}"
