"""Planning surveys (seed 002 第十一条, 第十二条): who is due in a campaign, proposing and approving
it, and the special survey a major (or, if configured, any closed) complaint asks for.

第十二条: "市场部每年对重点客户开展两次的全面调查，其中一次必须是走访客户；对普通客户，每年至少实施
一次调查满意度。当出现重大投诉问题或有特殊情况时，也可组织针对特定对象的客户进行满意度专项调查。"

In the product's words:

- a key customer is due once in each half-year (January–June, July–December); a key campaign's
  period lies within one half-year;
- one of a key customer's two surveys in a year is a visit: in the second half-year, a key customer
  not visited in the year is planned as a visit, whatever the campaign's contact method;
- an ordinary customer is due once in a calendar year (not surveyed yet in that year); an ordinary
  campaign's period lies within one calendar year;
- a customer who already has a survey (of any campaign) in the half-year (key) or the year
  (ordinary) of the period is not proposed again, so two campaigns in one period never ask twice;
- a survey counts once it is planned, and keeps counting when answered; one that expired or whose
  customer could not be reached does not, so that customer is due again;
- the special surveys after complaints are about that complaint, not the routine rounds: they count
  for none of the rules above.

The campaign's proposed list is its surveys in state `planned`. Nothing of a campaign is sent before
a manager approves it (`survey_may_be_sent`); until then the desk may take customers off the list."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.bulk import TableSink
from casework.case_kinds import case_content_type
from casework.date_bounds import validate_calendar_date
from casework.models import CASE_EVENT_COLUMNS_WITH_LINES, CaseEvent, CaseNumberSequence, Customer
from casework.timeline import TimelineText, lines_json, timeline_text

from .campaign_policy import can_approve_campaigns, can_plan_campaigns
from .choices import Audience, CampaignStatus, ContactMethod, SurveyState
from .surveys import Survey, SurveyCampaign, SurveyTemplate, SurveyTemplateVersion

logger = logging.getLogger(__name__)

SURVEY_NUMBER_PREFIX = "MY"  # 满意: MY{yyyymm}-{seq}, from the same sequence table as TS and TA
# Planned, sent, reminded or answered: the customer has (or is having) their survey.
COUNTING_STATES = [SurveyState.PLANNED, SurveyState.SENT, SurveyState.REMINDED, SurveyState.ANSWERED]
SPECIAL_CONTACT_METHOD = ContactMethod.PHONE
# SURVEY_AFTER_CLOSED_COMPLAINT_METHOD=link: the survey after a closed complaint is a questionnaire
# answered through its one-time link (the method the link page itself records), sent with the closure.
BY_LINK_CONTACT_METHOD = ContactMethod.EMAIL
NAME_MAX_CHARS = SurveyCampaign._meta.get_field("name").max_length or 200


# --- who is due --------------------------------------------------------------------------------


def half_year_of(day: date) -> tuple[date, date]:
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def _counting_surveys(start: date, end: date) -> QuerySet[Survey]:
    """Routine surveys that count for the rules, of campaigns whose period overlaps start..end."""
    return Survey.objects.filter(campaign__isnull=False, state__in=COUNTING_STATES,
                                 campaign__period_start__lte=end, campaign__period_end__gte=start)


@dataclass(frozen=True)
class DueCustomer:
    customer: Customer
    contact_method: str
    last_answered_at: datetime | None


def customers_due(*, audience: str, period_start: date, period_end: date, contact_method: str) -> list[DueCustomer]:
    """The customers `audience`'s rules make due in the period, with the contact method each gets.
    The period has been checked by `campaign_period_errors`."""
    tier = {Audience.KEY: Customer.Tier.KEY, Audience.ORDINARY: Customer.Tier.ORDINARY}[Audience(audience)]
    year_start, year_end = date(period_start.year, 1, 1), date(period_start.year, 12, 31)
    if audience == Audience.KEY:
        already = _counting_surveys(*half_year_of(period_start))
    else:
        already = _counting_surveys(start=year_start, end=year_end)
    needs_visit: set[int] = set()
    if audience == Audience.KEY and period_start.month > 6:
        # The year's last chance for the visit 第十二条 requires ("其中一次必须是走访客户").
        visited = _counting_surveys(start=year_start, end=year_end).filter(contact_method=ContactMethod.VISIT)
        needs_visit = set(Customer.objects.filter(tier=tier).exclude(surveys__in=visited).values_list("pk", flat=True))
    customers = (Customer.objects.filter(tier=tier)
                 .exclude(pk__in=already.values("customer_id"))
                 .annotate(last_answered_at=Max("surveys__answered_at"))
                 .order_by("name", "pk"))
    return [DueCustomer(customer=c, last_answered_at=c.last_answered_at,
                        contact_method=ContactMethod.VISIT if c.pk in needs_visit else contact_method)
            for c in customers]


def campaign_period_errors(*, audience: str, period_start: date | None, period_end: date | None) -> dict[str, str]:
    """Field errors of a campaign's audience and period (empty if fine); the form and the service share them."""
    errors: dict[str, str] = {}
    if audience == Audience.SPECIAL:
        errors["audience"] = _("Special surveys are made by the complaints they follow, not planned.")
    elif audience not in Audience.values:
        errors["audience"] = _("Choose key or ordinary customers.")
    for field, day in (("period_start", period_start), ("period_end", period_end)):
        if day is None:
            errors[field] = _("Give the date.")
            continue
        try:
            validate_calendar_date(day)
        except ValidationError as error:
            errors[field] = " ".join(error.messages)
    if errors or period_start is None or period_end is None:
        return errors
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif audience == Audience.KEY and half_year_of(period_start) != half_year_of(period_end):
        errors["period_end"] = _("Key customers are surveyed once a half-year: the period lies within January–June "
                                 "or July–December of one year.")
    elif audience == Audience.ORDINARY and period_start.year != period_end.year:
        errors["period_end"] = _("Ordinary customers are surveyed once a calendar year: the period lies within "
                                 "one year.")
    return errors


# --- the campaign -------------------------------------------------------------------------------


def _default_name(*, audience: str, period_start: date, period_end: date) -> str:
    return f"{period_start:%Y-%m-%d}–{period_end:%Y-%m-%d} {Audience(audience).label}"


# Two people planning for the same audience at the same moment would each read who is due before
# the other's surveys exist, and propose the same customers twice: they take turns (PostgreSQL's
# transaction-scoped advisory lock; SQLite writes one transaction at a time anyway).
PLANNING_LOCK = {Audience.KEY: 0x5355_5256_0001, Audience.ORDINARY: 0x5355_5256_0002}


def _take_turns_planning(audience: str) -> None:
    if connection.vendor == "postgresql" and audience in PLANNING_LOCK:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLANNING_LOCK[Audience(audience)]])


@transaction.atomic
def campaign_plan(*, audience: str, period_start: date, period_end: date, template_version: SurveyTemplateVersion,
                  contact_method: str, actor: User, name: str = "", answer_within_days: int = 14) -> SurveyCampaign:
    """Propose a campaign: its surveys, state `planned`, one for each customer due. A manager's
    approval (`campaign_approve`) is what lets them be sent."""
    if not can_plan_campaigns(actor):
        raise PermissionDenied
    errors = campaign_period_errors(audience=audience, period_start=period_start, period_end=period_end)
    if contact_method not in ContactMethod.values:
        errors["contact_method"] = _("Choose a contact method.")
    name = (name or "").strip()
    if len(name) > NAME_MAX_CHARS:
        errors["name"] = _("At most %(count)d characters.") % {"count": NAME_MAX_CHARS}
    if errors:
        raise ValidationError(errors)
    _take_turns_planning(audience)
    due = customers_due(audience=audience, period_start=period_start, period_end=period_end,
                        contact_method=contact_method)
    if not due:
        raise ValidationError(_("Nobody is due in this period: every customer of this audience already has a "
                                "survey that counts."))
    campaign = SurveyCampaign(
        name=name or _default_name(audience=audience, period_start=period_start, period_end=period_end),
        audience=audience, period_start=period_start, period_end=period_end, template_version=template_version,
        contact_method=contact_method, answer_within_days=answer_within_days, planned_by=actor)
    campaign.full_clean()
    campaign.save()
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=SURVEY_NUMBER_PREFIX, at=now, count=len(due))
    Survey.objects.bulk_create(
        Survey(number=number, campaign=campaign, customer=d.customer, template_version=template_version,
               contact_method=d.contact_method, first_responder=actor, created_at=now)
        for number, d in zip(numbers, due, strict=True))
    return campaign


def _locked_proposal(campaign: SurveyCampaign) -> SurveyCampaign:
    """The campaign's row, locked, while it is still a proposal (approval and trimming queue on it)."""
    locked = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.PROPOSED:
        raise ValidationError({"status": _("The campaign is already approved; its list no longer changes.")})
    return locked


@transaction.atomic
def campaign_drop_customer(*, campaign: SurveyCampaign, customer: Customer, actor: User) -> SurveyCampaign:
    """Take `customer` off a proposed campaign's list (the planned survey is removed)."""
    if not can_plan_campaigns(actor):
        raise PermissionDenied
    locked = _locked_proposal(campaign)
    deleted, _rows = Survey.objects.filter(campaign=locked, customer=customer, state=SurveyState.PLANNED).delete()
    if not deleted:
        raise ValidationError({"customer": _("This customer is not on the campaign's list.")})
    return locked


@transaction.atomic
def campaign_approve(*, campaign: SurveyCampaign, actor: User) -> SurveyCampaign:
    """The manager confirms the list: the surveys become cases the desk may send, each with its
    first timeline entry."""
    if not can_approve_campaigns(actor):
        raise PermissionDenied
    locked = _locked_proposal(campaign)
    surveys = list(locked.surveys.filter(state=SurveyState.PLANNED).only("pk"))
    if not surveys:
        raise ValidationError(_("The campaign's list is empty: there is nothing to approve."))
    now = timezone.now()
    locked.status, locked.approved_by, locked.approved_at = CampaignStatus.APPROVED, actor, now
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    said = lines_json([PLANNED_IN_CAMPAIGN.line(campaign=locked.name)])
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    survey_type_id = case_content_type(Survey).pk
    for survey in surveys:
        events.add(survey_type_id, survey.pk, CaseEvent.Kind.CREATED, "campaign_approve", actor.pk, "",
                   SurveyState.PLANNED, "", now, said)
    events.flush()
    return locked


def survey_may_be_sent(survey: Survey) -> bool:
    """The rule `send` obeys: a campaign's survey goes out only once its campaign is approved; a
    special survey (no campaign) needs no approval."""
    return survey.may_be_sent()


# --- the special survey --------------------------------------------------------------------------


# Why a survey was made, on its timeline (casework.timeline: shown in the reader's language).
SPECIAL_AFTER_MAJOR = timeline_text("satisfaction.special_after_major",
                                    gettext_lazy("Special survey after major complaint %(number)s."))
SPECIAL_AFTER_CLOSED = timeline_text("satisfaction.special_after_closed",
                                     gettext_lazy("Special survey after closed complaint %(number)s."))
PLANNED_IN_CAMPAIGN = timeline_text("satisfaction.planned_in_campaign",
                                    gettext_lazy("Planned in campaign “%(campaign)s”, approved."))


class ComplaintLike(Protocol):
    """What the special survey reads of a complaint (satisfaction does not import complaints)."""

    pk: Any
    number: str
    customer_id: Any
    responsible_unit_id: Any
    counted_unit_id: Any
    first_responder_id: Any


def special_questionnaire() -> SurveyTemplateVersion | None:
    """The latest version of the questionnaire named by SURVEY_SPECIAL_TEMPLATE, else of the newest
    questionnaire; None while there is none."""
    templates = SurveyTemplate.objects.filter(versions__isnull=False).distinct()
    name = getattr(settings, "SURVEY_SPECIAL_TEMPLATE", "")
    template = (templates.filter(name=name).first() if name else None) or templates.order_by(
        "-created_at", "-pk").first()
    if name and template is not None and template.name != name:
        logger.warning("SURVEY_SPECIAL_TEMPLATE %r names no questionnaire; using %r", name, template.name)
    return template.latest_version() if template is not None else None


def surveys_after_complaints(*, complaints: Sequence[ComplaintLike], actor: User | None, reason: TimelineText,
                             contact_method: str = SPECIAL_CONTACT_METHOD) -> list[Survey]:
    """One special survey for each complaint that has none yet (第十二条 专项调查), in the caller's
    transaction: audience special, no campaign, the complaint's customer and unit, the special
    questionnaire, by phone (or `contact_method`), planned. Without any questionnaire none is made
    (logged)."""
    complaints = [c for c in complaints if c.pk is not None]
    if not complaints:
        return []
    version = special_questionnaire()
    if version is None:
        logger.warning("No questionnaire: no special survey for %s", ", ".join(c.number for c in complaints))
        return []
    has_one = set(Survey.objects.filter(complaint_id__in=[c.pk for c in complaints])
                  .values_list("complaint_id", flat=True))
    complaints = [c for c in complaints if c.pk not in has_one]
    if not complaints:
        return []
    now = timezone.now()
    numbers = CaseNumberSequence.next_numbers(prefix=SURVEY_NUMBER_PREFIX, at=now, count=len(complaints))
    # It rates the unit the complaint counts against (a transferred one: the first unit), as its KPIs do.
    surveys = [Survey(number=number, customer_id=c.customer_id,
                      responsible_unit_id=c.counted_unit_id or c.responsible_unit_id,
                      complaint_id=c.pk, template_version=version, contact_method=contact_method,
                      first_responder_id=c.first_responder_id, created_at=now)
               for number, c in zip(numbers, complaints, strict=True)]
    try:
        # A savepoint: a concurrent maker of the same survey (the unique constraint) costs this
        # attempt only, never the complaint's own change.
        with transaction.atomic():
            Survey.objects.bulk_create(surveys)
    except IntegrityError:
        if len(complaints) > 1:
            raise
        return []
    events = TableSink(CaseEvent, CASE_EVENT_COLUMNS_WITH_LINES)
    survey_type_id = case_content_type(Survey).pk
    for survey, complaint in zip(surveys, complaints, strict=True):
        events.add(survey_type_id, survey.pk, CaseEvent.Kind.CREATED, "special", actor.pk if actor else None, "",
                   SurveyState.PLANNED, "", now, lines_json([reason.line(number=complaint.number)]))
    events.flush()
    return surveys


def survey_after_major_complaint(*, complaint: ComplaintLike, actor: User | None) -> Survey | None:
    made = surveys_after_complaints(complaints=[complaint], actor=actor,
                                    reason=SPECIAL_AFTER_MAJOR)
    return made[0] if made else None


def survey_after_closed_complaint(*, complaint: ComplaintLike, actor: User | None) -> Survey | None:
    """Only when SURVEY_AFTER_CLOSED_COMPLAINT is on (off by default); by phone, or by link when
    SURVEY_AFTER_CLOSED_COMPLAINT_METHOD is "link" (then sent with the closure message:
    satisfaction.services.survey_send_with_closure)."""
    if not getattr(settings, "SURVEY_AFTER_CLOSED_COMPLAINT", False):
        return None
    by_link = getattr(settings, "SURVEY_AFTER_CLOSED_COMPLAINT_METHOD", "phone") == "link"
    made = surveys_after_complaints(complaints=[complaint], actor=actor,
                                    reason=SPECIAL_AFTER_CLOSED,
                                    contact_method=BY_LINK_CONTACT_METHOD if by_link else SPECIAL_CONTACT_METHOD)
    return made[0] if made else None
