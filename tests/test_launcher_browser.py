"""The launcher for real: `streamlit run launcher_app.py` on localhost, driven by headless Chromium.

Clicking Start Drawing starts a real game process (SDL's dummy video driver: no screen needed),
and the page is saved as a screenshot (copied into docs/ for the README when
DIGITS_UPDATE_SCREENSHOTS=1). Also: the server cannot be reached from any other address of this
machine.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import require_in_ci, require_program

REPO = Path(__file__).resolve().parent.parent
SHIPPED_MODEL = REPO / "assets" / "model.onnx"
# The README's pictures: refreshed only when asked, so that a test run leaves the tree clean.
UPDATE_DOCS_VARIABLE = "DIGITS_UPDATE_SCREENSHOTS"
DOCS = REPO / "docs"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


@dataclass
class Server:
    url: str
    port: int
    data: Path
    model: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tiny_model(path: Path) -> Path:
    """A valid 28x28 -> 10 softmax ONNX model without TensorFlow: one linear layer whose weights
    are digit templates. Only used where no shipped model exists yet."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weights = rng.normal(0, 0.05, (784, 10)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Reshape", ["image", "flat_shape"], ["flat"]),
            helper.make_node("MatMul", ["flat", "weights"], ["scores"]),
            helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
        ],
        "tiny",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [None, 28, 28, 1])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 10])],
        [
            numpy_helper.from_array(np.array([-1, 784], dtype=np.int64), "flat_shape"),
            numpy_helper.from_array(weights, "weights"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    return path


def seed_history(data: Path, model: Path) -> None:
    """Drawings as the game records them: the bundled mouse-drawn samples, moved and resized,
    read through the game's Reader, most confirmed by 'the user'."""
    from game.history import History
    from game.preprocess import Stroke
    from game.reader import NOT_A_DIGIT, Reader
    from game.selftest import load_samples

    reader = Reader.load(model)
    path = data / "history.sqlite3"
    with History.open(path) as database:
        for day, (scale, shift) in enumerate([(1.0, 0), (0.6, 90), (0.8, -40)]):
            for index, sample in enumerate(load_samples()):
                strokes = [
                    Stroke.from_points(stroke.points * scale + shift, stroke.width)
                    for stroke in sample.strokes
                ]
                answer = reader.read(strokes)
                prediction = NOT_A_DIGIT if answer.digit is None else answer.digit
                label = None if (index + day) % 6 == 5 else sample.digit
                drawing = database.add(
                    answer.image,
                    answer.probabilities,
                    prediction,
                    answer.latency_ms,
                    reader.info.sha256,
                    label=label,
                )
                # Spread over three days, as if the user came back.
                database._connection.execute(
                    "UPDATE drawings SET created_at = ? WHERE id = ?",
                    (f"2026-11-{23 + day}T1{index % 10}:00:00+00:00", drawing),
                )


def game_processes(data: Path, module: bytes = b"game") -> list[int]:
    """Process ids of `python -m game ... --data-dir DATA` (or another module of this project
    with DATA, or a path inside it, among its arguments) on this machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().split(") ")[-1].split()[0]
        except OSError:
            continue
        if state == "Z":  # Exited, not yet reaped: not running.
            continue
        if (
            module in arguments
            and b"-m" in arguments
            and str(data).encode() in b" ".join(arguments)
        ):
            found.append(int(entry.name))
    return found


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_program("chromium")
    temporary = tmp_path_factory.mktemp("launcher")
    data = temporary / "data"
    data.mkdir()
    if SHIPPED_MODEL.is_file():
        model = SHIPPED_MODEL
    else:  # Before the shipped model exists: a stand-in in the user's models folder.
        (data / "models").mkdir()
        model = tiny_model(data / "models" / "tiny.onnx")
    seed_history(data, model)
    # A file the picker lists (its name says model) that the game will refuse.
    (data / "models").mkdir(exist_ok=True)
    (data / "models" / "broken.onnx").write_text("not a model", encoding="utf-8")
    port = free_port()
    env = dict(os.environ)
    env.update(
        DIGITS_DATA_DIR=str(data),
        # The game the page starts runs without a screen or a sound card.
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
    )
    log = open(temporary / "streamlit.log", "wb")  # noqa: SIM115 (closed below)
    # Started from another folder, as a user may: Streamlit must still read the
    # .streamlit/config.toml beside the script (loopback only; see the last test).
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "launcher_app.py")]
        + ["--server.port", str(port), "--server.headless", "true"],
        cwd=temporary,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail(
                    "streamlit did not start:\n" + (temporary / "streamlit.log").read_text()
                )
            time.sleep(0.5)
    try:
        yield Server(url, port, data, model, process)
    finally:
        process.terminate()
        process.wait(timeout=20)
        # A game or a training run left running by a failed test.
        for pid in game_processes(data) + game_processes(data, b"training"):
            os.kill(pid, 15)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = require_program("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_in_ci("the Python package playwright")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def save_screenshot(page, path: Path) -> None:
    """Save the page; check it is a picture of something; copy it to docs/ when asked."""
    from PIL import Image

    page.screenshot(path=path)
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100, "the page looks blank"
    if os.environ.get(UPDATE_DOCS_VARIABLE) == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS / path.name)


def test_start_drawing_in_the_browser_starts_a_real_game(
    server: Server, browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1560})
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.get_by_role("heading", name="Digit Recognizer").wait_for()
    picker = page.get_by_role("combobox", name="Model")
    expect(picker).to_have_value(re.compile(re.escape(server.model.name)), timeout=60_000)
    assert game_processes(server.data) == []

    page.get_by_role("button", name="Start Drawing").click()
    page.get_by_text("The game is running").wait_for()
    [pid] = game_processes(server.data)
    assert parent_of(pid) == server.process.pid  # Started by the launcher's server.
    time.sleep(3)  # Long enough to load the model and open its (dummy) window.
    assert game_processes(server.data) == [pid], "the game exited on its own"
    assert page.get_by_text("The game stopped with an error").count() == 0

    page.set_viewport_size({"width": 1400, "height": 1250})
    page.wait_for_timeout(1500)  # Let the charts finish drawing.
    save_screenshot(page, tmp_path / "launcher.png")
    page.set_viewport_size({"width": 1400, "height": 1560})
    page.get_by_role("tab", name="Your drawings").click()
    page.get_by_text("Recent drawings").wait_for()
    page.wait_for_timeout(1500)
    save_screenshot(page, tmp_path / "launcher-history.png")

    # While it runs, there is nothing to start: a second window is not wanted.
    expect(page.get_by_role("button", name="Start Drawing")).to_be_disabled()
    assert game_processes(server.data) == [pid]

    page.get_by_role("button", name="Stop").click()
    page.get_by_text("The game is closed").wait_for()
    assert game_processes(server.data) == []
    page.close()


def cut_texts(page, selector: str) -> list[str]:
    """The texts under `selector` that do not fit their box (an ellipsis, a hidden overflow)."""
    return page.eval_on_selector_all(
        selector,
        """elements => elements.flatMap(element => [element, ...element.querySelectorAll('*')])
            .filter(node => node.scrollWidth > node.clientWidth + 1)
            .map(node => node.textContent)""",
    )


def test_narrow_window_keeps_labels_and_captions_whole(
    server: Server, browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 700, "height": 1400})
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.get_by_role("button", name="Start Drawing").wait_for()
    page.wait_for_timeout(1500)
    assert cut_texts(page, "[data-testid=stButton]") == []
    assert cut_texts(page, "[data-testid=stMetric]") == []
    page.get_by_role("tab", name="Your drawings").click()
    page.get_by_text("Recent drawings").wait_for()
    page.wait_for_timeout(1500)
    captions = page.locator("[data-testid=stImageCaption]")
    heights = [box["height"] for box in (c.bounding_box() for c in captions.all()) if box]
    assert heights and max(heights) < 1.5 * min(heights), "a caption wraps onto a second line"
    save_screenshot(page, tmp_path / "launcher-700.png")
    page.close()


def test_enter_in_the_epochs_field_starts_no_training(server: Server, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.get_by_role("tab", name="Train a new model").click()
    epochs = page.get_by_role("spinbutton", name="Epochs")
    epochs.fill("1")
    epochs.press("Enter")
    page.wait_for_timeout(3000)
    assert page.get_by_text("Preparing").count() == 0
    assert game_processes(server.data, b"training") == []
    page.close()


def test_a_game_that_cannot_start_shows_its_own_error(server: Server, browser) -> None:
    from playwright.sync_api import expect

    broken = server.data / "models" / "broken.onnx"
    # What the game itself says about this file, run directly.
    direct = subprocess.run(
        [sys.executable, "-m", "game", str(broken), "--data-dir", str(server.data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, SDL_VIDEODRIVER="dummy"),
    )
    assert direct.returncode == 2
    sentence = direct.stderr.strip().splitlines()[-1]

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(server.url)
    picker = page.get_by_role("combobox", name="Model")
    picker.click()
    page.get_by_role("option", name=re.compile("broken.onnx")).click()
    expect(picker).to_have_value(re.compile("broken.onnx"), timeout=60_000)
    page.get_by_role("button", name="Start Drawing").click()
    error = page.get_by_test_id("stAlert").filter(has_text="The game stopped with an error")
    expect(error).to_contain_text(sentence, timeout=60_000)
    assert game_processes(server.data) == []
    page.close()


def non_loopback_addresses() -> list[tuple[int, str]]:
    """(family, address) of this machine's addresses other than loopback and link-local."""
    candidates: set[str] = set()
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5)
        candidates.update(output.stdout.split())
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            candidates.add(str(info[4][0]))
    except OSError:
        pass
    found = []
    for address in sorted(candidates):
        if address.startswith("127.") or address == "::1" or address.lower().startswith("fe80"):
            continue
        found.append((socket.AF_INET6 if ":" in address else socket.AF_INET, address))
    return found


def test_server_is_not_reachable_from_other_addresses(server: Server) -> None:
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no address other than loopback")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass  # Reachable here, so the refusals below are about the address, not the server.
    for family, address in addresses:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(5)
            with pytest.raises(OSError):
                probe.connect((address, server.port))
