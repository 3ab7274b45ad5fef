"""One register_case_kind call per case app feeds every consumer of the case kinds."""

from casework.case_kinds import CASE_KINDS, CASE_PAGES, STATE_LABELS, escalated_case_models
from casework.importing import IMPORTERS
from complaints.importing import ComplaintImporter
from complaints.models import Complaint
from proposals.models import Proposal
from satisfaction.models import Survey


def test_each_case_app_is_registered_once_for_every_consumer():
    assert set(CASE_KINDS) == {"complaints.complaint", "proposals.proposal", "satisfaction.survey"}
    assert CASE_PAGES == {"complaints.complaint": "complaints:detail", "proposals.proposal": "proposals:detail",
                          "satisfaction.survey": "satisfaction:survey"}
    assert {"registered", "assigned", "submitted", "archived"} <= set(STATE_LABELS)
    assert set(escalated_case_models()) == {Complaint, Proposal, Survey}  # the sweep raises their escalation_level
    assert list(IMPORTERS) == ["customers", "complaints", "proposals"]  # the import page's choices, in this order
    assert isinstance(IMPORTERS["complaints"], ComplaintImporter)
