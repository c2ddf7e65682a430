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

from alerts.redact import redact
from alerts.send import LOCAL_CHANNEL, check_url
from parsers.model import STAGES

__all__ = ["AlertsConfig", "AlertsConfigError", "NewProjectRule", "Rule", "load_alerts_config", "redact"]

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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NewProjectRule(_Strict):
    """Alert once per project whose investment reaches `min_amount_yuan`, optionally only for some places etc."""

    kind: Literal["new_project"]
    name: str = Field(pattern=_NAME)
    label: str = "新项目"  # shown in 【】 at the start of each message
    min_amount_yuan: int = DEFAULT_MIN_AMOUNT_YUAN
    cities: tuple[str, ...] = ()  # empty = any; a project matches when a listed value is part of its field
    districts: tuple[str, ...] = ()  # matched against the project's district, else its location
    industries: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()  # parser stage codes: signed, started, capped, ...
    max_age_days: int | None = Field(default=None, ge=0)  # only projects first seen within this many days
    channels: tuple[str, ...] = Field(min_length=1)
    urgent: bool = False

    _amount = field_validator("min_amount_yuan", mode="before")(parse_amount_yuan)
    _lists = field_validator("cities", "districts", "industries", "stages", "channels", mode="before")(_as_tuple)

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, stages: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise ValueError(f"unknown stage {', '.join(unknown)} (known: {', '.join(STAGES)})")
        return stages


def _usable_url(url: SecretStr) -> SecretStr:
    error = check_url(url.get_secret_value())
    if error is not None:
        raise ValueError(error)
    return url


ChannelName = Annotated[str, StringConstraints(pattern=_NAME)]
# Checked at load time with apprise itself, so a typo fails at start and not at the first alert.
ChannelUrl = Annotated[SecretStr, AfterValidator(_usable_url)]

# Later rule kinds (stage change, lagging milestone) join this as a discriminated union on `kind`.
Rule = NewProjectRule


class AlertsConfig(_Strict):
    """Channels (name -> apprise URL, kept as SecretStr so repr/str never show a token) and rules."""

    channels: dict[ChannelName, ChannelUrl]
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _cross_references(self) -> AlertsConfig:
        problems = []
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if rule.name in seen:
                problems.append(f"rules[{i}].name: duplicate rule name {rule.name!r}")
            seen.add(rule.name)
            for j, channel in enumerate(rule.channels):
                if channel not in self.channels:
                    known = ", ".join(self.channels) or "none"
                    problems.append(f"rules[{i}].channels[{j}]: unknown channel {channel!r} (defined: {known})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @classmethod
    def default(cls) -> AlertsConfig:
        """One rule: every new project of at least 10亿元 goes to the local channel (alerts.log + console)."""
        return cls(
            channels={"local": SecretStr(LOCAL_CHANNEL)},
            rules=(NewProjectRule(kind="new_project", name="big_new_project", channels=("local",)),),
        )

    def channel_url(self, name: str) -> str:
        """The real URL of a channel, for the sender only; log `self.channel_display(name)` instead."""
        return self.channels[name].get_secret_value()

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


def _format_error(error: Any) -> str:
    """One pydantic error as `key.path[0]: message`, never echoing the input value (it may be a secret)."""
    path = ""
    for part in error["loc"]:
        if part == "[key]":  # pydantic's marker for "the key itself" of a dict entry
            continue
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if error["type"] == "value_error":
        message = str(error["ctx"]["error"])  # our own message, without pydantic's "Value error, " prefix
    else:
        message = error["msg"]
    return f"{path}: {message}" if path else message


def _expand_channels(raw: dict[str, Any], env: Mapping[str, str]) -> list[str]:
    """Expand ${VAR} in channel URLs in place; returns the problems (naming the variable, never a value)."""
    channels = raw.get("channels")
    if not isinstance(channels, dict):
        return []
    problems = []
    for name, url in channels.items():
        if isinstance(url, str):
            channels[name], missing = expand_env(url, env)
            problems += [f"channels.{name}: environment variable {var} is not set" for var in missing]
    return problems


def load_alerts_config(path: Path | None, env: Mapping[str, str]) -> AlertsConfig:
    """Read and validate alerts.yaml; `None` means the built-in default. Raises AlertsConfigError."""
    if path is None:
        return AlertsConfig.default()
    source = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertsConfigError([f"cannot read the file ({exc.strerror})"], source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise AlertsConfigError([f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})"], source) from None
    if not isinstance(raw, dict):
        raise AlertsConfigError(["the file must be a mapping with `channels:` and `rules:`"], source)
    problems = _expand_channels(raw, env)
    if problems:
        raise AlertsConfigError(problems, source)
    try:
        return AlertsConfig.model_validate(raw)
    except ValidationError as exc:
        # `from None`: the chained pydantic error would print input values, i.e. the expanded secrets.
        raise AlertsConfigError([_format_error(e) for e in exc.errors()], source) from None
