"""Scheduled work kept in the database: jobs (`jobs`), the planners that make them from the
state of things (`planners`), and the turn one instance at a time takes to run them."""
