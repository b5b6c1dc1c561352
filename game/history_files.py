"""Making the history database's file: its folder checked and made, and a new database made
whole under a temporary name before it appears: a crash leaves no half-made file."""

import os
import sqlite3
import tempfile
from pathlib import Path

from game.history_checks import HistoryError, refusal
from game.history_schema import migrate


def make_folder(folder: Path) -> None:
    for ancestor in (folder, *folder.parents):
        if ancestor.exists() or ancestor.is_symlink():
            if not ancestor.is_dir():
                where = "" if ancestor == folder else f" {folder} cannot be made:"
                raise HistoryError(
                    f"The data folder{where} {ancestor} is a file, not a folder; move that "
                    "file away or choose another data folder with --data-dir."
                )
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(
            f"The data folder {folder} cannot be created ({error.strerror}); choose another "
            "with --data-dir."
        ) from None


def create(path: Path) -> None:
    """A new database, made whole under a temporary name and then linked into place: a full
    disk or a crash leaves no empty or half-made file at `path`."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        os.close(handle)
        temporary = Path(name)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous=FULL")
            migrate(connection)
        finally:
            connection.close()
        _link(temporary, path)
    except sqlite3.Error as error:
        raise refusal(path, error) from None
    except OSError as error:
        raise HistoryError(
            f"The history database {path} cannot be created ({error.strerror}); free some "
            "space or choose another data folder with --data-dir."
        ) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
            Path(f"{temporary}-journal").unlink(missing_ok=True)


def _link(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # Another process made it first: theirs is used.
    except OSError:
        # A file system without hard links: replace, unless one appeared meanwhile.
        if not path.exists():
            os.replace(temporary, path)
