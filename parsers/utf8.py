"""Decode a config or text file's bytes as UTF-8, failing with one line naming the file and the byte offset."""

from __future__ import annotations


class NotUtf8(ValueError):
    """The bytes are not UTF-8; the message names the file, the offending byte and its offset."""


def decode_utf8(data: bytes, name: str) -> str:
    """The text of ``data`` (a UTF-8 BOM is dropped), or NotUtf8 naming where it goes wrong.

    >>> decode_utf8("招商".encode(), "a.yaml")
    '招商'
    >>> decode_utf8("sources:\\n  - 江门".encode("gbk"), "sources.yaml")
    Traceback (most recent call last):
    ...
    parsers.utf8.NotUtf8: sources.yaml: not UTF-8 text (byte 0xbd at offset 13); save the file as UTF-8
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                      "save the file as UTF-8") from None
