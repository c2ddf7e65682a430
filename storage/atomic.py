"""Atomic file replacement with unique temp names, so concurrent writers never share a temp file."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once at import: mkstemp makes 0600 files, exported files should be readable like any other


def temp_name(path: Path) -> Path:
    """A temp path beside ``path``, unique per call, keeping the suffix (writers pick formats by it).

    >>> p = temp_name(Path("/d/investwatch.xlsx"))
    >>> p.parent.as_posix(), p.name.startswith(".investwatch."), p.suffix
    ('/d', True, '.xlsx')
    >>> temp_name(Path("a.csv")) != temp_name(Path("a.csv"))
    True
    """
    return path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a unique temp file beside ``path``, then rename it over ``path``.

    The temp file is in the same directory (os.replace is atomic only within one file system) and is
    removed if writing fails, so a crash or a second writer never leaves or clobbers a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Like atomic_write, for writers that pick the format by the file's suffix (the temp keeps it)."""
    tmp = temp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    replace_atomically(path, lambda p: p.write_text(text, encoding="utf-8"))


def publish(tmp: Path, path: Path) -> Path:
    """Move a finished temp file (from temp_name) over ``path`` atomically, readable like any other file."""
    os.chmod(tmp, 0o666 & ~_UMASK)
    os.replace(tmp, path)
    return path
