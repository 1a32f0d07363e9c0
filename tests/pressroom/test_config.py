"""`--config FILE` ([clean] CleanOptions fields, [crawl] Scrapy settings) and `clean --profile NAME|FILE`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaning.core.options import CleanOptions
from pressroom.cli import build_parser, main
from pressroom.config import apply_config
from pressroom.exitcodes import EXIT_OK, EXIT_USAGE
from tests.scraper.conftest import REPO

pytestmark = pytest.mark.timeout(120)
FIXTURE = str(REPO / "tests" / "fixtures" / "html")


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _options_used(out: Path) -> dict:
    return json.loads((out / "reports" / "clean-stats.json").read_text())["settings"]["options"]


def test_clean_runs_with_the_config_files_options(tmp_path, capsys):
    config = _file(tmp_path / "pressroom.toml", "[clean]\nmin_doc_count = 5\nnear_dup_threshold = 1\n"
                                                "site = 'from-config.example'\n")
    out = tmp_path / "out"
    assert main(["clean", FIXTURE, "--out", str(out), "-q", "--config", str(config)]) == EXIT_OK
    used = _options_used(out)
    assert used["min_doc_count"] == 5 and used["near_dup_threshold"] == 1.0
    assert used["min_doc_share"] == CleanOptions().min_doc_share  # what the file does not say keeps its default
    assert used["site"] == "from-config.example"


def test_the_profile_beats_the_config_and_the_command_line_beats_both(tmp_path):
    config = _file(tmp_path / "c.toml", "[clean]\nmin_doc_count = 5\nrepeat_min_chars = 40\n")
    profile = _file(tmp_path / "site.toml", "name = 'my-ngo'\nallowed_domains = ['ngo.example']\n"
                                            "[clean]\nmin_doc_count = 2\n")
    args = build_parser().parse_args(["clean", FIXTURE, "--config", str(config), "--profile", str(profile),
                                      "--site", "cli.example"])
    apply_config(args)
    assert args.clean_options == CleanOptions(min_doc_count=2, repeat_min_chars=40, site="cli.example")


def test_a_bundled_profile_is_found_by_its_name(tmp_path):
    args = build_parser().parse_args(["clean", FIXTURE, "--profile", "example-ngo"])
    apply_config(args)
    assert args.profile == REPO / "cleaning" / "profiles" / "example.toml"
    assert args.clean_options == CleanOptions()  # the example profile has no [clean] table


def test_crawl_settings_from_the_config_reach_scrapy_and_dash_s_wins(tmp_path):
    from pressroom.crawl import crawl_settings

    config = _file(tmp_path / "c.toml", "[crawl]\nDOWNLOAD_TIMEOUT = 7\nRETRY_TIMES = 1\nCOOKIES_ENABLED = true\n"
                                        "PRESSROOM_MAX_DEPTH = 2\n")
    args = build_parser().parse_args(["crawl", "http://127.0.0.1:1/", "--config", str(config),
                                      "-s", "RETRY_TIMES=4"])
    apply_config(args)
    settings = crawl_settings(args, tmp_path / "stats.json")
    assert settings["DOWNLOAD_TIMEOUT"] == "7" and settings["PRESSROOM_MAX_DEPTH"] == "2"
    assert settings["COOKIES_ENABLED"] == "True"
    assert settings["RETRY_TIMES"] == "4"


@pytest.mark.parametrize("text, named", [
    ("[clean]\nmin_doc_cnt = 2\n", "'min_doc_cnt'"),
    ("[crawl]\nDOWNLOAD_TIMEOUTT = 2\n", "'DOWNLOAD_TIMEOUTT'"),
    ("[crawl]\ndownload_timeout = 2\n", "'download_timeout'"),
    ("[cleaning]\nmin_doc_count = 2\n", "'cleaning'"),
    ("[clean]\nmin_doc_count = 'three'\n", "min_doc_count = 'three'"),
    ("[clean]\nnear_dup_threshold = true\n", "near_dup_threshold = True"),
    ("[clean\n", "not valid TOML"),
])
def test_a_bad_config_is_a_usage_error_naming_the_key_before_any_work(tmp_path, capsys, text, named):
    config = _file(tmp_path / "c.toml", text)
    out = tmp_path / "out"
    assert main(["clean", FIXTURE, "--out", str(out), "--config", str(config)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert named in err and str(config) in err and "Traceback" not in err
    assert not (out / "articles").exists()


def test_an_unknown_key_in_a_profiles_clean_table_is_a_usage_error(tmp_path, capsys):
    profile = _file(tmp_path / "site.toml", "name = 'x'\n[clean]\nmin_docs = 2\n")
    assert main(["clean", FIXTURE, "--out", str(tmp_path / "out"), "--profile", str(profile)]) == EXIT_USAGE
    assert "'min_docs'" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--config", "no-such.toml"], ["--profile", "no-such-profile"]])
def test_a_missing_config_or_profile_is_a_usage_error(tmp_path, capsys, args):
    assert main(["clean", FIXTURE, "--out", str(tmp_path / "out"), *args]) == EXIT_USAGE
    assert "no-such" in capsys.readouterr().err


def test_crawl_takes_a_bundled_profile_by_name_too():
    from pressroom.crawl import spider_arguments

    args = build_parser().parse_args(["crawl", "--profile", "example-ngo"])
    apply_config(args)
    assert spider_arguments(args)["profile"] == str(REPO / "cleaning" / "profiles" / "example.toml")


def test_folder_globs_from_the_config_and_the_command_line_add_up(tmp_path):
    config = _file(tmp_path / "pressroom.toml", "[clean]\nexclude = ['*/tag/*']\n")
    args = build_parser().parse_args(["clean", FIXTURE, "--config", str(config), "--exclude", "*.txt",
                                      "--include", "news/*"])
    apply_config(args)
    assert args.clean_options.exclude == ("*/tag/*", "*.txt") and args.clean_options.include == ("news/*",)
    bad = _file(tmp_path / "bad.toml", "[clean]\nexclude = '*/tag/*'\n")
    with pytest.raises(Exception, match="array of strings"):
        apply_config(build_parser().parse_args(["clean", FIXTURE, "--config", str(bad)]))
