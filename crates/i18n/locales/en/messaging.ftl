# Messaging channels (WhatsApp, Messenger, Instagram, Telegram, SMS): what
# the answer bot says there, and its talk as the person reads it on the case.
msg-bot-how-can-i-help = Hi, I'm the virtual assistant. How can I help you?
msg-bot-suggests = This may help:
msg-bot-did-it-help = Did that help? If not, write "person" and someone from the team will answer.
msg-bot-button-helped = Yes, that helped
msg-bot-button-person = Talk to a person
msg-bot-glad = Glad to hear it! If you need anything else, write to us here.
msg-bot-handover-soon = I'm passing you to a person on the team. They will answer here shortly.
msg-bot-handover-opens = I'm passing you to a person on the team. We're closed now: they will answer here from { $when } ({ $zone }).
msg-bot-transcript = — Conversation with the virtual assistant —
