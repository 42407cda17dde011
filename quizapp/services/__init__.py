"""Use cases that read and change the database; the only layer that commits."""
