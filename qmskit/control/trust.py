"""Which policy judges a change, and which changes of the policy were never approved (DESIGN 0016).

The policy files are read from Git objects, never from the work tree: with `--base`, as of the merge base with
the protected branch; without, as of the last policy change the policy before it approved (starting from the
manual's first commit). Forge reviews and signature checks are gathered here, at the edge, so that
`DocumentControl` stays a pure judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from qmskit.control.policy import CONFIG, PEOPLE, POLICY_FILES, ROLES, Policy, of_manual
from qmskit.control.register import DocumentControl, Verdict
from qmskit.errors import QmsError
from qmskit.loading import assemble
from qmskit.loading.yamlsource import parse_yaml
from qmskit.messages import Message, say
from qmskit.model import Config, Forge, Manual, Origin
from qmskit.vcs import gitrepo
from qmskit.vcs.forge import Review, effective_time
from qmskit.vcs.github import GitHubClient
from qmskit.vcs.gitlab import GitLabClient
from qmskit.vcs.history import Approval, Commit, History, Identity, Revision


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """A main-line commit that changed policy files without an approval the trusted policy accepts."""

    revision: Revision
    paths: tuple[str, ...]  # manual paths of the policy files it changed
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True)
class Trust:
    policy: Policy
    control: DocumentControl
    unapproved: tuple[PolicyChange, ...] = ()
    problems: tuple[Message, ...] = ()  # evidence that could not be checked at all (forge unreadable, ...)
    # the latest policy change, when someone who is no person (and no bot) wrote or committed it
    strangers: tuple[PolicyChange, tuple[str, ...]] | None = None


def establish(root: Path, manual: Manual, history: History, base: str | None = None,
              request: int | None = None) -> Trust:
    """The policy and judge for `history`. `request` is the pull/merge request being judged (in its CI job):
    reviews of its head count for the commit checked out, when that is the head or the forge's merge of it."""
    if not history.usable or not history.first:
        policy = of_manual(manual)
        return Trust(policy, DocumentControl(manual, history, policy=policy))
    evidence = _Evidence(root, manual, history, request)
    if base is not None:
        start = gitrepo.merge_base(root, base)
        policy = _policy_at(root, start, say("the merge base with {base} ({commit})", base=base, commit=start[:10]))
        on_base = gitrepo.reachable(root, start)
        later = [c for c in history.commits if c.sha not in on_base]
    else:
        start = history.first
        policy = _policy_at(root, start, say("the manual's first commit ({commit})", commit=start[:10]))
        later = [c for c in history.commits if c.sha != start]
    unapproved: list[PolicyChange] = []
    strangers: tuple[PolicyChange, tuple[str, ...]] | None = None
    watched = _watched(root, policy)
    for commit in later:
        paths = tuple(sorted({p for c in commit.changes for p in (c.path, c.old_path) if p in watched}))
        revision = _revision(history, commit, paths)
        if revision is None:
            continue
        control = evidence.control(policy)
        verdicts = tuple(control.policy_verdicts(revision))
        unknown = tuple(control.unknown_writers(revision))
        strangers = (PolicyChange(revision, paths, verdicts), unknown) if unknown else None
        if not any(v.counts for v in verdicts):
            unapproved.append(PolicyChange(revision, paths, verdicts))
        elif base is None:
            # an approved change makes its state the policy; earlier unapproved states are history now
            policy = _policy_at(root, commit.sha, say("the last approved policy change ({commit})",
                                                      commit=commit.sha[:10]))
            watched = _watched(root, policy)
            unapproved.clear()
    return Trust(policy, evidence.control(policy), tuple(unapproved), tuple(evidence.problems), strangers)


def pinned_baseline(root: Path, config: Config, history: History) -> frozenset[str] | None:
    """The commits a baseline pinned to a commit releases, judged by ancestry (empty when there is no pinned
    baseline; None when the pin is not a commit of this history)."""
    baseline = config.baseline
    if baseline is None or baseline.until == "first-commit" or not history.usable:
        return frozenset()
    return gitrepo.ancestry(root, baseline.until)


def from_texts(texts: Mapping[str, str], commit: str, where: Message) -> Policy:
    """The policy files' texts at a commit (missing files are empty) -> a Policy (signers still unread)."""
    def data(path: str) -> dict[str, object]:
        parsed = parse_yaml(texts.get(path, ""), path).data
        return parsed if isinstance(parsed, dict) else {}

    config = assemble.config(data(CONFIG), Origin(CONFIG))
    people = assemble.items(data(PEOPLE), "people", Origin(PEOPLE), assemble.person)
    roles = assemble.items(data(ROLES), "roles", Origin(ROLES), assemble.role)
    return Policy(config, people, roles, commit, where)


def _policy_at(root: Path, commit: str, where: Message) -> Policy:
    blobs = gitrepo.read_blobs(root, [(commit, path) for path in POLICY_FILES])
    policy = from_texts({path: text for (_, path), text in blobs.items()}, commit, where)
    signers_path = policy.approvals.signers
    signers = gitrepo.read_file_at(root, commit, signers_path) if signers_path else None
    return replace(policy, signers=signers)


def _watched(root: Path, policy: Policy) -> frozenset[str]:
    """The policy files: qms.yaml, people, roles, and the allowed-signers file the policy names where it lies
    inside the manual (one outside is read from the trusted commit, so its later edits never count)."""
    watched = set(POLICY_FILES)
    if policy.approvals.signers and (inside := gitrepo.manual_path(root, policy.approvals.signers)):
        watched.add(inside)
    return frozenset(watched)


def _revision(history: History, commit: Commit, paths: tuple[str, ...]) -> Revision | None:
    """The commit as a revision of one of the files (its authors and committers include a merge's branch)."""
    for path in paths:
        file = history.of(path) or next((f for f in history.deleted if f.path == path), None)
        found = next((r for r in file.revisions if r.commit.sha == commit.sha), None) if file else None
        if found is not None:
            return found
    return None


class _Evidence:
    """Forge reviews and signature checks, each gathered once per forge and per allowed-signers file."""

    def __init__(self, root: Path, manual: Manual, history: History, request: int | None = None) -> None:
        self.root, self.manual, self.history, self.request = root, manual, history, request
        self.problems: list[Message] = []
        self._forge: dict[Forge, Mapping[str, tuple[Approval, ...]]] = {}
        self._signatures: dict[str, Mapping[tuple[str, str], bool | None]] = {}
        self._baselines: dict[str, frozenset[str]] = {}
        self._signed = sorted({(a.who.email, a.payload, a.signature) for file in history.files.values()
                               for r in file.revisions for a in r.commit.approvals if a.signed})

    def control(self, policy: Policy) -> DocumentControl:
        return DocumentControl(self.manual, self.history, self.signatures(policy.signers), policy=policy,
                               forge=self.forge(policy), baseline_commits=self.baseline(policy.config))

    def baseline(self, config: Config) -> frozenset[str]:
        until = config.baseline.until if config.baseline else ""
        if until not in self._baselines:
            self._baselines[until] = pinned_baseline(self.root, config, self.history) or frozenset()
        return self._baselines[until]

    def signatures(self, signers: str | None) -> Mapping[tuple[str, str], bool | None]:
        if signers is None or not self._signed:
            return {}
        if signers not in self._signatures:
            self._signatures[signers] = dict(gitrepo.verify(signers, self._signed))
        return self._signatures[signers]

    def forge(self, policy: Policy) -> Mapping[str, tuple[Approval, ...]]:
        forge = policy.approvals.forge
        if forge is None or "forge" not in policy.approvals.evidence:
            return {}
        if forge not in self._forge:
            self._forge[forge] = self._read_forge(forge)
        return self._forge[forge]

    def _read_forge(self, forge: Forge) -> Mapping[str, tuple[Approval, ...]]:
        known = {r.commit.sha for file in self.history.files.values() for r in file.revisions}
        found: dict[str, list[Approval]] = {}
        try:
            client = (GitHubClient(forge.repository, forge.api or None) if forge.kind == "github"
                      else GitLabClient(forge.repository, forge.api or None))
            for review in client.approvals():
                if review.merged_commit in known:
                    found.setdefault(review.merged_commit, []).append(_approval(review))
            if self.request is not None:
                head, reviews = client.open_approvals(self.request)
                if gitrepo.is_head_or_its_merge(self.root, self.history.head, head):
                    found.setdefault(self.history.head, []).extend(_approval(r) for r in reviews)
                else:
                    self.problems.append(say("request {request}'s head {head} is not what is checked out "
                                             "({checked_out}), so its reviews were not counted",
                                             request=self.request, head=head[:10],
                                             checked_out=self.history.head[:10]))
        except QmsError as error:
            self.problems.append(say("the {forge} reviews of {repository} could not be read: {error} ({hint})",
                                     forge=forge.kind, repository=forge.repository, error=error.message,
                                     hint=error.hint))
            return {}
        return {sha: tuple(approvals) for sha, approvals in found.items()}


def _approval(review: Review) -> Approval:
    """A forge review as approval evidence. It takes effect when it was both given and merged."""
    return Approval(Identity("", "", review.login), "approved", effective_time(review), review.forge,
                    review.merged_commit, level="forge")
