"""python -m training [OUT.h5] [options]: train the CNN with SGD on MNIST and write the model."""

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train the digit CNN with SGD on MNIST; write OUT.h5, OUT.onnx and OUT.json.",
    )
    parser.add_argument("output", nargs="?", help="where to write the model (.h5 or .keras)")
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print("Training arrives with issue 3.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
