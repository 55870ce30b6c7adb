"""Backup and restore of the database (`flask backup create|restore`).

The master keys are never part of a backup: the database holds only wrapped data keys, so a
backup is readable only together with the separately kept key backup.
"""
