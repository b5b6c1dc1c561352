"""python -m benchmarks [TOPIC ...] [--repeat N]: measure and print the product's figures."""

import argparse
import importlib
import pkgutil
import sys

import benchmarks
from benchmarks.runner import table


def topics() -> list[str]:
    return sorted(
        name.removeprefix("bench_")
        for _, name, _ in pkgutil.iter_modules(benchmarks.__path__)
        if name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure the product's figures, each several times, and print their medians.",
    )
    parser.add_argument("topics", nargs="*", help=f"what to measure (default all: {topics()})")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.topics) - set(topics()))
    if unknown or args.repeat < 1:
        parser.error(f"unknown topic {unknown}" if unknown else "--repeat must be at least 1")
    figures = []
    for topic in args.topics or topics():
        print(f"measuring {topic} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.bench_{topic}")
        figures.extend(module.figures(args.repeat))
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
