"""The crawl configuration: one `Source` per site entry in sources.yaml, validated by pydantic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from parsers.utf8 import NotUtf8, decode_utf8


class ConfigError(ValueError):
    """A sources file that cannot be used; the message names the file, the entry and the key."""


class Source(BaseModel):
    """One crawl entry point; everything except name and url is optional.

    >>> Source(name="gov", url="http://x.cn/zsxx/index.html").kind
    'auto'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    url: str  # list page, RSS/Atom feed, sitemap (or robots.txt naming one) or JSON list API
    kind: Literal["auto", "list", "feed", "sitemap", "api"] = "auto"
    city: str | None = None
    district: str | None = None
    enabled: bool = True
    article_links: str | None = None  # CSS, or XPath when it starts with "/" or "("
    next_page: str | None = None  # CSS/XPath selecting the next-list-page link
    allow: str | None = None  # regex an article URL must match (replaces the URL-shape heuristic)
    max_pages: int = Field(default=20, ge=1, le=1000)  # list/API pages followed per source
    # the JSON API an HTML list loads more items from ("加载更多"), when detection found it in a script
    # (`sources add` sets it); data-api/data-url attributes of a "load more" control are found without it
    list_api: str | None = None
    # re-request already stored articles with If-None-Match/If-Modified-Since (304 = unchanged);
    # off by default: a stored article is only refetched when a sitemap/feed lastmod is newer
    recheck_known: bool = False
    note: str | None = None  # free text for humans (evidence, caveats)

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"must be an absolute http(s) URL, got {v!r}")
        return v

    @field_validator("list_api")
    @classmethod
    def _api_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"must be an absolute http(s) URL, got {v!r}")
        return v

    @field_validator("allow")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as e:
                raise ValueError(f"not a valid regex: {e}") from e
        return v


def load_sources(path: str | Path) -> list[Source]:
    """Read a sources YAML file (a list, or a mapping with a ``sources:`` list) into Sources.

    Disabled entries are returned too (``crawl`` skips them). Raises ConfigError naming the
    file, the entry (index and name) and the offending key.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(decode_utf8(path.read_bytes(), str(path)))
    except NotUtf8 as e:
        raise ConfigError(str(e)) from None
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot read sources file: {e}") from e
    entries = raw.get("sources") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a list of sources (or a 'sources:' key holding one)")
    out: list[Source] = []
    for i, entry in enumerate(entries):
        label = f"{path}: sources[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label}: expected a mapping, got {type(entry).__name__}")
        if entry.get("name"):
            label += f" ({entry['name']})"
        try:
            out.append(Source.model_validate(entry))
        except ValidationError as e:
            raise ConfigError(f"{label}: {_describe(e)}") from e
    names = [s.name for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{path}: duplicate source name(s): {', '.join(dupes)}")
    return out


def _describe(e: ValidationError) -> str:
    parts: list[str] = []
    for err in e.errors():
        key = ".".join(str(x) for x in err["loc"]) or "<entry>"
        msg: Any = err["msg"]
        parts.append(f"key '{key}': {msg}")
    return "; ".join(parts)
