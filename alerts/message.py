"""Short Chinese alert texts: one project -> (title, body); one run's alerts -> a digest per channel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from alerts.periods import describe_period
from storage.sanitize import strip_controls

if TYPE_CHECKING:  # rules imports this module at run time; the types only matter to mypy
    from alerts.rules import MilestoneView, ProjectSnapshot, SourceHealth

YI = 100_000_000  # 1亿 = 1e8 yuan
MAX_LINKS = 3
# DingTalk's text messages are capped at 20,000 bytes, the smallest common limit of the chat channels;
# a longer digest is split (pack_messages) or cut with "…另有N条" (format_digest), never refused.
MAX_MESSAGE_BYTES = 20_000
MAX_EVIDENCE_CHARS = 80
MAX_ERROR_CHARS = 300

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


def message_text(text: str) -> str:
    r"""Scraped text made safe for any channel: ANSI sequences and control characters (CR too) removed.

    A title or evidence string holding ``\x1b[2J`` must not clear the console the file channel prints to,
    nor reach a chat client; line breaks and tabs stay.

    >>> message_text("红\x1b[31m色\x07标题\r\n第二行")
    '红色标题\n第二行'
    """
    return strip_controls(text).replace("\r", "")


# CommonMark punctuation that starts markup (emphasis, links, HTML, headings, tables, code, quotes)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")
_URL = re.compile(r"https?://[^\s<>\"'（）【】，。]+")


def escape_markdown(text: str) -> str:
    r"""Text for a channel that renders Markdown: every markup character outside URLs backslash-escaped.

    Alerts are sent as plain text; apprise escapes it for HTML channels, but passes it unchanged to
    Markdown ones (Slack, Rocket.Chat, Google Chat, ...), where a scraped ``[点击](http://evil)`` would
    become a link. URLs stay as written so the channel still links them.

    >>> print(escape_markdown("[点击](http://evil.example/a_b) **粗** http://x.cn/post_1.html"))
    \[点击\]\(http://evil.example/a_b\) \*\*粗\*\* http://x.cn/post_1.html
    """
    out, last = [], 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(")")  # a ")" closing the text around a URL is not part of it
        out += [_MARKDOWN_SPECIAL.sub(r"\\\1", text[last:m.start()]), url,
                _MARKDOWN_SPECIAL.sub(r"\\\1", m.group(0)[len(url):])]
        last = m.end()
    out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


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


def _head(project: ProjectSnapshot, label: str, *, stage: bool = True) -> str:
    """`【label】name | amount | stage | place`, leaving out what is unknown."""
    amount = format_amount(project.amount_yuan, project.amount_qualifier) if project.amount_yuan is not None else None
    parts = [
        project.name + ("（增资扩产）" if project.is_expansion else ""),
        amount,
        format_stage(project.stage, project.stage_date) if stage else None,
        format_place(project.city, project.district, project.location),
    ]
    return f"【{label}】" + " | ".join(p for p in parts if p)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_timeline(project: ProjectSnapshot) -> list[str]:
    """`进度：签约（2023-01-05）→ 开工（2023-03）` and `计划：投产（2024年第四季度）` lines from the milestones.

    Each reported stage once (its earliest date), in stage order; expected stages not yet reached.
    """
    from parsers.model import stage_rank  # the stage order lives with the parser's stage codes

    reported: dict[str, str | None] = {}
    for m in sorted((m for m in project.milestones if m.kind == "reported"), key=lambda m: m.date or "9999"):
        reported.setdefault(m.stage, m.date)
    reached = max([stage_rank(s) for s in reported] + [stage_rank(project.stage)])
    planned = {m.stage: m.date for m in project.milestones if m.kind == "expected" and stage_rank(m.stage) > reached}
    lines = []
    for word, stages in (("进度", reported), ("计划", planned)):
        steps = [
            f"{STAGE_ZH.get(stage, stage)}（{when}）" if when else STAGE_ZH.get(stage, stage)
            for stage, when in sorted(stages.items(), key=lambda e: stage_rank(e[0]))
        ]
        if steps:
            lines.append(f"{word}：" + " → ".join(steps))
    return lines


def _tail(project: ProjectSnapshot, *, timeline: bool = True) -> list[str]:
    """Investor, timeline and article links: the lines every project alert ends with."""
    lines = [f"投资方：{project.investor}"] if project.investor else []
    if timeline:
        lines += format_timeline(project)
    links = list(zip(project.article_urls, project.article_titles + ("",) * len(project.article_urls), strict=False))
    for url, article_title in links[:MAX_LINKS]:
        lines.append(f"来源：{article_title} {url}" if article_title else f"来源：{url}")
    if len(links) > MAX_LINKS:
        lines.append(f"另有{len(links) - MAX_LINKS}篇报道")
    return lines


def format_alert(project: ProjectSnapshot, label: str) -> tuple[str, str]:
    """(title, body): title `【label】name | amount | stage | place`, body the investor, timeline, article links.

    Channels without a title field (DingTalk text, WeCom bots) get the title as the first body line from
    apprise, so the body does not repeat it. evaluate_rules passes the rule's label (新项目 by default).
    """
    return _head(project, label), "\n".join(_tail(project))


def format_stage_change(project: ProjectSnapshot, label: str) -> tuple[str, str]:
    """A project reached its current stage: the new-project text, led by the report of that stage."""
    reports = [m for m in project.milestones if m.kind == "reported" and m.stage == project.stage and m.text]
    lines = []
    if reports:
        latest = max(reports, key=lambda m: m.date or "")
        lines.append(f"进展：{_clip(latest.text, MAX_EVIDENCE_CHARS)}")
        if latest.article_url and latest.article_url not in project.article_urls[:MAX_LINKS]:
            lines.append(f"进展来源：{latest.article_url}")
    return _head(project, label), "\n".join(lines + _tail(project))


def _milestone_seen(m: MilestoneView | None) -> str:
    if m is None:
        return "最近进展：未见报道"
    text = f"最近进展：{format_stage(m.stage, m.date)}"
    return text + (f" {m.article_url}" if m.article_url else "")


def format_lagging_signed(
    project: ProjectSnapshot, signed: MilestoneView, signed_on: date, days: int, label: str, today: date
) -> tuple[str, str]:
    """Signed long ago, no start since: when it was signed, how long ago, where that was reported."""
    when = describe_period(signed.date) if signed.date else f"报道于{signed_on.isoformat()}"
    lines = [
        f"签约：{when}，已{(today - signed_on).days}天未见开工报道（提醒期限{days}天）",
        *([f"签约报道：{signed.article_url}"] if signed.article_url else []),
    ]
    return _head(project, label), "\n".join(lines + _tail(project))


def format_lagging_expected(
    project: ProjectSnapshot, plan: MilestoneView, due: date, last: MilestoneView | None, label: str, today: date
) -> tuple[str, str]:
    """An expected milestone overdue: what was expected and when (words and normalised), the last milestone seen."""
    stage = STAGE_ZH.get(plan.stage, plan.stage)
    words = f"“{_clip(plan.text, MAX_EVIDENCE_CHARS)}”，" if plan.text else ""
    lines = [
        f"预期：{stage}，{words}即{describe_period(plan.date or '')}（{due.isoformat()}前）",
        f"已逾期{(today - due).days}天，未见{stage}报道",
        _milestone_seen(last),
        *([f"计划来源：{plan.article_url}"] if plan.article_url else []),
    ]
    return _head(project, label), "\n".join(lines + _tail(project, timeline=False))


def format_source_health(health: SourceHealth, condition: str, label: str) -> tuple[str, str]:
    """An ops alert about one source: silent for N runs, its article extraction failing, every request failing,
    or a list page failing (the cause in plain words on its own line)."""
    if condition == "silent":
        what = f"连续{health.silent_runs}次运行未获取到内容"
        since = health.silent_since or health.since
    elif condition == "unreachable":
        what = f"连续{health.unreachable_runs}次运行所有请求均失败"
        since = health.unreachable_since or health.since
    elif condition == "list_failing":
        what = f"列表页连续{health.list_failing_runs}次运行抓取失败"
        since = health.list_failing_since or health.since
    else:
        what = f"{health.failing_extractions}篇文章正文提取失败"
        since = health.failing_since or health.since
    lines = [
        *([f"原因：{_clip(health.problem, MAX_ERROR_CHARS)}"] if health.problem and condition in (
            "unreachable", "list_failing") else []),
        *([f"异常开始：{since}"] if since else []),
        f"最近正常：{health.last_ok or '无记录'}",
        *([f"最近错误：{_clip(health.last_error, MAX_ERROR_CHARS)}"] if health.last_error else []),
    ]
    return f"【{label}】{health.source}：{what}", "\n".join(lines)


# --- digests -------------------------------------------------------------------------------------


class DigestItem(Protocol):
    """What a digest needs of an alert: an AlertDraft, or an outbox row (storage.models.Alert)."""

    @property
    def rule(self) -> str: ...
    @property
    def urgent(self) -> bool: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...


T = TypeVar("T", bound=DigestItem)
_Item = TypeVar("_Item")  # unbounded: mypy checks a bound in annotations (Outgoing[Alert]) without descriptors


@dataclass(frozen=True)
class Outgoing(Generic[_Item]):
    """One message to send to one channel, and the alerts it carries (mark them sent when it is delivered)."""

    title: str
    body: str
    urgent: bool
    items: tuple[_Item, ...]


def _size(title: str, body: str) -> int:
    """Bytes as a chat channel counts them: apprise sends title and body together where there is no title."""
    return len(title.encode("utf-8")) + 1 + len(body.encode("utf-8"))


def _fit(title: str, body: str, max_bytes: int) -> tuple[str, str]:
    """Cut a single message's body (never its title) to max_bytes, marking the cut with …

    Every message passes here: controls are removed again for outbox rows queued before they were.
    """
    title, body = message_text(title), message_text(body)
    if _size(title, body) <= max_bytes:
        return title, body
    room = max(0, max_bytes - _size(title, "") - len("…".encode()))
    return title, body.encode("utf-8")[:room].decode("utf-8", errors="ignore") + "…"


def _grouped(items: Sequence[T]) -> list[T]:
    """Items ordered by rule, rules in first-seen order, items in their order within a rule."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(item.rule, []).append(item)
    return [item for members in groups.values() for item in members]


def _label(title: str) -> str | None:
    return title[1 : title.index("】")] if title.startswith("【") and "】" in title else None


def _render(shown: Sequence[DigestItem], total: int, part: str = "") -> tuple[str, str]:
    """The digest text of `shown` (already grouped), saying how many of `total` are left out."""
    urgent = "【紧急】" if any(d.urgent for d in shown) else ""
    title = f"{urgent}投资项目提醒：{total}条{part}"
    sections = []
    for rule in dict.fromkeys(d.rule for d in shown):
        members = [d for d in shown if d.rule == rule]
        labels = {_label(d.title) for d in members}
        label = labels.pop() if len(labels) == 1 else None
        # the 【label】 every title of the group starts with moves to the group's header
        items = [f"■ {label}（{rule}，{len(members)}条）" if label else f"■ {rule}（{len(members)}条）"]
        for n, d in enumerate(members, 1):
            items.append(f"{n}. {d.title.removeprefix(f'【{label}】') if label else d.title}")
            items += [f"   {line}" for line in d.body.splitlines() if line]
        sections.append("\n".join(items))
    body = "\n\n".join(sections)
    if total > len(shown):
        body += f"\n\n…另有{total - len(shown)}条"
    return title, body


def _most_that_fit(items: Sequence[DigestItem], total: int, max_bytes: int, part: str = "") -> int:
    """The largest k such that the digest of items[:k] fits (binary search: the size grows with k); 0 if none."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _size(*_render(items[:mid], total, part)) <= max_bytes:
            lo = mid
        else:
            hi = mid - 1
    return lo


def format_digest(drafts: Sequence[DigestItem], *, max_bytes: int = MAX_MESSAGE_BYTES) -> tuple[str, str]:
    """One message for one run's alerts on one channel, grouped by rule (a header each) in first-seen order.

    A single alert is sent as itself; urgent ones put 【紧急】 in the digest title. Beyond max_bytes the
    last alerts are left out and the body ends with "…另有N条" (pack_messages splits instead).
    """
    if not drafts:
        raise ValueError("format_digest needs at least one alert")
    if len(drafts) == 1:
        return _fit(drafts[0].title, drafts[0].body, max_bytes)
    ordered = _grouped(drafts)
    shown = max(1, _most_that_fit(ordered, len(ordered), max_bytes))
    return _fit(*_render(ordered[:shown], len(ordered)), max_bytes)


def pack_messages(items: Sequence[T], *, max_bytes: int = MAX_MESSAGE_BYTES) -> list[Outgoing[T]]:
    """The messages for one channel: each urgent alert alone, first; the others as digests under max_bytes.

    Apprise waits 5.5 s between two sends to one chat channel, so one run sends as few messages as it
    can; a digest too long for one message is split into parts (1/2, 2/2), so no alert is cut off.
    """
    out = [Outgoing(*_fit(i.title, i.body, max_bytes), urgent=True, items=(i,)) for i in items if i.urgent]
    rest = _grouped([i for i in items if not i.urgent])
    chunks: list[list[T]] = []
    while rest:
        # room for a "（12/12）" part suffix, decided once the number of parts is known
        k = max(1, _most_that_fit(rest, len(rest), max_bytes - 16))
        k = max(1, _most_that_fit(rest[:k], k, max_bytes - 16))
        chunks.append(rest[:k])
        rest = rest[k:]
    for n, chunk in enumerate(chunks, 1):
        part = f"（{n}/{len(chunks)}）" if len(chunks) > 1 else ""
        if len(chunk) == 1 and not part:
            title, body = _fit(chunk[0].title, chunk[0].body, max_bytes)
        else:
            title, body = _fit(*_render(chunk, len(chunk), part), max_bytes)
        out.append(Outgoing(title, body, urgent=False, items=tuple(chunk)))
    return out
