"""The tune/check split of the real corpus: decided by a hash (md5) of the file name alone, before labelling.

Run it to (re)write tune.jsonl and check.jsonl from gold.jsonl. About 60 % tune, 40 % check.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def split_of(file_name: str) -> str:
    """'tune' or 'check' for an article file name.

    >>> split_of("ra01.txt") in ("tune", "check")
    True
    """
    return "tune" if int(hashlib.md5(file_name.encode()).hexdigest()[:8], 16) % 100 < 60 else "check"


def main() -> None:
    lines = [json.loads(x) for x in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for part in ("tune", "check"):
        keep = [x for x in lines if split_of(x["file"]) == part]
        (HERE / f"{part}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in keep),
                                            encoding="utf-8")
        print(part, len(keep))


if __name__ == "__main__":
    main()
