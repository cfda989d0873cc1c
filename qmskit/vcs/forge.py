"""What GitHub and GitLab say about merged pull/merge requests, read over HTTPS. The only HTTP in qmskit.

A review counts as forge evidence (DESIGN 0016) only when it was given on the head that was merged: the forge,
not the change, says who approved what.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qmskit.errors import QmsError

PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 merged requests: a bound on what one run asks of the forge
MAX_BYTES = 20 << 20  # no answer of these APIs is anywhere near 20 MB
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class Review:
    """One approving review of a merged request, given on the head that was merged."""

    forge: str  # github | gitlab
    number: int  # the pull request number / merge request iid
    merged_commit: str  # the commit the merge put on the target branch (merge, squash or rebase result)
    login: str
    submitted_at: str
    merged_at: str


def effective_time(review: Review) -> str:
    """When a review took effect: when it was given, or when the request was merged if that was later."""
    try:
        return max((review.submitted_at, review.merged_at), key=datetime.fromisoformat)
    except (ValueError, TypeError):  # a missing time, or one without a zone beside one with
        return review.merged_at or review.submitted_at


def checked_api(api: str, forge: str) -> str:
    """The API base address, refused unless HTTPS (or plain HTTP to this machine, for recorded answers)."""
    parsed = urllib.parse.urlsplit(api)
    if parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in LOOPBACK):
        return api.rstrip("/")
    raise QmsError(f"the {forge} API address '{api}' is not HTTPS",
                   "Name the API by an https:// address (approvals.forge.api in qms.yaml, or --api).")


def get_json(url: str, headers: dict[str, str], forge: str, token_variable: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": "qmskit", **headers})  # noqa: S310 - checked_api
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = (f"Set {token_variable} to a token that can read the repository's merged requests."
                if exc.code in (401, 403, 404) else "Try again later.")
        raise QmsError(f"{forge} answered {exc.code} for {urllib.parse.urlsplit(url).path}", hint) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise QmsError(f"cannot read {url}: {exc}", "Check the network and the forge's API address.") from exc
    if len(body) > MAX_BYTES:
        raise QmsError(f"{forge}'s answer for {url} is larger than {MAX_BYTES >> 20} MB", "Check the API address.")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QmsError(f"{forge}'s answer for {url} is not JSON", "Check the API address.") from exc


def token(variable: str, given: str | None) -> str:
    return given if given is not None else os.environ.get(variable, "")


def text(data: Any, *keys: str) -> str:
    """A string nested in API JSON (data[k1][k2]...), or "" when anything on the way is missing or odd."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else ""
