"""SPEC's outputs for the stalking inspection are byte for byte what they were when its case
attributes were typed columns: export_sample, export_results and the XLSX data sheet."""

import pytest

from .stalking_outputs import build_outputs

# Printed by `python tests/reports/stalking_outputs.py` on commit 19735eb (typed columns).
BEFORE = {
    "sample.csv": "645 lines, sha256 e832ed4f7b61dfb80325597756994388e44e86cede1f31c1883ec5f2ec9be070",
    "results.csv": "3983 lines, sha256 53ed9f50a0bf779e6c12dee42f0d0e8ad2615cf0c6582398278181b82c114ada",
    "data sheet": "4666 lines, sha256 bf5ae69a46ede3fec6414d6450b59a47a5cea08f13fcc550667610e822ccc8b6",
}


@pytest.mark.django_db
def test_the_stalking_exports_and_data_sheet_are_byte_identical_to_the_typed_columns():
    assert build_outputs() == BEFORE
