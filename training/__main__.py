"""python -m training [OUT.h5] [options]: train the CNN with SGD on MNIST and write the model.

Options are checked before TensorFlow is imported (training.cli_options), so that a typo costs a
second, not ten; then the data is loaded, the model trained, and the files written.
"""

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from training.cli_options import (
    DEFAULT_EPOCHS,
    DEFAULT_RATE,
    FINE_TUNE_EPOCHS,
    FINE_TUNE_RATE,
    UsageError,
    build_parser,
    check_drawn_options,
    check_inputs,
    check_options,
    resolve_base_model,
)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        # Ctrl+C at any point: outputs are only ever replaced by a complete, tested model.
        print("python -m training: interrupted; no file was written.", file=sys.stderr)
        return 130


def _main(argv: list[str]) -> int:
    started = time.monotonic()
    args = build_parser().parse_args(argv)
    try:
        shares = check_options(args)
        check_drawn_options(args)
        base_model = resolve_base_model(args)
        user_data = None
        if args.user_data is not None:
            from game.paths import history_path

            user_data = history_path(str(args.user_data) or None)
        check_inputs(base_model, user_data)
    except UsageError as error:
        print(f"python -m training: {error}", file=sys.stderr)
        return 2
    fine_tuning = base_model is not None
    epochs = args.epochs or (FINE_TUNE_EPOCHS if fine_tuning else DEFAULT_EPOCHS)
    epochs = 1 if args.quick else epochs
    rate = args.learning_rate or (FINE_TUNE_RATE if fine_tuning else DEFAULT_RATE)

    from training import data

    try:
        # Loaded before TensorFlow is imported: bad data is reported in a second.
        mnist = data.load_mnist(args.data)
    except data.DataError as error:
        print(f"python -m training: {error}", file=sys.stderr)
        return 2
    # TensorFlow's C++ start-up chatter is not for the user; Python errors still show.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from game.keras_file import import_quietly

    train = import_quietly("training.train")

    settings = train.Settings(
        epochs=epochs,
        batch_size=args.batch_size,
        learning_rate=rate,
        weight_decay=args.weight_decay,
        seed=args.seed,
        data=args.data,
        validation_split=args.validation_split,
        augment=not args.no_augment,
        quick=args.quick,
        style_shares=shares,
        base_model=base_model,
        user_data=user_data,
        bfloat16=args.bfloat16,
        drawn_share=args.drawn,
        not_digit_share=args.not_a_digit,
        traced_share=args.traced,
        pairs_share=args.pairs,
        verbose=1 if sys.stdout.isatty() else 2,
    )
    try:
        result = train.run(settings, mnist=mnist)
        written = None
        if args.output is not None and train.is_chief():
            written = write(result, args, argv, settings, started)
    except data.DataError as error:
        print(f"python -m training: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        # Disk full or folder gone while writing: the old model, if any, is still in place.
        print(f"python -m training: could not write the model ({error}).", file=sys.stderr)
        return 1
    print(summary(result, settings, written))
    return 0


def write(
    result: Any, args: argparse.Namespace, argv: list[str], settings: Any, started: float
) -> list[Path]:
    from training import card, export

    options = {
        "output": str(args.output),
        "epochs": settings.epochs,
        "batch_size": settings.batch_size,
        "learning_rate": settings.learning_rate,
        "weight_decay": settings.weight_decay,
        "seed": settings.seed,
        "data": str(settings.data) if settings.data else None,
        "quick": settings.quick,
        "validation_split": settings.validation_split,
        "augment": settings.augment,
        "bfloat16": settings.bfloat16,
        "styles": settings.style_shares,
        "drawn": settings.drawn_share,
        "not_a_digit": settings.not_digit_share,
        "traced": settings.traced_share,
        "pairs": settings.pairs_share,
        "base_model": str(settings.base_model) if settings.base_model else None,
        "user_data": str(settings.user_data) if settings.user_data else None,
    }
    command = shlex.join(["python", "-m", "training", *argv])

    def make_card(files: dict[str, dict[str, str]]) -> dict[str, Any]:
        fields = card.build_card(result, command, options, settings.style_shares, files)
        # The whole command (start-up, data, training, test, export), not just model.fit.
        fields["command_seconds"] = round(time.monotonic() - started, 1)
        return fields

    export.write_outputs(result.model, args.output, make_card)
    return list(export.sibling_paths(args.output).values())


def summary(result: Any, settings: Any, written: list[Path] | None) -> str:
    test = result.test
    epochs = len(result.history.get("loss", []))
    lines = [
        f"Test accuracy {test['accuracy']:.2%} (loss {test['loss']:.4f}) on {test['count']} "
        f"images after {epochs} epoch{'s' if epochs != 1 else ''} in {result.seconds:.0f} s.",
        "Per digit: "
        + ", ".join(f"{d}: {a:.2%}" for d, a in enumerate(test["per_class_accuracy"])),
    ]
    if result.user_drawings:
        lines.append(f"Fine-tuned with {result.user_drawings} of your drawings.")
    if written:
        lines.append("Wrote " + ", ".join(str(path) for path in written) + ".")
    else:
        lines.append("No output path given: nothing was written.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
