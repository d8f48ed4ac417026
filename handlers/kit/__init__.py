"""The shared kit every capability speaks Slack through.

- `context`: the request context (who asks, their language, one unit of work, `slack` and
  `lookup`), attached to every request;
- `slack`: `Outgoing`, the one way to write to Slack, and `Lookup`, the reads;
- `mrkdwn`: `Mrkdwn`, text safe to post, and the markup the bot means to make;
- `catalogue`: the message catalogue as safe mrkdwn (`say`) or plain text (`plain`);
- `blocks`: Block Kit builders that take only `Mrkdwn` and cut to Slack's `limits`;
- `payloads`: button values and modal metadata as typed dataclasses;
- `incoming`: Slack markup in what people send, read as plain text;
- `replies`: answering one person privately, however the request allows;
- `status`: where the draft stands, as drafting and the Home tab both show it.
"""
