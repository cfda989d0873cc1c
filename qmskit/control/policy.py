"""The policy a change is judged by: qms.yaml, people and roles, and the allowed signers, as they stood where the
change cannot have edited them (DESIGN 0016). Pure data; control/trust.py reads it from Git."""

from __future__ import annotations

from dataclasses import dataclass

from qmskit.messages import Message, say
from qmskit.model import ApprovalPolicy, Config, Manual, Person, Role

CONFIG, PEOPLE, ROLES = "qms.yaml", "organisation/people.yaml", "organisation/roles.yaml"
POLICY_FILES = (CONFIG, PEOPLE, ROLES)


WORK_TREE = say("the work tree")


@dataclass(frozen=True, slots=True)
class Policy:
    config: Config
    people: tuple[Person, ...]
    roles: tuple[Role, ...]
    commit: str = ""  # the commit it was read from ("" = the work tree, when there is no history)
    where: Message = WORK_TREE  # how that commit was chosen, for messages
    signers: str | None = None  # the allowed-signers file's text at `commit`; None = not named or not there

    @property
    def approvals(self) -> ApprovalPolicy:
        return self.config.approvals

    def policy_approvers(self) -> tuple[str, ...]:
        """Roles that approve changes to the policy files. A manual from before the trust model names none:
        then anyone who may approve some type of document may approve them too."""
        if self.approvals.declared:
            return self.approvals.policy_approvers
        return tuple(sorted({r for t in self.config.document_types.values() for r in t.approvers}))


def of_manual(manual: Manual) -> Policy:
    """The work tree's own policy: only where no history exists, so nothing history-based is judged with it."""
    return Policy(manual.config, manual.people, manual.roles)
