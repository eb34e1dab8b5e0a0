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
portal-add-cc = Copy others (email addresses, separated by commas)
portal-reply-empty = Write a reply, or mark the request solved.
portal-cc-invalid = { $value } is not an email address.
portal-form-expired = This form expired. Please try again.
portal-sent = Your reply was added.
portal-conversation = Conversation
portal-solved-note = This request is solved. Replying opens it again.
portal-closed-note = This request is closed. To follow up, write a new request.
