"""A fixed stalking inspection, built only through services and commands that are the same
before and after case attributes became data, and digests of its SPEC outputs.

Run as a script on a checkout (with a fresh database) to print the digests; the test in
test_stalking_outputs_unchanged.py compares them with those printed on main at 6fe621c,
the last commit whose attributes were typed columns."""

import csv
import hashlib
import io
import random
import tempfile
from pathlib import Path

FRAME_COLUMNS = ["urn", "area", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"]


def frame_bytes(plan, areas: list[str]) -> bytes:
    rng = random.Random(19)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FRAME_COLUMNS)
    n = 0
    for area in areas:
        for stratum in plan.strata:
            for _ in range(stratum.per_area * 2 + 2):
                n += 1
                outcome = stratum.where["outcome"]
                writer.writerow([f"G{n:06d}", area, stratum.where["category"], outcome, stratum.where.get("court", ""),
                                 rng.choice(["yes", "no"]), "yes" if outcome == "nfa" and n % 4 == 0 else "no",
                                 f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"])  # fmt: skip
        n += 1
        writer.writerow([f"G{n:06d}", area, "controlling_coercive", "charged", "crown", "yes", "no", "2025-02-02"])
    return out.getvalue().encode()


def build_outputs() -> dict[str, str]:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from openpyxl import load_workbook

    from casefiles.models import Area, CaseFile
    from casefiles.services import (
        answers_record_new,
        examination_open,
        examination_submit,
        files_assign_balanced,
        inspection_create,
    )
    from questionset import services as qs
    from questionset.rules import question_applies
    from sampling import plan as plans
    from sampling.services import dip_sample_draw, frame_import, sample_draw

    plan = plans.load_plan_file(getattr(plans, "DEFAULT_PLAN", None) or plans.DEFAULT_PLAN)
    from django.conf import settings

    # Version 1 of the stalking set, the one the digests were taken with (version 2 came later).
    first_version = Path(settings.BASE_DIR) / "questionset" / "data" / "stalking-2026.yaml"
    question_set = qs.question_set_load_file(path=first_version)
    inspection = inspection_create(slug="golden", name="Golden", plan=plan, question_set=question_set)
    areas = list(Area.objects.order_by("name").values_list("name", flat=True))
    frame_import(inspection=inspection, filename="golden.csv", content=frame_bytes(plan, areas))
    sample_draw(inspection=inspection, seed=5)
    inspectors = [User.objects.create(username=f"golden{i}") for i in range(1, 5)]
    files_assign_balanced(inspection=inspection, inspectors=inspectors)
    rng = random.Random(23)
    questions = list(question_set.questions.order_by("section__order", "order").prefetch_related("options"))
    for case_file in CaseFile.objects.filter(inspection=inspection).in_sample().order_by("urn")[:80]:
        examination = examination_open(case_file=case_file, examiner=case_file.assigned_to)
        values, given = {}, {}
        for question in questions:
            if not question_applies(question.applies_when, case_file.attributes, given):
                continue
            codes = [o.code for o in question.options.all()]
            if question.answer_type == "choice":
                value = rng.choice(codes)
            elif question.answer_type == "multi":
                value = "|".join(c for c in codes if rng.random() < 0.4) or codes[0]
            elif question.answer_type == "number":
                value = str(rng.randint(1, 9))
            elif question.answer_type == "date":
                value = "2025-03-03"
            else:
                value = "Text."
            needs_comment = set(value.split("|")) & set(question.comment_required_for)
            values[question] = (value, "Because." if needs_comment else "")
            given[question.code] = value
        answers_record_new(examination=examination, values=values, user=case_file.assigned_to, source="import")
        examination_submit(examination=examination, user=case_file.assigned_to)
    dip_sample_draw(inspection=inspection, percent=15, seed=3)
    folder = Path(tempfile.mkdtemp(prefix="golden-"))
    outputs = {}
    for command, name in (("export_sample", "sample.csv"), ("export_results", "results.csv")):
        call_command(command, "--inspection", "golden", "-o", str(folder / name), stdout=io.StringIO())
        outputs[name] = (folder / name).read_bytes()
    call_command("build_report", "--inspection", "golden", "-o", str(folder / "report.xlsx"), stdout=io.StringIO())
    rows = load_workbook(folder / "report.xlsx", read_only=True)["data"].iter_rows(values_only=True)
    outputs["data sheet"] = "\n".join(repr(row) for row in rows).encode()
    return {name: f"{len(content.splitlines())} lines, sha256 {hashlib.sha256(content).hexdigest()}"
            for name, content in outputs.items()}  # fmt: skip


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    django.setup()
    call = __import__("django.core.management", fromlist=["call_command"]).call_command
    call("migrate", verbosity=0)
    for name, digest in build_outputs().items():
        print(f"{name}: {digest}")
