"""The lifecycle kernel: each case kind declares its workflow (workflow.steps) and every action
on every kind goes through one path (workflow.act)."""
