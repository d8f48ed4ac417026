"""Action ids shown by one capability and listened for by another: here, in a module that
imports nothing, so that registering the listeners imports no capability's core
(`handlers.kit.later`)."""

# The action of every button that starts (or resumes) drafting a section; the drafting
# capability listens for it, wherever the button is shown.
START_SECTION = "drafting_start_section"
RESUME_SECTION = "drafting_resume"  # a link button that opens a session's thread
SETUP_PROJECT = "rhythm_setup_open"  # the Home tab's button that opens the project's setup
PLAN_SECTION = "rhythm_plan_open"  # the Home tab's button: a section's owner and deadline
# The adoption modal's button that asks management to approve in Slack instead (`rhythm`).
SIGNOFF_IN_SLACK = "rhythm_signoff_open"
