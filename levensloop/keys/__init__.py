"""Data keys in the database (wrapped by the master keys), rotation, retirement, shredding."""
