"""`--warc FILE`: every request and response the crawler makes, as WARC records (warcio writes them;
warcio and fastwarc read them back; `pressroom clean` accepts the file)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from http import HTTPStatus

# the body we record is already decoded; these headers would lie about it
DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def _headers(scrapy_headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in scrapy_headers.items() for v in values]


class WarcExtension:
    """Writes a request and a response record for each response received (enabled by PRESSROOM_WARC_FILE)."""

    def __init__(self, crawler, path: Path):
        self.crawler = crawler
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("ab")
        self.writer = WARCWriter(self.file, gzip=path.name.endswith(".gz"))

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("PRESSROOM_WARC_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, Path(path))
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response, request, spider=None):
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc)] + _headers(request.headers)
        req_record = self.writer.create_warc_record(
            request.url, "request", payload=BytesIO(request.body or b""),
            http_headers=StatusAndHeaders(f"{request.method} {target} HTTP/1.1", request_headers,
                                          is_http_request=True))
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "Unknown"
        body = response.body or b""
        headers = [(k, v) for k, v in _headers(response.headers) if k.lower() not in DROP_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        resp_record = self.writer.create_warc_record(
            response.url, "response", payload=BytesIO(body),
            http_headers=StatusAndHeaders(f"{response.status} {reason}", headers, protocol="HTTP/1.1"))
        req_record.rec_headers.add_header("WARC-Concurrent-To", resp_record.rec_headers.get_header("WARC-Record-ID"))
        self.writer.write_record(resp_record)
        self.writer.write_record(req_record)
        self.crawler.stats.inc_value("pressroom/warc/records", 2)

    def spider_closed(self, spider=None):
        self.file.close()
