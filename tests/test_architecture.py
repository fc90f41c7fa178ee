"""The import contract of the runtime packages, checked on the code's own imports.

Runtime packages import only downward, in the order of ``LAYERS`` (README, "What each part
is"); packages of one layer do not import each other; no two modules import each other,
directly or in a circle; the runtime never imports the lab (``lab``, ``bench``) nor the
tests, and the lab never imports the benchmarks; imports sit at the top of their file
(inside a function only for a heavy optional third-party dependency, marked ``noqa: PLC0415
- <why>``); no ``except ImportError`` guards a module of the project. ``check_tree`` is
tested on small trees that break each rule, so that the contract is seen failing on the
kinds of cycle the project once had.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: bottom to top: a package may import its own modules and those of the layers below
LAYERS: list[tuple[str, ...]] = [
    ("constats", "models"),  # the shared core: settings, domain, taxonomy, text, errors
    ("nlp",),                 # reading a report: PDF → Document → Report, themes, embeddings
    ("store",),               # the store of record
    ("crawler", "search"),    # collecting PDFs; the search engine
    ("runtime",),             # the services built from the settings, the task queue
    ("worker", "api"),        # Celery tasks; the web API and pages
    ("cli",),                 # the `constats` command
]
LAB = ("lab", "bench")        # may import the runtime; the runtime never imports them
#: the benchmarks may drive the lab's tools (archives, replicas); the lab never imports a benchmark
PROJECT = {p for layer in LAYERS for p in layer} | set(LAB) | {"tests"}


@dataclass(frozen=True)
class Import:
    module: str      # importing module, dotted
    target: str      # imported module, dotted (as written, resolved to the project's files)
    line: int
    in_function: bool
    in_try_import_error: bool
    marked: bool     # a `noqa: PLC0415 - <reason>` comment on the line


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _guarded_lines(tree: ast.AST) -> set[int]:
    """Lines of imports inside a ``try`` whose handlers catch ImportError."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            names = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if any("ImportError" in n or "ModuleNotFoundError" in n for n in names):
                for stmt in node.body:
                    for sub in ast.walk(stmt):
                        if isinstance(sub, (ast.Import, ast.ImportFrom)):
                            out.add(sub.lineno)
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    out.add(sub.lineno)
    return out


def imports_of(root: Path, path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    module = _module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    in_function = {sub.lineno for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))}
    guarded, typing_only = _guarded_lines(tree), _type_checking_lines(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # `from pkg import module` imports the module when it is one
            targets = [f"{base}.{a.name}" if (root / f"{base}.{a.name}".replace(".", "/")).with_suffix(".py").exists()
                       or (root / f"{base}.{a.name}".replace(".", "/") / "__init__.py").exists() else base
                       for a in node.names]
        else:
            continue
        if node.lineno in typing_only:
            continue
        comment = lines[node.lineno - 1]
        for target in targets:
            out.append(Import(module, target, node.lineno, node.lineno in in_function, node.lineno in guarded,
                              "noqa: PLC0415 -" in comment))
    return out


def _layer_of(package: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) if package in layer), None)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_tree(root: Path, packages: list[str]) -> list[str]:
    """Every violation of the contract among ``packages`` under ``root`` (empty: it holds)."""
    problems: list[str] = []
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            modules[_module_name(root, path)] = path
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        top = module.split(".")[0]
        runtime = top not in LAB and top != "tests"
        for imp in imports_of(root, path):
            target_top = imp.target.split(".")[0]
            if target_top not in PROJECT:
                if runtime and imp.in_function and not imp.marked:
                    problems.append(f"{module}:{imp.line}: import of {imp.target} inside a function "
                                    "(move it to the top, or mark a heavy optional one `noqa: PLC0415 - why`)")
                continue
            where = f"{module}:{imp.line}: imports {imp.target}"
            if imp.in_try_import_error:
                problems.append(f"{where} under `except ImportError`")
            if runtime and imp.in_function:
                problems.append(f"{where} inside a function")
            if top == "lab" and target_top == "bench":
                problems.append(f"{where}: the lab never imports the benchmarks (bench is above it)")
            if runtime and target_top in (*LAB, "tests"):
                problems.append(f"{where}: the runtime never imports the lab or the tests")
            elif runtime and target_top != top:
                mine, theirs = _layer_of(top), _layer_of(target_top)
                if mine is None or theirs is None:
                    problems.append(f"{where}: package outside the declared layers")
                elif theirs > mine:
                    problems.append(f"{where}: upward ({target_top} is above {top})")
                elif theirs == mine:
                    problems.append(f"{where}: {top} and {target_top} are in one layer and independent")
            if not imp.in_function:
                target = imp.target if imp.target in modules else imp.target.rpartition(".")[0]
                if target in modules and target != module:
                    graph[module].add(target)
    for cycle in _cycles(graph):
        problems.append("modules import each other in a circle: " + " → ".join(cycle))
    return problems


RUNTIME = [p for layer in LAYERS for p in layer if (ROOT / p).is_dir()]


def test_the_runtime_and_the_lab_keep_the_import_contract():
    problems = check_tree(ROOT, RUNTIME + list(LAB))
    assert not problems, "\n".join(problems)


def test_every_runtime_package_is_in_the_layers_and_in_the_wheel_list():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {p.split(".")[0] for p in config["tool"]["setuptools"]["packages"]}
    assert shipped == {p for layer in LAYERS for p in layer} - {"models"}
    on_disk = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert on_disk - set(PROJECT) == set(), "a new top-level package must take its place in LAYERS"


# --------------------------------------------------------------------------- the contract itself
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    for d in {p.parent for p in tmp_path.rglob("*.py")}:
        (d / "__init__.py").touch()
    return tmp_path


def test_the_contract_holds_on_a_clean_tree(tmp_path):
    root = _tree(tmp_path, {"constats/domain.py": "X = 1\n", "nlp/report.py": "from constats.domain import X\n",
                            "worker/tasks.py": "from nlp.report import X\n",
                            "lab/demo.py": "from worker.tasks import X\n"})
    assert check_tree(root, ["constats", "nlp", "worker", "lab"]) == []


@pytest.mark.parametrize("files, expected", [
    # crawler/commands.py once imported worker.pipeline, which imports the crawler
    ({"crawler/commands.py": "from worker.pipeline import enqueue\n",
      "worker/pipeline.py": "from crawler.crawl import crawl_source\n", "crawler/crawl.py": "crawl_source = 1\n"},
     "upward (worker is above crawler)"),
    # nlp once rendered with the replica: the runtime importing the lab
    ({"nlp/eval_run.py": "from lab.replica.render import render\n", "lab/replica/render.py": "render = 1\n"},
     "the runtime never imports the lab"),
    # a lab script once drove bench_classify's helpers
    ({"lab/scripts/ab.py": "from bench import bench_classify\n", "bench/bench_classify.py": "X = 1\n"},
     "the lab never imports the benchmarks"),
    # worker/pipeline ↔ worker/tasks
    ({"worker/pipeline.py": "from worker import tasks\n", "worker/tasks.py": "from worker import pipeline\n"},
     "modules import each other in a circle: worker.pipeline → worker.tasks"),
    # crawler/robots reached into crawler/fetcher, which imports robots
    ({"crawler/fetcher.py": "from crawler.robots import Robots\n",
      "crawler/robots.py": "from crawler.fetcher import _send\nclass Robots: ...\n"},
     "modules import each other in a circle: crawler.fetcher → crawler.robots"),
    # two packages of one layer
    ({"search/query.py": "from crawler.ccomptes import fold\n", "crawler/ccomptes.py": "fold = 1\n"},
     "search and crawler are in one layer and independent"),
    # an import hidden in a function, and a guard around a project module
    ({"api/deps.py": "def f():\n    from store.db import session_scope\n", "store/db.py": "session_scope = 1\n"},
     "inside a function"),
    ({"nlp/metadata.py": "try:\n    from nlp.geo import link_body\nexcept ImportError:\n    link_body = None\n",
      "nlp/geo.py": "link_body = 1\n"}, "under `except ImportError`"),
    ({"search/lemmas.py": "def f():\n    import spacy\n"}, "import of spacy inside a function"),
])
def test_the_contract_fails_on_each_kind_of_violation(tmp_path, files, expected):
    root = _tree(tmp_path, files)
    packages = sorted({name.split("/")[0] for name in files})
    problems = check_tree(root, packages)
    assert any(expected in p for p in problems), problems


def test_a_marked_heavy_optional_import_is_allowed(tmp_path):
    root = _tree(tmp_path, {"search/lemmas.py": "def f():\n    import spacy  # noqa: PLC0415 - heavy model\n"})
    assert check_tree(root, ["search"]) == []
