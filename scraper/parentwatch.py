"""Close the crawl when the process that started it is gone (PRESSROOM_PARENT_PID).

`pressroom crawl` runs Scrapy in a child process. On Linux the child is also sent SIGTERM when
its parent dies (prctl, set by the launcher); this extension is the portable half: every
PRESSROOM_PARENT_CHECK_S seconds it compares the parent's pid with the one it was given and,
when they differ (the parent died, the child was re-parented), closes the spider cleanly with
the reason `parent_gone`. Off (NotConfigured) without PRESSROOM_PARENT_PID, as in `scrapy crawl`.
"""

from __future__ import annotations

import logging
import os

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

logger = logging.getLogger(__name__)


class ParentWatch:
    def __init__(self, crawler, parent_pid: int, interval: float):
        self.crawler, self.parent_pid, self.interval = crawler, parent_pid, interval
        self.closing = False
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pid = crawler.settings.getint("PRESSROOM_PARENT_PID")
        if not pid:
            raise NotConfigured
        ext = cls(crawler, pid, crawler.settings.getfloat("PRESSROOM_PARENT_CHECK_S", 1.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        self._loop = task.LoopingCall(self.check)
        self._loop.start(self.interval, now=True)

    def parent_gone(self) -> bool:
        return os.getppid() != self.parent_pid

    def check(self) -> None:
        if self.closing or not self.parent_gone():
            return
        self.closing = True
        logger.warning("the process that started this crawl (pid %s) is gone: closing the crawl", self.parent_pid)
        self.crawler.stats.set_value("pressroom/parent_gone", 1)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="parent_gone"))

    def spider_closed(self, spider=None):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
