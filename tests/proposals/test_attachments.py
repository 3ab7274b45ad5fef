"""A written proposal's scan goes with the proposal: uploaded, listed, downloaded by who may
see the proposal; bad files refused with nothing written."""

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Attachment, CaseEvent

from ..factories import ProposalFactory


def test_the_unit_attaches_its_study_and_the_desk_downloads_it(handler_a_client, handler_b_client, agent_client,
                                                               unit_a):
    proposal = ProposalFactory(state="under_review", responsible_unit=unit_a)
    base = f"/proposals/{proposal.number}"
    scan = SimpleUploadedFile("可行性研究.pdf", b"%PDF-1.4 study", content_type="application/pdf")
    assert handler_a_client.post(f"{base}/attachments/", {"file": scan}).status_code == 302
    attachment = Attachment.objects.get()
    assert CaseEvent.objects.filter(case_type__model="proposal", case_id=proposal.pk, kind="attachment").exists()

    page = agent_client.get(f"{base}/").content.decode()
    assert "可行性研究.pdf" in page
    download = agent_client.get(f"{base}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 study"
    # Another unit's handler sees neither the proposal nor its files.
    assert handler_b_client.get(f"{base}/attachments/{attachment.pk}/").status_code == 404
    assert handler_b_client.post(f"{base}/attachments/", {"file": scan}).status_code == 404


def test_bad_files_are_refused(agent_client, settings):
    proposal = ProposalFactory()
    base = f"/proposals/{proposal.number}"
    assert agent_client.post(f"{base}/attachments/", {}).status_code == 400
    exe = SimpleUploadedFile("setup.exe", b"MZ" + b"0" * 100)
    assert agent_client.post(f"{base}/attachments/", {"file": exe}).status_code == 400
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = agent_client.post(f"{base}/attachments/", {"file": SimpleUploadedFile("a.jpg", b"0" * 2048)})
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert agent_client.get(f"{base}/attachments/999/").status_code == 404
    assert not Attachment.objects.exists()
