"""Living by the adopted policy: acknowledgements, the review cycle, answers that follow new
versions, crisis mode."""
