"""Screens of the privacy officer: the audit log, access reports, break-glass review, the
processing register. No case content."""
