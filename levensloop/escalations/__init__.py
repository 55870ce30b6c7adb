"""The escalation route: from the case up to the national level, with response times."""
