"""`\\help`: everything the shell understands, in one screen."""

HELP = r"""policybot shell: the real bot, on a stand-in Slack that lives in this process.

What you type
  /policy …               the slash command (answers only you see are marked "only you")
  any other text          a message where you are: a DM to the bot, a channel message
                          (@policybot … mentions the bot), or a reply in a thread
  @name, #channel, @team  become Slack mentions; a new @name is a new person

Who and where
  \as @name               be someone else (ids come from the name: same person every session)
  \lang nl|en             your Slack language (also stored as your language in the bot)
  \contact PHONE EMAIL    your Slack profile's work phone and e-mail (yours to mention)
  \channel #name          go to a channel (made if new); \channel alone lists them
  \dm                     back to your DM with the bot
  \thread [N|TS]          enter the thread of message [#N] or of the timestamp TS; alone:
                          the bot's latest message here that has a thread, else its latest
  \back                   leave the thread
  \where                  who and where you are
  \usergroup @h @a @b     make the user group @h with members @a and @b

Pressing things
  \pick N  (or \N)        press choice [N] of the last message, home tab or modal
  \pick N M               option M of menu [N]; \pick N 1,3 for several; \pick N @name,
                          \pick N #channel, \pick N 2025-01-31 for pickers
  \submit                 send the open modal. In a terminal you are asked for each field;
                          in a script the lines after \submit say `field: value` (field by
                          number, label, block_id or action_id; options by number or text),
                          up to a blank line
  \cancel                 close the open modal
  \shortcut N             the "Check against policy" message shortcut on message [#N]
  \edit N text            change your message [#N];  \delete N  deletes it
  \home                   open the bot's home tab
  \tick                   run the reminders and the digest that are due (as `policybot tick`)

  \help                   this text;  \quit (or Ctrl-D) leaves

Messages are numbered [#N] as they appear. The bot's data is in DATABASE_URL; what Slack
itself would remember (people, channels, messages, your place) is saved next to a SQLite
database as NAME-shell.json, so after a restart \thread takes you back into a drafting
thread. Delete that file to start the stand-in Slack afresh."""
