"""Encryption primitives. No Flask imports in this package."""
