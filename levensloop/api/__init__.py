"""The JSON API (`/api/v1`), for token holders; no personal data."""
