## El portal del cliente: entrar y «mis solicitudes», en español.

portal-link-subject = Tu enlace para entrar
portal-link-greeting = Hola, { $name }: aquí tienes tu enlace para entrar en nuestro centro de ayuda.
portal-link-action = Entrar
portal-link-note = El enlace sirve una sola vez y durante { $minutes } minutos. Si no lo has pedido, puedes ignorar este mensaje.
portal-link-text = Hola, { $name }:

    Aquí tienes tu enlace para entrar en nuestro centro de ayuda:

    { $link }

    El enlace sirve una sola vez y durante { $minutes } minutos. Si no lo has pedido, puedes ignorar este mensaje.
portal-account = Tu cuenta
portal-sign-in = Iniciar sesión
portal-sign-in-intro = Inicia sesión para ver tus solicitudes y responderlas.
portal-email = Correo electrónico
portal-send-link = Envíame un enlace para entrar
portal-or-password = O entra con tu contraseña
portal-password = Contraseña
portal-link-sent = Si { $email } pertenece a una cuenta, le hemos enviado un enlace para entrar. Sirve una sola vez y durante { $minutes } minutos.
portal-too-many = Demasiadas peticiones desde tu red. Vuelve a intentarlo más tarde.
portal-bad-credentials = Ese correo y esa contraseña no corresponden a ninguna cuenta.
portal-bad-email = Escribe una dirección de correo completa, como nombre@ejemplo.com.
portal-wait = Demasiados intentos. Vuelve a intentarlo dentro de { $seconds } segundos.
portal-link-confirm = Entrar como { $email }
portal-continue = Continuar
portal-link-dead = Este enlace ya se ha usado o ha caducado. Pide otro aquí abajo.
portal-sign-out = Cerrar sesión
portal-my-requests = Mis solicitudes
portal-open = Abiertas
portal-solved = Resueltas
portal-ccd = En copia
portal-no-requests = No hay solicitudes aquí.
portal-status-open = Abierta
portal-status-pending = Esperando tu respuesta
portal-status-solved = Resuelta
portal-status-closed = Cerrada
portal-request = Solicitud n.º { $id }
portal-status = Estado
portal-created = Creada
portal-updated = Última actividad
portal-reply = Responder
portal-your-reply = Tu respuesta
portal-send = Enviar
portal-mark-solved = Doy por resuelta esta solicitud
portal-attach = Adjuntar archivos (5 como máximo)
portal-add-cc = Poner en copia a otras personas (direcciones de correo separadas por comas)
portal-reply-empty = Escribe una respuesta o marca la solicitud como resuelta.
portal-cc-invalid = { $value } no es una dirección de correo.
portal-form-expired = Este formulario ha caducado. Vuelve a intentarlo.
portal-sent = Tu respuesta se ha añadido.
portal-conversation = Conversación
portal-solved-note = Esta solicitud está resuelta. Si respondes, se vuelve a abrir.
portal-closed-note = Esta solicitud está cerrada. Para continuar, escribe una solicitud nueva.
portal-confirm-subject = Hemos recibido tu solicitud n.º { $id }
portal-confirm-greeting = Hemos recibido tu solicitud n.º { $id } y te responderá una persona. Para seguirla y leer nuestras respuestas, confirma tu dirección de correo:
portal-confirm-action = Confirmar y ver mi solicitud
portal-confirm-text = Hemos recibido tu solicitud n.º { $id } y te responderá una persona.

    Para seguirla y leer nuestras respuestas, confirma tu dirección de correo:

    { $link }
portal-new-request = Enviar una solicitud
portal-new-request-intro = Cuéntanos qué necesitas y te responderá una persona. Respondemos por correo.
portal-your-email = Tu dirección de correo
portal-your-name = Tu nombre
portal-subject = Asunto
portal-description = Descripción
portal-description-hint = Cuantos más detalles nos des, antes podremos ayudarte.
portal-form-choice = ¿Sobre qué es?
portal-choose = Elegir el formulario
portal-required = obligatorio
portal-submit = Enviar solicitud
portal-robots = Deja este campo vacío
portal-too-quick = ¡Qué rapidez! Revisa tu solicitud y vuelve a enviarla.
portal-too-many-requests = Demasiadas solicitudes desde esta dirección o red. Vuelve a intentarlo dentro de una hora.
portal-thanks = Gracias. Hemos recibido tu solicitud n.º { $id }.
portal-thanks-plain = Gracias. Hemos recibido tu solicitud.
portal-thanks-confirm = Hemos enviado un enlace a { $email }: ábrelo para confirmar tu dirección, seguir tu solicitud y leer nuestras respuestas.
portal-suggest = Estos artículos pueden responder a tu pregunta:
portal-field-missing = Rellena «{ $field }».
portal-field-invalid = «{ $field }»: { $why }
portal-select-none = —

## Hand-over from the answer bot to a person
handover-transcript = — Conversación con el asistente del centro de ayuda —
handover-customer = Cliente: { $text }
handover-bot-suggested = Asistente: sugirió { $articles }
handover-bot-asked-for-person = Asistente: el cliente pidió hablar con una persona
handover-bot-no-answer = Asistente: no encontró ningún artículo que responda
handover-wants-person = El cliente quiere hablar con una persona.
hc-bot-title = Respuesta sugerida
hc-bot-person-intro = ¿No es lo que buscabas? Una persona del equipo puede ayudarte.
hc-bot-asked-for-person = Te ponemos con una persona del equipo.
hc-bot-no-answer = No hemos encontrado un artículo que responda a eso. Una persona del equipo puede ayudarte.
hc-talk-to-person = Hablar con una persona
hc-handover-details = Cuéntanos algo más (opcional)
hc-handover-title = Te atenderá una persona
hc-handover-new = Tu consulta está en la solicitud n.º { $id }.
hc-handover-continued = Lo hemos añadido a tu solicitud abierta n.º { $id }.
hc-handover-soon = Estamos trabajando ahora: una persona te responderá pronto, aquí y por correo.
hc-handover-opens = Ahora estamos cerrados. Una persona te responderá a partir del { $when } ({ $zone }), aquí y por correo.
hc-handover-see = Ver la solicitud
hc-weekday-0 = domingo
hc-weekday-1 = lunes
hc-weekday-2 = martes
hc-weekday-3 = miércoles
hc-weekday-4 = jueves
hc-weekday-5 = viernes
hc-weekday-6 = sábado
hc-when = { $weekday } { $day } de { $month } a las { $time }
portal-attach-files = Adjuntar archivos (opcional, hasta 5; no se conservan si hay que corregir el formulario)
portal-multiselect-hint = Puedes marcar varias.
