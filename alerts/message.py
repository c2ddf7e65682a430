"""Short Chinese alert texts: one project -> (title, body); one run's alerts -> a digest per channel."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rules imports this module at run time; the types only matter to mypy
    from alerts.rules import AlertDraft, ProjectSnapshot

YI = 100_000_000  # 1亿 = 1e8 yuan
MAX_LINKS = 3

# Amount qualifiers (parser codes) -> the word written before the amount.
QUALIFIER_ZH: dict[str, str] = {
    "exact": "",  # 达/合计 — written without a word
    "over": "超",  # 超/超过/以上: more than
    "about": "约",  # 约/左右: about
    "nearly": "近",  # 近: nearly
    "at_least": "不低于",  # 不低于/不少于: at least
}

# Stage codes (parsers.model.STAGES) -> the Chinese stage word.
STAGE_ZH: dict[str, str] = {
    "signed": "签约",  # contract signed
    "started": "开工",  # construction started
    "capped": "封顶",  # structure topped out
    "completed": "竣工",  # construction completed
    "trial_production": "试产",  # trial production
    "in_production": "投产",  # in production
    "full_production": "达产",  # at full capacity
}


def format_amount(amount_yuan: int, qualifier: str | None = None) -> str:
    """An amount in 亿元 with at most 4 decimals, trailing zeros trimmed, and its qualifier word.

    >>> format_amount(20_000_000_000), format_amount(1_767_000_000, "over"), format_amount(60_000_000, "about")
    ('200亿元', '超17.67亿元', '约0.6亿元')
    >>> format_amount(5_000)
    '5000元'
    """
    word = QUALIFIER_ZH.get(qualifier or "exact", "")
    if amount_yuan < 10_000:  # under 1万 the 4 decimals of 亿 would round it to nothing
        return f"{word}{amount_yuan}元"
    yi = (Decimal(amount_yuan) / YI).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = format(yi.normalize(), "f")  # "f": 200, not normalize()'s 2E+2
    return f"{word}{text}亿元"


def format_stage(stage: str | None, stage_date: str | None = None) -> str | None:
    """已开工, or 已开工（2023-03-23） with its date; None when the stage is unknown.

    >>> format_stage("started"), format_stage("in_production", "2023-03"), format_stage(None)
    ('已开工', '已投产（2023-03）', None)
    """
    word = STAGE_ZH.get(stage or "")
    if word is None:
        return None
    return f"已{word}（{stage_date}）" if stage_date else f"已{word}"


def format_place(city: str | None, district: str | None, location: str | None) -> str | None:
    """City and district joined (江门市江海区), then the more specific location when it adds anything.

    >>> format_place("江门市", "江海区", "江海区"), format_place("江门市", None, "鹤山工业城")
    ('江门市江海区', '江门市 鹤山工业城')
    """
    admin = "".join(p for p in (city, district) if p)
    if location and location not in admin:
        if admin and location.startswith(admin):  # location already written in full
            return location
        return f"{admin} {location}" if admin else location
    return admin or None


def format_alert(project: ProjectSnapshot, rule_name: str) -> tuple[str, str]:
    """(title, body): title `【rule_name】name | amount | stage | place`, body the investor and article links.

    Channels without a title field (DingTalk text, WeCom bots) get the title as the first body line from
    apprise, so the body does not repeat it. evaluate_rules passes the rule's label (新项目 by default).
    """
    amount = format_amount(project.amount_yuan, project.amount_qualifier) if project.amount_yuan is not None else None
    head = [
        project.name,
        amount,
        format_stage(project.stage, project.stage_date),
        format_place(project.city, project.district, project.location),
    ]
    title = f"【{rule_name}】" + " | ".join(p for p in head if p)
    lines = []
    if project.investor:
        lines.append(f"投资方：{project.investor}")
    links = list(zip(project.article_urls, project.article_titles + ("",) * len(project.article_urls), strict=False))
    for url, article_title in links[:MAX_LINKS]:
        lines.append(f"来源：{article_title} {url}" if article_title else f"来源：{url}")
    if len(links) > MAX_LINKS:
        lines.append(f"另有{len(links) - MAX_LINKS}篇报道")
    return title, "\n".join(lines)


def format_digest(drafts: Sequence[AlertDraft]) -> tuple[str, str]:
    """One message for one run's alerts on one channel, grouped by rule in first-seen order.

    A single alert is sent as itself; urgent ones put 【紧急】 in the digest title.
    """
    if not drafts:
        raise ValueError("format_digest needs at least one alert")
    if len(drafts) == 1:
        return drafts[0].title, drafts[0].body
    groups: dict[str, list[AlertDraft]] = {}
    for draft in drafts:
        groups.setdefault(draft.rule, []).append(draft)
    urgent = "【紧急】" if any(d.urgent for d in drafts) else ""
    title = f"{urgent}投资项目提醒：{len(drafts)}条"
    sections = []
    for rule, members in groups.items():
        items = [f"■ {rule}（{len(members)}条）"]
        for n, draft in enumerate(members, 1):
            items.append(f"{n}. {draft.title}")
            items += [f"   {line}" for line in draft.body.splitlines() if line]
        sections.append("\n".join(items))
    return title, "\n\n".join(sections)
