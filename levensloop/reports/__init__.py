"""Monthly inclusion counts per region, frozen as snapshots, with disclosure control outside
the region."""
