from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qmskit.atomic import write_bytes, write_text


def test_new_files_get_the_usual_mode_and_old_files_keep_theirs(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "new.txt", "x")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
        (tmp_path / "new.txt").chmod(0o600)
        write_text(tmp_path / "new.txt", "y")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o600
        assert (tmp_path / "new.txt").read_text() == "y"
    finally:
        os.umask(old)


def test_never_overwrite_keeps_the_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "record.yaml"
    write_text(target, "first")
    with pytest.raises(FileExistsError):
        write_text(target, "second", overwrite=False)
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.yaml"]


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_link(source: str, target: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "link", broken_link)
    with pytest.raises(OSError, match="disk gone"):
        write_bytes(tmp_path / "out.bin", b"data", overwrite=False)
    assert list(tmp_path.iterdir()) == []
