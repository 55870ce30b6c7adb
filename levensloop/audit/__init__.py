"""The audit log (NEN 7513)."""
