"""Giving freed memory back to the system (glibc on Linux; elsewhere these do nothing).

pygame-gui draws each rounded button four times larger, to anti-alias its corners, in scratch
surfaces of a megabyte or more that it frees at once. glibc serves blocks that large with their
own mapping, returned on free, but after the first such free it raises that threshold to the
block's size, so every later scratch surface comes from the heap, whose freed pages stay
resident. A fixed threshold keeps them mapped; a trim after a scene has drawn its widgets hands
back what the heap freed. Measured in benchmarks/bench_memory.py (issue 15).
"""

import ctypes
import sys
from typing import Any

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD = 128 * 1024  # glibc's own default, kept fixed


def _libc() -> Any | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except (OSError, AttributeError):  # a libc without these (musl): nothing to tune
        return None


def keep_large_blocks_mapped() -> None:
    """Fix glibc's mmap threshold, so large blocks go back to the system when freed."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_free_memory() -> None:
    """Return the heap's free pages to the system (a millisecond or two)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
