"""Flows: the CLI and the Prefect pipeline that wire spiders, parsers, storage and alerts together."""
