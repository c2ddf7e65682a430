"""alerts.config: defaults, ${VAR} expansion, errors that name the key path, secrets kept out of text."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.config import (
    RULE_KINDS,
    AlertsConfig,
    AlertsConfigError,
    LaggingExpectedRule,
    LaggingSignedRule,
    NewProjectRule,
    SourceHealthRule,
    StageChangeRule,
    load_alerts_config,
    parse_amount_yuan,
)
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


def test_default_has_every_rule_kind_to_local() -> None:
    config = load_alerts_config(None, {})
    assert config == AlertsConfig.default()
    assert [r.kind for r in config.rules] == list(RULE_KINDS)
    big = config.rules[0]
    assert isinstance(big, NewProjectRule)
    assert (big.kind, big.min_amount_yuan, big.channels) == ("new_project", 1_000_000_000, ("local",))
    assert [getattr(r, "min_amount_yuan", None) for r in config.rules] == [1_000_000_000] * 4 + [None]
    assert config.channel_url("local") == LOCAL_CHANNEL
    # the ops rule reaches the local channel through its tag
    assert [config.rule_channels(r) for r in config.rules] == [("local",)] * 5


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
    rule = config.rules[0]
    assert isinstance(rule, NewProjectRule) and rule.min_amount_yuan == 50_000_000
    assert rule.cities == ("江门",)  # a bare string is a one-item list
    for shown in (repr(config), str(config), config.channel_display("hook")):
        assert "tok3n-very-secret-42" not in shown
    # every ${VAR} value is a secret by where it came from, not by its shape (issue 12): the path too
    assert config.channel_display("hook") == "json://127.0.0.1:8080/****?-token=****"


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
        ("channels: []", "rules[0].channels: a rule needs at least one channel or tag"),
        ("tags: [ops]", "rules[0].tags[0]: no channel has the tag 'ops' (tags: none)"),
        ("kind: stage_chang", "rules[0].kind: expected one of new_project, stage_change, lagging_signed"),
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
    assert "channels.l: expected an apprise URL or {url: ..., tags: [...]}" in load_error(
        tmp_path, "channels: {l: [file]}\nrules: []\n"
    )
    assert "rules: Input should be a list" in load_error(tmp_path, "channels: {l: file}\nrules: x\n")
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


def test_the_local_file_channel_masks_no_word_of_the_output(tmp_path: Path) -> None:
    from alerts.redact import forget_secrets, mask_secrets

    forget_secrets()
    alerts = tmp_path / "alerts.yaml"
    alerts.write_text("channels:\n  local: {url: \"file\", tags: [ops]}\nrules:\n"
                      "  - {name: big, kind: new_project, min_amount_yuan: 10亿元, channels: [local]}\n", encoding="utf-8")
    load_alerts_config(alerts, {})
    line = "the latest changes are in the CSV/Parquet files and the report (file: dataset/projects.csv)"
    assert mask_secrets(line) == line  # the bench's run summary said "CSV/Parquet ****s"
    forget_secrets()


def test_redact_text_masks_urls_and_known_secret_parts() -> None:
    url = "ntfy://alice:T0ps3cret-pw@ntfy.example.com/alerts"
    text = "401 for ntfy://alice:T0ps3cret-pw@ntfy.example.com/alerts; server said: bad password T0ps3cret-pw"
    out = redact_text(text, url)
    assert "T0ps3cret-pw" not in out
    assert "ntfy://alice:****@ntfy.example.com/alerts" in out


@pytest.mark.parametrize(
    ("rule_yaml", "expected"),
    [
        ("{name: a, kind: stage_change, channels: [local], stages: []}", "rules[0].stages: Tuple should have at least 1"),
        ("{name: a, kind: stage_change, channels: [local], stages: [opened]}", "rules[0].stages: unknown stage opened"),
        ("{name: a, kind: stage_change, channels: [local], max_age_days: -1}", "rules[0].max_age_days: Input should be"),
        ("{name: a, kind: lagging_signed, channels: [local], days: 0}", "rules[0].days: Input should be greater than"),
        ("{name: a, kind: lagging_signed, channels: [local], grace_days: 3}", "rules[0].grace_days: Extra inputs"),
        ("{name: a, kind: lagging_expected, channels: [local], grace_days: -1}", "rules[0].grace_days: Input should be"),
        ("{name: a, kind: lagging_expected, channels: [local], min_amount_yuan: 十亿多}",
         "rules[0].min_amount_yuan: cannot read '十亿多' as an amount"),
        ("{name: a, kind: source_health, channels: [local], silent_runs: 0}", "rules[0].silent_runs: Input should be"),
        ("{name: a, kind: source_health, channels: [local], cities: [江门]}", "rules[0].cities: Extra inputs"),
        ("{name: a, channels: [local]}", "rules[0].kind: expected one of new_project"),
        ("{name: a, kind: source_health, tags: [nobody]}", "rules[0].tags[0]: no channel has the tag 'nobody' (tags: ops)"),
    ],
)
def test_bad_new_kind_rules_name_the_key_path(tmp_path: Path, rule_yaml: str, expected: str) -> None:
    text = f'channels:\n  local: {{url: "file", tags: [ops]}}\nrules:\n  - {rule_yaml}\n'
    message = load_error(tmp_path, text)
    assert expected in message
    assert message.count(": ") >= 2 and "new_project." not in message and "stage_change." not in message


def test_every_rule_kind_with_its_defaults(tmp_path: Path) -> None:
    text = """
channels:
  local: file
  ops_hook: {url: "json://127.0.0.1:9/${HOOK_PATH}", tags: [ops, chat]}
rules:
  - {name: progress, kind: stage_change, channels: [local]}
  - {name: signed, kind: lagging_signed, channels: [local], cities: 江门}
  - {name: late, kind: lagging_expected, channels: [local], stages: in_production, urgent: true}
  - {name: health, kind: source_health, tags: [ops], channels: [local, ops_hook]}
"""
    config = load_alerts_config(write(tmp_path, text), {"HOOK_PATH": "ops"})
    progress, signed, late, health = config.rules
    assert isinstance(progress, StageChangeRule) and progress.stages == ("started", "in_production")
    assert (progress.min_amount_yuan, progress.max_age_days, progress.label) == (None, None, "项目进展")
    assert isinstance(signed, LaggingSignedRule) and (signed.days, signed.cities) == (180, ("江门",))
    assert isinstance(late, LaggingExpectedRule) and (late.grace_days, late.stages, late.urgent) == (
        30,
        ("in_production",),
        True,
    )
    assert isinstance(health, SourceHealthRule) and (health.silent_runs, health.failing_extractions) == (3, 1)
    assert config.channels["ops_hook"].tags == ("ops", "chat")
    assert config.channel_url("ops_hook") == "json://127.0.0.1:9/ops"
    # named channels first, then tagged ones, each once
    assert config.rule_channels(health) == ("local", "ops_hook")


def test_unset_env_var_in_a_tagged_channel_is_named(tmp_path: Path) -> None:
    text = 'channels:\n  ops: {url: "wecombot://${WECOM_KEY}", tags: [ops]}\nrules: []\n'
    assert "channels.ops.url: environment variable WECOM_KEY is not set" in load_error(tmp_path, text)
    text = 'channels:\n  ops: {url: "nonsense://abc", tags: [ops]}\nrules: []\n'
    assert "channels.ops.url: apprise cannot use nonsense://abc" in load_error(tmp_path, text)
    text = 'channels:\n  ops: {url: file, tags: ["a b"]}\nrules: []\n'
    assert "channels.ops.tags[0]: String should match pattern" in load_error(tmp_path, text)


# Token-shaped values for the examples commented in the shipped alerts.yaml (no real service is called).
EXAMPLE_ENV = {
    "INVESTWATCH_DINGTALK_TOKEN": "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "INVESTWATCH_DINGTALK_OPS_TOKEN": "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "INVESTWATCH_WECOM_KEY": "3f1d1a3e-6c2d-4e7a-9f3b-2b7c1d0e9a11",
    "INVESTWATCH_FEISHU_TOKEN": "3f1d1a3e-6c2d-4e7a-9f3b-2b7c1d0e9a11",
    "INVESTWATCH_SLACK_TOKEN_A": "T1JJ3T3L2",
    "INVESTWATCH_SLACK_TOKEN_B": "A1BRTD4JD",
    "INVESTWATCH_SLACK_TOKEN_C": "TIiajkdnlazkcOXrIdevi7FQ",
    "INVESTWATCH_TELEGRAM_BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "INVESTWATCH_TELEGRAM_CHAT_ID": "12345",
    "INVESTWATCH_SMTP_USER": "alerts",
    "INVESTWATCH_SMTP_PASSWORD": "pa55-word",
}


def test_commented_channel_examples_load(tmp_path: Path) -> None:
    """Each example in the shipped file, uncommented, is a channel apprise accepts (wecombot, not wecom)."""
    lines = (ROOT / "alerts.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("#   Examples:") + 1
    examples = []
    for line in lines[start:]:
        if not line.startswith("#     "):
            break
        examples.append("  " + line.removeprefix("#     "))
    assert len(examples) >= 8
    schemes = {e.split('"')[1].split("://")[0] for e in examples}
    assert {"dingtalk", "wecombot", "feishu", "slack", "tgram", "mailtos", "json"} <= schemes
    assert "wecom" not in schemes
    config = load_alerts_config(write(tmp_path, "channels:\n" + "\n".join(examples) + "\nrules: []\n"), EXAMPLE_ENV)
    assert len(config.channels) == len(examples)
    assert config.channels["ops_chat"].tags == ("ops",)
    # what identifies rather than authorises (Slack's bot id, a chat id, a login) may show; secrets may not
    secrets = [v for k, v in EXAMPLE_ENV.items() if k.endswith(("TOKEN", "KEY", "PASSWORD", "TOKEN_A", "TOKEN_C"))]
    for name in config.channels:
        shown = config.channel_display(name)
        assert not [v for v in secrets if v in shown], (name, shown)
