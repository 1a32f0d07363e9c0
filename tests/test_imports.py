"""The tree is the architecture: no import cycles, no upward imports, and a crawl does not load the cleaner."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cleaning", "scraper", "pressroom")
# Who may import whom: the CLI sits on top; the crawler and the cleaner never reach up.
MAY_NOT_IMPORT = {"cleaning": ("scraper", "pressroom"), "scraper": ("pressroom",)}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports, nested (late) imports included."""
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative order fixed by sorting)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_cleaning_and_scraper_have_no_import_cycle():
    graph = import_graph()
    inner = {m: deps for m, deps in graph.items() if m.split(".")[0] in ("cleaning", "scraper")}
    assert cycles(inner) == []


def test_no_upward_imports():
    upward = [f"{module} -> {dep}" for module, deps in sorted(import_graph().items()) for dep in sorted(deps)
              if dep.split(".")[0] in MAY_NOT_IMPORT.get(module.split(".")[0], ())]
    assert upward == []


def test_crawler_items_do_not_load_the_cleaning_pipeline():
    code = ("import sys, scraper.items, scraper.spiders.press; "
            "print(sorted(m for m in ('cleaning.pipeline', 'cleaning.quotes', 'langdetect', 'rensa', 'trafilatura') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_cleaning_public_api_loads_on_first_use():
    code = ("import sys, cleaning; assert 'cleaning.pipeline' not in sys.modules; "
            "from cleaning import clean_html, find_quotes; print(clean_html.__module__, find_quotes.__module__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["cleaning.pipeline", "cleaning.quotes.attribute"]
