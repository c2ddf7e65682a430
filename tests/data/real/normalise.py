"""Bring the real corpus's gold to the dev set's location convention, by rule, for every article alike.

The dev gold (../shared/data/dev) never gives the article's own city as a project's `location` (南宁红星美凯龙
in a 南宁市 article: null): a location is a place finer than the city (district, county, zone, park, town),
or another city. Our labellers sometimes wrote the article's city (西宁市, 芜湖). This moves such a value to
`location_aliases` and sets `location` to null. It compares strings only (no parser runs) and is
idempotent; run it, then split.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from opencc import OpenCC

HERE = Path(__file__).resolve().parent
_T2S = OpenCC("t2s")


def _stem(place: str) -> str:
    """The simplified name without 市.

    >>> _stem("西寧市"), _stem("芜湖")
    ('西宁', '芜湖')
    """
    s = _T2S.convert(place.strip())
    return s[:-1] if s.endswith("市") and len(s) > 2 else s


def normalise_project(project: dict, city: str | None) -> dict:
    """The project with the article's own city moved out of `location`.

    >>> normalise_project({"location": "西宁市", "location_aliases": []}, "西宁市")
    {'location': None, 'location_aliases': ['西宁市']}
    >>> normalise_project({"location": "高邮市", "location_aliases": []}, "扬州市")["location"]
    '高邮市'
    """
    loc = project.get("location")
    if loc and city and _stem(loc) == _stem(city):
        aliases = [a for a in project.get("location_aliases") or [] if a != loc]
        return {**project, "location": None, "location_aliases": [loc, *aliases]}
    return project


def main() -> None:
    path = HERE / "gold.jsonl"
    out, changed = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        art = json.loads(line)
        projects = [normalise_project(p, art.get("city")) for p in art["projects"]]
        changed += sum(a is not b for a, b in zip(projects, art["projects"], strict=True))
        out.append(json.dumps({**art, "projects": projects}, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{changed} project locations set to null (the article's own city)")


if __name__ == "__main__":
    main()
