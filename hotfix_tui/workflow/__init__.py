"""The workflow's rules: phases, the §10 checklist, validation, the timeline."""
