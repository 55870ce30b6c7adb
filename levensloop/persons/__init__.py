"""The person registry: every personal field encrypted, search through blind indexes."""
