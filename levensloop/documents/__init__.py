"""Attachments on a person's file: encrypted, tagged with a data category, downloads logged."""
