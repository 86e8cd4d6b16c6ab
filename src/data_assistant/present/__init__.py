"""Presenters: one typed answer turned into each surface's format."""
