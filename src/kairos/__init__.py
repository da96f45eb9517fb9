"""Kairos: the right campaign for the right customer at the right moment."""
