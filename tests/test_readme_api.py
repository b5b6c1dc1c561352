"""The README's Python example runs as printed and says what its comments promise."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_reader_example_runs(capsys) -> None:
    text = README.read_text(encoding="utf-8")
    (example,) = [
        block
        for block in re.findall(r"```python\n(.*?)```", text, re.S)
        if "answer = reader.read(seven)" in block
    ]
    exec(compile(example, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("7 ")
    assert lines[-2] == "None", "a lone dash is not a digit"
    assert lines[-1] == "False"
