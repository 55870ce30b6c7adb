"""Retention: rules per region and record type, a reviewed destruction list, crypto-shredding."""
