"""`pressroom --print-completion SHELL`: shtab's script for this parser, exercised in a real bash."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.scraper.conftest import REPO, env

pytestmark = pytest.mark.timeout(60)


def _script(shell: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressroom", "--print-completion", shell], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=30)


def _complete(script: str, *words: str) -> list[str]:
    """What bash offers after `pressroom WORDS...` (the last word is the one being completed)."""
    quoted = " ".join(f"'{w}'" for w in ("pressroom", *words))
    program = f'{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words)}; _shtab_pressroom; printf "%s\\n" "${{COMPREPLY[@]}}"'
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return sorted(filter(None, proc.stdout.splitlines()))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_subcommands_options_and_choices():
    proc = _script("bash")
    assert proc.returncode == 0, proc.stderr
    script = proc.stdout
    assert _complete(script, "ex") == ["export"]
    assert _complete(script, "export", "--fo") == ["--format"]
    assert _complete(script, "export", "--format", "") == ["csv", "jsonl"]
    assert _complete(script, "export", "--table", "") == ["articles", "boilerplate", "quotes"]
    assert "--config" in _complete(script, "clean", "--c")


@pytest.mark.parametrize("shell", ["zsh", "tcsh"])
def test_other_shells_get_a_script_naming_every_subcommand(shell):
    proc = _script(shell)
    assert proc.returncode == 0, proc.stderr
    for command in ("crawl", "clean", "run", "export", "report", "dedup", "boilerplate"):
        assert command in proc.stdout


def test_an_unknown_shell_is_a_usage_error():
    proc = _script("fish")
    assert proc.returncode == 2 and "fish" in proc.stderr and "Traceback" not in proc.stderr


def test_every_argument_of_every_subcommand_has_help_text():
    import argparse

    from pressroom.cli import build_parser

    missing = []

    def walk(parser, name):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    walk(sub, sub_name)
            elif not action.help:
                missing.append(f"{name} {action.dest}")

    walk(build_parser(), "pressroom")
    assert missing == []
