"""Alerts: deadlines computed by services once a day and delivered as notifications."""
