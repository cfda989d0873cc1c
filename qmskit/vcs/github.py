"""Pull request reviews from GitHub's REST API (API version 2022-11-28)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from qmskit.errors import QmsError
from qmskit.vcs.forge import MAX_PAGES, PAGE_SIZE, Review, checked_api, get_json, text, token

DEFAULT_API = "https://api.github.com"
TOKEN_VARIABLE = "GITHUB_TOKEN"  # noqa: S105 - the name of the variable, not a secret


class GitHubClient:
    def __init__(self, repo: str, api: str | None = None, token_value: str | None = None,
                 timeout: float = 30) -> None:
        if repo.count("/") != 1 or not all(repo.split("/")) or any(c in repo for c in "?#% "):
            raise QmsError(f"'{repo}' is not OWNER/NAME", "Name the repository like `acme/quality-manual`.")
        self.repo = repo
        self.api = checked_api(api or os.environ.get("GITHUB_API_URL") or DEFAULT_API, "GitHub")
        self.token = token(TOKEN_VARIABLE, token_value)
        self.timeout = timeout

    def _get(self, path: str) -> Any:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                   **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        return get_json(f"{self.api}{path}", headers, "GitHub", TOKEN_VARIABLE, self.timeout)

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        for page in range(1, MAX_PAGES + 1):
            items = self._get(f"{path}{'&' if '?' in path else '?'}per_page={PAGE_SIZE}&page={page}")
            if not isinstance(items, list) or not items:
                return
            yield from (i for i in items if isinstance(i, dict))
            if len(items) < PAGE_SIZE:
                return

    def merged_pulls(self) -> Iterator[dict[str, Any]]:
        for pull in self._pages(f"/repos/{self.repo}/pulls?state=closed&sort=updated&direction=desc"):
            if pull.get("merged_at") and pull.get("merge_commit_sha") and isinstance(pull.get("number"), int):
                yield pull

    def approvals(self) -> Iterator[Review]:
        """The latest review of each reviewer on every merged pull request, where it approves the head that
        was merged (a review of an earlier push approved something else)."""
        for pull in self.merged_pulls():
            yield from self._approving(pull, text(pull, "merge_commit_sha"))

    def open_approvals(self, number: int) -> tuple[str, list[Review]]:
        """(head, approvals of that head) of one pull request, for judging it before it is merged."""
        pull = self._get(f"/repos/{self.repo}/pulls/{number}")
        if not isinstance(pull, dict) or not text(pull, "head", "sha"):
            raise QmsError(f"GitHub has no pull request #{number} in {self.repo}", "Check the pull request number.")
        head = text(pull, "head", "sha")
        return head, list(self._approving(pull, head))

    def _approving(self, pull: dict[str, Any], commit: str) -> Iterator[Review]:
        number, head = int(pull["number"]), text(pull, "head", "sha")
        latest: dict[str, dict[str, Any]] = {}
        for review in self._pages(f"/repos/{self.repo}/pulls/{number}/reviews"):
            login = text(review, "user", "login")
            if login and review.get("state") in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
                latest[login] = review  # later reviews replace earlier ones
        for login, review in sorted(latest.items()):
            if review.get("state") == "APPROVED" and head and text(review, "commit_id") == head:
                yield Review("github", number, commit, login, text(review, "submitted_at"),
                             text(pull, "merged_at"))
