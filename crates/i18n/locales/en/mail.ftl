## Mail atiende sends, in English. These are the texts an admin starts
## from; `{{…}}` are atiende's placeholders, filled when the mail goes out
## (written as Fluent string literals so Fluent leaves them alone).

acknowledgement-subject = {"[#{{ticket.id}}] {{ticket.title}}"}
acknowledgement-body =
    {"Hello {{ticket.requester.first_name}},"}

    {"We received your message and opened ticket #{{ticket.id}}."} We usually answer within one business day. To add anything, reply to this email.

    {"{{support.name}}"}
reply-footer = {"Ticket #{{ticket.id}}: reply to this email to continue."}
