"""alerts.config: defaults, ${VAR} expansion, errors that name the key path, secrets kept out of text."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.config import AlertsConfig, AlertsConfigError, load_alerts_config, parse_amount_yuan
from alerts.redact import redact, redact_text
from alerts.send import LOCAL_CHANNEL

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(AlertsConfigError) as info:
        load_alerts_config(write(tmp_path, text), env or {})
    return str(info.value)


def test_default_is_one_10yi_rule_to_local() -> None:
    config = load_alerts_config(None, {})
    assert config == AlertsConfig.default()
    (rule,) = config.rules
    assert (rule.kind, rule.min_amount_yuan, rule.channels) == ("new_project", 1_000_000_000, ("local",))
    assert config.channel_url("local") == LOCAL_CHANNEL


def test_shipped_alerts_yaml_is_the_default() -> None:
    assert load_alerts_config(ROOT / "alerts.yaml", {}) == AlertsConfig.default()


def test_env_expansion_and_secrets_stay_out_of_repr(tmp_path: Path) -> None:
    text = """
channels:
  hook: "json://127.0.0.1:8080/${HOOK_PATH}?-token=${HOOK_TOKEN}"
rules:
  - {name: big, kind: new_project, min_amount_yuan: 5000万, channels: [hook], cities: 江门}
"""
    env = {"HOOK_PATH": "investwatch", "HOOK_TOKEN": "tok3n-very-secret-42"}
    config = load_alerts_config(write(tmp_path, text), env)
    assert config.channel_url("hook") == "json://127.0.0.1:8080/investwatch?-token=tok3n-very-secret-42"
    assert config.rules[0].min_amount_yuan == 50_000_000
    assert config.rules[0].cities == ("江门",)  # a bare string is a one-item list
    for shown in (repr(config), str(config), config.channel_display("hook")):
        assert "tok3n-very-secret-42" not in shown
    assert config.channel_display("hook") == "json://127.0.0.1:8080/investwatch?-token=****"


@pytest.mark.parametrize("env", [{}, {"INVESTWATCH_DINGTALK_TOKEN": ""}])
def test_unset_env_var_is_named(tmp_path: Path, env: dict[str, str]) -> None:
    text = """
channels:
  team_chat: "dingtalk://${INVESTWATCH_DINGTALK_TOKEN}/"
rules: []
"""
    message = load_error(tmp_path, text, env | {"OTHER_SECRET": "do-not-print-me"})
    assert "channels.team_chat: environment variable INVESTWATCH_DINGTALK_TOKEN is not set" in message
    assert "do-not-print-me" not in message


@pytest.mark.parametrize(
    ("rule_yaml", "expected"),
    [
        ("min_amount_yuan: 十亿多", "rules[0].min_amount_yuan: cannot read '十亿多' as an amount"),
        ("min_amount_yuan: true", "rules[0].min_amount_yuan: expected an amount"),
        ("min_amount_yuan: -5", "rules[0].min_amount_yuan: amount must not be negative"),
        ("min_amont: 10亿", "rules[0].min_amont: Extra inputs are not permitted"),
        ("stages: [opened]", "rules[0].stages: unknown stage opened"),
        ("max_age_days: -1", "rules[0].max_age_days: Input should be greater than or equal to 0"),
        ("channels: [nowhere]", "rules[0].channels[0]: unknown channel 'nowhere' (defined: local)"),
        ("channels: []", "rules[0].channels: Tuple should have at least 1 item"),
        ("kind: stage_change", "rules[0].kind: Input should be 'new_project'"),
        ("name: 'a:b'", "rules[0].name: String should match pattern"),
    ],
)
def test_bad_rule_names_the_key_path(tmp_path: Path, rule_yaml: str, expected: str) -> None:
    fields = {"name": "big", "kind": "new_project", "channels": "[local]"}
    key, _, value = rule_yaml.partition(": ")
    fields[key] = value
    rule = "\n".join(f"    {k}: {v}" for k, v in fields.items())
    text = f'channels:\n  local: "file"\nrules:\n  - name: fine\n    kind: new_project\n    channels: [local]\n  -\n{rule}\n'
    assert expected.replace("rules[0]", "rules[1]") in load_error(tmp_path, text)


def test_duplicate_rule_name(tmp_path: Path) -> None:
    rule = "  - {name: big, kind: new_project, channels: [local]}\n"
    message = load_error(tmp_path, 'channels: {local: "file"}\nrules:\n' + rule + rule)
    assert "rules[1].name: duplicate rule name 'big'" in message


def test_unusable_apprise_url_fails_at_load_without_its_secret(tmp_path: Path) -> None:
    text = 'channels:\n  mail: "mailto://bob:Pa55word-xyz@127.0.0.1:25?to=not-an-address"\nrules: []\n'
    message = load_error(tmp_path, text)
    assert message.count("channels.mail: apprise") == 1
    assert "Pa55word-xyz" not in message
    message = load_error(tmp_path, 'channels:\n  chat: "nonsense://abc"\nrules: []\n')
    assert "channels.chat: apprise cannot use nonsense://abc" in message


def test_bad_channel_name_and_file_shape(tmp_path: Path) -> None:
    assert "channels.my chat: String should match pattern" in load_error(
        tmp_path, 'channels:\n  "my chat": "file"\nrules: []\n'
    )
    assert "channels: Field required" in load_error(tmp_path, "rules: []\n")
    assert "must be a mapping" in load_error(tmp_path, "- just a list\n")
    assert "line 2, column 17: not valid YAML" in load_error(tmp_path, 'channels:\n  local: "file" x: y\n')
    with pytest.raises(AlertsConfigError, match="cannot read the file"):
        load_alerts_config(tmp_path / "missing.yaml", {})


@pytest.mark.parametrize(
    ("value", "yuan"),
    [
        (1_000_000_000, 1_000_000_000),
        ("10亿元", 1_000_000_000),
        ("17.67亿", 1_767_000_000),
        ("1.1亿", 110_000_000),
        ("5000万元", 50_000_000),
        ("十亿", 1_000_000_000),
        ("1,000,000,000", 1_000_000_000),
        (1e9, 1_000_000_000),
    ],
)
def test_parse_amount_yuan(value: object, yuan: int) -> None:
    assert parse_amount_yuan(value) == yuan


@pytest.mark.parametrize(
    ("url", "secrets", "kept"),
    [
        (
            "dingtalk://SECsign0123@0a1b2c3d4e5f60718293a4b5c6d7e8f9/",
            ["SECsign0123", "0a1b2c3d4e5f6071"],
            "dingtalk://****@****/",
        ),
        ("wecombot://3f1d1a3e-6c2d-4e7a-9f3b-2b7c1d0e9a11", ["3f1d1a3e"], "wecombot://****"),
        (
            "json://hooks.example.org/path?token=abc123&format=text",
            ["abc123"],
            "json://hooks.example.org/path?token=****&format=text",
        ),
        (
            "json://user:p%40ss-word@example.com/hook/0123456789abcdef0123",
            ["p%40ss", "0123456789abcdef"],
            "json://user:****@example.com/hook/****",
        ),
        (
            "mailtos://me:hunter2secret@smtp.example.com:465?to=analyst@example.org",
            ["hunter2secret"],
            "mailtos://me:****@smtp.example.com:465?to=analyst@example.org",
        ),
        (
            "tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/12345",
            ["AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"],
            "tgram://****/12345",
        ),
        (
            "https://oapi.dingtalk.com/robot/send?access_token=abcd1234",
            ["abcd1234"],
            "https://oapi.dingtalk.com/robot/send?access_token=****",
        ),
        ("json://receiver:8080/x#frag-secret", ["frag-secret"], "json://receiver:8080/x#****"),
    ],
)
def test_redact(url: str, secrets: list[str], kept: str) -> None:
    masked = redact(url)
    assert masked == kept
    assert not [s for s in secrets if s in masked]


def test_redact_text_masks_urls_and_known_secret_parts() -> None:
    url = "ntfy://alice:T0ps3cret-pw@ntfy.example.com/alerts"
    text = "401 for ntfy://alice:T0ps3cret-pw@ntfy.example.com/alerts; server said: bad password T0ps3cret-pw"
    out = redact_text(text, url)
    assert "T0ps3cret-pw" not in out
    assert "ntfy://alice:****@ntfy.example.com/alerts" in out
