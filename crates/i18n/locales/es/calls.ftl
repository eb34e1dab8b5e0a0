# Phone calls as the case's timeline tells them.
call-answered-by = Llamada de { $from }, atendida por { $agent } ({ $length }).
call-answered = Llamada de { $from }, atendida ({ $length }).
call-missed = Llamada perdida de { $from }.
call-voicemail = Mensaje de voz de { $from }: «{ $text }»
call-voicemail-empty = Mensaje de voz de { $from } (sin transcripción).
