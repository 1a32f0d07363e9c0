"""Several crawler processes (on one or many machines) sharing one frontier in Redis, via scrapy-redis.

`pressroom crawl … --redis redis://host:6379/0` switches the scheduler and the dupefilter to
the classes below (settings from `redis_frontier`, the one place they are made). Without it
the single-process default of scraper.frontier is unchanged.

What we take from scrapy-redis 0.9.1 (works on Scrapy 2.19; see `RELIED_ON`): its Redis
connection from settings (`REDIS_URL`), its `PriorityQueue` (a sorted set of pickled
`Request.to_dict()`), and its `RFPDupeFilter` (a Redis set of fingerprints). What we add:

* **Leases** (a reliable queue). scrapy-redis pops a request and forgets it, so a process
  killed with requests in flight — or with fetched pages still in its raw-store buffer —
  loses them: their fingerprints are in the dupefilter and nobody fetches them again.
  Here a Lua script pops a request *and* records it in the process's lease hash in one
  step; the lease moves to an "unflushed" hash when Scrapy has finished the request
  (callback, items and follow-up requests done) and is dropped once the raw store has
  written a batch after that. Each process refreshes a heartbeat key; a process that
  finds a dead one's heartbeat expired pushes its leases back onto the queue (also one
  Lua script, so two survivors never both take them). A process with an empty queue
  stays open while another process still holds leases, so a survivor finishes a killed
  process's share. Killed between writing a batch file and dropping its leases (a
  microsecond window) a page can be stored twice; cleaning folds that by doc_id.
* **One dupefilter per crawl run** instead of one forever. scrapy-redis keeps every
  fingerprint with `SCHEDULER_PERSIST`, so a re-crawl would filter the feeds, sitemaps
  and listings it must re-visit (hence the usual advice: `dont_filter=True` on them,
  which would make every process re-walk every listing). Here the first process of a run
  (nothing queued, leased or alive) starts a new generation with a fresh dupefilter;
  processes joining a running crawl (or restarting after a kill) share it. A re-crawl
  then behaves like a local one: feeds and listings re-visited, stored releases asked
  for with If-None-Match / If-Modified-Since, each page fetched once per run.
* The project's canonical request fingerprints (scraper.urls), not scrapy-redis's own.
* Feed / sitemap hints (`spider.hints`: title, dates, summary of a page, known before it is
  fetched) are shared in `P:hints:<run>` (the richest wins) and read back when a response
  arrives (before its callback), so the process that fetches a page stores the feed columns
  of any feed read so far by any process (a single process has the same race with its own
  feed responses; priorities put feeds first).

Limits: politeness is per process (N processes send up to N x CONCURRENT_REQUESTS_PER_DOMAIN
to one host; Crawl-delay and AutoThrottle are not shared). A process whose reactor stalls
longer than PRESSROOM_REDIS_LEASE_TTL (30 s) is taken for dead: its leases are fetched again
elsewhere (it re-registers at its next beat). A crawl stopped by CLOSESPIDER_* limits leaves
its queue in Redis; the next start joins it.

Keys (`PRESSROOM_REDIS_PREFIX`, default "pressroom", then the spider name):
`P:requests` queue, `P:dupefilter:<run>`, `P:hints:<run>`, `P:run`, `P:workers`, `P:alive:<w>`,
`P:leases:<w>`, `P:unflushed:<w>`, `P:lease-seq`. Plain Redis (not Redis Cluster).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import socket
import uuid

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from scrapy import signals
from scrapy.utils.misc import load_object
from twisted.internet import task

from cleaning.core.urls import url_key

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "pressroom"
DEFAULT_LEASE_TTL = 30.0  # seconds without a heartbeat before a process counts as dead
STORE_BATCHES_STAT = "pressroom/store/batches"  # raised by RawStorePipeline after each batch file
RELIED_ON = (  # checked on scrapy-redis 0.9.1 + Scrapy 2.19; the tests would fail if one moved
    "scrapy_redis.scheduler.Scheduler.from_crawler/from_settings: Redis client from REDIS_URL / REDIS_PARAMS "
    "(its open(), enqueue/next and stats calls are replaced: they use the deprecated Spider.log and stats spider=)",
    "scrapy_redis.queue.PriorityQueue: sorted set, member = pickled Request.to_dict(), score = -priority; "
    "push(), __len__ and _decode_request() (the pop is our Lua script)",
    "scrapy_redis.dupefilter.RFPDupeFilter: SADD of a fingerprint string, 0 when already seen",
    "scrapy.core.engine internals: ExecutionEngine._slot.inprogress holds the requests taken from the "
    "scheduler until their callback, items and follow-ups are done (without it, leases are kept until close)",
    "scraper.pipelines.RawStorePipeline raising the pressroom/store/batches stat after each batch file",
)


def redis_frontier(url: str, prefix: str | None = None) -> dict:
    """Scrapy settings for a crawl sharing its frontier through the Redis server at `url`."""
    settings = {
        "SCHEDULER": "scraper.distributed.LeasingScheduler",
        "DUPEFILTER_CLASS": "scraper.distributed.RunDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_PERSIST": True,  # never flush the shared queue when one process closes
        "REDIS_URL": url,
        "PRESSROOM_CRAWL_LOCK": "shared",  # scraper.crawllock: processes of one crawl may share a folder
    }
    if prefix:
        settings["PRESSROOM_REDIS_PREFIX"] = prefix
    return settings


class RunDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis set of fingerprints, with the project's fingerprints and one key per crawl run."""

    def __init__(self, server, key, debug=False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request) -> str:
        if self.fingerprinter is None:
            return super().request_fingerprint(request)
        return self.fingerprinter.fingerprint(request).hex()


# Pop the best request and lease it to this process, atomically.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local token = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], token, top[2] .. '|' .. top[1])
return {tostring(token), top[1]}
"""

# Move finished requests from the lease hash to the unflushed hash.
_FINISH = """
for i, token in ipairs(ARGV) do
  local v = redis.call('HGET', KEYS[1], token)
  if v then
    redis.call('HSET', KEYS[2], token, v)
    redis.call('HDEL', KEYS[1], token)
  end
end
return 0
"""

# Give a dead process's leases back to the queue (nothing if its heartbeat is back).
_RECLAIM = """
if redis.call('EXISTS', KEYS[5]) == 1 then return -1 end
local n = 0
for _, key in ipairs({KEYS[2], KEYS[3]}) do
  for _, v in ipairs(redis.call('HVALS', key)) do
    local i = string.find(v, '|', 1, true)
    redis.call('ZADD', KEYS[1], tonumber(string.sub(v, 1, i - 1)), string.sub(v, i + 1))
    n = n + 1
  end
  redis.call('DEL', key)
end
redis.call('SREM', KEYS[4], ARGV[1])
return n
"""

# Keep the richest hint per page (a feed entry says more than a sitemap line).
_SET_HINT = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local i = string.find(old, '|', 1, true)
  if tonumber(string.sub(old, 1, i - 1)) > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
return 1
"""

# Join the running crawl, or start a new run when nothing is queued, leased or alive.
_JOIN = """
local busy = redis.call('ZCARD', KEYS[2]) > 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[3] .. 'alive:' .. w) == 1
     or redis.call('HLEN', ARGV[3] .. 'leases:' .. w) > 0
     or redis.call('HLEN', ARGV[3] .. 'unflushed:' .. w) > 0 then
    busy = true
  else
    redis.call('SREM', KEYS[1], w)
  end
end
local run = tonumber(redis.call('GET', KEYS[3]) or '0')
local fresh = 0
if run == 0 or not busy then
  run = redis.call('INCR', KEYS[3])
  fresh = 1
end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', ARGV[3] .. 'alive:' .. ARGV[1], '1', 'PX', ARGV[2])
return {run, fresh}
"""


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler with leases (nothing lost to a killed process) and a dupefilter per run."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.crawler = crawler
        scheduler.lease_ttl = settings.getfloat("PRESSROOM_REDIS_LEASE_TTL", DEFAULT_LEASE_TTL)
        scheduler.prefix = settings.get("PRESSROOM_REDIS_PREFIX") or DEFAULT_PREFIX
        return scheduler

    # ---------------------------------------------------------------- open / close

    def open(self, spider):
        self.spider = spider
        self.base = f"{self.prefix}:{spider.name}:"
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.leases_key, self.unflushed_key = self.key("leases", self.worker), self.key("unflushed", self.worker)
        self.active: dict[str, object] = {}  # token -> Request popped by this process, not finished
        self.finished_at_batch: dict[str, int] = {}  # token -> raw batches written when it was seen finished
        self._pop, self._finish, self._reclaim = (self.server.register_script(s) for s in (_POP, _FINISH, _RECLAIM))
        run, fresh = self.server.register_script(_JOIN)(
            keys=[self.key("workers"), self.key("requests"), self.key("run")],
            args=[self.worker, int(self.lease_ttl * 1000), self.base])
        self.run = int(run)
        if fresh and self.run > 1:
            self.server.delete(self.key("dupefilter", str(self.run - 1)), self.key("hints", str(self.run - 1)))
        self.hints_key = self.key("hints", str(self.run))
        self._shared_hints: dict[str, object] = {}
        self._set_hint = self.server.register_script(_SET_HINT)
        self.crawler.signals.connect(self.take_hint, signal=signals.response_received)
        self.queue_key = self.key("requests")
        # scrapy-redis's open() would also build a throwaway dupefilter and call the deprecated Spider.log()
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=self.queue_key,
                                                 serializer=self.serializer)
        self.df = RunDupeFilter(self.server, self.key("dupefilter", str(self.run)),
                                debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
                                fingerprinter=self.crawler.request_fingerprinter)
        self._set_stat("run", self.run)
        self._set_stat("joined_running_crawl", 0 if fresh else 1)
        self._heartbeat = task.LoopingCall(self.heartbeat)
        self.beat_seconds = min(1.0, max(0.2, self.lease_ttl / 4))
        self._heartbeat.start(self.beat_seconds, now=False)
        logger.info("redis frontier %s run %s as %s (%s, %s requests queued)", self.base, self.run, self.worker,
                    "new run" if fresh else "joined", len(self.queue))

    def close(self, reason):
        """Pipelines closed (last batch written) before the scheduler: every lease is done."""
        if self._heartbeat.running:
            self._heartbeat.stop()
        pipe = self.server.pipeline()
        pipe.delete(self.leases_key, self.unflushed_key, self.key("alive", self.worker))
        pipe.srem(self.key("workers"), self.worker)
        pipe.execute()

    def key(self, *parts: str) -> str:
        return self.base + ":".join(parts)

    # ---------------------------------------------------------------- queue

    def enqueue_request(self, request):
        self.share_hint(request)  # also for a request the dupefilter drops: another process may fetch it
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self._inc_stat("enqueued")
        return True

    def next_request(self):
        self.reclaim_dead()
        popped = self._pop(keys=[self.queue_key, self.leases_key, self.key("lease-seq")])
        if not popped:
            return None
        token, data = popped[0].decode(), popped[1]
        request = self.queue._decode_request(data)
        self.active[token] = request
        self._inc_stat("dequeued")
        return request

    def has_pending_requests(self) -> bool:
        """Queued requests, or another process's leases: wait for them (they come back if it dies).

        Another process's finished-but-unflushed pages are waited for only when its heartbeat
        has gone quiet (it may have died): two idle live processes never wait on each other.
        """
        if len(self.queue) > 0:
            return True
        self.reclaim_dead()
        quiet_ms = self.lease_ttl * 1000 - 3 * self.beat_seconds * 1000
        for worker in self._others():
            if self.server.hlen(self.key("leases", worker)):
                return True
            if self.server.hlen(self.key("unflushed", worker)) and \
                    self.server.pttl(self.key("alive", worker)) < quiet_ms:  # -2 when gone
                return True
        return False

    # ---------------------------------------------------------------- feed / sitemap hints

    def share_hint(self, request) -> None:
        """Publish what this process's feeds and sitemaps said about the page (the richest hint wins)."""
        hints = getattr(self.spider, "hints", None)
        key = url_key(request.url)
        hint = hints.get(key) if isinstance(hints, dict) else None
        if hint is None or self._shared_hints.get(key) is hint:
            return
        richness = sum(1 for f in dataclasses.fields(hint) if getattr(hint, f.name))
        self._set_hint(keys=[self.hints_key], args=[key, richness, pickle.dumps(hint)])
        self._shared_hints[key] = hint

    def take_hint(self, response, request, spider=None) -> None:
        """Before the callback (response_received): the shared hint, as if this process had read every feed."""
        hints = getattr(self.spider, "hints", None)
        if not isinstance(hints, dict):
            return
        for url in {*(request.meta.get("redirect_urls") or [])[:1], request.url}:
            key = url_key(url)
            value = self.server.hget(self.hints_key, key)
            if value:
                hints[key] = pickle.loads(value.split(b"|", 1)[1])  # noqa: S301 - our own Redis, like the queue

    # ---------------------------------------------------------------- leases

    def heartbeat(self) -> None:
        """Keep this process alive in Redis, and drop the leases the raw store has made durable."""
        try:
            pipe = self.server.pipeline()
            pipe.set(self.key("alive", self.worker), 1, px=int(self.lease_ttl * 1000))
            pipe.sadd(self.key("workers"), self.worker)  # back in the set if a stall made others drop us
            pipe.execute()
            self.settle_leases()
            if not self.active:
                self.wake_engine()
        except Exception:  # noqa: BLE001 - a Redis hiccup must not stop the crawl; next beat retries
            logger.exception("redis frontier heartbeat failed")

    def wake_engine(self) -> None:
        """Nothing in flight here: let the engine look again now (new work, reclaimed leases, or done)."""
        _wake(self.crawler)

    def settle_leases(self) -> None:
        in_progress = _in_progress(self.crawler)
        if in_progress is None:
            return  # unknown Scrapy internals: keep every lease until close (safe, heavier)
        batches = self.crawler.stats.get_value(STORE_BATCHES_STAT, 0)
        finished = [t for t, request in self.active.items() if request not in in_progress]
        if finished:
            self._finish(keys=[self.leases_key, self.unflushed_key], args=finished)
            for token in finished:
                del self.active[token]
                self.finished_at_batch[token] = batches
        durable = [t for t, seen_at in self.finished_at_batch.items() if seen_at < batches]
        if durable:
            self.server.hdel(self.unflushed_key, *durable)
            for token in durable:
                del self.finished_at_batch[token]

    def reclaim_dead(self) -> int:
        """Push the leases of processes whose heartbeat expired back onto the queue."""
        moved = 0
        for worker in self._others():
            if self.server.exists(self.key("alive", worker)):
                continue
            n = self._reclaim(keys=[self.queue_key, self.key("leases", worker), self.key("unflushed", worker),
                                    self.key("workers"), self.key("alive", worker)], args=[worker])
            if n > 0:
                logger.warning("redis frontier: %s requests of dead process %s back in the queue", n, worker)
                self._inc_stat("reclaimed", n)
                moved += n
        return moved

    def _others(self) -> list[str]:
        return [w.decode() for w in self.server.smembers(self.key("workers")) if w.decode() != self.worker]

    def _inc_stat(self, name: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"pressroom/redis/{name}", n)

    def _set_stat(self, name: str, value) -> None:
        self.crawler.stats.set_value(f"pressroom/redis/{name}", value)


def _wake(crawler) -> None:
    """Ask the engine for the next request now, not at its 5-second heartbeat (Scrapy internals)."""
    nextcall = getattr(getattr(getattr(crawler, "engine", None), "_slot", None), "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()


def _in_progress(crawler):
    """The engine's set of requests taken from the scheduler and not finished (Scrapy internals)."""
    slot = getattr(getattr(crawler, "engine", None), "_slot", None)
    return getattr(slot, "inprogress", None)
