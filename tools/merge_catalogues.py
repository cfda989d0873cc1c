"""Resolve a merge conflict in a catalogue: the union of two versions' translations (the first wins a clash).

    git show :2:qmskit/locale/fi/LC_MESSAGES/qmskit.po > /tmp/ours.po
    git show :3:qmskit/locale/fi/LC_MESSAGES/qmskit.po > /tmp/theirs.po
    python tools/merge_catalogues.py /tmp/ours.po /tmp/theirs.po qmskit/locale/fi/LC_MESSAGES/qmskit.po
    python tools/update_catalogues.py   # then drops what the merged code no longer uses
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

from qmskit.atomic import write_bytes
from qmskit.catalogues import po_bytes

if __name__ == "__main__":
    first, second, target = (Path(arg) for arg in sys.argv[1:4])
    with first.open("rb") as source:
        merged = read_po(source)
    with second.open("rb") as source:
        other = read_po(source)
    for message in other:
        if message.id and merged.get(message.id, context=message.context) is None:
            merged[message.id] = message
    write_bytes(target, po_bytes(merged))
    print(f"wrote {target}: {len(merged)} messages")
