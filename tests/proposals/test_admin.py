"""The admin role manages proposals and half-year targets in the Django admin; nobody deletes a proposal."""

from proposals.models import Proposal, ProposalTarget

from ..factories import ProposalFactory


def test_admin_corrects_a_proposal_and_its_open_forms_go_stale(admin_client_role):
    proposal = ProposalFactory()
    assert admin_client_role.get("/admin/proposals/proposal/").status_code == 200
    page = admin_client_role.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    assert page.status_code == 200
    assert admin_client_role.get(f"/admin/proposals/proposal/{proposal.pk}/delete/").status_code == 403
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(customer=proposal.customer_id, first_responder=proposal.first_responder_id,
                subject="改正后的主题", received_at_0=proposal.received_at.strftime("%Y-%m-%d"),
                received_at_1=proposal.received_at.strftime("%H:%M:%S"))
    response = admin_client_role.post(f"/admin/proposals/proposal/{proposal.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    after = Proposal.objects.get(pk=proposal.pk)
    assert after.subject == "改正后的主题" and after.version == proposal.version + 1


def test_admin_sets_the_half_year_target(admin_client_role):
    response = admin_client_role.post("/admin/proposals/proposaltarget/add/", {
        "year": "2026", "half": "2", "target_count": "120", "target_adopted": "30", "plan": "走访重点客户"})
    assert response.status_code == 302
    assert ProposalTarget.objects.get().target_count == 120
    again = admin_client_role.post("/admin/proposals/proposaltarget/add/", {
        "year": "2026", "half": "2", "target_count": "5", "target_adopted": "0"})
    assert again.status_code == 200 and ProposalTarget.objects.count() == 1  # one target per half-year
