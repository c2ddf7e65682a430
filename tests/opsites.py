"""A small generated news site for the operations tests (status, crash recovery, JSON logs)."""

from __future__ import annotations

from pathlib import Path

NAMES = ["华盛光伏组件", "远航锂电隔膜", "中科智能机器人", "海川食品加工", "金鼎精密模具", "瑞丰生物医药",
         "鸿图汽车零部件", "天成半导体封装", "博远数据中心", "恒信新材料", "星河储能电池", "蓝海冷链物流"]

ARTICLE = """<html><head><meta charset="utf-8"><title>{name}项目签约</title></head><body>
<div class="main"><h1>{name}项目签约</h1><p class="date">发布时间：2023-03-{day:02d}</p>
<div class="content"><p>3月{day}日，总投资2{i}亿元的{name}项目在江海区签约。项目由{name}有限公司投资建设，
主要生产高性能复合材料，达产后预计年产值50亿元，将进一步壮大当地新材料产业集群，带动上下游配套企业落户发展。</p>
<p>{filler}。</p></div></div></body></html>"""


def write_site(root: Path, n: int, *, missing: int = 0) -> list[str]:
    """index.html listing ``n`` articles (post_1.html ...) plus ``missing`` links that answer 404; returns the
    article paths. Each article has its own filler text, or near-duplicate clustering would fold them."""
    root.mkdir(parents=True, exist_ok=True)
    links, paths = [], []
    for i in range(1, n + 1):
        name = NAMES[(i - 1) % len(NAMES)] + ("" if i <= len(NAMES) else str(i))
        filler = "".join(chr(0x4E00 + (i * 7919 + k * 131) % 20000) for k in range(120))
        (root / f"post_{i}.html").write_text(ARTICLE.format(name=name, day=(i - 1) % 28 + 1, i=i, filler=filler),
                                             encoding="utf-8")
        paths.append(f"/post_{i}.html")
        links.append(f'<li><a href="post_{i}.html">{name}项目签约</a><span>2023-03-{(i - 1) % 28 + 1:02d}</span></li>')
    for j in range(missing):
        links.append(f'<li><a href="gone_{j}.html">已删除的文章{j}</a><span>2023-03-01</span></li>')
    (root / "index.html").write_text('<html><head><meta charset="utf-8"><title>招商信息</title></head><body>'
                                     f'<ul class="list">{"".join(links)}</ul></body></html>', encoding="utf-8")
    return paths


def sources_yaml(path: Path, base_url: str, name: str = "opsite") -> Path:
    path.write_text(f"sources:\n  - name: {name}\n    url: {base_url}/index.html\n    kind: list\n"
                    "    city: 江门市\n    article_links: ul.list a\n", encoding="utf-8")
    return path


FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_ENABLED": False}
