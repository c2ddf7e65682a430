"""Project tables (项目名称 | 投资方 | 总投资(亿元) | 所在区 | 状态 | 计划投产) -> project records. Pure.

Investment-promotion centres publish their project lists as HTML tables. Columns are recognised by
their header words and the amount unit is read from the header ("总投资(亿元)"), which no text parser
or table library does for us; cells are read as exact decimals so 17.67 亿元 is 1,767,000,000 yuan.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import lxml.html

from parsers.category import categorise
from parsers.identity import core_name
from parsers.model import ArticleFacts, Expected, Project

TABLE_VERSION = "2"

# header keyword -> field (first match wins, so the more specific words come first)
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("计划投产", "expected_in_production"),  # planned production start
    ("预计投产", "expected_in_production"),
    ("投产时间", "expected_in_production"),
    ("计划开工", "expected_started"),  # planned construction start
    ("计划竣工", "expected_completed"),  # planned completion
    ("项目名称", "name"),
    ("名称", "name"),
    ("投资方", "investor"),  # investor
    ("投资主体", "investor"),
    ("建设单位", "investor"),
    ("业主", "investor"),
    ("总投资", "amount"),  # total investment
    ("计划投资", "amount"),
    ("投资额", "amount"),
    ("所在", "location"),  # 所在区 / 所在地
    ("建设地点", "location"),
    ("地点", "location"),
    ("状态", "stage"),  # status
    ("进度", "stage"),
    ("进展", "stage"),
    ("阶段", "stage"),
)
# status words in a cell -> stage reported as happened (most advanced first)
_STATUS: tuple[tuple[str, str], ...] = (
    ("达产", "full_production"),  # at full capacity
    ("投产", "in_production"),  # in production
    ("试产", "trial_production"),  # trial production
    ("竣工", "completed"),  # completed
    ("建成", "completed"),
    ("封顶", "capped"),  # topped out
    ("在建", "started"),  # under construction
    ("开工", "started"),
    ("动工", "started"),
    ("施工", "started"),
    ("签约", "signed"),  # signed
    ("落地", "signed"),
)
_UNITS = (("亿美元", None), ("万美元", None), ("亿", 100_000_000), ("万", 10_000), ("元", 1))
_TOTAL_ROW = re.compile(r"^(合计|小计|总计|共计)")
_WHEN = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?|((?:19|20)\d{2})[-/.](\d{1,2})")
_QUARTER = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:第?([一二三四1-4])季度|([上下])半年)")
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4}


def _cells(row: lxml.html.HtmlElement) -> list[str]:
    return [re.sub(r"\s+", "", c.text_content()) for c in row.xpath("./th|./td")]


def header_fields(headers: list[str]) -> dict[int, str]:
    """Column index -> field, from the header words.

    >>> header_fields(["序号", "项目名称", "投资方", "总投资(亿元)", "所在区", "状态", "计划投产"])
    {1: 'name', 2: 'investor', 3: 'amount', 4: 'location', 5: 'stage', 6: 'expected_in_production'}
    """
    out: dict[int, str] = {}
    for i, head in enumerate(headers):
        for word, name in _COLUMNS:
            if word in head and name not in out.values():
                out[i] = name
                break
    return out


def header_unit(header: str) -> int | None:
    """Yuan per unit the header states (亿元 -> 1e8); None for foreign currency; 1e8 when unstated.

    >>> header_unit("总投资(亿元)"), header_unit("计划投资（万元）"), header_unit("投资额(亿美元)")
    (100000000, 10000, None)
    """
    for word, unit in _UNITS:
        if word in header:
            return unit
    return 100_000_000  # tables of investment projects are kept in 亿元 unless they say otherwise


def cell_amount(cell: str, unit: int | None) -> int | None:
    """An amount cell in yuan; a unit written in the cell overrides the header's.

    >>> cell_amount("17.67", 100_000_000), cell_amount("5000万元", 100_000_000), cell_amount("待定", 100_000_000)
    (1767000000, 50000000, None)
    """
    m = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?", cell)
    if not m:
        return None
    for word, u in _UNITS:
        if word in cell[m.end():]:
            unit = u
            break
    if unit is None:
        return None
    try:
        return int(Decimal(m.group(0).replace(",", "")) * unit)
    except InvalidOperation:
        return None


def cell_when(cell: str) -> str | None:
    """A planned date cell as YYYY, YYYY-MM or YYYY-Qn / YYYY-Hn; None for 待定 and the like.

    >>> cell_when("2023年3月"), cell_when("2024年"), cell_when("2023年二季度"), cell_when("待定")
    ('2023-03', '2024', '2023-Q2', None)
    """
    q = _QUARTER.search(cell)
    if q:
        if q.group(2):
            n = _CN_Q.get(q.group(2)) or int(q.group(2))
            return f"{q.group(1)}-Q{n}"
        return f"{q.group(1)}-H{1 if q.group(3) == '上' else 2}"
    m = _WHEN.search(cell)
    if not m:
        return None
    year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"{year}-{int(month):02d}" if month and 1 <= int(month) <= 12 else year


def cell_stage(cell: str) -> str | None:
    """
    >>> cell_stage("在建"), cell_stage("已投产"), cell_stage("前期工作")
    ('started', 'in_production', None)
    """
    if re.search(r"计划|拟|预计|待", cell):
        return None
    return next((stage for word, stage in _STATUS if word in cell), None)


def parse_project_table(html: str) -> ArticleFacts:
    """Every project row of every table that has at least a name column and an amount or status column."""
    doc = lxml.html.fromstring(html)
    projects: list[Project] = []
    for table in doc.iter("table"):
        rows = [r for r in table.iter("tr") if r.getparent() is not None and r.getparent().tag != "tfoot"]
        if len(rows) < 2:
            continue
        headers = _cells(rows[0])
        fields = header_fields(headers)
        if "name" not in fields.values() or not ({"amount", "stage"} & set(fields.values())):
            continue
        col = {name: i for i, name in fields.items()}
        unit = header_unit(headers[col["amount"]]) if "amount" in col else None
        for row in rows[1:]:
            cells = _cells(row)
            if len(cells) < len(headers):
                continue
            name = cells[col["name"]]
            if not name or _TOTAL_ROW.match(name):
                continue
            get = {field: cells[i] or None for field, i in col.items()}.get
            amount = cell_amount(get("amount") or "", unit) if "amount" in col else None
            expected = tuple(
                Expected(stage, get(field) or "", cell_when(get(field) or ""))
                for field, stage in (("expected_started", "started"), ("expected_completed", "completed"),
                                     ("expected_in_production", "in_production"))
                if get(field) and cell_when(get(field) or "")
            )
            projects.append(Project(
                name=name, investor=get("investor"), amount_yuan=amount,
                amount_text=(f"{headers[col['amount']]}{get('amount')}" if amount is not None else None),
                amount_qualifier="exact" if amount is not None else None, location=get("location"),
                stage=cell_stage(get("stage") or ""), expected=expected,
                is_expansion=bool(re.search(r"[二三四五]期|扩建|扩产|增资", name)),
                category=categorise(name),
                evidence=" | ".join(cells),
            ))
    return ArticleFacts(projects=tuple(projects))


def with_table_rows(text_facts: ArticleFacts, table_facts: ArticleFacts, min_rows: int = 2) -> ArticleFacts:
    """An article whose page also holds a project table: the table's rows are its projects (the text parser
    only sees the table flattened into lines), plus the projects its prose names that no row names; the
    prose keeps its batches (the intro's 共N个项目，总投资X亿元).

    >>> prose = ArticleFacts(projects=(Project(name="甲新材料项目 | 5"), Project(name="丙智能装备项目")))
    >>> rows = ArticleFacts(projects=(Project(name="甲新材料项目"), Project(name="乙电池项目")))
    >>> [p.name for p in with_table_rows(prose, rows).projects]
    ['甲新材料项目', '乙电池项目', '丙智能装备项目']
    >>> with_table_rows(prose, ArticleFacts(projects=rows.projects[:1])) == prose  # one row is no project table
    True
    """
    if len(table_facts.projects) < min_rows:
        return text_facts
    row_names = [core_name(p.name) for p in table_facts.projects]
    prose_only = tuple(p for p in text_facts.projects
                       if not any(k and (k in c or c in k) for k in row_names for c in [core_name(p.name)]))
    return ArticleFacts(projects=table_facts.projects + prose_only, batches=text_facts.batches,
                        notes=text_facts.notes)


def table_text(html: str) -> str:
    """The tables as text lines (cells joined by " | "), for storage, dedupe and reading.

    >>> table_text("<table><tr><th>项目名称</th><th>总投资(亿元)</th></tr><tr><td>甲项目</td><td>5</td></tr></table>")
    '项目名称 | 总投资(亿元)\\n甲项目 | 5'
    """
    doc = lxml.html.fromstring(html)
    lines = []
    for table in doc.iter("table"):
        caption = table.find("caption")
        if caption is not None and caption.text_content().strip():
            lines.append(caption.text_content().strip())
        lines += [" | ".join(_cells(r)) for r in table.iter("tr")]
    return "\n".join(line for line in lines if line.strip(" |"))
