"""Accounts, login with mandatory TOTP, roles per region, server-side sessions."""
