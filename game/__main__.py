"""python -m game [MODEL] [options]: draw a digit and see what the model thinks, live."""

import argparse
import json
import os
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digit-recognizer" if getattr(sys, "frozen", False) else "python -m game",
        description="Draw a digit with the mouse; a CNN trained on MNIST says which digit it is.",
    )
    parser.add_argument(
        "model",
        nargs="?",
        help="a .onnx, .h5 or .keras model (default: the model shipped in assets/)",
    )
    parser.add_argument("--data-dir", help="where the history database is kept")
    parser.add_argument("--fullscreen", action="store_true", help="open the window full screen")
    task = parser.add_mutually_exclusive_group()
    task.add_argument(
        "--self-test",
        action="store_true",
        help="classify the bundled sample digits without a window, print JSON, exit 0 if all right",
    )
    task.add_argument(
        "--export-drawings",
        metavar="OUT.npz",
        help="write the drawings you labelled to OUT.npz in MNIST's layout (x_train, y_train) "
        "and exit",
    )
    return parser


def lean_environment() -> None:
    """Settings that must be made before numpy and pygame load; the user's own values win."""
    # pygame prints a banner on import; the self-test's stdout is one line of JSON.
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # numpy's OpenBLAS starts a thread per core on import; the game's arrays are 28x28, so those
    # threads would only cost start-up time and memory.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # The window's class, by which a taskbar names and groups it: pygame's import would set it
    # to the script's name, "__main__.py".
    for variable in ("SDL_VIDEO_X11_WMCLASS", "SDL_VIDEO_WAYLAND_WMCLASS"):
        os.environ.setdefault(variable, "digit-recognizer")
    if sys.platform.startswith("linux") and os.environ.get("SDL_VIDEODRIVER", "x11") == "x11":
        # On X11, SDL backs the window with an OpenGL texture by default, and loading the GL
        # driver (Mesa with LLVM) doubles the app's memory, 95 MB to 190 MB, for a 2D game that
        # presents one software surface a frame. X11 has a software path (shared memory); other
        # video drivers may not, so the hint is set for X11 only.
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lean_environment()
    # Imported here so that --help answers at once; none of these pulls in pygame or TensorFlow.
    from game.classifier import ModelLoadError, check_model_file
    from game.history import HistoryError
    from game.paths import default_model_path

    try:
        if args.export_drawings:
            return _export_drawings(args.data_dir, Path(args.export_drawings))
        model_path = Path(args.model) if args.model else default_model_path()
        # The checks that need no model runtime, before any window opens; the deep ones run
        # in load_classifier (the app calls it on a background thread and exits 2 on failure).
        check_model_file(model_path)
        if args.self_test:
            return _self_test(model_path)
        from game import app

        data_dir = Path(args.data_dir) if args.data_dir else None
        return app.run(model_path, data_dir, args.fullscreen)
    except (ModelLoadError, HistoryError) as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _self_test(model_path: Path) -> int:
    from game.selftest import run_self_test

    report = run_self_test(model_path)
    print(json.dumps(report))
    return 0 if report["ok"] else 1


def _export_drawings(data_dir: str | None, out_path: Path) -> int:
    from game.history_export import export_drawings
    from game.paths import history_path

    database = history_path(data_dir)
    if out_path.resolve() == database.resolve():
        print(f"The export file {out_path} would replace the history database.", file=sys.stderr)
        return 2
    count = export_drawings(database, out_path)
    print(f"Exported {count} labelled drawings from {database} to {out_path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
