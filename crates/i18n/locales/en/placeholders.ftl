## Words the `{{ticket.status}}` and `{{ticket.priority}}` placeholders put
## into admin-written texts, in English: Zendesk's words, lower case.

placeholder-status-new = new
placeholder-status-open = open
placeholder-status-pending = pending
placeholder-status-hold = hold
placeholder-status-solved = solved
placeholder-status-closed = closed
placeholder-priority-low = low
placeholder-priority-normal = normal
placeholder-priority-high = high
placeholder-priority-urgent = urgent
