"""In-app notifications (berichten) and the e-mail that only says there is one.

Modules raise a notification with `services.notify(user_id, region_id, kind=..., title=...,
link=..., person_id=..., dedup_key=...)`; the hourly job `berichten-mailen` (see `jobs.py`)
sends each user with new unread notifications one e-mail without personal data.
"""
