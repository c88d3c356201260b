"""Authorization tests: the role matrix, tenant isolation, row-level security, field rules."""
