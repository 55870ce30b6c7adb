"""Warm handovers: responsibility moves only on acceptance."""
