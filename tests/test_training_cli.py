"""Bad input to `python -m training`: one sentence on stderr, exit code 2, nothing written."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from training.__main__ import main


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "training", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def test_help_explains_every_option() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for option in (
        "--epochs",
        "--batch-size",
        "--learning-rate",
        "--seed",
        "--data",
        "DIGITS_MNIST",
        "--quick",
        "--validation-split",
        "--no-augment",
        "--style",
        "slashed_zero",
        "--user-data",
        "--base-model",
        "--pairs",
        "--weight-decay",
        "TF_CONFIG",
    ):
        assert option in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["OUT.txt"], "must end in .h5 or .keras"),
        (["missing/model.h5"], "does not exist"),
        (["OUT.h5", "--epochs", "0"], "--epochs must be at least 1"),
        (["OUT.h5", "--learning-rate", "-0.1"], "--learning-rate must be positive"),
        (["OUT.h5", "--batch-size", "0"], "--batch-size must be at least 1"),
        (["OUT.h5", "--weight-decay", "-0.01"], "--weight-decay must be in [0, 1)"),
        (["OUT.h5", "--validation-split", "1.5"], "--validation-split"),
        (["OUT.h5", "--data", "nowhere.npz"], "nowhere.npz does not exist"),
        (["OUT.h5", "--style", "slashed_zero=2"], "between 0 and 1"),
        (["OUT.h5", "--style", "curly_two=0.2"], "no style"),
        (["OUT.h5", "--epochs", "many"], "invalid int value"),
        (["OUT.h5", "--pairs", "3"], "--pairs must be a share between 0 and 2"),
    ],
)
def test_bad_options_exit_2_with_one_sentence_and_write_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    # The data option is checked last; an unset variable keeps it from failing first.
    monkeypatch.delenv("DIGITS_MNIST", raising=False)
    with pytest.raises(SystemExit) as stopped:
        code = main(args)
        raise SystemExit(code)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1 and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_output_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    assert main([str(folder / "model.h5")]) == 2
    assert "not writable" in capsys.readouterr().err


@pytest.mark.slow
def test_data_with_wrong_labels_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    np.savez(
        tmp_path / "bad.npz",
        x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        y_train=np.full(20, 11, np.uint8),
        x_test=rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        y_test=np.zeros(5, np.uint8),
    )
    result = run_cli(str(tmp_path / "model.h5"), "--data", str(tmp_path / "bad.npz"))
    assert result.returncode == 2
    assert "labels are not all digits 0-9" in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.npz"]
