"""alerts.yaml -> validated AlertsConfig: channels (apprise URLs, ${VAR} from the environment) and rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import cn2an
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from alerts.redact import redact, register_secrets, secret_parts
from alerts.send import LOCAL_CHANNEL, check_url
from parsers.model import STAGES
from parsers.utf8 import NotUtf8, decode_utf8

__all__ = [
    "AlertsConfig",
    "AlertsConfigError",
    "Channel",
    "LaggingExpectedRule",
    "LaggingSignedRule",
    "NewProjectRule",
    "ProjectFilters",
    "Rule",
    "SourceHealthRule",
    "StageChangeRule",
    "load_alerts_config",
    "redact",
]

DEFAULT_MIN_AMOUNT_YUAN = 1_000_000_000  # 10亿元
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Names become part of outbox keys ("rule:project"), so no colon and no spaces.
_NAME = r"^[^\s:]+$"


class AlertsConfigError(ValueError):
    """A bad alerts config; each problem names its key path, e.g. `rules[0].min_amount_yuan: ...`."""

    def __init__(self, problems: list[str], source: str = "alerts config") -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def parse_amount_yuan(value: object) -> int:
    """An amount in yuan from an integer or a Chinese amount string.

    >>> parse_amount_yuan(1_000_000_000), parse_amount_yuan("10亿元"), parse_amount_yuan("5000万"), parse_amount_yuan("1,500,000")
    (1000000000, 1000000000, 50000000, 1500000)
    """
    if isinstance(value, bool):  # bool is an int subclass; `true` is never an amount
        raise ValueError('expected an amount in yuan, e.g. 1000000000 or "10亿元"')
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace(",", "").replace("_", "").removesuffix("元").removesuffix("人民币")
        try:
            # cn2an "smart" reads 10亿, 17.67亿, 5000万, 十亿; round() absorbs float noise (1.1亿 -> 110000000.00000001).
            amount = round(cn2an.cn2an(text, "smart"))
        except ValueError:
            raise ValueError(f'cannot read {value!r} as an amount, e.g. 1000000000 or "10亿元"') from None
    else:
        raise ValueError('expected an amount in yuan, e.g. 1000000000 or "10亿元"')
    if amount < 0:
        raise ValueError("amount must not be negative")
    return amount


def _as_tuple(value: object) -> object:
    """A bare string where a list is expected means a one-item list (`cities: 江门市`)."""
    return (value,) if isinstance(value, str) else value


def _optional_amount(value: object) -> int | None:
    return None if value is None else parse_amount_yuan(value)


def _known_stages(stages: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage {', '.join(unknown)} (known: {', '.join(STAGES)})")
    return stages


Name = Annotated[str, StringConstraints(pattern=_NAME)]
Stages = Annotated[tuple[str, ...], AfterValidator(_known_stages)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RuleBase(_Strict):
    """What every rule has: a unique name, where its alerts go (channel names and/or tags), urgency."""

    name: Name
    label: str  # shown in 【】 at the start of each message; each kind has its own default
    channels: tuple[Name, ...] = ()  # channel names from `channels:`
    tags: tuple[Name, ...] = ()  # ... and/or every channel carrying one of these tags
    urgent: bool = False  # sent at once as its own message (warning type), not in the run's digest

    _lists = field_validator("channels", "tags", mode="before")(_as_tuple)


class ProjectFilters(_Strict):
    """Which projects a project rule looks at; empty filters match every project."""

    min_amount_yuan: int | None = None  # None: any amount, unknown included
    cities: tuple[str, ...] = ()  # a project matches when a listed value is part of its field
    districts: tuple[str, ...] = ()  # matched against the project's district, else its location
    industries: tuple[str, ...] = ()
    expansions: bool | None = None  # None: all; true: only 增资扩产 projects; false: only new investments

    _amount = field_validator("min_amount_yuan", mode="before")(_optional_amount)
    _filter_lists = field_validator("cities", "districts", "industries", mode="before")(_as_tuple)


class NewProjectRule(_RuleBase, ProjectFilters):
    """Alert once per project whose investment reaches `min_amount_yuan`, optionally only for some places etc."""

    kind: Literal["new_project"]
    label: str = "新项目"
    min_amount_yuan: int = DEFAULT_MIN_AMOUNT_YUAN
    stages: Stages = ()  # only projects whose current stage is listed (parser stage codes)
    max_age_days: int | None = Field(default=None, ge=0)  # only projects first seen within this many days

    _stage_list = field_validator("stages", mode="before")(_as_tuple)


class StageChangeRule(_RuleBase, ProjectFilters):
    """Alert once per project and stage when a project reaches one of `stages` (开工, 投产 by default)."""

    kind: Literal["stage_change"]
    label: str = "项目进展"
    stages: Stages = Field(default=("started", "in_production"), min_length=1)
    # Only stages reported with a date at most this many days before today. Without it, the first run over
    # history announces every project that ever started; with it, old news stays quiet.
    max_age_days: int | None = Field(default=None, ge=0)

    _stage_list = field_validator("stages", mode="before")(_as_tuple)


class LaggingSignedRule(_RuleBase, ProjectFilters):
    """Alert once per project signed more than `days` ago with no start (or later stage) reported."""

    kind: Literal["lagging_signed"]
    label: str = "签约未开工"
    days: int = Field(default=180, ge=1)
    max_overdue_days: int | None = Field(default=None, ge=0)  # skip cases overdue longer than this (history)


class LaggingExpectedRule(_RuleBase, ProjectFilters):
    """Alert once per expected milestone (计划3月投产) whose period ended more than `grace_days` ago unreported."""

    kind: Literal["lagging_expected"]
    label: str = "进度滞后"
    grace_days: int = Field(default=30, ge=0)
    stages: Stages = ()  # only expected milestones of these stages; empty = all
    max_overdue_days: int | None = Field(default=None, ge=0)  # skip cases overdue longer than this (history)

    _stage_list = field_validator("stages", mode="before")(_as_tuple)


class SourceHealthRule(_RuleBase):
    """Ops alert: a source silent for `silent_runs` runs, whose article extraction fails, whose every request
    failed, or one of whose list pages kept failing, for `failing_runs` runs in a row."""

    kind: Literal["source_health"]
    label: str = "数据源异常"
    silent_runs: int = Field(default=3, ge=1)
    failing_extractions: int = Field(default=1, ge=1)  # alert when at least this many extractions failed
    failing_runs: int = Field(default=2, ge=1)  # every request / a list page failing this many runs in a row


Rule = Annotated[
    NewProjectRule | StageChangeRule | LaggingSignedRule | LaggingExpectedRule | SourceHealthRule,
    Field(discriminator="kind"),
]
RULE_KINDS = ("new_project", "stage_change", "lagging_signed", "lagging_expected", "source_health")


def _usable_url(url: SecretStr) -> SecretStr:
    error = check_url(url.get_secret_value())
    if error is not None:
        raise ValueError(error)
    return url


# Checked at load time with apprise itself, so a typo fails at start and not at the first alert.
ChannelUrl = Annotated[SecretStr, AfterValidator(_usable_url)]


class Channel(_Strict):
    """An apprise URL (a SecretStr: repr/str never show a token) and the tags rules can address it by."""

    url: ChannelUrl
    tags: tuple[Name, ...] = ()

    _tags = field_validator("tags", mode="before")(_as_tuple)

    @model_validator(mode="before")
    @classmethod
    def _plain_url(cls, data: object) -> object:
        """`name: url` is the short form of `name: {url: url}`."""
        return {"url": data} if isinstance(data, str | SecretStr) else data


class AlertsConfig(_Strict):
    """Channels (name -> URL and tags) and rules."""

    channels: dict[Name, Channel]
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _cross_references(self) -> AlertsConfig:
        problems = []
        seen: set[str] = set()
        known_tags = {t for c in self.channels.values() for t in c.tags}
        for i, rule in enumerate(self.rules):
            if rule.name in seen:
                problems.append(f"rules[{i}].name: duplicate rule name {rule.name!r}")
            seen.add(rule.name)
            if not rule.channels and not rule.tags:
                problems.append(f"rules[{i}].channels: a rule needs at least one channel or tag")
            for j, channel in enumerate(rule.channels):
                if channel not in self.channels:
                    known = ", ".join(self.channels) or "none"
                    problems.append(f"rules[{i}].channels[{j}]: unknown channel {channel!r} (defined: {known})")
            for j, tag in enumerate(rule.tags):
                if tag not in known_tags:
                    known = ", ".join(sorted(known_tags)) or "none"
                    problems.append(f"rules[{i}].tags[{j}]: no channel has the tag {tag!r} (tags: {known})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @classmethod
    def default(cls) -> AlertsConfig:
        """The shipped alerts.yaml: every rule kind with its defaults, all to the local channel (tagged ops)."""
        return cls.model_validate(
            {
                "channels": {"local": {"url": LOCAL_CHANNEL, "tags": ["ops"]}},
                "rules": [
                    {"name": "big_new_project", "kind": "new_project", "channels": ["local"]},
                    {"name": "big_project_progress", "kind": "stage_change", "min_amount_yuan": "10亿元",
                     "max_age_days": 90, "channels": ["local"]},
                    {"name": "signed_not_started", "kind": "lagging_signed", "min_amount_yuan": "10亿元",
                     "max_overdue_days": 365, "channels": ["local"]},
                    {"name": "milestone_overdue", "kind": "lagging_expected", "min_amount_yuan": "10亿元",
                     "max_overdue_days": 365, "channels": ["local"]},
                    {"name": "source_health", "kind": "source_health", "tags": ["ops"]},
                ],
            }
        )

    def rule_channels(self, rule: Rule) -> tuple[str, ...]:
        """The channels a rule's alerts go to: those it names, then those carrying one of its tags."""
        named = list(rule.channels)
        tagged = [name for name, channel in self.channels.items() if set(channel.tags) & set(rule.tags)]
        return tuple(dict.fromkeys(named + tagged))

    def channel_url(self, name: str) -> str:
        """The real URL of a channel, for the sender only; log `self.channel_display(name)` instead."""
        return self.channels[name].url.get_secret_value()

    def channel_display(self, name: str) -> str:
        return redact(self.channel_url(name))


def expand_env(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace ${VAR} from env; returns the text and the names that are unset or empty.

    By hand because os.path.expandvars leaves an unset variable in place silently.

    >>> expand_env("dingtalk://${TOKEN}/", {"TOKEN": "abc"})
    ('dingtalk://abc/', [])
    >>> expand_env("${A}${B}", {"A": "x"})[1]
    ['B']
    """
    missing: list[str] = []

    def sub(m: re.Match[str]) -> str:
        value = env.get(m.group(1), "")
        if not value:
            missing.append(m.group(1))
        return value

    return _ENV_REF.sub(sub, text), missing


def _key_path(loc: tuple[Any, ...], raw: Any) -> str:
    """pydantic's error location as the key path the user wrote, e.g. `rules[1].min_amount_yuan`.

    pydantic adds parts that are not keys of the file: "[key]" for a dict key, the `kind` tag of the rule
    union, and `url` for a channel written in the short `name: url` form. They are dropped, walking the
    raw YAML alongside to tell which parts the user actually wrote.
    """
    path, node = "", raw
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif part in RULE_KINDS or (part == "url" and isinstance(node, str)):
            continue  # a union tag, or the implied `url` of the short form
        else:
            node = None
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _format_error(error: Any, raw: Any = None) -> str:
    """One pydantic error as `key.path[0]: message`, never echoing the input value (it may be a secret)."""
    path = _key_path(error["loc"], raw)
    if error["type"] == "value_error":
        message = str(error["ctx"]["error"])  # our own message, without pydantic's "Value error, " prefix
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        path += ".kind"
        message = f"expected one of {', '.join(RULE_KINDS)}"
    elif error["type"] == "model_type" and len(error["loc"]) == 2 and error["loc"][0] == "channels":
        message = "expected an apprise URL or {url: ..., tags: [...]}"
    else:
        message = error["msg"].replace("a valid tuple", "a list")  # YAML says list; tuple is ours
    return f"{path}: {message}" if path else message


def _expand_channels(raw: dict[str, Any], env: Mapping[str, str]) -> list[str]:
    """Expand ${VAR} in channel URLs in place; returns the problems (naming the variable, never a value)."""
    channels = raw.get("channels")
    if not isinstance(channels, dict):
        return []
    problems = []
    for name, entry in channels.items():
        if isinstance(entry, str):
            channels[name], missing = expand_env(entry, env)
            problems += [f"channels.{name}: environment variable {var} is not set" for var in missing]
        elif isinstance(entry, dict) and isinstance(entry.get("url"), str):
            entry["url"], missing = expand_env(entry["url"], env)
            problems += [f"channels.{name}.url: environment variable {var} is not set" for var in missing]
    return problems


def _referenced_values(raw: dict[str, Any], env: Mapping[str, str]) -> list[str]:
    """The values of every ${VAR} the channel URLs reference: secrets whatever their length or shape.

    >>> _referenced_values({"channels": {"a": "json://h/${T}", "b": {"url": "x://${U}"}}}, {"T": "t0k", "U": "u"})
    ['t0k', 'u']
    """
    channels = raw.get("channels")
    urls = [e if isinstance(e, str) else e.get("url") for e in (channels.values() if isinstance(channels, dict) else [])
            if isinstance(e, str) or isinstance(e, dict)]
    return [env[var] for url in urls if isinstance(url, str) for var in _ENV_REF.findall(url) if env.get(var)]


def load_alerts_config(path: Path | None, env: Mapping[str, str]) -> AlertsConfig:
    """Read and validate alerts.yaml; `None` means the built-in default. Raises AlertsConfigError.

    Every value expanded into a channel URL is registered with alerts.redact, so it is masked by value
    in every log line, stored error and CLI output of this process.
    """
    if path is None:
        return AlertsConfig.default()
    source = str(path)
    try:
        raw = yaml.safe_load(decode_utf8(path.read_bytes(), source))
    except NotUtf8 as exc:
        raise AlertsConfigError([str(exc).removeprefix(f"{source}: ")], source) from None
    except OSError as exc:
        raise AlertsConfigError([f"cannot read the file ({exc.strerror})"], source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise AlertsConfigError([f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})"], source) from None
    if not isinstance(raw, dict):
        raise AlertsConfigError(["the file must be a mapping with `channels:` and `rules:`"], source)
    register_secrets(_referenced_values(raw, env))  # before any error can quote an expanded URL
    problems = _expand_channels(raw, env)
    if problems:
        raise AlertsConfigError(problems, source)
    try:
        config = AlertsConfig.model_validate(raw)
        register_secrets(p for name in config.channels for p in secret_parts(config.channel_url(name)))
        return config
    except ValidationError as exc:
        # `from None`: the chained pydantic error would print input values, i.e. the expanded secrets.
        raise AlertsConfigError([_format_error(e, raw) for e in exc.errors()], source) from None
