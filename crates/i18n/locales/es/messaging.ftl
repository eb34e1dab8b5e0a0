# Messaging channels (WhatsApp, Messenger, Instagram, Telegram, SMS): what
# the answer bot says there, and its talk as the person reads it on the case.
msg-bot-how-can-i-help = Hola, soy el asistente virtual. ¿En qué puedo ayudarte?
msg-bot-suggests = Esto puede ayudarte:
msg-bot-did-it-help = ¿Te ha servido? Si no, escribe «persona» y te atenderá alguien del equipo.
msg-bot-button-helped = Sí, me sirvió
msg-bot-button-person = Hablar con persona
msg-bot-glad = ¡Me alegro! Si necesitas algo más, escríbenos por aquí.
msg-bot-handover-soon = Te paso con una persona del equipo. Te responderá por aquí en breve.
msg-bot-handover-opens = Te paso con una persona del equipo. Ahora estamos cerrados: te responderá por aquí a partir del { $when } ({ $zone }).
msg-bot-transcript = — Conversación con el asistente virtual —
