"""Merge request approvals from GitLab's REST API (v4)."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from typing import Any

from qmskit.errors import QmsError
from qmskit.vcs.forge import MAX_PAGES, PAGE_SIZE, Review, checked_api, get_json, text, token

DEFAULT_API = "https://gitlab.com/api/v4"
TOKEN_VARIABLE = "GITLAB_TOKEN"  # noqa: S105 - the name of the variable, not a secret


class GitLabClient:
    def __init__(self, project: str, api: str | None = None, token_value: str | None = None,
                 timeout: float = 30) -> None:
        if not project or project.startswith("/") or any(c in project for c in "?#% \\") or ".." in project:
            raise QmsError(f"'{project}' is not a GitLab project", "Name it by its path (`group/name`) or id.")
        self.project = urllib.parse.quote(project, safe="")
        self.name = project
        self.api = checked_api(api or os.environ.get("CI_API_V4_URL") or DEFAULT_API, "GitLab")
        self.token = token(TOKEN_VARIABLE, token_value)
        self.timeout = timeout

    def _get(self, path: str) -> Any:
        headers = {"PRIVATE-TOKEN": self.token} if self.token else {}
        return get_json(f"{self.api}{path}", headers, "GitLab", TOKEN_VARIABLE, self.timeout)

    def resets_approvals_on_push(self) -> bool:
        """Whether a push to a merge request removes its approvals: only then is an approval one of the head
        that was merged (the approvals API does not say which commit was approved)."""
        settings = self._get(f"/projects/{self.project}/approvals")
        return isinstance(settings, dict) and settings.get("reset_approvals_on_push") is True

    def merged_requests(self) -> Iterator[dict[str, Any]]:
        for page in range(1, MAX_PAGES + 1):
            items = self._get(f"/projects/{self.project}/merge_requests?state=merged&per_page={PAGE_SIZE}"
                              f"&page={page}")
            if not isinstance(items, list) or not items:
                return
            yield from (i for i in items if isinstance(i, dict) and isinstance(i.get("iid"), int))
            if len(items) < PAGE_SIZE:
                return

    def open_approvals(self, iid: int) -> tuple[str, list[Review]]:
        """(head, approvals of that head) of one merge request, for judging it before it is merged."""
        self._require_reset()
        request = self._get(f"/projects/{self.project}/merge_requests/{iid}")
        head = text(request, "sha")
        if not head:
            raise QmsError(f"GitLab has no merge request !{iid} in {self.name}", "Check the merge request number.")
        return head, list(self._approving(iid, head, text(request, "merged_at")))

    def _approving(self, iid: int, commit: str, merged_at: str) -> Iterator[Review]:
        state = self._get(f"/projects/{self.project}/merge_requests/{iid}/approvals")
        approvers = state.get("approved_by") if isinstance(state, dict) else None
        for entry in approvers if isinstance(approvers, list) else []:
            login = text(entry, "user", "username")
            if login and commit:
                yield Review("gitlab", iid, commit, login, text(entry, "approved_at") or merged_at, merged_at)

    def _require_reset(self) -> None:
        if not self.resets_approvals_on_push():
            raise QmsError(f"GitLab project {self.name} keeps approvals when new commits are pushed, so an "
                           "approval may be of an earlier head than the one merged",
                           "Switch on 'Remove all approvals when commits are added to the source branch' in the "
                           "project's merge request approval settings.")

    def approvals(self) -> Iterator[Review]:
        """Approvals of every merged request (of its merged head: approvals reset on push)."""
        self._require_reset()
        for request in self.merged_requests():
            # the commit on the target branch: the merge commit, else the squashed one, else the fast-forwarded head
            merged = text(request, "merge_commit_sha") or text(request, "squash_commit_sha") or text(request, "sha")
            yield from self._approving(int(request["iid"]), merged, text(request, "merged_at"))
