"""`--config FILE` (TOML) and `clean --profile NAME`: cleaning knobs and crawl settings kept in files.

A config file has two tables, both optional:

    [clean]                    # fields of cleaning.CleanOptions (cleaning/core/options.py)
    min_doc_count = 4
    near_dup_threshold = 0.85

    [crawl]                    # Scrapy settings (and the crawler's PRESSROOM_* ones), as with -s
    DOWNLOAD_TIMEOUT = 10
    CONCURRENT_REQUESTS_PER_DOMAIN = 1

A site profile (cleaning/profiles/, given by file or by its `name`) may hold a `[clean]` table too,
for knobs that suit one press room. What wins, last first: the command line (`--site`, `-s`),
the profile's [clean], the config file, CleanOptions' defaults. An unknown table or key, or a
value of the wrong type, is a usage error (exit 2) naming it, before any work starts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tomllib
from pathlib import Path

from pressroom.errors import UsageError

TABLES = ("clean", "crawl")
_TYPES = {"int": (int,), "float": (int, float), "str | None": (str,), "str": (str,), "bool": (bool,)}


def _read_toml(path: Path, what: str) -> dict:
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file — check the path") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path} is a folder — give a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{what} {path} is not valid TOML: {exc}") from None


def clean_fields(table: dict, where: str) -> dict:
    """The [clean] table checked against CleanOptions: {field: value}."""
    from cleaning.core.options import CleanOptions

    fields = {f.name: f for f in dataclasses.fields(CleanOptions)}
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [clean] must be a table of CleanOptions fields")
    checked = {}
    for key, value in table.items():
        if key not in fields:
            raise UsageError(f"{where}: unknown key {key!r} in [clean] — known: {', '.join(sorted(fields))}")
        if str(fields[key].type).startswith("tuple"):  # globs and other lists: TOML arrays of strings
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise UsageError(f"{where}: [clean] {key} = {value!r} should be an array of strings")
            checked[key] = tuple(value)
            continue
        kinds = _TYPES.get(str(fields[key].type), (object,))
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            raise UsageError(f"{where}: [clean] {key} = {value!r} should be {fields[key].type} "
                             f"(default {fields[key].default!r})")
        checked[key] = float(value) if kinds == _TYPES["float"] else value
    return checked


def known_crawl_settings() -> set[str]:
    from scrapy.settings import default_settings

    import scraper.settings

    return {n for n in (*dir(default_settings), *dir(scraper.settings)) if n.isupper() and not n.startswith("_")}


def _setting_text(value) -> str:
    """A TOML value as Scrapy reads it from `-s` (getbool, getlist and getdict parse these)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def crawl_fields(table: dict, where: str) -> list[tuple[str, str]]:
    """The [crawl] table checked against the known Scrapy and pressroom settings: (KEY, text) pairs."""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [crawl] must be a table of Scrapy settings, e.g. DOWNLOAD_TIMEOUT = 10")
    known = known_crawl_settings()
    for key in table:
        if key not in known:
            raise UsageError(f"{where}: unknown key {key!r} in [crawl] — not a Scrapy or pressroom setting "
                             "(names are upper case, e.g. DOWNLOAD_TIMEOUT)")
    return [(key, _setting_text(value)) for key, value in table.items()]


def load_config(path: Path) -> tuple[dict, list[tuple[str, str]]]:
    """A config file: ([clean] fields, [crawl] settings)."""
    data = _read_toml(path, "--config")
    where = f"--config {path}"
    for key in data:
        if key not in TABLES:
            raise UsageError(f"{where}: unknown key {key!r} — a config file has the tables [clean] and [crawl]")
    return clean_fields(data.get("clean", {}), where), crawl_fields(data.get("crawl", {}), where)


def profile_path(name: str | Path) -> Path:
    """A site profile: a TOML file, or the `name` (or file stem) of a profile bundled in cleaning/profiles/."""
    from cleaning.profiles import bundled_profiles

    path = Path(name)
    if path.is_file():
        return path
    for bundled in bundled_profiles():
        if bundled.stem == str(name) or _read_toml(bundled, "profile").get("name") == str(name):
            return bundled
    names = ", ".join(sorted(str(_read_toml(p, "profile").get("name", p.stem)) for p in bundled_profiles()))
    raise UsageError(f"--profile {name}: no such file and no bundled profile of that name (bundled: {names})")


def profile_clean_fields(path: Path) -> dict:
    """The [clean] table of a site profile, checked (the profile itself is checked by its loader)."""
    from cleaning.profiles import parse_profile

    data = _read_toml(path, "--profile")
    try:
        parse_profile(data, str(path))
    except ValueError as exc:
        raise UsageError(f"--profile {exc}") from None
    return clean_fields(data.get("clean", {}), f"--profile {path}")


def apply_config(args: argparse.Namespace) -> None:
    """Fold --config and --profile into args: `args.clean_options` (a CleanOptions) and `args.scrapy_settings`."""
    from cleaning.core.options import CleanOptions

    fields: dict = {}
    if getattr(args, "config", None):
        fields, crawl = load_config(args.config)
        if hasattr(args, "scrapy_settings"):
            args.scrapy_settings = [*crawl, *args.scrapy_settings]  # -s on the command line comes last: it wins
    if getattr(args, "profile", None):
        args.profile = profile_path(args.profile)
        fields.update(profile_clean_fields(args.profile))
    if getattr(args, "site", None):
        fields["site"] = args.site
    if getattr(args, "all_pages", False):  # clean --all-pages, or run --all-pages (the crawl stores them too)
        fields["all_pages"] = True
    for name in ("include", "exclude"):  # folder globs given on the command line add to the config's
        if getattr(args, name, None):
            fields[name] = (*fields.get(name, ()), *getattr(args, name))
    args.clean_options = CleanOptions(**fields)
