"""The dataset's documented schema: machine name, Chinese header, kind, unit and derivation of every column.

One table drives the CSV/Parquet column order, the CSV read-back dtypes, the workbook's Chinese headers
and its 数据说明 sheet, and dataset/SCHEMA.md, so the four cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Col:
    name: str  # machine name (CSV/Parquet)
    zh: str  # workbook header
    kind: str  # text | int | yuan | yi | date | datetime | partial_date | bool | url | urls | stage | qualifier | code
    meaning: str  # what it is, its unit and how it is derived (Chinese, for the analyst)


# Kinds -> pandas dtype when reading a CSV back (dates are parsed separately: see csv_read_kwargs).
_CSV_DTYPE = {"int": "Int64", "yuan": "Int64", "yi": "float64", "bool": "boolean"}

TABLES: dict[str, tuple[str, list[Col]]] = {
    "projects": ("项目", [
        Col("project_id", "项目编号", "int", "项目的内部编号（同一项目被多篇文章报道时只有一个编号）"),
        Col("name", "项目名称", "text", "各篇报道中最完整的项目名称"),
        Col("investor", "投资方", "text", "报道中的投资企业"),
        Col("amount_yuan", "总投资(元)", "yuan", "总投资，单位元（整数）；取多数报道所述金额，相同时取最早报道"),
        Col("amount_yi", "总投资(亿元)", "yi", "总投资，单位亿元，保留两位小数（= 总投资(元) / 1亿）"),
        Col("amount_qualifier", "金额说明", "qualifier", "金额前的限定词：确数、超、约、近、不低于"),
        Col("amount_text", "金额原文", "text", "报道中金额的原文，如“超17.67亿元”“5亿至10亿元”"),
        Col("stage", "阶段", "stage", "已报道的最靠后阶段：签约、开工、封顶、竣工、试产、投产、达产"),
        Col("stage_date", "阶段日期", "partial_date", "该阶段的日期；只知年月时为文本（如 2023-03）"),
        Col("location", "所在地", "text", "报道中的具体地点（园区、镇街等）"),
        Col("city", "城市", "text", "所在城市（来自来源网站的配置）"),
        Col("district", "区县", "text", "所在区/县/市：取自项目地点，地点没有时取首篇报道来源网站的区县"),
        Col("industry", "行业", "text", "报道中的行业"),
        Col("category", "类别", "text", "项目类别：产业（招商引资的工业、商贸等项目）、基础设施（道路、电力、轨道、水利）、社会民生（学校、医院、住房），由项目名称判断，可用于筛除非招商项目"),
        Col("is_expansion", "新建/扩建", "bool", "新建或扩建（二期、增资扩产等）"),
        Col("first_seen_at", "首次发现", "datetime", "本系统首次发现该项目的时间（UTC）"),
        Col("first_article_url", "来源链接", "url", "首篇报道的链接"),
        Col("article_count", "报道篇数", "int", "报道该项目的文章数（转载合并为一篇）"),
        Col("article_urls", "全部报道链接", "urls", "所有报道的链接，以空格分隔"),
        Col("signed_on", "签约日期", "partial_date", "最早报道的签约日期"),
        Col("expansion_of_id", "扩建自项目编号", "int", "扩建项目所属的原项目编号"),
        Col("first_reported_on", "首次报道", "date", "最早一篇报道的发布日期"),
        Col("last_reported_on", "最近报道", "date", "最近一篇报道的发布日期"),
    ]),
    "milestones": ("进展", [
        Col("project_id", "项目编号", "int", "项目编号（见“项目”表）"),
        Col("kind", "类型", "code", "已报道（已发生）或计划（预计）"),
        Col("stage", "阶段", "stage", "签约、开工、封顶、竣工、试产、投产、达产"),
        Col("date", "日期", "partial_date", "进展日期；只知年月或季度时为文本（如 2023-03、2023-Q1）"),
        Col("text", "原文", "text", "报道中描述该进展的句子"),
        Col("article_id", "文章编号", "int", "依据的文章编号（见“文章”表）"),
        Col("article_url", "文章链接", "url", "依据的文章链接"),
    ]),
    "mentions": ("报道", [
        Col("project_id", "项目编号", "int", "项目编号（见“项目”表）"),
        Col("article_id", "文章编号", "int", "文章编号（见“文章”表）"),
        Col("article_url", "文章链接", "url", "文章链接"),
        Col("published_on", "发布日期", "date", "文章发布日期"),
        Col("name_as_written", "报道中的名称", "text", "该文章写的项目名称"),
        Col("amount_yuan", "报道金额(元)", "yuan", "该文章所述金额，单位元（整数）"),
        Col("stage", "报道阶段", "stage", "该文章所述阶段"),
        Col("evidence", "依据原文", "text", "解析依据的原文片段"),
        Col("parser_version", "解析器版本", "text", "生成该记录的解析器版本"),
    ]),
    "batches": ("批次", [
        Col("batch_id", "批次编号", "int", "集中签约/开工活动或统计的编号"),
        Col("article_id", "文章编号", "int", "文章编号（见“文章”表）"),
        Col("article_url", "文章链接", "url", "文章链接"),
        Col("event_text", "活动", "text", "活动或统计的原文名称"),
        Col("date", "日期", "partial_date", "活动日期"),
        Col("location", "地点", "text", "活动地点"),
        Col("project_count", "项目数", "int", "活动涉及的项目个数"),
        Col("count_qualifier", "项目数说明", "qualifier", "项目数前的限定词"),
        Col("amount_yuan", "总投资(元)", "yuan", "活动涉及的总投资，单位元（整数）"),
        Col("amount_qualifier", "金额说明", "qualifier", "金额前的限定词"),
        Col("stages", "阶段", "stages", "活动涉及的阶段（CSV 中为逗号分隔的英文代码）"),
        Col("part_of", "所属活动", "text", "所属的更大活动"),
        Col("evidence", "依据原文", "text", "解析依据的原文片段"),
    ]),
    "articles": ("文章", [
        Col("article_id", "文章编号", "int", "文章的内部编号（转载副本合并到原文）"),
        Col("url", "链接", "url", "文章链接"),
        Col("title", "标题", "text", "文章标题"),
        Col("published_on", "发布日期", "date", "文章发布日期"),
        Col("date_origin", "日期来源", "code", "发布日期取自何处：页面元数据（meta）、页面上的日期行（visible）、页面脚本中的时间变量"
            "（script，如微信的 var ct）、链接中的日期（url）、列表页上的日期（list）；空表示页面没有日期"),
        Col("origin", "文章来源", "text", "页面上的“文章来源”"),
        Col("parse_status", "解析状态", "code", "已解析、解析失败、待解析、重复"),
        Col("parser_version", "解析器版本", "text", "最近一次解析的解析器版本"),
        Col("parse_error", "解析错误", "text", "解析失败的原因"),
        Col("created_at", "入库时间", "datetime", "文章入库时间（UTC）"),
        Col("all_urls", "全部链接", "urls", "该文章被发现的所有链接，以空格分隔"),
    ]),
    "changes": ("变化", [
        Col("change", "变化", "code", "新项目、阶段变化、金额变化（与上一次运行相比）"),
        Col("project_id", "项目编号", "int", "项目编号（见“项目”表）"),
        Col("name", "项目名称", "text", "项目名称"),
        Col("old_value", "原值", "text", "上一次运行时的阶段或金额(元)"),
        Col("new_value", "新值", "text", "本次运行的阶段或金额(元)"),
        Col("detected_at", "发现时间", "datetime", "发现该变化的运行时间（UTC）"),
    ]),
}

DATE_KINDS = ("date", "datetime")


def columns(table: str) -> list[str]:
    """The machine column names of a table, in their documented order."""
    return [c.name for c in TABLES[table][1]]


def csv_read_kwargs(table: str) -> dict[str, Any]:
    """Arguments for pandas.read_csv that give back the documented dtypes (integers stay integers).

    >>> csv_read_kwargs("changes")["dtype"]["project_id"]
    'Int64'
    """
    cols = TABLES[table][1]
    dtype = {c.name: _CSV_DTYPE.get(c.kind, "string") for c in cols if c.kind not in DATE_KINDS}
    return {"dtype": dtype, "parse_dates": [c.name for c in cols if c.kind in DATE_KINDS],
            "encoding": "utf-8-sig"}


def schema_markdown() -> str:
    """dataset/SCHEMA.md: every table and column, with its dtype, header and meaning."""
    lines = ["# investwatch dataset schema", "",
             "Generated by `investwatch export` from `storage/schema.py`; do not edit by hand.", "",
             "CSV files are UTF-8 with BOM. Read them back with the documented dtypes:", "", "```python",
             "import pandas as pd", "from storage.schema import csv_read_kwargs",
             'projects = pd.read_csv("dataset/projects.csv", **csv_read_kwargs("projects"))', "```", "",
             "or by hand: `dtype={'amount_yuan': 'Int64', ...}` per the dtype column below, `parse_dates` for the "
             "date columns. Text cells in the CSV files (and the workbook) starting with `= + - @`, tab or CR are "
             "prefixed with `'` (spreadsheet formula injection); control characters are removed everywhere. "
             "Parquet keeps the exact text, without the `'`.", ""]
    for table, (sheet, cols) in TABLES.items():
        lines += [f"## `{table}` (workbook sheet {sheet})", "", "| column | dtype | 表头 | 说明 |", "|---|---|---|---|"]
        for c in cols:
            dtype = "datetime" if c.kind in DATE_KINDS else _CSV_DTYPE.get(c.kind, "string")
            lines.append(f"| `{c.name}` | {dtype} | {c.zh} | {c.meaning} |")
        lines.append("")
    return "\n".join(lines)
