"""python -m benchmarks [TOPIC ...] [--repeat N]: measure and print the product's figures."""

import argparse
import dataclasses
import importlib
import json
import pkgutil
import subprocess
import sys

import benchmarks
from benchmarks.runner import Figure, table


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
    parser.add_argument("--json", action="store_true", help="print the figures as JSON lines")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.topics) - set(topics()))
    if unknown or args.repeat < 1:
        parser.error(f"unknown topic {unknown}" if unknown else "--repeat must be at least 1")
    if args.json:
        for topic in args.topics:
            module = importlib.import_module(f"benchmarks.bench_{topic}")
            for figure in module.figures(args.repeat):
                print(json.dumps(dataclasses.asdict(figure)), flush=True)
        return 0
    figures = []
    for topic in args.topics or topics():
        print(f"measuring {topic} ...", file=sys.stderr, flush=True)
        figures.extend(_measure_in_fresh_python(topic, args.repeat))
    print(table(figures))
    return 0


def _measure_in_fresh_python(topic: str, repeat: int) -> list[Figure]:
    """One topic in its own interpreter: what another topic loaded (TensorFlow's gigabyte, say)
    must not count in this one's times, nor in its children's peak memory, which Linux carries
    over from the parent across fork and exec."""
    command = [sys.executable, "-m", "benchmarks", topic, "--repeat", str(repeat), "--json"]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return [Figure(**json.loads(line)) for line in lines]


if __name__ == "__main__":
    sys.exit(main())
