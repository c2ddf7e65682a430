"""bench/scale's loopback site: numbered article pages made from perturbed real texts, served on demand.

Article ``i`` is a pure function of ``i`` (seeded), so a site of N articles is articles 1..N and a database
built against it can be extended later by serving more. Pages are generated per request rather than
written to disk: 100k files would be ~300 MB that nothing else needs.
"""

from __future__ import annotations

import html
import http.server
import random
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Real Chinese investment-news texts: the repository's real corpus, the shared dev set and the seeds.
TEXT_DIRS = (ROOT / "tests/data/real/articles", ROOT.parent / "shared/data/dev/articles", ROOT.parent / "shared/seeds")
GENERATOR_VERSION = "2"  # bump when article_html changes: cached databases were built from the old pages
PER_PAGE = 20
# The real corpus's parts as they were when the cached databases were first built (parts e, f came later).
_REAL_PARTS = ("ra", "rb", "rc", "rd")
PER_DAY = 40  # articles published per day across the site: 100k span ~7 years from FIRST_DAY
FIRST_DAY = date(2019, 1, 1)

# One source per section, each a city: resolution and alerts group by city.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("s0", "江门市"), ("s1", "佛山市"), ("s2", "南宁市"), ("s3", "桂林市"), ("s4", "南昌市"),
    ("s5", "昆明市"), ("s6", "泉州市"), ("s7", "西宁市"), ("s8", "长沙市"), ("s9", "重庆市"),
)
# Places swapped into the texts (a real text's places replaced by others of the same level).
CITIES = ("江门市", "佛山市", "南宁市", "桂林市", "南昌市", "昆明市", "泉州市", "西宁市", "长沙市", "重庆市",
          "珠海市", "惠州市", "肇庆市", "柳州市", "梧州市", "赣州市", "九江市", "曲靖市", "漳州市", "株洲市",
          "湘潭市", "岳阳市", "绵阳市", "宜宾市", "遵义市", "襄阳市", "芜湖市", "徐州市", "温州市", "台州市")
DISTRICTS = ("江海区", "蓬江区", "新会区", "南海区", "顺德区", "金湾区", "邗江区", "新吴区", "江宁区", "金东区",
             "青山湖区", "西峡县", "石门县", "长沙县", "元谋县", "固始县", "鹤山市", "台山市", "开平市", "恩平市",
             "高明区", "三水区", "武鸣区", "临桂区", "雁山区", "晋江市", "石狮市", "城东区", "望城区", "璧山区")
_PLACE = re.compile("|".join(sorted({*CITIES, *DISTRICTS}, key=len, reverse=True)))
# 2-character trade names swapped into company names (华腾新能源有限公司 -> 鼎信新能源有限公司)
BRAND_A = "华鼎瑞恒嘉宏盛隆鑫泰康昌永兴德信安启明立博远海天"
BRAND_B = "腾丰信源达诚科创美通晟润辉聚力和源邦威捷越峰汇"
_COMPANY = re.compile(r"[\u4e00-\u9fff]{2}(?=[\u4e00-\u9fff]{0,6}(?:股份有限公司|有限公司|集团))")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(年|月|日)?")


@lru_cache(maxsize=1)
def corpus() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(title, paragraphs) of every real text, sorted by file name for a stable order."""
    texts = []
    for d in TEXT_DIRS:
        for f in sorted(d.glob("*.txt")):
            if d == TEXT_DIRS[0] and not f.name.startswith(_REAL_PARTS):
                continue  # a text added to the corpus later would change article i and every cached database
            lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
            if len(lines) >= 2:
                texts.append((lines[0], tuple(lines[1:])))
    if not texts:
        raise SystemExit(f"no texts found under {', '.join(map(str, TEXT_DIRS))}")
    return tuple(texts)


def _figure(m: re.Match[str], rng: random.Random) -> str:
    """A different figure of the same shape (digits, decimals, unit); years/months/days stay plausible."""
    num, unit = m.group(1), m.group(2) or ""
    if unit == "年" and len(num) == 4:
        return f"{rng.randint(2018, 2026)}年"
    if unit == "月" and len(num) <= 2:
        return f"{rng.randint(1, 12)}月"
    if unit == "日" and len(num) <= 2:
        return f"{rng.randint(1, 28)}日"
    whole, _, frac = num.partition(".")
    lo = 10 ** (len(whole) - 1) if len(whole) > 1 else 1
    new = str(rng.randint(lo, 10 ** len(whole) - 1))
    if frac:
        new += "." + "".join(rng.choice("0123456789") for _ in frac)
    return new + unit


def perturb(text: str, rng: random.Random, mapping: dict[str, str]) -> str:
    """Change figures, places and company trade names so copies of one real text are different articles.

    ``mapping`` keeps one article's replacements consistent (the same place renamed the same way).
    """
    text = _NUMBER.sub(lambda m: _figure(m, rng), text)

    def place(m: re.Match[str]) -> str:
        old = m.group(0)
        pool = CITIES if old in CITIES else DISTRICTS
        return mapping.setdefault(old, rng.choice(pool))

    def brand(m: re.Match[str]) -> str:
        return mapping.setdefault("brand:" + m.group(0), rng.choice(BRAND_A) + rng.choice(BRAND_B))

    return _COMPANY.sub(brand, _PLACE.sub(place, text))


def published_on(i: int) -> date:
    return FIRST_DAY + timedelta(days=(i - 1) // PER_DAY)


def section_of(i: int) -> int:
    return (i - 1) % len(SECTIONS)


def source_index(i: int) -> int:
    """Which real text article ``i`` is made from (its index in corpus())."""
    return random.Random(f"scale-article-{i}").randrange(len(corpus()))


@lru_cache(maxsize=4096)
def article(i: int) -> tuple[str, tuple[str, ...]]:
    """Article ``i``'s title and paragraphs: one real text perturbed, some paragraphs dropped, a paragraph
    of another text added, and a closing sentence with figures (so no two articles share their figures)."""
    rng = random.Random(f"scale-article-{i}")
    texts = corpus()
    title, paras = texts[rng.randrange(len(texts))]  # the first draw: source_index(i)
    mapping: dict[str, str] = {}
    kept = [p for n, p in enumerate(paras) if n == 0 or rng.random() > 0.2]
    if rng.random() < 0.5:
        other = texts[rng.randrange(len(texts))][1]
        kept.insert(rng.randint(1, len(kept)), other[rng.randrange(len(other))])
    city = SECTIONS[section_of(i)][1]
    kept.append(f"据{city}投资促进局统计，截至目前该地区已累计引进项目{rng.randint(12, 480)}个，"
                f"协议投资额{rng.randint(30, 9000)}.{rng.randint(1, 99):02d}亿元，"
                f"带动就业{rng.randint(200, 30000)}人。")
    return perturb(title, rng, mapping), tuple(perturb(p, rng, mapping) for p in kept)


def article_html(i: int) -> str:
    title, paras = article(i)
    day = published_on(i).isoformat()
    t = html.escape(title)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}</title>'
        f'<meta name="PubDate" content="{day} 10:00"></head><body>'
        f'<div class="nav"><a href="/">首页</a> <a href="/{SECTIONS[section_of(i)][0]}/index.html">招商信息</a></div>'
        f'<div class="article"><h1>{t}</h1><div class="info">发布时间：{day} 来源：投资促进局</div>'
        f'<div class="content">{body}</div></div><div class="footer">版权所有 主办单位：人民政府办公室</div>'
        "</body></html>"
    )


def section_ids(section: int, n: int) -> list[int]:
    """The section's article ids among 1..n, newest first (as list pages show them)."""
    return list(range(n - (n - 1 - section) % len(SECTIONS), 0, -len(SECTIONS))) if n > section else []


def list_html(section: int, page: int, n: int) -> str | None:
    """List page ``page`` (1-based) of a section on a site of ``n`` articles; None past the last page."""
    ids = section_ids(section, n)
    chunk = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    if page > 1 and not chunk:
        return None
    name = SECTIONS[section][0]
    items = "".join(
        f'<li><a href="/{name}/content/post_{i}.html">{html.escape(article(i)[0])}</a>'
        f"<span>{published_on(i).isoformat()}</span></li>"
        for i in chunk
    )
    nxt = f'<a href="index_{page + 1}.html">下一页</a>' if page * PER_PAGE < len(ids) else ""
    return (f'<html><head><meta charset="utf-8"><title>招商信息</title></head><body><ul class="list">{items}</ul>'
            f'<div class="page">{nxt}</div></body></html>')


_LIST = re.compile(r"/(s\d+)/index(?:_(\d+))?\.html")
_POST = re.compile(r"/(s\d+)/content/post_(\d+)\.html")


def page_for(path: str, n: int) -> str | None:
    """The HTML served at ``path`` on a site of ``n`` articles, None for a 404."""
    names = [s[0] for s in SECTIONS]
    if m := _LIST.fullmatch(path):
        if m.group(1) in names:
            return list_html(names.index(m.group(1)), int(m.group(2) or 1), n)
    elif m := _POST.fullmatch(path):
        i = int(m.group(2))
        if m.group(1) in names and 1 <= i <= n and section_of(i) == names.index(m.group(1)):
            return article_html(i)
    return None


def host(section: int) -> str:
    """Each section is its own site on its own loopback address: Scrapy's politeness delays are per host,
    and 10 sources on one host would wait for each other as 10 real sites never do."""
    return f"127.0.1.{section + 1}"


@dataclass
class ScaleSite:
    """The running sites: how many articles they serve now (change it between runs) and requests seen."""

    port: int
    articles: int
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def base_url(self, section: int) -> str:
        return f"http://{host(section)}:{self.port}"


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # http.server's default 5 throttles a concurrent crawler (DEPENDENCIES.md)
    daemon_threads = True


def _handler(state: ScaleSite, section: int) -> type[http.server.BaseHTTPRequestHandler]:
    prefix = f"/{SECTIONS[section][0]}/"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests += 1
            path = self.path.split("?", 1)[0]
            if path == "/robots.txt":
                body, status = b"User-agent: *\nAllow: /\n", 200
            else:
                page = page_for(path, state.articles) if path.startswith(prefix) else None
                body, status = ((page or "not found").encode("utf-8"), 200 if page else 404)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if path == "/robots.txt" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

    return Handler


@contextmanager
def serve(port: int, articles: int) -> Iterator[ScaleSite]:
    """Serve every section on its host at ``port`` (fixed: stored article URLs include it) until the block exits."""
    state = ScaleSite(port, articles)
    servers = []
    try:
        for k in range(len(SECTIONS)):
            httpd = _Server((host(k), port), _handler(state, k))
            thread = threading.Thread(target=httpd.serve_forever, name=f"scale-site-{k}", daemon=True)
            thread.start()
            servers.append((httpd, thread))
        yield state
    finally:
        for httpd, thread in servers:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=5)


def sources_yaml(port: int) -> str:
    """One list source per section; max_pages high enough for a build chunk of several thousand articles."""
    lines = ["# generated by bench/scale: the loopback scale sites, one source per section", "sources:"]
    for k, (name, city) in enumerate(SECTIONS):
        lines += [f"  - name: scale-{name}", f"    url: http://{host(k)}:{port}/{name}/index.html", f"    city: {city}",
                  "    kind: list", "    max_pages: 1000"]
    return "\n".join(lines) + "\n"


ALERTS_YAML = """# generated by bench/scale: the repository's default rules, delivered to the local file channel
channels:
  local: {url: "file", tags: [ops]}
rules:
  - {name: big_new_project, kind: new_project, min_amount_yuan: "10亿元", channels: [local]}
  - {name: big_project_progress, kind: stage_change, min_amount_yuan: "10亿元", max_age_days: 90, channels: [local]}
  - {name: signed_not_started, kind: lagging_signed, min_amount_yuan: "10亿元", max_overdue_days: 365, channels: [local]}
  - {name: milestone_overdue, kind: lagging_expected, min_amount_yuan: "10亿元", max_overdue_days: 365, channels: [local]}
  - {name: source_health, kind: source_health, tags: [ops]}
"""
