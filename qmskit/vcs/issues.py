"""Submitted issues from GitHub and GitLab, by label: the forge-native way of collecting records."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from qmskit.errors import QmsError
from qmskit.vcs.http import pages

GITHUB_API = "https://api.github.com"
GITLAB_API = "https://gitlab.com/api/v4"
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Issue:
    number: str  # GitHub's number, GitLab's iid: what people call the issue
    title: str
    body: str
    url: str  # the issue's web page, linked from the record
    author: str  # the forge username
    created_at: str
    state: str


def github_issues(repo: str, label: str, api: str | None = None) -> Iterator[Issue]:
    """Issues (not pull requests) of `repo` carrying `label`, open and closed, oldest first."""
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise QmsError(f"'{repo}' is not OWNER/NAME", "Name the repository like `acme/quality-manual`.")
    base = (api or os.environ.get("GITHUB_API_URL") or GITHUB_API).rstrip("/")
    token = os.environ.get("GITHUB_TOKEN", "")
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
               **({"Authorization": f"Bearer {token}"} if token else {})}
    query = urllib.parse.urlencode({"labels": label, "state": "all", "sort": "created", "direction": "asc",
                                    "per_page": PAGE_SIZE})
    url = f"{base}/repos/{repo}/issues?{query}"
    for page in pages(url, headers, "GitHub", "Set GITHUB_TOKEN to a token that can read the repository's issues."):
        for item in page:
            if isinstance(item, dict) and "pull_request" not in item and item.get("number") is not None:
                yield Issue(str(item["number"]), str(item.get("title") or ""), str(item.get("body") or ""),
                            str(item.get("html_url") or ""), str((item.get("user") or {}).get("login") or ""),
                            str(item.get("created_at") or ""), str(item.get("state") or ""))


def gitlab_issues(project: str, label: str, api: str | None = None) -> Iterator[Issue]:
    """Issues of the GitLab `project` (GROUP/PROJECT or its numeric id) carrying `label`, oldest first."""
    if not project.strip("/"):
        raise QmsError("no GitLab project given", "Name it like `acme/quality-manual`.")
    base = (api or os.environ.get("CI_API_V4_URL") or GITLAB_API).rstrip("/")
    token = os.environ.get("GITLAB_TOKEN", "")
    headers = {"PRIVATE-TOKEN": token} if token else {}
    query = urllib.parse.urlencode({"labels": label, "scope": "all", "state": "all", "order_by": "created_at",
                                    "sort": "asc", "per_page": PAGE_SIZE})
    url = f"{base}/projects/{urllib.parse.quote(project.strip('/'), safe='')}/issues?{query}"
    for page in pages(url, headers, "GitLab", "Set GITLAB_TOKEN to a token with read_api for the project."):
        for item in page:
            if isinstance(item, dict) and item.get("iid") is not None:
                yield Issue(str(item["iid"]), str(item.get("title") or ""), str(item.get("description") or ""),
                            str(item.get("web_url") or ""), str((item.get("author") or {}).get("username") or ""),
                            str(item.get("created_at") or ""), str(item.get("state") or ""))
