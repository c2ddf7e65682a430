"""Write files so that a reader (or a concurrent writer) never sees a half-written or missing file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def temp_name(path: Path) -> Path:
    """A temp path beside ``path``, unique per call, keeping the suffix (writers pick formats by it).

    >>> p = temp_name(Path("/d/investwatch.xlsx"))
    >>> p.parent.as_posix(), p.name.startswith(".investwatch."), p.suffix
    ('/d', True, '.xlsx')
    >>> temp_name(Path("a.csv")) != temp_name(Path("a.csv"))
    True
    """
    return path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a unique temp file, then rename it over ``path``.

    A fixed temp name lets two writers rename each other's file away (FileNotFoundError); a unique
    one cannot, and the last rename simply wins. The temp file is removed when ``write`` fails.
    """
    tmp = temp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    replace_atomically(path, lambda p: p.write_text(text, encoding="utf-8"))
