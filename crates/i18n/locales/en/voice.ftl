# What a phone line says to callers (spoken, so short sentences).
voice-language-choice = For English, press { $key }.
voice-greeting = Thank you for calling { $name }.
voice-menu-option = For { $label }, press { $key }.
voice-menu-unknown = That is not an option.
voice-closed = We are closed now.
voice-closed-opens = We are closed now. We are back on { $when }.
voice-position = There are { $ahead } calls ahead of yours.
voice-position-next = Yours is the next call to be answered.
voice-keys-voicemail = To leave a message, press 1.
voice-keys-callback = To be called back without losing your place, press 2.
voice-connecting = Connecting you with a member of our team.
voice-nobody = Nobody is available right now.
voice-voicemail-prompt = Please leave your message after the tone and hang up when you are done.
voice-voicemail-thanks = Thank you, we have your message. Goodbye.
voice-callback-confirm = We will call you back at { $number } as soon as we can. Goodbye.
voice-sorry = We are sorry, something went wrong.
voice-goodbye = Goodbye.
