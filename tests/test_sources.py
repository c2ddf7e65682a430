"""sources.yaml loads, and a bad sources file fails with a message naming the entry and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.config import ConfigError, Source, load_sources

ROOT = Path(__file__).resolve().parents[1]


def test_default_sources_load() -> None:
    sources = load_sources(ROOT / "sources.yaml")
    names = [s.name for s in sources]
    assert len(names) == len(set(names)) >= 10
    assert all(s.url.startswith(("http://", "https://")) for s in sources)
    disabled = [s for s in sources if not s.enabled]
    assert [s.name for s in disabled] == ["nfplus-jiangmen"]
    assert {s.district for s in sources} >= {"江海区", "蓬江区", "新会区"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("sources:\n  - name: a\n    url: http://x.cn/\n    kind: rss\n", "sources[0] (a): key 'kind'"),
        ("sources:\n  - name: a\n    url: x.cn/list\n", "key 'url'"),
        ("sources:\n  - name: a\n    url: http://x.cn/\n    colour: red\n", "key 'colour'"),
        ("sources:\n  - name: a\n    url: http://x.cn/\n  - name: b\n", "sources[1] (b): key 'url'"),
        ("sources:\n  - name: a\n    url: http://x.cn/\n    allow: '(['\n", "key 'allow'"),
        (
            "sources:\n  - name: a\n    url: http://x.cn/\n  - name: a\n    url: http://y.cn/\n",
            "duplicate source name(s): a",
        ),
        ("sources: {name: a}\n", "expected a list"),
        ("sources: [\n", "cannot read"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = _write(tmp_path, yaml_text)
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_plain_list_and_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, "- name: a\n  url: http://x.cn/zsxx/index.html\n  enabled: false\n")
    (src,) = load_sources(path)
    assert src == Source(name="a", url="http://x.cn/zsxx/index.html", enabled=False)
    assert (src.kind, src.max_pages, src.allow) == ("auto", 20, None)
