"""The options of `python -m training`: the parser, and the checks that refuse a bad option, a
bad output path, a bad base model or history with one sentence before TensorFlow is imported."""

import argparse
import os
import tempfile
from pathlib import Path
from typing import NoReturn

DATA_ENV = "DIGITS_MNIST"
DEFAULT_EPOCHS = 20
DEFAULT_RATE = 0.1
# Fine-tuning starts from trained weights: a few epochs at a tenth of the rate.
FINE_TUNE_EPOCHS = 3
FINE_TUNE_RATE = 0.01
# Weight decay keeps weights from growing large to fit a few training images. With the shipped
# model's recipe, 0.005 read MNIST and the robustness set better in every run, but in all runs
# but one the flagged one or the numbers with digits apart missed its limit by a drawing or two
# (README, "How well it recognises drawn digits"): not the default yet.
DEFAULT_WEIGHT_DECAY = 0.0


class UsageError(Exception):
    """Bad input from the user: one sentence, exit code 2, nothing written."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One sentence on stderr rather than argparse's usage block; --help has the details.
        self.exit(2, f"{self.prog}: {message[0].upper()}{message[1:].rstrip('.')}.\n")


def build_parser() -> argparse.ArgumentParser:
    from training.styles import DEFAULT_SHARES, STYLES

    parser = Parser(
        prog="python -m training",
        description=(
            "Train the digit CNN with SGD on MNIST and write OUT.h5 (or .keras), OUT.onnx and "
            "OUT.json (the model card) side by side. Without OUT, train and evaluate only."
        ),
        epilog=(
            "Several GPUs on this machine are used automatically (MirroredStrategy); for several "
            "machines set TF_CONFIG on each (MultiWorkerMirroredStrategy), see the README."
        ),
    )
    parser.add_argument(
        "output",
        nargs="?",
        type=Path,
        help="where to write the model (.h5 or .keras); OUT.onnx and OUT.json go beside it",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        help=f"passes over the training set (default {DEFAULT_EPOCHS}, {FINE_TUNE_EPOCHS} "
        "when fine-tuning)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=128, help="images per SGD step (default 128)"
    )
    parser.add_argument(
        "--learning-rate",
        type=float,
        help=f"peak SGD learning rate of the warm-up and cosine schedule (default {DEFAULT_RATE},"
        f" {FINE_TUNE_RATE} when fine-tuning)",
    )
    parser.add_argument(
        "--weight-decay",
        type=float,
        default=DEFAULT_WEIGHT_DECAY,
        help="each SGD step shrinks the weights by this times the learning rate (default "
        f"{DEFAULT_WEIGHT_DECAY}: none)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random seed: the same seed gives the same weights at start, data order, "
        "validation split, styles and augmentation (default 0)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=os.environ.get(DATA_ENV) or None,
        help=f"MNIST as an .npz with Keras's keys, or a folder of the four IDX files (.gz or "
        f"not); default: ${DATA_ENV}, else keras.datasets.mnist.load_data() (downloads)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 3000 training and 1000 test images, one epoch",
    )
    parser.add_argument(
        "--validation-split",
        type=float,
        default=0.1,
        help="share of the training set held out to watch each epoch (default 0.1); the test "
        "set is only used for the final report",
    )
    parser.add_argument(
        "--no-augment",
        action="store_true",
        help="train on the images as they are: no rotation, shift, zoom, shear or stroke width",
    )
    parser.add_argument(
        "--style",
        action="append",
        default=[],
        metavar="NAME=SHARE",
        help="share (0-1) of a digit's training images drawn in a style; repeatable. Styles: "
        + ", ".join(f"{name} ({STYLES[name].description})" for name in STYLES)
        + ". Default: "
        + ", ".join(f"{name}={share}" for name, share in DEFAULT_SHARES.items()),
    )
    parser.add_argument("--no-styles", action="store_true", help="train on MNIST's own styles only")
    add_drawn_options(parser)
    parser.add_argument(
        "--bfloat16",
        action="store_true",
        help="compute in bfloat16 while training (weights stay float32): about 1.5x faster on "
        "CPUs with AVX512-BF16 or AMX, slower elsewhere; the saved model is float32",
    )
    parser.add_argument(
        "--base-model",
        type=Path,
        help="fine-tune this model (.h5 or .keras) instead of starting from random weights",
    )
    parser.add_argument(
        "--user-data",
        nargs="?",
        type=Path,
        const="",
        metavar="DIR",
        help="fine-tune on MNIST mixed with the labelled drawings of the game's history in DIR "
        "(default: the game's user data folder); the base model is --base-model, else OUT if it "
        "exists, else the shipped model",
    )
    return parser


def check_options(args: argparse.Namespace) -> dict[str, float]:
    """Raise UsageError for nonsensical options; return the style shares."""
    from training.styles import DEFAULT_SHARES, check_shares

    if args.epochs is not None and args.epochs < 1:
        raise UsageError(f"--epochs must be at least 1, not {args.epochs}.")
    if args.batch_size < 1:
        raise UsageError(f"--batch-size must be at least 1, not {args.batch_size}.")
    if args.learning_rate is not None and not args.learning_rate > 0:
        raise UsageError(f"--learning-rate must be positive, not {args.learning_rate}.")
    if not 0 <= args.weight_decay < 1:
        raise UsageError(f"--weight-decay must be in [0, 1), not {args.weight_decay}.")
    if not 0 <= args.validation_split < 1:
        raise UsageError(f"--validation-split must be in [0, 1), not {args.validation_split}.")
    if args.output is not None:
        check_output(args.output)
    shares = {} if args.no_styles else dict(DEFAULT_SHARES)
    for item in args.style:
        name, _, share = item.partition("=")
        try:
            shares[name.strip()] = float(share)
        except ValueError:
            raise UsageError(f"--style wants NAME=SHARE with a number, not {item!r}.") from None
    try:
        check_shares(shares)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.data is not None and not args.data.exists():
        raise UsageError(f"The MNIST data {args.data} does not exist.")
    return {name: share for name, share in shares.items() if share > 0}


def add_drawn_options(parser: argparse.ArgumentParser) -> None:
    """--drawn, --not-a-digit, --traced and --pairs: shares of digits drawn in writers' shapes,
    of not-digits, of MNIST digits traced into strokes and of traced pairs."""
    from training.mixing import DEFAULT_DRAWN, DEFAULT_NOT_A_DIGIT
    from training.traced import DEFAULT_PAIRS, DEFAULT_TRACED

    parser.add_argument(
        "--drawn",
        type=float,
        default=DEFAULT_DRAWN,
        metavar="SHARE",
        help="digits drawn as strokes in real writers' shapes (slashed zero, flagged one, crossed "
        "seven...), as a share of the MNIST training images (default %(default)s)",
    )
    parser.add_argument(
        "--not-a-digit",
        type=float,
        default=DEFAULT_NOT_A_DIGIT,
        metavar="SHARE",
        help="drawings that are not digits (letters, scribbles, shapes), taught as an 11th "
        "output, as a share of the MNIST training images (default %(default)s)",
    )
    parser.add_argument(
        "--traced",
        type=float,
        default=DEFAULT_TRACED,
        metavar="SHARE",
        help="MNIST training digits traced into pen strokes and drawn again as the app draws "
        "them, as a share of the MNIST training images (default %(default)s)",
    )
    parser.add_argument(
        "--pairs",
        type=float,
        default=DEFAULT_PAIRS,
        metavar="SHARE",
        help="two MNIST training digits traced and written side by side, sometimes joined, "
        "taught as not a digit, as a share of the MNIST training images (default %(default)s)",
    )


def check_drawn_options(args: argparse.Namespace) -> None:
    """Raise UsageError for a share of drawn, not-digit, traced or pair images outside [0, 2]."""
    shares = (("--drawn", args.drawn), ("--not-a-digit", args.not_a_digit))
    for name, share in (*shares, ("--traced", args.traced), ("--pairs", args.pairs)):
        if not 0 <= share <= 2:
            raise UsageError(f"{name} must be a share between 0 and 2, not {share}.")


def check_output(output: Path) -> None:
    """Raise UsageError unless the model can be written at `output` (and its siblings)."""
    if output.suffix not in (".h5", ".keras"):
        raise UsageError(f"The output {output} must end in .h5 or .keras.")
    for path in (output, output.with_suffix(".onnx"), output.with_suffix(".json")):
        if path.is_dir():
            raise UsageError(
                f"The output {path} is a folder; give a model file name, such as "
                f"{path / 'model.h5'}."
            )
    folder = output.parent
    if not folder.is_dir():
        raise UsageError(f"The output folder {folder} does not exist; create it or choose another.")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        raise UsageError(f"The output folder {folder} is not writable; choose another.") from None


def resolve_base_model(args: argparse.Namespace) -> Path | None:
    """The model to fine-tune: --base-model, else (with --user-data) OUT or the shipped one."""
    if args.base_model is not None or args.user_data is None:
        return args.base_model
    if args.output is not None and args.output.is_file():
        return args.output
    from game.paths import assets_dir

    shipped = assets_dir() / "model.h5"
    if not shipped.is_file():
        raise UsageError("There is no model to fine-tune; pass --base-model.")
    return shipped


def check_inputs(base_model: Path | None, user_data: Path | None) -> None:
    """The model to fine-tune and the history to learn from, checked before TensorFlow loads:
    a bad file is refused in a second, not after minutes of start-up or training."""
    from game.classifier import ModelLoadError, check_model_file

    if base_model is not None:
        if base_model.suffix.lower() not in (".h5", ".keras"):
            raise UsageError(
                f"The base model {base_model} is not a Keras model; pass its .h5 or .keras "
                "file (an .onnx holds no weights that can be trained)."
            )
        try:
            check_model_file(base_model)
        except ModelLoadError as error:
            raise UsageError(str(error)) from None
    if user_data is not None:
        from training.data import DataError, load_user_drawings

        try:
            load_user_drawings(user_data)
        except DataError as error:
            raise UsageError(str(error)) from None
