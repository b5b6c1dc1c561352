"""How long `python -m game` takes to import its entry point in a fresh interpreter."""

from collections.abc import Iterable

from benchmarks.runner import Figure, repeated, seconds_in_fresh_python

IMPORT_GAME = """
import time
start = time.perf_counter()
import game.__main__
print(time.perf_counter() - start)
"""


def figures(repeat: int) -> Iterable[Figure]:
    yield repeated(
        "import game (CLI)", "s", lambda: seconds_in_fresh_python(IMPORT_GAME), repeat, "< 0.1 s"
    )
