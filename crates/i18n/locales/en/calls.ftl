# Phone calls as the case's timeline tells them.
call-answered-by = Call from { $from }, answered by { $agent } ({ $length }).
call-answered = Call from { $from }, answered ({ $length }).
call-missed = Missed call from { $from }.
call-voicemail = Voicemail from { $from }: "{ $text }"
call-voicemail-empty = Voicemail from { $from } (no transcription).
