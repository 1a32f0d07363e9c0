"""One clear line per error a user can act on: what went wrong, where, and what to do.

`explain()` takes an exception (also a Twisted Failure) or a Stats error record
(`{"input", "step", "error": "TypeName: message"}`) and returns a single line;
`classify()` gives the kind alone, which the report counts by.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.crawllock import OutputBusy, busy_line

BAD_URL, UNREACHABLE, ROBOTS, UNREADABLE, DISK_FULL, PERMISSION, HTTP, OTHER = (
    "bad-url", "unreachable", "robots.txt", "unreadable-input", "disk-full", "permission", "http-status", "other")
USAGE, DAMAGED, PORT_IN_USE, BROKEN_PIPE = "usage", "damaged-dataset", "port-in-use", "broken-pipe"
ROBOTS_FETCH, BUSY, OVER_BUDGET = "robots.txt-unreadable", "output-busy", "over-budget"


class UsageError(Exception):
    """A bad argument or option, found before any work starts (exit 2)."""


class DamagedDataset(Exception):
    """A file already in the output dataset that cannot be read; `path` names it."""

    def __init__(self, path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason

INPUT_FORMATS = "raw .parquet, .html[.gz] folders, .warc[.gz], .jsonl, .txt"

# Ordered: the first kind whose pattern matches "TypeName: message" wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (DISK_FULL, re.compile(r"No space left on device|ENOSPC|Disk quota exceeded|\[Errno (28|122)\]", re.I)),
    (PERMISSION, re.compile(r"PermissionError|Permission denied|Operation not permitted|\[Errno (1|13)\]", re.I)),
    (OVER_BUDGET, re.compile(r"^BudgetExceeded: ")),
    (ROBOTS_FETCH, re.compile(r"robots\.txt fetch failed", re.I)),
    # a refusal ("Forbidden by robots.txt"), not any message naming a robots.txt URL (a timeout fetching it)
    (ROBOTS, re.compile(r"(?<!/)robots\.txt|robotstxt", re.I)),
    (BAD_URL, re.compile(r"Missing scheme|Unsupported URL scheme|invalid URL|not a valid URL|InvalidURL|"
                         r"URL has an invalid label|unknown url type", re.I)),
    (UNREACHABLE, re.compile(r"DNSLookupError|CannotResolveHostError|DNS lookup failed|Name or service not known|nodename nor servname|"
                             r"ConnectionRefused|Connection refused|ConnectError|TCPTimedOut|TimeoutError|timed out|\btimeout\b|"
                             r"No route to host|Network is unreachable|ConnectionLost|ConnectionDone|"
                             r"ResponseNeverReceived|ConnectionResetError|Connection reset", re.I)),
    (HTTP, re.compile(r"HttpError|non-200 response|HTTP status|\b[45]\d\d\b.*(response|status)", re.I)),
    (UNREADABLE, re.compile(r"FileNotFoundError|No such file|IsADirectoryError|NotADirectoryError|"
                            r"UnicodeDecodeError|BadGzipFile|Not a gzipped file|ArrowInvalid|ArrowIOError|"
                            r"JSONDecodeError|unsupported input|ArchiveLoadFailed|EOFError|zlib\.error", re.I)),
]

_ERRNO_KINDS = {errno.EADDRINUSE: PORT_IN_USE, errno.EPIPE: BROKEN_PIPE, errno.ENOSPC: DISK_FULL, errno.EDQUOT: DISK_FULL, errno.EACCES: PERMISSION, errno.EPERM: PERMISSION,
                errno.ENOENT: UNREADABLE, errno.EISDIR: UNREADABLE, errno.ENOTDIR: UNREADABLE,
                errno.ECONNREFUSED: UNREACHABLE, errno.EHOSTUNREACH: UNREACHABLE, errno.ENETUNREACH: UNREACHABLE,
                errno.ETIMEDOUT: UNREACHABLE}


@dataclass(frozen=True, slots=True)
class Problem:
    """What we know about one failure, whatever shape it arrived in."""

    kind: str
    message: str  # "TypeName: message"
    subject: str | None  # the URL or path concerned
    step: str | None = None


def _unwrap(problem: object) -> object:
    """A Twisted Failure carries the exception in `.value`."""
    value = getattr(problem, "value", None)
    return value if isinstance(value, BaseException) else problem


def _subject_of(exc: BaseException) -> str | None:
    for attr in ("filename", "url"):
        if isinstance(getattr(exc, attr, None), str | bytes):
            value = getattr(exc, attr)
            return value.decode() if isinstance(value, bytes) else value
    request = getattr(exc, "request", None) or getattr(getattr(exc, "response", None), "request", None)
    url = getattr(request, "url", None)
    return url if isinstance(url, str) else None


def _kind_of(message: str, exc: BaseException | None = None) -> str:
    if isinstance(exc, UsageError):
        return USAGE
    if isinstance(exc, DamagedDataset):
        return DAMAGED
    if isinstance(exc, OutputBusy):
        return BUSY
    if isinstance(exc, OSError) and exc.errno in _ERRNO_KINDS:
        return _ERRNO_KINDS[exc.errno]
    if isinstance(exc, PermissionError):
        return PERMISSION
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, UnicodeDecodeError)):
        return UNREADABLE
    for kind, pattern in _PATTERNS:
        if pattern.search(message):
            return kind
    return OTHER


def diagnose(problem: object, subject: str | None = None) -> Problem:
    """Normalise an exception, Failure, Stats error dict or plain message into a Problem."""
    problem = _unwrap(problem)
    if isinstance(problem, dict):
        message = str(problem.get("error") or problem.get("message") or "")
        kind = _kind_of(message)
        if kind == OTHER and problem.get("step") == "read":  # the reader's own words: "empty file", ...
            kind = UNREADABLE
        return Problem(kind, message, subject or problem.get("input") or problem.get("url"), problem.get("step"))
    if isinstance(problem, BaseException):
        text = str(problem) or (problem.args[0] if problem.args else "")
        message = f"{type(problem).__name__}: {text}".rstrip(": ")
        found = problem.path if isinstance(problem, DamagedDataset | OutputBusy) else _subject_of(problem)
        return Problem(_kind_of(message, problem), message, subject or found)
    message = str(problem)
    return Problem(_kind_of(message), message, subject)


def classify(problem: object) -> str:
    return diagnose(problem).kind


def _host(subject: str | None) -> str:
    host = urlsplit(subject or "").hostname if subject and "://" in subject else None
    return host or subject or "the host"


def _reason(message: str) -> str:
    """The human part of "TypeName: [Errno n] message: 'path'"."""
    text = message.split(": ", 1)[1] if re.match(r"^[\w.]+: ", message) else message
    text = re.sub(r"^\[Errno \d+\]\s*", "", text)
    return re.sub(r":\s*'[^']*'$", "", text).strip() or message


def explain(problem: object, subject: str | None = None) -> str:
    """One line: what failed, where, and what the user can do about it."""
    p = diagnose(problem, subject)
    where = p.subject or "(unknown input)"
    if p.kind == USAGE:
        return p.message.removeprefix(f"{UsageError.__name__}: ")
    if p.kind == DAMAGED:
        reason = getattr(_unwrap(problem), "reason", _reason(p.message))
        return (f"damaged Parquet file in the output: {where} ({reason}) — move it out of the dataset "
                "(e.g. mkdir -p OUT/.quarantine && mv FILE OUT/.quarantine/), then rerun; no file was changed")
    if p.kind == BUSY:
        return busy_line(where, getattr(_unwrap(problem), "holder", ""))
    if p.kind == PORT_IN_USE:
        return f"port already in use: {where} — pick another with --port, or --port 0 for a free one"
    if p.kind == BROKEN_PIPE:
        return "output closed early (broken pipe): the rest of the summary was not printed; files written are complete"
    if p.kind == BAD_URL:
        return (f"not a usable URL: {where} — give a full http:// or https:// address, "
                "e.g. https://example.org/press/")
    if p.kind == UNREACHABLE:
        return (f"cannot reach {_host(p.subject)} ({_reason(p.message)}) — check the address and your network, "
                "then rerun with --resume to continue where it stopped")
    if p.kind == OVER_BUDGET:
        return (f"page over its time budget: {where}: {_reason(p.message)} — left out of the run; raise "
                "page_budget_s in the [clean] table of --config to give slow pages more time")
    if p.kind == ROBOTS_FETCH:
        reason = p.message.split("(", 1)[1].rstrip(")") if "(" in p.message else p.message
        return (f"could not fetch robots.txt of {_host(p.subject)} ({_reason(reason)}) — nothing was refused by it; "
                "check the address and your network, then rerun with --resume")
    if p.kind == ROBOTS:
        return (f"{where} is disallowed by the site's robots.txt, so pressroom skipped it — "
                "crawl the allowed paths, or ask the site owner for permission")
    if p.kind == DISK_FULL:
        return (f"disk full while writing {where} — free some space or pass --out on another disk, then rerun "
                "(files already written are complete)")
    if p.kind == PERMISSION:
        return f"permission denied: {where} — check its permissions, or pass --out to a folder you can write to"
    if p.kind == UNREADABLE:
        return (f"cannot read input {where}: {_reason(p.message)} — check the path and that it is one of: "
                f"{INPUT_FORMATS}; the other inputs were processed")
    if p.kind == HTTP:
        return f"the server refused {where} ({_reason(p.message)}) — check the URL in a browser; other pages went on"
    step = f"{p.step}: " if p.step else ""
    return f"error: {where}: {step}{p.message} — rerun with --verbose for the traceback (kept in reports/clean-stats.json)"
