"""What each kind of case (complaint, proposal) tells the shared pages: where its page is
and what its states are called. Each case app registers itself in AppConfig.ready."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeVar

if TYPE_CHECKING:
    from complaints.models import Complaint
    from proposals.models import Proposal

# The case models, for type hints in the code every kind shares (the lifecycle kernel, the SLA
# clocks, notices): AnyCase is one of them; CaseT gives back the kind it was given. A new kind of
# case is added here too, and mypy then checks the shared code against it.
AnyCase: TypeAlias = "Complaint | Proposal"
CaseT = TypeVar("CaseT", "Complaint", "Proposal")

# "app_label.model" of a case → the URL name of its page (taking the case number).
CASE_PAGES: dict[str, str] = {}
# A state's code → its translated name, for timelines that store only the code.
STATE_LABELS: dict[str, object] = {}


def register_case_kind(*, model, page: str, states) -> None:
    CASE_PAGES[model._meta.label_lower] = page
    STATE_LABELS.update(states.choices)
