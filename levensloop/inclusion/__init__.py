"""From referral to inclusion: aanmelding, triage, the inclusion table, trajectories."""
