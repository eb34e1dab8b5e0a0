# Phone calls as the case's timeline tells them.
call-answered-by = Llamada de { $from }, atendida por { $agent } ({ $length }).
call-answered = Llamada de { $from }, atendida ({ $length }).
call-missed = Llamada perdida de { $from }.
call-voicemail = Mensaje de voz de { $from }: «{ $text }»
call-voicemail-empty = Mensaje de voz de { $from }.
call-abandoned = Llamada de { $from }: colgó mientras esperaba en la cola.
call-callback = { $from } pidió que le devolvamos la llamada.
call-transcription = Transcripción del mensaje de voz de { $from }: «{ $text }»
call-outbound-answered = Llamada saliente de { $agent } a { $to }, contestada ({ $length }).
call-outbound-unanswered = Llamada saliente de { $agent } a { $to }, sin respuesta.
