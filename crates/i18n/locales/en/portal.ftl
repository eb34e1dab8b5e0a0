## The customer portal: signing in and "my requests", in English.

portal-link-subject = Your sign-in link
portal-link-greeting = Hello { $name }, here is your link to sign in to our help center.
portal-link-action = Sign in
portal-link-note = The link works once, for { $minutes } minutes. If you did not ask for it, you can ignore this message.
portal-link-text = Hello { $name },

    Here is your link to sign in to our help center:

    { $link }

    The link works once, for { $minutes } minutes. If you did not ask for it, you can ignore this message.
portal-account = Your account
portal-sign-in = Sign in
portal-sign-in-intro = Sign in to see your requests and answer them.
portal-email = Email
portal-send-link = Email me a sign-in link
portal-or-password = Or sign in with your password
portal-password = Password
portal-link-sent = If { $email } belongs to an account, we have sent it a link to sign in. It works once, for { $minutes } minutes.
portal-too-many = Too many requests from your network. Please try again later.
portal-bad-credentials = That email and password do not match an account.
portal-bad-email = Please type a whole email address, like name@example.com.
portal-wait = Too many attempts. Please try again in { $seconds } seconds.
portal-link-confirm = Sign in as { $email }
portal-continue = Continue
portal-link-dead = This sign-in link has been used or has expired. Ask for a new one below.
portal-sign-out = Sign out
portal-my-requests = My requests
portal-open = Open
portal-solved = Solved
portal-ccd = Copied on
portal-no-requests = There are no requests here.
portal-status-open = Open
portal-status-pending = Awaiting your reply
portal-status-solved = Solved
portal-status-closed = Closed
portal-request = Request #{ $id }
portal-status = Status
portal-created = Created
portal-updated = Last activity
portal-reply = Add a reply
portal-your-reply = Your reply
portal-send = Send
portal-mark-solved = Consider this request solved
portal-attach = Attach files (at most 5)
portal-add-cc = Copy others (email addresses, separated by commas)
portal-reply-empty = Write a reply, or mark the request solved.
portal-cc-invalid = { $value } is not an email address.
portal-form-expired = This form expired. Please try again.
portal-sent = Your reply was added.
portal-conversation = Conversation
portal-solved-note = This request is solved. Replying opens it again.
portal-closed-note = This request is closed. To follow up, write a new request.
portal-confirm-subject = We received your request #{ $id }
portal-confirm-greeting = We received your request #{ $id } and a person will answer it. To follow it and read our answers, confirm your email address:
portal-confirm-action = Confirm and see my request
portal-confirm-text = We received your request #{ $id } and a person will answer it.

    To follow it and read our answers, confirm your email address:

    { $link }
portal-new-request = Submit a request
portal-new-request-intro = Tell us what you need and a person will answer. We reply by email.
portal-your-email = Your email address
portal-your-name = Your name
portal-subject = Subject
portal-description = Description
portal-description-hint = The more detail you give, the sooner we can help.
portal-form-choice = What is it about?
portal-choose = Choose the form
portal-required = required
portal-submit = Send request
portal-robots = Leave this field empty
portal-too-quick = That was quick! Please check your request and send it again.
portal-too-many-requests = Too many requests from this address or network. Please try again in an hour.
portal-thanks = Thank you. We received your request #{ $id }.
portal-thanks-plain = Thank you. We received your request.
portal-thanks-confirm = We have sent a link to { $email }: open it to confirm your address, follow your request and read our answers.
portal-suggest = These articles may answer your question:
portal-field-missing = Please fill in “{ $field }”.
portal-field-invalid = “{ $field }”: { $why }
portal-select-none = —

## Hand-over from the answer bot to a person
handover-transcript = — Conversation with the help center's assistant —
handover-customer = Customer: { $text }
handover-bot-suggested = Assistant: suggested { $articles }
handover-bot-asked-for-person = Assistant: the customer asked to talk to a person
handover-bot-no-answer = Assistant: found no article that answers it
handover-wants-person = The customer wants to talk to a person.
hc-bot-title = Suggested answer
hc-bot-person-intro = Not what you were looking for? A person on the team can help.
hc-bot-asked-for-person = We'll put you through to a person on the team.
hc-bot-no-answer = We found no article that answers that. A person on the team can help.
hc-talk-to-person = Talk to a person
hc-handover-details = Tell us more (optional)
hc-handover-title = A person will help you
hc-handover-new = Your question is on request #{ $id }.
hc-handover-continued = We added it to your open request #{ $id }.
hc-handover-soon = We're working now: a person will answer you soon, here and by email.
hc-handover-opens = We're closed now. A person will answer you from { $when } ({ $zone }), here and by email.
hc-handover-see = See the request
hc-weekday-0 = Sunday
hc-weekday-1 = Monday
hc-weekday-2 = Tuesday
hc-weekday-3 = Wednesday
hc-weekday-4 = Thursday
hc-weekday-5 = Friday
hc-weekday-6 = Saturday
hc-when = { $weekday } { $day } { $month } at { $time }
portal-attach-files = Attach files (optional, up to 5; they are not kept if the form needs correcting)
portal-multiselect-hint = You can tick several.
