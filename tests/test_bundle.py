"""The standalone executable (issue 7): build.spec's one-folder bundle works on its own.

The bundle tests are slow: the bundle is built once for this module (under a minute on two
cores) into a temporary folder, so a developer's dist/ is never touched, then run as a user
would run it. The launcher's error handling is also tested in-process, which is quick.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import require_in_ci

REPO = Path(__file__).resolve().parent.parent
NAME = "digit-recognizer"
EXECUTABLE = NAME + (".exe" if os.name == "nt" else "")
# What the spec must keep out: TensorFlow alone would make the folder ten times larger.
LEFT_OUT_PACKAGES = {"tensorflow", "keras", "tensorboard", "h5py", "tf2onnx", "onnx", "torch"}


@pytest.fixture(scope="module")
def launcher() -> types.ModuleType:
    """packaging/launcher.py, the bundle's entry script, as a module."""
    spec = importlib.util.spec_from_file_location(
        "bundle_launcher", REPO / "packaging" / "launcher.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def launch(launcher: types.ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run the launcher in-process with the given game main; it returns the exit code."""
    # The launcher swaps sys.stderr and sets environment defaults: undo both after the test.
    monkeypatch.setattr(sys, "stderr", sys.stderr)
    for name, value in [
        ("PYGAME_HIDE_SUPPORT_PROMPT", "1"),
        ("OPENBLAS_NUM_THREADS", "1"),
        ("SDL_FRAMEBUFFER_ACCELERATION", "0"),
    ]:
        monkeypatch.setenv(name, value)

    def launch(game_main) -> int:
        import game.__main__

        monkeypatch.setattr(game.__main__, "main", game_main)
        monkeypatch.setattr(sys, "argv", [NAME, "--data-dir", str(tmp_path / "data")])
        return launcher.main()

    return launch


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/digit-recognizer/, freshly built from build.spec in a temporary folder."""
    if importlib.util.find_spec("PyInstaller") is None:
        require_in_ci("PyInstaller")
    if not (REPO / "assets" / "model.onnx").is_file():
        require_in_ci("the shipped model assets/model.onnx")
    root = tmp_path_factory.mktemp("bundle")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(root / "dist"), "--workpath", str(root / "build")]
    result = subprocess.run(
        [*command, str(REPO / "build.spec")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        # The build is the heaviest thing a test does; let the people sharing the machine first.
        preexec_fn=(lambda: os.nice(10)) if hasattr(os, "nice") else None,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    folder = root / "dist" / NAME
    assert (folder / EXECUTABLE).is_file()
    return folder


def log_text(data_dir: Path) -> str:
    return (data_dir / "logs" / f"{NAME}.log").read_text(encoding="utf-8")


def test_unexpected_error_becomes_one_sentence_and_a_logged_traceback(
    launch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def crashing_game(argv: list[str]) -> int:
        raise RuntimeError("the canvas fell over")

    assert launch(crashing_game) == 1
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(tmp_path / "data" / "logs" / f"{NAME}.log") in message
    log = log_text(tmp_path / "data")
    assert "Traceback" in log and "the canvas fell over" in log


def test_windowed_build_without_console_shows_the_error_in_a_message_box(
    launch, launcher: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = []
    monkeypatch.setattr(launcher, "show_message_box", shown.append)
    # What a double-clicked windowed build sees on Windows: no console, stderr is None.
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.delenv("SDL_VIDEODRIVER")

    def refusing_game(argv: list[str]) -> int:
        print("The model file x.onnx does not exist.", file=sys.stderr)
        return 2

    assert launch(refusing_game) == 2
    assert [text.strip() for text in shown] == ["The model file x.onnx does not exist."]


def test_game_run_from_a_terminal_shows_no_message_box(
    launch, launcher: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = []
    monkeypatch.setattr(launcher, "show_message_box", shown.append)

    def refusing_game(argv: list[str]) -> int:
        print("The model file x.onnx does not exist.", file=sys.stderr)
        return 2

    assert launch(refusing_game) == 2
    assert shown == []


def run_bundle(folder: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(folder / EXECUTABLE), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", **env},
    )


def self_test_report(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_bundled_self_test_classifies_every_sample_in_numpy(bundle: Path, tmp_path: Path) -> None:
    # The shipped model runs from assets/model.npz (game.numpy_backend), not ONNX Runtime.
    report = self_test_report(run_bundle(bundle, "--self-test", cwd=tmp_path))
    assert report["ok"] is True
    assert report["backend"] == "numpy"
    assert report["total"] > 0 and report["correct"] == report["total"]


@pytest.mark.slow
def test_bundle_holds_no_tensorflow_or_keras(bundle: Path) -> None:
    found = [
        path.relative_to(bundle)
        for path in bundle.rglob("*")
        if (path.is_dir() and path.name in LEFT_OUT_PACKAGES)
        or path.name.startswith(("libtensorflow", "_pywrap_tensorflow"))
        or path.suffix in (".h5", ".keras")
    ]
    assert found == []


@pytest.mark.slow
def test_bundle_runs_from_a_path_with_spaces_and_another_directory(
    bundle: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "my apps" / "digit recognizer"
    shutil.copytree(bundle, moved, symlinks=True)
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    report = self_test_report(run_bundle(moved, "--self-test", cwd=elsewhere))
    assert report["ok"] is True


@pytest.mark.slow
def test_bundled_window_draws_its_first_frame_and_loads_the_model(
    bundle: Path, tmp_path: Path
) -> None:
    # pygame-gui's theme and fonts, the app's theme and fonts: all must be inside for this.
    result = run_bundle(
        bundle, "--data-dir", str(tmp_path / "data"), cwd=tmp_path, DIGITS_STARTUP_REPORT="1"
    )
    assert result.returncode == 0, result.stderr
    events = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert "first_frame" in events and "model_ready" in events
    # A run without errors leaves no log behind.
    assert not (tmp_path / "data" / "logs").exists()


@pytest.mark.slow
@pytest.mark.parametrize("self_test", [True, False], ids=["self-test", "window"])
def test_broken_model_beside_the_bundle_gives_one_sentence_and_exit_2(
    bundle: Path, tmp_path: Path, self_test: bool
) -> None:
    broken = bundle.parent / "broken model.onnx"
    broken.write_bytes(b"this is not an ONNX model\x00\xff" * 10)
    data_dir = tmp_path / "data"
    args = [str(broken), "--data-dir", str(data_dir)] + (["--self-test"] if self_test else [])
    result = run_bundle(bundle, *args, cwd=tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "broken model.onnx" in message
    # The same sentence is in the log file in the user data folder, for windowed builds.
    log = data_dir / "logs" / f"{NAME}.log"
    assert message in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_keras_model_given_to_the_bundle_is_refused_in_one_sentence(
    bundle: Path, tmp_path: Path
) -> None:
    keras_file = tmp_path / "model.h5"
    keras_file.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    result = run_bundle(bundle, str(keras_file), "--self-test", cwd=tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    # The bundle has no TensorFlow: the sentence names the file and points to the ONNX model.
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "model.h5" in message and ".onnx" in message
