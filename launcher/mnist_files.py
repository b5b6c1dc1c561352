"""The MNIST files the training form offers, so that an offline machine can train without
typing a path: the places the project and Keras keep `mnist.npz`, where a file is there."""

import os
from dataclasses import dataclass
from pathlib import Path

from launcher.process import PROJECT_ROOT

# training's own default: `python -m training` reads this when --data is not given.
MNIST_VARIABLE = "DIGITS_MNIST"
FILE_NAME = "mnist.npz"


@dataclass(frozen=True)
class Place:
    path: Path
    where: str  # said in the picker: why the launcher looked there


def places(data: Path) -> list[Place]:
    """Where the launcher looks, in order of preference (whether or not a file is there)."""
    found = []
    if os.environ.get(MNIST_VARIABLE):
        found.append(Place(Path(os.environ[MNIST_VARIABLE]), f"${MNIST_VARIABLE}"))
    keras_home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    found += [
        Place(PROJECT_ROOT.parent / "shared" / "data" / FILE_NAME, "beside the project"),
        Place(data / FILE_NAME, "your data folder"),
        Place(keras_home / "datasets" / FILE_NAME, "Keras's download cache"),
    ]
    return found


def found_files(data: Path) -> list[Place]:
    """The places that hold a file, each file once (the first reason it was found for)."""
    seen: set[Path] = set()
    found = []
    for place in places(data):
        if not place.path.is_file():
            continue
        real = place.path.resolve()
        if real not in seen:
            seen.add(real)
            found.append(place)
    return found


def training_env(chosen: Path | None, env: dict[str, str]) -> dict[str, str]:
    """The training run's environment: with no file chosen (Keras downloads MNIST), without
    $DIGITS_MNIST, which the training command would otherwise read instead."""
    if chosen is not None:
        return dict(env)
    return {key: value for key, value in env.items() if key != MNIST_VARIABLE}
