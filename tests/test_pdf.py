"""`qms pdf`: the manual, or one document, printed through the built site by headless Chromium, each page marked
uncontrolled when printed and each document with its revision and effective date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import Result, git

Qms = Callable[..., Result]
pytestmark = pytest.mark.browser


def text_of(pdf: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def test_the_whole_manual_prints_with_every_document_and_a_stamp_on_every_page(tmp_path: Path, qms: Qms) -> None:
    """Not the example: a fresh `qms init` manual with a hostile title of its own."""
    root = tmp_path / "acme"
    assert qms("init", root).code == 0
    procedure = root / "documents" / "PRO-002-operations.md"
    procedure.write_text(procedure.read_text().replace("title: Operations", 'title: "Operations <b>&</b> care"'))
    # part of the manual's first, released revision: a later unapproved change would print the approved text
    git(root, "add", "-A")
    git(root, "commit", "-q", "--amend", "--no-edit")
    result = qms("pdf", "-C", root, "-o", tmp_path / "out" / "manual.pdf")
    assert result.code == 0, result.err
    pages = text_of(tmp_path / "out" / "manual.pdf")
    everything = " ".join(pages)
    assert all("Uncontrolled when printed" in page for page in pages)
    for document_id in ("QM-001", "QM-002", "POL-001", "PLN-001", "PRO-001", "PRO-002"):
        assert document_id in everything
    assert "Operations <b>&</b> care" in everything  # the title as text, not markup
    assert "Revision" in everything and "Effective" in everything


def test_one_document_prints_with_its_revision(example: Path, qms: Qms, tmp_path: Path) -> None:
    result = qms("pdf", "-C", example, "--document", "PRO-006", "-o", tmp_path / "pro-006.pdf")
    assert result.code == 0, result.err
    pages = text_of(tmp_path / "pro-006.pdf")
    assert pages[0].startswith("PRO-006 Production planning and control")
    assert all("PRO-006 revision" in page and "Uncontrolled when printed" in page for page in pages)
    assert (tmp_path / "pro-006.pdf").stat().st_mode & 0o044  # readable like any output, not private


def test_an_unknown_document_is_a_usage_error(example: Path, qms: Qms, tmp_path: Path) -> None:
    result = qms("pdf", "-C", example, "--document", "PRO-999", "-o", tmp_path / "x.pdf")
    assert result.code == 2 and "no document 'PRO-999'" in result.err
    assert not (tmp_path / "x.pdf").exists()
