# Proposals (SPEC §4) arrive in a later issue; they will reuse casework's customers,
# units, timeline and attachments, and the "TA" case-number sequence.
