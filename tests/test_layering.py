"""The layers, checked by walking imports: pressroom/ (CLI) -> scraper/, cleaning/; never upwards.

Every `import` and `from ... import` is read from the source (ast), those inside functions too,
so a lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("pressroom", "scraper", "cleaning")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Absolute names of every module `path` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
    return names


def sources(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def import_graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (only names that are modules of the tree)."""
    files = {module_name(p): p for pkg in packages for p in sources(pkg)}
    # a module's own parent packages are always loaded before it: importing from them is no cycle
    return {name: {m for m in imported_modules(path) if m in files and m != name and not name.startswith(m + ".")}
            for name, path in files.items()}


@pytest.mark.parametrize("package", ["scraper", "cleaning"])
def test_lower_layers_never_import_the_cli(package):
    upward = {f"{module_name(path)} imports {name}"
              for path in sources(package) for name in imported_modules(path) if _is_within(name, "pressroom")}
    assert not upward, sorted(upward)


def test_the_walker_sees_lazy_and_relative_imports(tmp_path):
    """The check above must be able to fail: a lazy import inside a function is found."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from pressroom.errors import explain\n    from . import urls\n")
    names = imported_modules(probe, package="scraper")
    assert "pressroom.errors" in names and "scraper.urls" in names


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_cycle_finder_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) and not _cycles({"a": {"b"}, "b": set()})


def test_no_import_cycle_anywhere():
    cycles = _cycles(import_graph(PACKAGES))
    assert not cycles, cycles


def test_only_the_entry_point_imports_the_cli_module():
    importers = sorted(name for name, deps in import_graph(("pressroom", "scraper")).items() if "pressroom.cli" in deps)
    assert importers == ["pressroom.__main__"]


def test_exit_codes_are_defined_once_and_never_returned_as_literals():
    defined, literal_returns = [], []
    for pkg in ("pressroom", "scraper"):
        for path in sources(pkg):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        elts = target.elts if isinstance(target, ast.Tuple) else [target]
                        defined += [(module_name(path), t.id) for t in elts
                                    if isinstance(t, ast.Name) and t.id.startswith("EXIT_")]
                if isinstance(node, ast.FunctionDef) and (node.name.startswith(("cmd_", "run_")) or node.name == "main"):
                    literal_returns += [f"{module_name(path)}.{node.name}: return {r.value.value}"
                                        for r in ast.walk(node) if isinstance(r, ast.Return)
                                        and isinstance(r.value, ast.Constant) and isinstance(r.value.value, int)]
    assert {m for m, _ in defined} == {"pressroom.exitcodes"}, defined
    assert not literal_returns, literal_returns


def _loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_importing_the_crawler_items_does_not_load_the_cli():
    assert _loaded_after("import scraper.items, scraper.progress, scraper.settings", ("pressroom",)) == []


def test_a_crawl_process_does_not_load_the_cleaning_pipeline():
    heavy = ("cleaning.pipeline", "cleaning.quotes", "langdetect", "rensa", "trafilatura")
    assert _loaded_after("import scraper.items, scraper.spiders.press", heavy) == []


def test_the_cleaning_api_loads_on_first_use():
    assert _loaded_after("import cleaning", ("cleaning.pipeline",)) == []
    assert _loaded_after("from cleaning import clean_html, find_quotes", ("cleaning.pipeline", "cleaning.quotes")) \
        == ["cleaning.pipeline", "cleaning.quotes"]
