"""Both entry points answer --help without starting anything heavy."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["game", "training"])
def test_help_prints_usage_and_exits_zero(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert f"usage: python -m {module}" in result.stdout
