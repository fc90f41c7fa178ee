"""The documentation says what the code does (in the style of Datasette's ``test_docs.py``).

Every setting of ``Settings`` is in the README's settings table, under its environment
variable; every file that a docstring of the runtime or the lab cites exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from constats.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGES = ["constats", "nlp", "store", "crawler", "search", "runtime", "worker", "api", "cli", "lab", "bench"]
#: a path of the repository cited in prose: folders and files with a known suffix
CITED = re.compile(r"(?<![\w./<{-])((?:[a-z_]+/)+[\w.-]*\.(?:py|md|json|jsonl|joblib|gz|toml|yml|html|css|csv|ini)"
                   r"|(?:models|lab|bench|tests|api|nlp|search|store|crawler|worker|runtime|cli)/[\w/-]*/)"
                   r"(?![\w<{*])")


def _env_names(name: str, field) -> list[str]:
    alias = field.validation_alias
    if alias is not None and hasattr(alias, "choices"):
        return [str(c) for c in alias.choices]
    return [f"CONSTATS_{name.upper()}"]


def _settings_table() -> str:
    start = README.index("## Settings")
    end = README.index("\n## ", start + 3)
    return README[start:end]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name):
    names = _env_names(name, Settings.model_fields[name])
    assert any(f"`{n}`" in _settings_table() for n in names), f"{names[0]} missing from README's settings table"


def _docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield doc


def _citations() -> list[tuple[str, str]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for doc in _docstrings(path):
                for cited in CITED.findall(doc):
                    out.append((str(path.relative_to(ROOT)), cited))
    return out


def test_docstrings_cite_files():
    assert len(_citations()) > 20  # the pattern finds what the code cites


@pytest.mark.parametrize("where, cited", _citations())
def test_every_file_a_docstring_cites_exists(where, cited):
    assert (ROOT / cited).exists(), f"{where} cites {cited}, which does not exist"
