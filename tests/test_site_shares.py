"""A site built by several mkdocs processes at once is the site one process builds, byte for byte."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from qmskit.errors import QmsError
from qmskit.site import shards
from qmskit.site.build import generate, mkdocs_build


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize("manual", ["example", "itservices"])
def test_shares_build_the_same_site(manual: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    root: Path = request.getfixturevalue(manual)
    generated = generate(root, tmp_path / "pages", "internal", date(2026, 11, 27))
    mkdocs_build(generated, tmp_path / "one", shares=1)
    mkdocs_build(generated, tmp_path / "three", shares=3)
    one, three = _files(tmp_path / "one"), _files(tmp_path / "three")
    assert sorted(three) == sorted(one)  # no page missing, none extra, no share's bookkeeping left behind
    assert [name for name in one if one[name] != three[name]] == []
    docs = json.loads(one["search/search_index.json"])["docs"]
    assert len({entry["location"].partition("#")[0] for entry in docs}) > 20  # the index covers many pages
    assert sorted(path.name for path in (tmp_path / "pages").iterdir()) == ["docs", "mkdocs.yml"]


def test_a_failing_share_fails_the_build(example: Path, tmp_path: Path) -> None:
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    (generated.folder / "docs" / "index.md").write_text("[broken](missing-page.md)\n", encoding="utf-8")
    with pytest.raises(QmsError, match=r"missing-page\.md"):
        mkdocs_build(generated, tmp_path / "site", strict=True, shares=2)


def test_shares_follow_cores_and_size() -> None:
    assert shards.shares_for(100, cpus=8) == 1  # a small site: a second process costs more than it saves
    assert shards.shares_for(1000, cpus=2) == 2
    assert shards.shares_for(1000, cpus=1) == 1
    assert shards.shares_for(100_000, cpus=4) == 4


@pytest.mark.parametrize("text", ["2/2", "-1/2", "a/b", "1"])
def test_a_share_names_one_of_its_count(text: str) -> None:
    with pytest.raises(ValueError, match="share"):
        shards.parse_share(text)
