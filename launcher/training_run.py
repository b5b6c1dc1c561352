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
    epochs: int = 15
    learning_rate: float = 0.05
    batch_size: int = 128
    augment: bool = True
    include_drawings: bool = False


def problems(options: TrainingOptions) -> list[str]:
    """One sentence per value the training run would refuse; empty when all are fine."""
    found = []
    if not 1 <= options.epochs <= MAX_EPOCHS:
        found.append(f"Epochs must be a whole number from 1 to {MAX_EPOCHS}.")
    rate = options.learning_rate
    if not (math.isfinite(rate) and 0 < rate <= 1):
        found.append("The learning rate must be above 0 and at most 1.")
    if not 1 <= options.batch_size <= MAX_BATCH_SIZE:
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


def training_command(options: TrainingOptions, output: Path, data_dir: Path) -> list[str]:
    """`python -m training OUT.h5 ...` for these options (checked with `problems` first)."""
    args = [
        str(output),
        "--epochs",
        str(options.epochs),
        "--learning-rate",
        repr(float(options.learning_rate)),
        "--batch-size",
        str(options.batch_size),
    ]
    if not options.augment:
        args.append("--no-augment")
    if options.include_drawings:
        args += ["--user-data", str(data_dir)]
    return python_module_command("training", *args)


@dataclass(frozen=True)
class Progress:
    epoch: int  # epochs finished
    epochs: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.epoch / self.epochs) if self.epochs else 0.0


# The per-epoch lines the training command prints when its output is not a terminal.
_EPOCH_LINE = re.compile(r"\bepoch\s+(\d+)\s*/\s*(\d+)", re.IGNORECASE)


def read_progress(log: str) -> Progress | None:
    """The last epoch reported in a training log, or None before the first one."""
    matches = _EPOCH_LINE.findall(log)
    if not matches:
        return None
    epoch, epochs = matches[-1]
    return Progress(int(epoch), int(epochs))
