"""The service navigation (GOV.UK Frontend's Service navigation component, in base.html): the
sections of the inspection a page belongs to that the signed-in person may use there, and which
section this page is in.

What someone may use depends on their roles in *that* inspection's team, so every item is
decided by one of the existing predicates: `casefiles.access.team_flags` inside an inspection
(the same flags the home page's links use), and outside one only what needs no inspection —
the reports page (`accounts.access.is_report_writer`, the check its view makes first) and the
administration site (the admin site's own `has_permission`)."""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse

from accounts.access import is_report_writer
from casefiles.access import team_flags
from casefiles.models import Inspection


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False  # this very page: aria-current="page"
    active: bool = False  # a page inside the section: aria-current="true"


@dataclass(frozen=True)
class Section:
    text: str
    url_name: str
    flag: str  # a team_flags key
    pages: tuple[str, ...]  # view names of the section's pages; "ns:" or "ns:prefix*" match many
    unless: str = ""  # a team_flags key under which another section already holds these pages


INSPECTION_SECTIONS = (
    Section(
        "Your files",
        "casefiles:queue",
        "examine",
        ("casefiles:queue", "casefiles:examine", "casefiles:check", "casefiles:examination"),
    ),
    Section("Feedback", "quality:feedback", "examine", ("quality:feedback",)),
    Section("Sample", "sampling:overview", "lead", ("sampling:",)),
    Section(
        "Assignments", "casefiles:assignments", "lead", ("casefiles:assign*", "casefiles:balance", "casefiles:bar")
    ),
    Section("Progress", "casefiles:progress", "lead", ("casefiles:progress", "casefiles:examination")),
    Section("Team", "casefiles:team", "lead", ("casefiles:team*",)),
    Section("Quality assurance", "quality:dashboard", "quality_assure", ("quality:",)),
    # The QA lead reaches exercises from the quality assurance pages; a lead without that role here.
    Section("Consistency exercises", "quality:exercises", "oversee", ("quality:exercise*",), unless="quality_assure"),
    Section("Reports", "reports:index", "build_reports", ("reports:",)),
)


def _matches(view_name: str, pattern: str) -> bool:
    if pattern.endswith(":") or pattern.endswith("*"):
        return view_name.startswith(pattern.rstrip("*"))
    return view_name == pattern


def _inspection_items(user, inspection: Inspection) -> list[tuple[str, str, tuple[str, ...]]]:
    flags = team_flags(user, inspection)
    items = []
    for section in INSPECTION_SECTIONS:
        if not flags[section.flag] or (section.unless and flags[section.unless]):
            continue
        if section.url_name == "reports:index":  # the reports page takes its inspection by id
            href = f"{reverse(section.url_name)}?inspection={inspection.pk}"
        else:
            href = reverse(section.url_name, args=[inspection.slug])
        items.append((section.text, href, section.pages))
    return items


def service_navigation(request, inspection: Inspection | None) -> list[NavItem]:
    """The items for this page: the inspection's sections the person may use in it (none
    outside an inspection), then the reports page and administration when they may use them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = _inspection_items(user, inspection) if inspection is not None else []
    if inspection is None and is_report_writer(user):
        items.append(("Reports", reverse("reports:index"), ("reports:",)))
    if admin.site.has_permission(request):
        items.append(("Administration", reverse("admin:index"), ("admin:",)))

    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    # The section holding this page: the one whose matching pattern is the most specific.
    best, best_length = None, 0
    for index, (_text, _href, pages) in enumerate(items):
        for pattern in pages:
            if _matches(view_name, pattern) and len(pattern) > best_length:
                best, best_length = index, len(pattern)
    return [
        NavItem(
            text=text, href=href, current=index == best and request.path == href.split("?")[0], active=index == best
        )
        for index, (text, href, _pages) in enumerate(items)
    ]


def inspection_of_page(context, request) -> Inspection | None:
    """The inspection a page is about: the view's `inspection` (or its case file's, loaded with
    it by the access helpers); else the one its address names; else, on the home page, the only
    inspection the person belongs to."""
    for candidate in (context.get("inspection"), getattr(context.get("case_file"), "inspection", None)):
        if isinstance(candidate, Inspection):
            return candidate
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
    if slug:
        return Inspection.objects.filter(slug=slug).first()
    listed = context.get("inspections")
    if isinstance(listed, list) and len(listed) == 1 and isinstance(listed[0], Inspection):
        return listed[0]
    return None
