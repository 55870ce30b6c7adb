"""Legal titles, placements and refusals of a person: what has been tried."""
