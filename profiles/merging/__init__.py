"""Merging two people: rules apps register, the plan a preview shows, the writes, the undo."""
