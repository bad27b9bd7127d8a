"""The docs are in step with the code: generated parts, links, and the hooks an option kind has."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", [p.name for p in _generator().pages()])
def test_generated_parts_match_the_code(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    assert _generator().render(text) == text, f"docs/{page} is out of date: run `make docs`"


def test_the_generated_blocks_exist():
    names = {m.group("name") for p in DOCS.glob("*.md") for m in _generator().BLOCK.finditer(p.read_text())}
    assert names == set(_generator().GENERATORS)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def test_links_between_pages_resolve():
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_the_readme_links_every_docs_page_and_fits_one_screen():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {Path(t).name for t in LINK.findall(readme)}
    assert {p.name for p in DOCS.glob("*.md")} <= linked
    assert len(readme.splitlines()) <= 40


def test_architecture_lists_every_hook_of_an_option_kind():
    from app.engine.registry import OptionKind

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    rows = text[text.index("| hook | what it is |"):].split("\n\n")[0].splitlines()[2:]
    table = {name for row in rows for name in re.findall(r"`(\w+)", row.split("|")[1])}
    hooks = {f.name for f in dataclasses.fields(OptionKind)} - {"kind", "title"}
    assert hooks - table == set(), f"hooks missing from docs/architecture.md: {hooks - table}"
    assert table - hooks == set(), f"docs/architecture.md lists hooks that do not exist: {table - hooks}"
