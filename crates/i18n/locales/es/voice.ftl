# What a phone line says to callers (spoken, so short sentences).
voice-language-choice = Para español, pulse { $key }.
voice-greeting = Gracias por llamar a { $name }.
voice-menu-option = Para { $label }, pulse { $key }.
voice-menu-unknown = Esa opción no existe.
voice-closed = Ahora estamos cerrados.
voice-closed-opens = Ahora estamos cerrados. Volvemos el { $when }.
voice-position = Hay { $ahead } llamadas delante de la suya.
voice-position-next = Es la siguiente llamada en ser atendida.
voice-keys-voicemail = Para dejar un mensaje, pulse 1.
voice-keys-callback = Para que le devolvamos la llamada sin perder su turno, pulse 2.
voice-connecting = Le pasamos con una persona del equipo.
voice-nobody = Ahora no hay nadie disponible.
voice-voicemail-prompt = Deje su mensaje después de la señal y cuelgue al terminar.
voice-voicemail-thanks = Gracias, hemos recibido su mensaje. Adiós.
voice-callback-confirm = Le llamaremos al { $number } lo antes posible. Adiós.
voice-sorry = Lo sentimos, ha habido un problema.
voice-goodbye = Adiós.
