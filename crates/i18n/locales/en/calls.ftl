# Phone calls as the case's timeline tells them.
call-answered-by = Call from { $from }, answered by { $agent } ({ $length }).
call-answered = Call from { $from }, answered ({ $length }).
call-missed = Missed call from { $from }.
call-voicemail = Voicemail from { $from }: "{ $text }"
call-voicemail-empty = Voicemail from { $from }.
call-abandoned = Call from { $from }: hung up while waiting in the queue.
call-callback = { $from } asked to be called back.
call-transcription = Voicemail transcription from { $from }: "{ $text }"
call-outbound-answered = Outbound call by { $agent } to { $to }, answered ({ $length }).
call-outbound-unanswered = Outbound call by { $agent } to { $to }, not answered.
