"""Regions (one per Zorg- en Veiligheidshuis) and partner organisations."""
