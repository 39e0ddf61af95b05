"""Text → records: decode a plan, cut it into paragraphs, read its tasks, bodies, roles, targets and chain leads."""
