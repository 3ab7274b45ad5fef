"""What one row of a queue says (written in Python for speed, complaints/templatetags): the case's
number linking to its page, its subject with the major and repeat badges, the customer, category,
priority, unit (— when none), state, receipt time and nearest deadline — every text escaped, in the
reader's language, and the check box for bulk actions only for a manager."""

import re
from datetime import timedelta

from django.utils import timezone

from ..factories import ComplaintFactory, CustomerFactory, ProposalFactory, clock_create


def row_of(response, number) -> str:
    html = response.content.decode()
    found = re.search(rf"<tr>(?:(?!</tr>).)*?{number}(?:(?!</tr>).)*</tr>", html, re.S)
    assert found, f"no row for {number}"
    return found.group(0)


def test_a_complaint_row_escapes_what_people_typed_and_shows_its_badges(manager_client):
    customer = CustomerFactory(name='O\'Brien "<i>"')
    first = ComplaintFactory(subject="旧的", customer=customer, state="closed")
    complaint = ComplaintFactory(subject="<script>alert(1)</script> & 油耗", customer=customer, is_major=True,
                                 repeat_of=first, responsible_unit=None, state="registered", priority="urgent",
                                 category="price", received_at=timezone.now() - timedelta(hours=3))
    now = timezone.now()
    clock_create(complaint, kind="first_contact", started_at=now, due_at=now - timedelta(hours=1))
    row = row_of(manager_client.get("/complaints/", HTTP_ACCEPT_LANGUAGE="en"), complaint.number)
    assert "<script>" not in row and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 油耗" in row
    assert "O&#x27;Brien &quot;&lt;i&gt;&quot;" in row
    assert '<span class="badge badge-major">Major</span>' in row and '<span class="badge">Repeat</span>' in row
    assert f'<a href="/complaints/{complaint.number}/">{complaint.number}</a>' in row
    assert '<span class="badge prio-urgent">' in row and "<td>—</td>" in row  # no unit yet
    assert '<span class="badge state-registered">Registered</span>' in row
    assert f"<td>{timezone.localtime(complaint.received_at):%Y-%m-%d %H:%M}</td>" in row
    assert "First contact (24 hours)<br>" in row and "sla-overdue" in row
    assert f'value="{complaint.number}" form="bulk-form" aria-label="Select {complaint.number}"' in row


def test_a_complaint_row_in_chinese_without_a_deadline_or_check_box(handler_a_client, unit_a):
    complaint = ComplaintFactory(subject="维修等待", responsible_unit=unit_a, state="assigned", category="price")
    row = row_of(handler_a_client.get("/complaints/", HTTP_ACCEPT_LANGUAGE="zh-hans"), complaint.number)
    assert f"<td>{unit_a.name}</td>" in row and 'name="cases"' not in row  # a handler acts on one case at a time
    assert '<span class="badge state-assigned">已派工</span>' in row
    assert row.endswith("<td>—</td></tr>")  # no running clock


def test_a_proposal_row(manager_client):
    proposal = ProposalFactory(subject="建议 <b>延长</b> 保修", priority="urgent", state="submitted")
    now = timezone.now()
    clock_create(proposal, kind="proposal_feedback", started_at=now, warn_at=now + timedelta(days=1),
                 due_at=now + timedelta(days=3))
    row = row_of(manager_client.get("/proposals/", HTTP_ACCEPT_LANGUAGE="en"), proposal.number)
    assert "建议 &lt;b&gt;延长&lt;/b&gt; 保修" in row and '<span class="badge prio-urgent">Urgent</span>' in row
    assert f'<a href="/proposals/{proposal.number}/">{proposal.number}</a>' in row
    assert "sla-ok" in row and 'name="cases"' in row
