"""Item pipeline writing each FetchedPage as one JSON line (flushed, so a killed crawl keeps its items)."""

from __future__ import annotations

import json
from typing import IO, Any, Self

from scrapy.crawler import Crawler

from spiders.items import FetchedPage


class JsonLinesWriter:
    """Writes items to the file named by the INVESTWATCH_ITEMS_PATH setting."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fh: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.get("INVESTWATCH_ITEMS_PATH"))

    def open_spider(self, spider: Any = None) -> None:
        self.fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close_spider

    def close_spider(self, spider: Any = None) -> None:
        if self.fh:
            self.fh.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FetchedPage) and self.fh:
            self.fh.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
            self.fh.flush()
        return item
