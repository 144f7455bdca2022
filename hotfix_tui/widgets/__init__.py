"""Reusable Textual widgets for the wizard's screens."""
