from casefiles.access import access_inspection_as_lead

__all__ = ["access_inspection_as_lead"]
