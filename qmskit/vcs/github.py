"""Import pull request reviews from GitHub's REST API as approval notes. The only module that talks HTTP."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qmskit.errors import QmsError

DEFAULT_API = "https://api.github.com"
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Review:
    pull: int
    merge_commit: str
    login: str
    name: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    submitted_at: str


class GitHubClient:
    def __init__(self, repo: str, api: str | None = None, token: str | None = None, timeout: float = 30) -> None:
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise QmsError(f"'{repo}' is not OWNER/NAME", "Name the repository like `acme/quality-manual`.")
        self.repo = repo
        self.api = (api or os.environ.get("GITHUB_API_URL") or DEFAULT_API).rstrip("/")
        self.token = token if token is not None else os.environ.get("GITHUB_TOKEN", "")
        self.timeout = timeout

    def _get(self, path: str) -> Any:
        request = urllib.request.Request(f"{self.api}{path}", headers={  # noqa: S310 - https or a test server
            "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "qmskit", **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            hint = ("Set GITHUB_TOKEN to a token that can read the repository's pull requests."
                    if exc.code in (401, 403, 404) else "Try again later.")
            raise QmsError(f"GitHub answered {exc.code} for {path}", hint) from exc
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
            raise QmsError(f"cannot read {self.api}{path}: {exc}", "Check the network and GITHUB_API_URL.") from exc

    def merged_pulls(self) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            pulls = self._get(f"/repos/{self.repo}/pulls?state=closed&sort=updated&direction=desc"
                              f"&per_page={PAGE_SIZE}&page={page}")
            if not isinstance(pulls, list) or not pulls:
                return
            yield from (p for p in pulls if isinstance(p, dict) and p.get("merged_at") and p.get("merge_commit_sha"))
            if len(pulls) < PAGE_SIZE:
                return
            page += 1

    def approvals(self) -> Iterator[Review]:
        """The latest review of each reviewer on every merged pull request, where it is an approval."""
        for pull in self.merged_pulls():
            number = int(pull["number"])
            latest: dict[str, dict[str, Any]] = {}
            page = 1
            while True:
                reviews = self._get(f"/repos/{self.repo}/pulls/{number}/reviews?per_page={PAGE_SIZE}&page={page}")
                if not isinstance(reviews, list) or not reviews:
                    break
                for review in reviews:
                    login = (review.get("user") or {}).get("login", "")
                    if login and review.get("state") in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
                        latest[login] = review  # later reviews replace earlier ones
                if len(reviews) < PAGE_SIZE:
                    break
                page += 1
            for login, review in sorted(latest.items()):
                if review.get("state") == "APPROVED":
                    yield Review(number, str(pull["merge_commit_sha"]), login, "", "APPROVED",
                                 str(review.get("submitted_at", "")))
