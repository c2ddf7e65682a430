"""China's prefecture-level cities and counties, from cpca's administrative-division table (adcodes.csv, shipped in the wheel).

Only the data file is read: cpca's own matcher imports pandas and builds an automaton, which the parser does not
need to tell whether a project name opens with a city (芜湖天宸…项目).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _divisions() -> tuple[tuple[str, str], ...]:
    """(adcode, name) of every division in cpca's table; empty when cpca is not installed."""
    spec = importlib.util.find_spec("cpca")  # locates the package without running its __init__ (pandas)
    if spec is None or spec.origin is None:
        return ()
    with (Path(spec.origin).parent / "resources" / "adcodes.csv").open(encoding="utf-8") as f:
        return tuple((r["adcode"], r["name"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def city_short_names() -> frozenset[str]:
    """Short names of the prefecture-level cities (芜湖 for 芜湖市), two characters or more.

    >>> {"芜湖", "合肥", "兰州"} <= city_short_names(), "市辖" in city_short_names()
    (True, False)
    """
    names = {n for code, n in _divisions() if code[4:] == "00000000" and code[2:4] != "00"}  # PPCC00000000
    return frozenset(n[:-1] for n in names if n.endswith("市") and n != "市辖区" and len(n) >= 3)


# County-level short names that are also common words or brand heads (新城, 城关, 长安汽车, 高新): never openers.
_COMMON_SHORT = frozenset("新城 城关 城中 城东 城西 城南 城北 城厢 高新 经开 开发 新华 和平 长安 白云 青山 东风 "
                          "红旗 解放 胜利 前进 建设 光明 朝阳 向阳 东方 金山 铁山 龙湖 华龙 海港 永定 普陀 天河 "
                          "北海 南海 东海 西湖 江南 江北 河东 河西 山东 山西 湖南 湖北 河南 河北 广东 广西".split())


@lru_cache(maxsize=1)
def county_short_names() -> frozenset[str]:
    """Short names of county-level places (吴江 for 吴江区, 昆山 for 昆山市); a two-character county in full (荣县).

    >>> {"吴江", "昆山", "北戴河", "荣县"} <= county_short_names(), "新城" in county_short_names()
    (True, False)
    """
    names = {n for code, n in _divisions() if code[6:] == "000000" and code[4:6] != "00"}  # PPCCDD000000
    short = {n[:-1] for n in names if n[-1] in "市县区" and len(n) >= 3 and n != "市辖区" and n[:-1] not in _COMMON_SHORT}
    return frozenset(short | {n for n in names if len(n) == 2 and n[-1] == "县"})  # 荣县, 和县: only in full


@lru_cache(maxsize=1)
def county_cities() -> frozenset[str]:
    """County-level cities in full (禹城市, 昆山市): finer than the prefecture city an article is about.

    >>> {"禹城市", "昆山市"} <= county_cities(), "德州市" in county_cities()
    (True, False)
    """
    return frozenset(n for code, n in _divisions() if code[6:] == "000000" and code[4:6] != "00" and n.endswith("市")
                     and n != "市辖区")


@lru_cache(maxsize=1)
def province_short_names() -> frozenset[str]:
    """Short names of the provincial-level units (浙江 for 浙江省, 广西 for 广西壮族自治区, 上海 for 上海市).

    >>> {"浙江", "广西", "内蒙古", "上海"} <= province_short_names()
    True
    """
    names = {n for code, n in _divisions() if code[2:] == "0000000000"}
    return frozenset(_PROVINCE_SUFFIX.sub("", n) for n in names)


_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$")


def provincial_headline(work: str) -> bool:
    """Whether the headline (the first line) is about a province: names one, and no city or county of it.

    In such a roundup a city opening a project name (杭州市地铁3号线二期项目) is where the project is; in a
    city's own article the city opening its projects' names is only the article's place.

    >>> provincial_headline("浙江268个重大项目集中开工\\n…"), provincial_headline("广东湛江五年完成投资\\n…")
    (True, False)
    >>> provincial_headline("南宁202个项目纳入自治区方案\\n…"), provincial_headline("一句话没有换行")
    (False, False)
    """
    end = work.find("\n")  # not partition: this runs per project, and the rest of the text need not be copied
    return end >= 0 and _provincial_title(work[: min(end, 60)])


@lru_cache(maxsize=256)
def _provincial_title(title: str) -> bool:
    if not any(p in title for p in province_short_names()):
        return False
    places = _places()
    return not any(title[i : i + n] in places for n in (2, 3) for i in range(len(title) - n + 1))


def is_short_place(s: str) -> bool:
    """Whether s is a city's or a county's short name (自贡, 吴江)."""
    return s in _places()


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    return city_short_names() | county_short_names()


def opening_city(name: str) -> str | None:
    """The city or county short name a project name opens with, when a name of its own follows (芜湖天宸…项目).

    >>> opening_city("芜湖天宸能源光储一体新能源产业基地项目"), opening_city("芜湖市X项目"), opening_city("兰州项目")
    ('芜湖', None, None)
    >>> opening_city("吴江京东方柔性智慧显示终端"), opening_city("新城吾悦广场一期项目")
    ('吴江', None)
    """
    places = _places()
    for n in (3, 2):
        head = name[:n]
        if head in places and len(name) - n >= 4 and name[n] not in "市省县区路街道桥":  # 南山路: a street
            return head
    return None
