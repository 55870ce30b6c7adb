"""Need-to-know sharing under the Wgs: data categories, the sharing matrix, case participants,
legal bases, break-glass, and the one policy that every screen asks."""
