"""The "Train a new model" form: its checks, the command it runs, and the progress it reads back."""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from launcher.process import python_module_command

MAX_EPOCHS = 200
MAX_BATCH_SIZE = 8192


@dataclass(frozen=True)
class TrainingOptions:
    """The form's values; None leaves the choice to `python -m training` (its defaults differ
    between a fresh run and fine-tuning on the user's drawings)."""

    epochs: int | None = None
    learning_rate: float | None = None
    batch_size: int | None = None
    augment: bool = True
    include_drawings: bool = False
    mnist: Path | None = None  # an MNIST file; None lets Keras download it


def problems(options: TrainingOptions) -> list[str]:
    """One sentence per value the training run would refuse; empty when all are fine."""
    found = []
    if options.epochs is not None and not 1 <= options.epochs <= MAX_EPOCHS:
        found.append(f"Epochs must be a whole number from 1 to {MAX_EPOCHS}.")
    rate = options.learning_rate
    if rate is not None and not (math.isfinite(rate) and 0 < rate <= 1):
        found.append("The learning rate must be above 0 and at most 1.")
    if options.batch_size is not None and not 1 <= options.batch_size <= MAX_BATCH_SIZE:
        found.append(f"The batch size must be a whole number from 1 to {MAX_BATCH_SIZE}.")
    return found


def new_model_path(models_dir: Path, now: datetime | None = None) -> Path:
    """A fresh name in the user's models folder; the user never types a path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    path = models_dir / f"model-{stamp}.h5"
    suffix = 2
    while path.exists() or path.with_suffix(".onnx").exists():
        path = models_dir / f"model-{stamp}-{suffix}.h5"
        suffix += 1
    return path


def fine_tuning_base(model: Path | None) -> Path | None:
    """The Keras file to fine-tune when the picked model is `model` (an .onnx has its .h5 beside
    it); None lets the training command choose (the shipped model)."""
    if model is None:
        return None
    if model.suffix in (".h5", ".keras"):
        return model
    sibling = model.with_suffix(".h5")
    return sibling if sibling.is_file() else None


def training_command(
    options: TrainingOptions, output: Path, data_dir: Path, base_model: Path | None = None
) -> list[str]:
    """`python -m training OUT.h5 ...` for these options (checked with `problems` first).

    With the user's drawings the run fine-tunes `base_model` on MNIST mixed with them."""
    args = [str(output)]
    if options.mnist is not None:
        args += ["--data", str(options.mnist)]
    if options.epochs is not None:
        args += ["--epochs", str(options.epochs)]
    if options.learning_rate is not None:
        args += ["--learning-rate", repr(float(options.learning_rate))]
    if options.batch_size is not None:
        args += ["--batch-size", str(options.batch_size)]
    if not options.augment:
        args.append("--no-augment")
    if options.include_drawings:
        args += ["--user-data", str(data_dir)]
        if base_model is not None:
            args += ["--base-model", str(base_model)]
    return python_module_command("training", *args)


@dataclass(frozen=True)
class Progress:
    done: int  # epochs finished
    epochs: int
    validation_accuracy: float | None = None  # after the last finished epoch

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.epochs) if self.epochs else 0.0


# What Keras prints when its output is not a terminal (verbose=2): a header as an epoch starts,
# then one line of metrics when it ends.
_EPOCH_HEADER = re.compile(r"^\s*Epoch (\d+)/(\d+)\s*$", re.MULTILINE)
_EPOCH_METRICS = re.compile(r"\bloss: [\d.]+")
_VALIDATION_ACCURACY = re.compile(r"\bval_accuracy: ([\d.]+)")


def read_progress(log: str) -> Progress | None:
    """Epochs finished so far according to a training log, or None before the first epoch."""
    headers = list(_EPOCH_HEADER.finditer(log))
    if not headers:
        # Keras prints no "Epoch 1/1" header for a one-epoch run, only its metrics line.
        if _EPOCH_METRICS.search(log):
            return Progress(1, 1, _validation_accuracy(log))
        return None
    last = headers[-1]
    epoch, epochs = int(last.group(1)), int(last.group(2))
    after = log[last.end() :]
    if _EPOCH_METRICS.search(after):
        return Progress(epoch, epochs, _validation_accuracy(after))
    before = log[headers[-2].end() : last.start()] if len(headers) > 1 else ""
    return Progress(epoch - 1, epochs, _validation_accuracy(before))


def _validation_accuracy(text: str) -> float | None:
    found = _VALIDATION_ACCURACY.search(text)
    return float(found.group(1)) if found else None


# TensorFlow's start-up chatter (absl log lines) and library warnings (a line, then the source
# line it points at, indented): not worth a user's attention in the live log.
_NOISE = re.compile(r"^(?:[IWE]\d{4} |WARNING: All log messages|WARNING:absl:|\S.*\w+Warning: )")


def readable_log(log: str, lines: int = 12) -> str:
    """The last lines of a training log without TensorFlow's chatter and library warnings."""
    kept = []
    skipping = False
    for line in log.splitlines():
        if _NOISE.match(line):
            skipping = True
        elif not (skipping and line.startswith(" ")) and line.strip():
            skipping = False
            kept.append(line)
    return "\n".join(kept[-lines:])
