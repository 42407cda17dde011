"""Temporary smoke check while building (replaced by the full web tests)."""
