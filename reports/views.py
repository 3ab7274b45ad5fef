"""Report pages for managers and administrators, and their exports."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.decorators import role_required
from casework.personal_data import may_see_unmasked
from casework.roles import Role, user_roles
from complaints.models import Complaint
from sla.selectors import open_milestones_of

from .annual import annual_assessment
from .exports import monthly_report_csv, monthly_report_xlsx, report_filename
from .forms import (
    ExportForm,
    HalfYearExportForm,
    HalfYearForm,
    MonthForm,
    NegativeMediaExposureForm,
    QuarterExportForm,
    QuarterForm,
    YearForm,
)
from .models import MonthlyReportSnapshot, NegativeMediaExposure
from .monthly import kpi_trend
from .monthly_tables import monthly_tables
from .periods import HalfYear, Month, Quarter
from .proposal_kpis import proposal_kpis
from .quarterly import quarterly_analysis
from .satisfaction import RESPONSE_TARGET, half_year_analysis, satisfaction_report
from .satisfaction_exports import half_year_satisfaction_files, quarterly_satisfaction_files
from .snapshots import month_is_over, report_of_month, report_recalculate

READERS = (Role.MANAGER, Role.ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_form(request, form_class, field, default):
    """Bound to ?field=…, or to the default period; an invalid value falls back with the error shown."""
    form = form_class(request.GET if field in request.GET else {field: str(default)})
    return form, (form.cleaned_data[field] if form.is_valid() else default)


def _pct(value):
    return None if value is None else round(float(value) * 100, 1)


@role_required(*READERS)
def dashboard(request):
    this_month = Month.current()
    # One grouped query over a year of complaints: seconds at a million rows, so shared for a few minutes.
    trend = cache.get_or_set(f"reports:trend:{this_month}", lambda: kpi_trend(last=this_month, months=12),
                             settings.REPORT_TREND_CACHE_SECONDS)
    series = {
        "labels": [str(r.month) for r in trend],
        "closure": [_pct(r.total.closure_rate) for r in trend],
        "contact": [_pct(r.total.contact_rate) for r in trend],
        "satisfaction": [_pct(r.total.satisfaction_rate) for r in trend],
    }
    # Counting distinct overdue cases reads every breached clock: ~0.7 s at a million complaints,
    # so the figure is refreshed once a minute.
    overdue = cache.get_or_set(
        "reports:overdue-count",
        lambda: open_milestones_of(Complaint).filter(due_at__lte=timezone.now()).values("case_id").distinct().count(),
        60)
    return render(request, "reports/dashboard.html", {
        "title": _("Dashboard"), "current": trend[-1], "previous": trend[-2], "trend": trend,
        "series": series, "overdue": overdue,
    })


@role_required(*READERS)
def monthly(request):
    form, month = _period_form(request, MonthForm, "month", Month.current().shift(-1))
    report = report_of_month(month=month, by=request.user)
    versions = MonthlyReportSnapshot.objects.filter(month=str(month)).count() if report.version else 0
    return render(request, "reports/monthly.html", {
        "form": form, "report": report, "title": _("Monthly report"), "versions": versions,
        # The same tables, cell for cell, as the XLSX this person would download.
        "tables": monthly_tables(report, unmasked=may_see_unmasked(request.user)),
        "may_recalculate": report.version is not None and Role.ADMIN in user_roles(request.user),
    }, status=200 if form.is_valid() else 400)


@require_POST
@role_required(Role.ADMIN)
def monthly_recalculate(request):
    """The administrator's explicit recalculation of a month that is over: a new stored version."""
    form = MonthForm(request.POST)
    if not form.is_valid() or not month_is_over(form.cleaned_data["month"]):
        return HttpResponse(_("Only a month that is over can be recalculated."), status=400)
    report = report_recalculate(month=form.cleaned_data["month"], by=request.user)
    return redirect(f"{reverse('reports:monthly')}?month={report.month}")


@role_required(*READERS)
def media_exposures(request):
    """Negative media exposures (seed 001 5.1.5): the list, and a form to record one."""
    form = NegativeMediaExposureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exposure = form.save(commit=False)
        exposure.recorded_by = request.user
        exposure.save()
        return redirect("reports:media_exposures")
    exposures = NegativeMediaExposure.objects.select_related("unit", "recorded_by")[:200]
    return render(request, "reports/media_exposures.html", {
        "form": form, "exposures": exposures, "title": _("Negative media exposure"),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@role_required(*READERS)
def monthly_export(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/monthly.html",
                      {"form": form, "report": None, "title": _("Monthly report")}, status=400)
    report = report_of_month(month=form.cleaned_data["month"], by=request.user)
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(monthly_report_csv(report), content_type="text/csv; charset=utf-8")
        name = report_filename(report, "csv")
    else:
        unmasked = may_see_unmasked(request.user)
        response = HttpResponse(monthly_report_xlsx(report, unmasked=unmasked), content_type=XLSX)
        name = report_filename(report, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*READERS)
def quarterly(request):
    form, quarter = _period_form(request, QuarterForm, "quarter", Quarter.of(timezone.localdate()))
    return render(request, "reports/quarterly.html",
                  {"form": form, "analysis": quarterly_analysis(quarter=quarter), "title": _("Quarterly analysis")},
                  status=200 if form.is_valid() else 400)


@role_required(*READERS)
def annual(request):
    form, year = _period_form(request, YearForm, "year", timezone.localdate().year)
    return render(request, "reports/annual.html",
                  {"form": form, "year": year, "rows": annual_assessment(year=year),
                   "title": _("Annual unit assessment")},
                  status=200 if form.is_valid() else 400)


@role_required(*READERS)
def proposals(request):
    form, half = _period_form(request, HalfYearForm, "half", HalfYear.of(timezone.localdate()))
    return render(request, "reports/proposals.html",
                  {"form": form, "kpis": proposal_kpis(period=half), "title": _("Proposal KPIs")},
                  status=200 if form.is_valid() else 400)


def _index_points(value):
    return None if value is None else round(float(value), 1)


def _satisfaction_chart(current, previous=None, previous_label=""):
    """The chart's data: the index per unit (and the previous half-year's beside it), in a json_script."""
    units = current.by_unit
    if previous is not None:
        known = {r.key for r in units}
        units = units + [r for r in previous.by_unit if r.key not in known]
    before = {r.key: r for r in (previous.by_unit if previous is not None else [])}
    now = {r.key: r for r in current.by_unit}
    series = {
        "labels": [r.label for r in units],
        "datasets": [{"label": str(current.period),
                      "data": [_index_points(now[r.key].index) if r.key in now else None for r in units]}],
        "yLabel": _("Satisfaction index"),
    }
    if previous is not None:
        series["datasets"].append({"label": previous_label or str(previous.period),
                                   "data": [_index_points(before[r.key].index) if r.key in before else None
                                            for r in units]})
    return series


@role_required(*READERS)
def satisfaction_quarterly(request):
    """The quarterly satisfaction report (seed 002 第十四条)."""
    form, quarter = _period_form(request, QuarterForm, "quarter", Quarter.of(timezone.localdate()))
    report = satisfaction_report(period=quarter)
    return render(request, "reports/satisfaction_quarterly.html", {
        "form": form, "report": report, "target": RESPONSE_TARGET, "chart": _satisfaction_chart(report),
        "title": _("Quarterly satisfaction report"),
    }, status=200 if form.is_valid() else 400)


@role_required(*READERS)
def satisfaction_half_year(request):
    """The half-year survey analysis (seed 002 第十三条), with the previous half-year beside it."""
    form, half = _period_form(request, HalfYearForm, "half", HalfYear.of(timezone.localdate()))
    analysis = half_year_analysis(half=half)
    return render(request, "reports/satisfaction_half_year.html", {
        "form": form, "analysis": analysis, "report": analysis.current, "target": RESPONSE_TARGET,
        "chart": _satisfaction_chart(analysis.current, analysis.previous),
        "title": _("Half-year satisfaction analysis"),
    }, status=200 if form.is_valid() else 400)


def _satisfaction_export(request, form_class, field, error, build):
    form = form_class(request.GET)
    if not form.is_valid():
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    extension = form.cleaned_data["format"]
    content, name = build(form.cleaned_data[field], extension)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8" if extension == "csv" else XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*READERS)
def satisfaction_quarterly_export(request):
    return _satisfaction_export(
        request, QuarterExportForm, "quarter", _("Enter a quarter as YYYY-Qn, e.g. 2026-Q4."),
        lambda quarter, extension: quarterly_satisfaction_files(satisfaction_report(period=quarter), extension))


@role_required(*READERS)
def satisfaction_half_year_export(request):
    return _satisfaction_export(
        request, HalfYearExportForm, "half", _("Enter a half-year as YYYY-Hn, e.g. 2026-H2."),
        lambda half, extension: half_year_satisfaction_files(half_year_analysis(half=half), extension))
