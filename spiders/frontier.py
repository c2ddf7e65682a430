"""A crawl frontier shared in Redis by several crawler processes (scrapy-redis scheduler, run-aware dupefilter).

Enabled by ``REDIS_URL`` in the crawl settings (see ``spiders.run.redis_settings``). Keys, all under
one prefix per set of sources (``INVESTWATCH_REDIS_PREFIX``):

* ``P:requests``   the shared priority queue (scrapy-redis, persisted: an interrupted run resumes)
* ``P:dupefilter`` hash request fingerprint -> run generation that requested it (persisted)
* ``P:run``        the current run generation; ``P:run:<gen>:workers`` its live workers

Why a *run generation* rather than scrapy-redis's plain fingerprint set: list pages, feeds and
sitemaps must be fetched again on every run, an article that changed (newer lastmod) must be
fetched again, and an article whose fetch failed or was lost with a killed process must be
retried — yet within one run no URL may be fetched twice by any process. Processes that overlap
in time join one generation (the first to start creates it, the last to leave ends it; a crashed
worker stops heart-beating and drops out after ``INVESTWATCH_REDIS_LEASE`` seconds). A request is
a duplicate when its fingerprint was already claimed *in this generation*; claims from older
generations are overwritten. Which known articles to skip across runs is decided by the spider
from ``known`` (the store), so an article is re-requested in a later run only when it is not
stored or has changed. The hash keeps one small entry per URL ever requested.

A worker whose own work is done stays open while the shared queue holds requests or another live
worker is still busy (it may yet push requests), for at most ``INVESTWATCH_REDIS_MAX_IDLE`` s;
``CLOSESPIDER_TIMEOUT`` bounds the whole run.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.utils.python import to_unicode
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task
from w3lib.url import canonicalize_url

# Claim a fingerprint for this generation; 1 = already claimed in it (a duplicate).
_CLAIM = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old == ARGV[2] then return 1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 0
"""

# Join the current generation if one of its workers is alive, else start generation ARGV[4].
_JOIN = """
local gen = redis.call('GET', KEYS[1])
if gen then
  local w = redis.call('HGETALL', KEYS[1] .. ':' .. gen .. ':workers')
  for i = 2, #w, 2 do
    local ts = tonumber(string.match(w[i], '^[^|]+'))
    if ts and ts >= tonumber(ARGV[1]) then
      redis.call('HSET', KEYS[1] .. ':' .. gen .. ':workers', ARGV[3], ARGV[2] .. '|1')
      return gen
    end
  end
end
redis.call('SET', KEYS[1], ARGV[4])
redis.call('HSET', KEYS[1] .. ':' .. ARGV[4] .. ':workers', ARGV[3], ARGV[2] .. '|1')
redis.call('EXPIRE', KEYS[1] .. ':' .. ARGV[4] .. ':workers', 86400)
return ARGV[4]
"""

# Leave the generation; the last live worker ends it. Returns the number of live workers left.
_LEAVE = """
local wkey = KEYS[1] .. ':' .. ARGV[1] .. ':workers'
redis.call('HDEL', wkey, ARGV[2])
local w = redis.call('HGETALL', wkey)
local alive = 0
for i = 2, #w, 2 do
  local ts = tonumber(string.match(w[i], '^[^|]+'))
  if ts and ts >= tonumber(ARGV[3]) then alive = alive + 1 end
end
if alive == 0 then
  if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
  redis.call('DEL', wkey)
end
return alive
"""


def request_fingerprint(request: Request) -> str:
    """Method, canonical URL, body and the request's ``iw_scope`` (listings: the source name).

    The scope lets two sources sharing an entry URL each parse it once per run.

    >>> a = request_fingerprint(Request("http://h/a?b=1&a=2"))
    >>> a == request_fingerprint(Request("http://h/a?a=2&b=1")), a == request_fingerprint(
    ...     Request("http://h/a?a=2&b=1", meta={"iw_scope": "src"}))
    (True, False)
    """
    data = {
        "method": to_unicode(request.method),
        "url": canonicalize_url(request.url),
        "body": (request.body or b"").hex(),
        "scope": request.meta.get("iw_scope"),
    }
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()


class RunDupeFilter(RFPDupeFilter):
    """scrapy-redis dupefilter whose fingerprints are claimed per run generation (module docstring)."""

    generation: str = ""

    def request_fingerprint(self, request: Request) -> str:
        return request_fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        if not self.generation:
            raise RuntimeError("RunDupeFilter used before SharedScheduler joined a run")
        claim = self.server.register_script(_CLAIM)
        return bool(claim(keys=[self.key], args=[self.request_fingerprint(request), self.generation]))

    def close(self, reason: str = "") -> None:
        # persisted on purpose (scrapy-redis's default deletes the fingerprints)
        return None


class SharedScheduler(Scheduler):
    """scrapy-redis Scheduler that joins a run generation and waits for busy peers before closing."""

    def __init__(self, *args: Any, crawler: Crawler | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crawler = crawler
        self.worker = uuid.uuid4().hex
        self.generation = ""
        self.run_key = ""
        self.lease = 30.0
        self.max_idle = 60.0
        self.idle_since: float | None = None
        self._heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        inst = cls.from_settings(crawler.settings)
        inst.stats = crawler.stats
        inst.crawler = crawler
        prefix = crawler.settings.get("INVESTWATCH_REDIS_PREFIX") or "investwatch"
        inst.run_key = f"{prefix}:run"
        inst.lease = crawler.settings.getfloat("INVESTWATCH_REDIS_LEASE", 30.0)
        inst.max_idle = crawler.settings.getfloat("INVESTWATCH_REDIS_MAX_IDLE", 60.0)
        return inst

    def open(self, spider: Any) -> None:
        join = self.server.register_script(_JOIN)
        now = time.time()
        gen = join(keys=[self.run_key], args=[now - self.lease, now, self.worker, uuid.uuid4().hex[:16]])
        self.generation = gen.decode() if isinstance(gen, bytes) else str(gen)
        super().open(spider)
        if isinstance(self.df, RunDupeFilter):
            self.df.generation = self.generation
        spider.logger.info("shared frontier: run generation %s, worker %s", self.generation, self.worker)
        self._heartbeat = task.LoopingCall(self._beat)
        self._heartbeat.start(max(0.5, self.lease / 6), now=False)

    def close(self, reason: str) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        leave = self.server.register_script(_LEAVE)
        leave(keys=[self.run_key], args=[self.generation, self.worker, time.time() - self.lease])
        super().close(reason)

    # ------------------------------------------------------------ liveness

    def _busy(self) -> bool:
        # this process still downloading or parsing: it may push more requests
        engine = self.crawler.engine if self.crawler else None
        if engine is None:
            return False
        scraper_slot = getattr(engine.scraper, "slot", None)
        return bool(engine.downloader.active) or bool(scraper_slot and not scraper_slot.is_idle())

    def _beat(self, busy: bool | None = None) -> None:
        state = self._busy() if busy is None else busy
        wkey = f"{self.run_key}:{self.generation}:workers"
        self.server.hset(wkey, self.worker, f"{time.time()}|{int(state)}")

    def _peer_busy(self) -> bool:
        wkey = f"{self.run_key}:{self.generation}:workers"
        cutoff = time.time() - self.lease
        for member, value in self.server.hgetall(wkey).items():
            name = member.decode() if isinstance(member, bytes) else str(member)
            raw = value.decode() if isinstance(value, bytes) else str(value)
            ts, _, flag = raw.partition("|")
            if name != self.worker and float(ts) >= cutoff and flag == "1":
                return True
        return False

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            self.idle_since = None
        return request

    def has_pending_requests(self) -> bool:
        if len(self) > 0:
            self.idle_since = None
            return True
        # the queue is empty: report that we are idle, and keep polling while a peer may still
        # push requests (the engine polls the scheduler every heartbeat while this says True)
        self._beat(busy=self._busy())
        now = time.time()
        if self.idle_since is None:
            self.idle_since = now
        return now - self.idle_since < self.max_idle and self._peer_busy()
