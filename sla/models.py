# The SLA engine (SPEC §5) arrives in its own issue.
