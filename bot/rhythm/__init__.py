"""The working group's rhythm (steps 1, 2 and 4 of the method): the project's setup, each
section's owner and deadline, the reminders and digests that keep it moving, and who is told
when a section is complete."""
