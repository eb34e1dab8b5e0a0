## El correo que envía atiende, en español. Son los textos de los que parte
## un administrador; `{{…}}` son los marcadores de atiende, que se rellenan
## al enviar (escritos como literales de Fluent para que Fluent no los toque).

acknowledgement-subject = {"[#{{ticket.id}}] {{ticket.title}}"}
acknowledgement-body =
    {"Hola {{ticket.requester.first_name}}:"}

    {"Hemos recibido tu mensaje y abierto el ticket #{{ticket.id}}."} Solemos responder en un día laborable. Si quieres añadir algo, responde a este correo.

    {"{{support.name}}"}
reply-footer = {"Ticket #{{ticket.id}}: responde a este correo para continuar."}
