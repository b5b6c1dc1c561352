"""What the drawn-digit benchmarks share: MNIST's test set, models to compare, picture grids.

Models are measured through the app's own `game.reader.Reader` in batches, with ONNX Runtime (the
shipped model's own backend); a Keras file is used only when it has no `.onnx` beside it. The
comparison models (the same architecture trained without augmentation, or without style data) are
trained once with the project's training command and kept under build/bench-models/; an
environment variable can point at another file.
"""

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHIPPED_MODEL = REPO / "assets" / "model.onnx"
BENCH_MODELS = REPO / "build" / "bench-models"
BENCH_CACHE = REPO / "build" / "bench-cache"
# The training seed of every comparison model, so that they are reproducible.
TRAINING_SEED = 0


def shipped_model() -> Path:
    """The model the app ships (DIGITS_SHIPPED_MODEL may name another, to measure it instead)."""
    return Path(os.environ.get("DIGITS_SHIPPED_MODEL", SHIPPED_MODEL))


def trained_epochs(model_path: Path) -> int | None:
    """Epochs the model was trained for, from its model card; None if unknown."""
    try:
        card = json.loads(Path(model_path).with_suffix(".json").read_text())
        return int(card["options"]["epochs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def mnist_path() -> Path | None:
    """MNIST's .npz from DIGITS_MNIST, else ../shared/data/mnist.npz beside the repository."""
    configured = os.environ.get("DIGITS_MNIST")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO.parent / "shared" / "data" / "mnist.npz")
    return next((path for path in candidates if path.is_file()), None)


def mnist_test_set(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(x_test uint8 (N, 28, 28), y_test) from an .npz in Keras's layout."""
    with np.load(path) as data:
        return data["x_test"], data["y_test"]


def predict(model_path: Path, images: np.ndarray, batch: int = 1000) -> np.ndarray:
    """Digits the app's Reader reads in images (N, 28, 28) in [0, 1], batched; -1 where it
    answers "not a digit" (which counts as a miss)."""
    from game.reader import Reader

    model_path = Path(model_path)
    onnx_path = model_path.with_suffix(".onnx")
    reader = Reader.load(onnx_path if onnx_path.is_file() else model_path)
    x = np.asarray(images, dtype=np.float32)
    answers = [
        a for start in range(0, len(x), batch) for a in reader.read_images(x[start : start + batch])
    ]
    return np.array([-1 if a.digit is None else a.digit for a in answers], dtype=np.int64)


def accuracy(model_path: Path, images: np.ndarray, labels: np.ndarray) -> float:
    """Share of the images the model reads as their label, in percent."""
    return float(np.mean(predict(model_path, images) == np.asarray(labels)) * 100)


def comparison_options(change: str) -> list[str]:
    """Training options for a comparison model: the shipped model's own command (from its model
    card) with one thing changed, "no-augment" or "no-styles", so that only that differs.

    Without a shipped model card, the training command's defaults with that one change.
    DIGITS_BENCH_EPOCHS=N trains for N epochs instead, where the machine is too busy for the
    shipped number (the figures' model names then say so).
    """
    options = _shipped_options()
    epochs = os.environ.get("DIGITS_BENCH_EPOCHS")
    if epochs:
        options = [*_without(options, "--epochs", takes_value=True), "--epochs", epochs]
    if change == "no-styles":
        options = _without(options, "--style", takes_value=True)
    options = _without(options, f"--{change}", takes_value=False)
    if not any(option.split("=")[0] == "--seed" for option in options):
        options += ["--seed", str(TRAINING_SEED)]
    return [*options, f"--{change}"]


def _shipped_options() -> list[str]:
    card = shipped_model().with_suffix(".json")
    try:
        command = json.loads(card.read_text())["command"]
        tokens = shlex.split(command)
    except (OSError, ValueError, KeyError, TypeError):
        return []
    # "python -m training OUT.h5 --opt value ...": keep the options, not the program or output;
    # the data path is this machine's, and a fine-tuned model's base is not ours to reuse.
    tokens = tokens[tokens.index("training") + 1 :] if "training" in tokens else []
    options: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        name = token.split("=")[0]
        takes_value = name in _VALUED and "=" not in token and index + 1 < len(tokens)
        value = [tokens[index + 1]] if takes_value else []
        index += 1 + len(value)
        if token.startswith("--") and name not in ("--data", "--base-model", "--user-data"):
            options += [token, *value]
    return options


def _option_groups(options: list[str]) -> list[tuple[str, ...]]:
    """Options grouped with their values: ["--epochs", "5", "--quick"] becomes
    [("--epochs", "5"), ("--quick",)]."""
    groups: list[tuple[str, ...]] = []
    for token in options:
        if (
            groups
            and groups[-1][0] in _VALUED
            and len(groups[-1]) == 1
            and "=" not in groups[-1][0]
        ):
            groups[-1] = (*groups[-1], token)
        else:
            groups.append((token,))
    return groups


def _without(options: list[str], name: str, takes_value: bool) -> list[str]:
    kept: list[str] = []
    skip = False
    for token in options:
        if skip:
            skip = False
        elif token.split("=")[0] == name:
            skip = takes_value and "=" not in token
        else:
            kept.append(token)
    return kept


# Options of `python -m training` followed by a value.
_VALUED = {
    "--epochs",
    "--batch-size",
    "--learning-rate",
    "--seed",
    "--data",
    "--validation-split",
    "--style",
    "--base-model",
}


def comparison_model(change: str, env_var: str, mnist: Path | None) -> Path | None:
    """The comparison model with `change` ("no-augment" or "no-styles"), trained once with
    `python -m training` and kept under build/bench-models/, named by its options.

    `env_var` may name an existing model file instead. Returns None, with one sentence on
    stderr, when there is no model and none can be trained (no MNIST, no such training option,
    DIGITS_BENCH_TRAIN=0, or the training failed).
    """
    configured = os.environ.get(env_var)
    if configured:
        if Path(configured).is_file():
            return Path(configured)
        print(
            f"{env_var}={configured} is not a file; skipping the {change} model.", file=sys.stderr
        )
        return None
    options = comparison_options(change)
    # Named by the options, in any order, so that a changed shipped command trains anew.
    key = hashlib.sha256(repr(sorted(_option_groups(options))).encode()).hexdigest()[:8]
    target = BENCH_MODELS / f"{change}-{key}.h5"
    if target.is_file():
        return target
    if os.environ.get("DIGITS_BENCH_TRAIN") == "0":
        print(
            f"No {change} model at {target} and DIGITS_BENCH_TRAIN=0; skipping it.", file=sys.stderr
        )
        return None
    if mnist is None:
        print(f"No MNIST to train the {change} model with; skipping it.", file=sys.stderr)
        return None
    missing = _missing_training_options(options)
    if missing:
        print(
            f"The training command has no {', '.join(missing)} option; skipping the {change}"
            f" model (or set {env_var}).",
            file=sys.stderr,
        )
        return None
    BENCH_MODELS.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "training", str(target), *options, "--data", str(mnist)]
    if os.name == "posix":
        # Training takes minutes of both cores; others work on this machine too.
        command = ["nice", "-n", "10", *command]
    print(f"training the {change} comparison model once: {shlex.join(command)}", file=sys.stderr)
    result = subprocess.run(command, cwd=REPO, stdout=sys.stderr)
    if result.returncode != 0 or not target.is_file():
        print(f"Training the {change} model failed; skipping it.", file=sys.stderr)
        return None
    return target


def _missing_training_options(options: Sequence[str]) -> list[str]:
    wanted = [o.split("=")[0] for o in (*options, "--data") if o.startswith("--")]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "training", "--help"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return wanted
    return [option for option in wanted if option not in result.stdout]


def save_grid(
    path: Path,
    rows: Sequence[tuple[str, Sequence[object]]],
    columns: Sequence[str] = (),
    zoom: int = 3,
) -> None:
    """A PNG grid, one labelled row per (label, cells) with optional column titles.

    A cell is a 28x28 image in [0, 1], shown as the model sees it (white ink on black), or a list
    of strokes (game.preprocess.Stroke), shown as the user drew them on the 400x400 canvas
    (dark ink on a light canvas, the brush as wide as it was), shrunk to the same size.
    """
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=13)
    side = 28 * zoom
    cell = side + 4
    label_width = 8 + max(int(font.getlength(label)) for label, _ in rows)
    header = 22 if columns else 4
    count = max(len(cells) for _, cells in rows)
    canvas = Image.new("L", (label_width + count * cell + 4, header + len(rows) * cell), 90)
    pen = ImageDraw.Draw(canvas)
    for column, title in enumerate(columns):
        x = label_width + column * cell + cell // 2
        pen.text((x, header - 4), title, fill=255, font=font, anchor="ms")
    for row, (label, cells) in enumerate(rows):
        y = header + row * cell
        pen.text((4, y + cell // 2), label, fill=255, font=font, anchor="lm")
        for column, item in enumerate(cells):
            canvas.paste(_picture(item, side), (label_width + column * cell + 2, y + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png")
    os.close(handle)
    try:
        canvas.save(temporary, format="PNG")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _picture(item: object, side: int):
    from PIL import Image, ImageDraw

    if isinstance(item, np.ndarray):
        pixels = Image.fromarray(np.uint8(np.clip(item, 0, 1) * 255))
        return pixels.resize((side, side), Image.NEAREST)
    # Strokes: drawn at full canvas size with round ends and joints, then shrunk smoothly.
    from benchmarks.mnist_strokes import CANVAS

    drawing = Image.new("L", (int(CANVAS), int(CANVAS)), 235)
    pen = ImageDraw.Draw(drawing)
    for stroke in item:
        points = [tuple(point) for point in stroke.points]
        radius = stroke.width / 2
        if len(points) > 1:
            pen.line(points, fill=20, width=max(int(round(stroke.width)), 1), joint="curve")
        for x, y in (points[0], points[-1]):
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=20)
    return drawing.resize((side, side), Image.LANCZOS)


def grid_command(
    argv: list[str] | None, module: str, what: str, default: Path, write: Callable[[Path], None]
) -> int:
    """The command line of a benchmark module that draws its digits as a PNG grid."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{module}", description=what)
    parser.add_argument("--grid", type=Path, default=default, help="PNG to write")
    args = parser.parse_args(argv)
    write(args.grid)
    print(f"wrote {args.grid}")
    return 0
