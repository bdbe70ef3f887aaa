"""SPEC's outputs for the stalking inspection are byte for byte what they were when its case
attributes were typed columns: export_sample, export_results and the XLSX data sheet."""

import pytest

from .stalking_outputs import build_outputs

# Printed by `python tests/reports/stalking_outputs.py` on main at 6fe621c, the last commit with typed columns
# (19735eb, before the weighted columns joined the data sheet, printed the same two CSV digests).
BEFORE = {
    "sample.csv": "645 lines, sha256 e832ed4f7b61dfb80325597756994388e44e86cede1f31c1883ec5f2ec9be070",
    "results.csv": "3983 lines, sha256 53ed9f50a0bf779e6c12dee42f0d0e8ad2615cf0c6582398278181b82c114ada",
    # One change since: the weighted estimates are summed by design cell rather than file by
    # file, and rounded from a value snapped to nine places. CP6 × Crown Court's weighted share
    # is exactly 43/80 = 53.75% (and 46.25% for "no"): the per-file sums landed a few bits below
    # and printed 53.7 and 46.2; halves rounded up, they are 53.8 and 46.3. Every other line is
    # unchanged (a0cec5a4… before).
    "data sheet": "5071 lines, sha256 afc2b28fe217ff4205c13145d15133155c2ccc67c809980308cdb734fd82b851",
}


@pytest.mark.django_db
def test_the_stalking_exports_and_data_sheet_are_byte_identical_to_the_typed_columns():
    assert build_outputs() == BEFORE
