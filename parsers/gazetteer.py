"""China's prefecture-level cities, from cpca's administrative-division table (adcodes.csv, shipped in the wheel).

Only the data file is read: cpca's own matcher imports pandas and builds an automaton, which the parser does not
need to tell whether a project name opens with a city (芜湖天宸…项目).
"""

from __future__ import annotations

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def city_short_names() -> frozenset[str]:
    """Short names of the prefecture-level cities (芜湖 for 芜湖市), two characters or more.

    >>> {"芜湖", "合肥", "兰州"} <= city_short_names(), "市辖" in city_short_names()
    (True, False)
    """
    spec = importlib.util.find_spec("cpca")  # locates the package without running its __init__ (pandas)
    if spec is None or spec.origin is None:
        return frozenset()
    table = Path(spec.origin).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as f:
        names = {r["name"] for r in csv.DictReader(f)
                 if r["adcode"][4:] == "00000000" and r["adcode"][2:4] != "00"}  # prefecture level: PPCC00000000
    return frozenset(n[:-1] for n in names if n.endswith("市") and n != "市辖区" and len(n) >= 3)


def opening_city(name: str) -> str | None:
    """The city short name a project name opens with, when a name of its own follows (芜湖天宸能源…项目).

    >>> opening_city("芜湖天宸能源光储一体新能源产业基地项目"), opening_city("芜湖市X项目"), opening_city("兰州项目")
    ('芜湖', None, None)
    """
    cities = city_short_names()
    for n in (3, 2):
        head = name[:n]
        if head in cities and len(name) - n >= 4 and name[n] not in "市省":
            return head
    return None
