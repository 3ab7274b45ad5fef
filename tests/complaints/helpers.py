from casework.models import CaseEvent
from complaints.models import Complaint


def post_action(client, complaint, action, version=None, **fields):
    """Submit one lifecycle action the way the detail page's form does."""
    complaint.refresh_from_db()
    data = {f"{action}-version": complaint.version if version is None else version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/complaints/{complaint.number}/{action}/", data)


def timeline_actions(complaint):
    return list(
        CaseEvent.objects.filter(case_type__model="complaint", case_id=complaint.pk)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


def reload(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)
