"""python -m game [MODEL] [options]: draw a digit and see what the model thinks, live."""

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m game",
        description="Draw a digit with the mouse; a CNN trained on MNIST says which digit it is.",
    )
    parser.add_argument(
        "model",
        nargs="?",
        help="a .onnx, .h5 or .keras model (default: the model shipped in assets/)",
    )
    parser.add_argument("--data-dir", help="where the history database is kept")
    parser.add_argument("--fullscreen", action="store_true", help="open the window full screen")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="classify the bundled sample digits without a window, print JSON, exit 0 if all right",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print("The game window arrives with issue 4.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
