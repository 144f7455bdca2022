"""One Textual screen per workflow phase (filled in by the wizard issue)."""
