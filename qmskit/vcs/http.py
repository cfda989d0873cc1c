"""Reading a forge's REST API: JSON pages over HTTPS with a token, followed by their `Link: rel="next"` headers.
Bounded: a timeout per request and a page limit, so a misbehaving server cannot keep qms waiting forever."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any

from qmskit.errors import QmsError

MAX_PAGES = 1_000
MAX_BYTES = 20 * 1024 * 1024  # one page of a forge API is far smaller
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


def pages(url: str, headers: Mapping[str, str], forge: str, token_hint: str,
          timeout: float = 30) -> Iterator[list[Any]]:
    """Every page of a list endpoint, in order."""
    for _ in range(MAX_PAGES):
        data, link = get_json(url, headers, forge, token_hint, timeout)
        if not isinstance(data, list):
            raise QmsError(f"{forge} answered something other than a list for {url}", "Check the API address.")
        yield data
        found = _NEXT.search(link)
        if not found or not data:
            return
        url = found.group(1)
    raise QmsError(f"{forge} kept sending pages past {MAX_PAGES}", "Narrow the request, e.g. with a label.")


def get_json(url: str, headers: Mapping[str, str], forge: str, token_hint: str,
             timeout: float = 30) -> tuple[Any, str]:
    """The JSON at `url` and its Link header. Errors become QmsError with a hint, never a traceback."""
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise QmsError(f"refusing to send a token to {url}", "Use the forge's https:// API address.")
    request = urllib.request.Request(url, headers={"User-Agent": "qmskit", **headers})  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise QmsError(f"{forge} sent more than {MAX_BYTES // 1_000_000} MB for one page", "Try again.")
            return json.loads(body.decode("utf-8")), response.headers.get("Link", "")
    except urllib.error.HTTPError as exc:
        hint = token_hint if exc.code in (401, 403, 404) else "Try again later."
        raise QmsError(f"{forge} answered {exc.code} for {url}", hint) from exc
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise QmsError(f"cannot read {url}: {exc}", "Check the network and the API address.") from exc
