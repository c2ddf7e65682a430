"""Mask the secrets of apprise URLs (tokens, passwords, secret query values) before they are logged or stored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote

# Written by hand because apprise's own `url(privacy=True)` only works for a URL a plugin accepts (it
# returns nothing for a broken URL, exactly when an error message must still be safe), rewrites the URL
# with every default parameter, and drops query arguments it does not know (json://...?-token=...).

MASK = "****"

# Query keys whose value is a credential (matched as a substring, case-insensitively).
_SECRET_KEY = re.compile(r"pass|pwd|secret|token|key|sign|auth|credential|session|webhook|code|access", re.I)
# A host that is not a DNS name or an IP is a vendor token (dingtalk://TOKEN, wecombot://KEY, tgram://BOT:TOKEN);
# single-label names of plain lowercase words (localhost, a compose service "mailhog") are kept.
_HOSTNAME = re.compile(r"[a-z][a-z\-]{0,15}|\[[0-9A-Fa-f:.]+\]|[^.\s]+(\.[^.\s]+)+")
# A path segment or query value that looks machine-generated: long, and not plain words or an email.
_TOKENISH = re.compile(r"[A-Za-z0-9_\-+=~.:]{16,}")
_URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]{1,19}://[^\s'\"<>()]+")


def _looks_like_token(value: str) -> bool:
    return bool(_TOKENISH.fullmatch(value)) and (any(c.isdigit() for c in value) or len(value) >= 32)


def _split(url: str) -> tuple[str, str, str, str, str] | None:
    """scheme, netloc, path, query, fragment — by hand: urlsplit raises on tgram://123:ABC (non-numeric port)."""
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?", url.strip(), re.S)
    if m is None:
        return None
    scheme, netloc, path, query, fragment = m.groups()
    return scheme, netloc, path, query or "", fragment or ""


def _redact_netloc(netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        # user:password -> keep the login name; a lone user part is a token (dingtalk://SECRET@TOKEN).
        userinfo = f"{user}:{MASK}" if colon else MASK
    host, colon, port = hostport.rpartition(":")
    if not colon or not port.isdigit():
        host, port = hostport, ""
    if host and not _HOSTNAME.fullmatch(host):
        host = MASK
    return f"{userinfo}{at}{host}{':' + port if port else ''}"


def _redact_query(query: str) -> str:
    parts = []
    for item in query.split("&"):
        key, eq, value = item.partition("=")
        if eq and value and (_SECRET_KEY.search(key) or _looks_like_token(unquote(value))):
            value = MASK
        parts.append(f"{key}{eq}{value}")
    return "&".join(parts)


def redact(url: str) -> str:
    """The URL with its credentials masked; anything that does not parse as a URL is masked whole.

    >>> redact("dingtalk://SECabc123@0123456789abcdef0123456789abcdef/")
    'dingtalk://****@****/'
    >>> redact("json://127.0.0.1:8080/path?token=abc123&format=text")
    'json://127.0.0.1:8080/path?token=****&format=text'
    >>> redact("mailto://alerts:pa55@smtp.example.com:587?to=analyst@example.org")
    'mailto://alerts:****@smtp.example.com:587?to=analyst@example.org'
    >>> redact("file")
    'file'
    >>> redact("not a url")
    '****'
    """
    if url == "file":  # the built-in local channel carries no secret
        return url
    parts = _split(url)
    if parts is None:
        return MASK
    scheme, netloc, path, query, fragment = parts
    segments = [MASK if _looks_like_token(unquote(s)) else s for s in path.split("/")]
    out = f"{scheme}://{_redact_netloc(netloc)}{'/'.join(segments)}"
    if query:
        out += "?" + _redact_query(query)
    if fragment:
        out += "#" + MASK
    return mask_secrets(out)  # a short ${VAR} value in the path has no token shape, but is known secret


def secret_parts(url: str) -> list[str]:
    """The substrings of `url` that `redact` masks (raw and percent-decoded), longest first.

    >>> secret_parts("file"), secret_parts("json://127.0.0.1:9/hook/abcDEF1234567890xyz")
    ([], ['abcDEF1234567890xyz'])
    """
    if url == "file":  # the built-in local channel carries no secret: "file" masked would hide every "files"
        return []
    parts = _split(url)
    if parts is None:
        return [url] if url else []
    _scheme, netloc, path, query, fragment = parts
    found: list[str] = []
    userinfo, at, hostport = netloc.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        found.append(password if colon else user)
    host, colon, port = hostport.rpartition(":")
    if not colon or not port.isdigit():
        host = hostport
    if host and not _HOSTNAME.fullmatch(host):
        found.append(host)
    found += [s for s in path.split("/") if _looks_like_token(unquote(s))]
    found += [
        v for k, v in parse_qsl(query, keep_blank_values=True) if v and (_SECRET_KEY.search(k) or _looks_like_token(v))
    ]
    if fragment:
        found.append(fragment)
    # Too-short fragments would mask unrelated words in messages; they are also not worth guessing.
    variants = {p for s in found for p in (s, unquote(s)) if len(p) >= 4}
    return sorted(variants, key=len, reverse=True)


# Values known to be secret in this process (every ${VAR} expanded into a channel URL, database and Redis
# passwords), masked by value wherever they appear, whatever their shape. Process-wide on purpose: a
# secret must be masked in every log line and stored error, not only where a caller remembered to.
_KNOWN_SECRETS: set[str] = set()
MIN_SECRET_CHARS = 4  # a shorter value would mask ordinary words; such values are masked only by URL shape


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember secret values (and their percent-encoded forms) for `mask_secrets`."""
    for value in values:
        if value and len(value) >= MIN_SECRET_CHARS:
            _KNOWN_SECRETS.update({value, quote(value, safe=""), unquote(value)})


def forget_secrets() -> None:
    """For tests: start from an empty registry."""
    _KNOWN_SECRETS.clear()


def mask_secrets(text: str) -> str:
    """`text` with every registered secret value replaced by ****, longest first.

    >>> register_secrets(["s3cr3t-14chars"]); mask_secrets("POST json://h/s3cr3t-14chars failed")
    'POST json://h/**** failed'
    >>> forget_secrets()
    """
    for secret in sorted((s for s in _KNOWN_SECRETS if len(s) >= MIN_SECRET_CHARS), key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_text(text: str, url: str | None = None) -> str:
    """`text` with every URL in it redacted, and every secret part of `url` masked wherever it appears.

    >>> redact_text("failed: HTTP 401 for https://oapi.dingtalk.com/robot/send?access_token=abcd1234")
    'failed: HTTP 401 for https://oapi.dingtalk.com/robot/send?access_token=****'
    >>> redact_text("bad token T0KEN-5ecret", "ntfy://user:T0KEN-5ecret@example.com/topic")
    'bad token ****'
    """
    out = mask_secrets(_URL_IN_TEXT.sub(lambda m: redact(m.group(0)), text))
    for secret in secret_parts(url) if url else []:
        out = out.replace(secret, MASK)
    return out
