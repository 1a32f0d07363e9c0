"""Item pipelines: one job each, enabled in settings.ITEM_PIPELINES, built by from_crawler."""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
from scrapy.exceptions import DropItem

from scraper.items import RawPage
from scraper.rawstore import RawStoreWriter
from cleaning.core.urls import url_key


class UniquePagePipeline:
    """One row per page per run, whatever redirects or URL variants led to it twice."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stored: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: RawPage):
        keys = {url_key(item.url), url_key(item.final_url or item.url)}
        if keys & self.stored:
            self.crawler.stats.inc_value("pressroom/skipped/duplicate_page")
            raise DropItem(f"already stored in this run: {item.final_url or item.url}", log_level="DEBUG")
        self.stored |= keys
        return item


class RawStorePipeline:
    """Writes RawPage items to OUT/raw/ in atomic Parquet batches (a crash loses at most one batch)."""

    def __init__(self, crawler, raw_dir: Path, batch_size: int):
        self.crawler = crawler
        self.writer = RawStoreWriter(raw_dir, batch_size)
        pa.array([None], pa.string())  # pyarrow imports pandas on its first conversion: pay it before the crawl

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, Path(settings.get("PRESSROOM_OUT", "data")) / "raw",
                   settings.getint("PRESSROOM_BATCH_SIZE", 100))

    def open_spider(self):
        logging.getLogger(__name__).info("raw pages go to %s", self.writer.raw_dir.resolve())

    def process_item(self, item: RawPage):
        stats = self.crawler.stats
        if self.writer.add(item.to_record()):
            stats.inc_value("pressroom/store/batches")
        stats.inc_value("pressroom/stored")
        if item.is_release:
            stats.inc_value("pressroom/releases_stored")
        return item

    def close_spider(self):
        spider = self.crawler.spider
        if hasattr(spider, "channel_of"):  # every channel that named a page is known now (scraper.discovery)
            try:
                self.crawler.stats.set_value("pressroom/store/relabelled", self.writer.relabel(spider.channel_of))
            except (OSError, pa.ArrowException) as exc:  # the rows are kept: with the channel known when fetched
                self.crawler.stats.set_value("pressroom/store/relabel_failed", f"{type(exc).__name__}: {exc}")
                logging.getLogger(__name__).warning("raw store: discovery channels not updated (%s)", exc)
        if self.writer.flush():
            self.crawler.stats.inc_value("pressroom/store/batches")
        self.crawler.stats.set_value("pressroom/store/dir", str(self.writer.raw_dir))
