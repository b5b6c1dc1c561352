"""Shared test setup: headless pygame, the MNIST path, and tools that CI must provide."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def headless_pygame(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever needs a real screen or sound card unless it starts Xvfb itself."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


@pytest.fixture
def mnist_path() -> Path:
    """Full MNIST as an .npz (DIGITS_MNIST, set by the Makefile); skipped where there is none."""
    path = os.environ.get("DIGITS_MNIST", "")
    if not path or not Path(path).is_file():
        require_in_ci("MNIST (set DIGITS_MNIST to an mnist.npz)")
    return Path(path)


def require_in_ci(what: str) -> None:
    """Skip a test whose tool is missing on a developer's machine, but fail it in CI."""
    message = f"{what} is not available"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must provide it")
    pytest.skip(message)


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        require_in_ci(f"the program {name}")
    return path
