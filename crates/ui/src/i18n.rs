//! The workspace's words in Spanish and English. Every message is a field
//! of [`Text`], so a message missing in one language is a compile error,
//! not a blank on screen. (A struct per language is lighter than fluent for
//! two languages and a few hundred words; plural rules are not needed yet.)

/// The languages the workspace speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// From a locale setting (`es`, `es-MX`, `en-US`); English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("es") {
            Lang::Es
        } else {
            Lang::En
        }
    }

    /// The first of the browser's languages we speak (`Accept-Language`).
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("es") {
                return Lang::Es;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// The `lang` attribute and the stored locale.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Es => &ES,
            Lang::En => &EN,
        }
    }
}

/// Every message the pages show.
pub struct Text {
    pub app_name: &'static str,
    pub sign_in: &'static str,
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub wrong_password: &'static str,
    pub not_staff: &'static str,
    pub too_many_attempts: &'static str,
    pub form_expired: &'static str,
    pub sign_out: &'static str,
    pub queues: &'static str,
    pub q_my_open: &'static str,
    pub q_unassigned: &'static str,
    pub q_unsolved: &'static str,
    pub q_pending: &'static str,
    pub q_solved: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub results: &'static str,
    pub no_tickets: &'static str,
    pub subject: &'static str,
    pub requester: &'static str,
    pub status: &'static str,
    pub priority: &'static str,
    pub ticket_type: &'static str,
    pub assignee: &'static str,
    pub group: &'static str,
    pub tags: &'static str,
    pub updated: &'static str,
    pub created: &'static str,
    pub none: &'static str,
    pub sort_by: &'static str,
    pub newer: &'static str,
    pub older: &'static str,
    pub page_of: &'static str,
    pub reply: &'static str,
    pub public_reply: &'static str,
    pub internal_note: &'static str,
    pub submit_as: &'static str,
    pub submit: &'static str,
    pub save: &'static str,
    pub properties: &'static str,
    pub customer: &'static str,
    pub identities: &'static str,
    pub organization: &'static str,
    pub earlier_conversations: &'static str,
    pub no_earlier: &'static str,
    pub via: &'static str,
    pub changes: &'static str,
    pub attachments: &'static str,
    pub conflict: &'static str,
    pub saved: &'static str,
    pub reply_added: &'static str,
    pub note_added: &'static str,
    pub also_here: &'static str,
    pub is_replying: &'static str,
    pub is_viewing: &'static str,
    pub live_updated: &'static str,
    pub language: &'static str,
    pub shortcuts: &'static str,
    pub shortcuts_help: &'static [(&'static str, &'static str)],
    pub close: &'static str,
    pub not_found: &'static str,
    pub forbidden: &'static str,
    pub error: &'static str,
    pub back: &'static str,
    pub internal: &'static str,
    pub status_names: [&'static str; 6],
    pub priority_names: [&'static str; 4],
    pub type_names: [&'static str; 4],
    pub bulk_apply: &'static str,
    pub select_ticket: &'static str,
    pub remove: &'static str,
    pub add: &'static str,
    pub add_identity: &'static str,
    pub identity_value: &'static str,
    pub merge_into: &'static str,
    pub merge_preview: &'static str,
    pub merge_customer: &'static str,
    pub merge_moves: &'static str,
    pub merge_explain: &'static str,
    pub merge_confirm: &'static str,
    pub merge_done: &'static str,
    pub merge_undone: &'static str,
    pub undo: &'static str,
    pub tickets_word: &'static str,
    pub no_such_customer: &'static str,
}

impl Text {
    /// A status's name in this language.
    pub fn status(&self, s: domain::Status) -> &'static str {
        let i = domain::Status::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(0);
        self.status_names[i]
    }

    pub fn priority(&self, p: domain::Priority) -> &'static str {
        let i = domain::Priority::ALL
            .iter()
            .position(|x| *x == p)
            .unwrap_or(0);
        self.priority_names[i]
    }

    pub fn ticket_type(&self, t: domain::TicketType) -> &'static str {
        let i = domain::TicketType::ALL
            .iter()
            .position(|x| *x == t)
            .unwrap_or(0);
        self.type_names[i]
    }
}

pub static EN: Text = Text {
    app_name: "atiende",
    sign_in: "Sign in",
    sign_in_title: "Sign in to atiende",
    email: "Email",
    password: "Password",
    wrong_password: "That email and password do not match an active agent account.",
    not_staff: "This workspace is for agents. Customers can find help in the help center.",
    too_many_attempts: "Too many sign-in attempts. Wait a few minutes and try again.",
    form_expired: "This form expired. Reload the page and try again.",
    sign_out: "Sign out",
    queues: "Queues",
    q_my_open: "My open tickets",
    q_unassigned: "Unassigned in my groups",
    q_unsolved: "All unsolved",
    q_pending: "Pending",
    q_solved: "Recently solved",
    search: "Search",
    search_placeholder: "Search tickets: status<solved tags:vip refund",
    results: "results",
    no_tickets: "No tickets here.",
    subject: "Subject",
    requester: "Requester",
    status: "Status",
    priority: "Priority",
    ticket_type: "Type",
    assignee: "Assignee",
    group: "Group",
    tags: "Tags",
    updated: "Updated",
    created: "Created",
    none: "—",
    sort_by: "Sort by",
    newer: "Previous",
    older: "Next",
    page_of: "Page",
    reply: "Reply",
    public_reply: "Public reply",
    internal_note: "Internal note",
    submit_as: "Submit as",
    submit: "Submit",
    save: "Save",
    properties: "Properties",
    customer: "Customer",
    identities: "Identities",
    organization: "Organization",
    earlier_conversations: "Earlier conversations",
    no_earlier: "No other conversations.",
    via: "via",
    changes: "Changes",
    attachments: "Attachments",
    conflict: "Someone else changed this ticket while you were editing it. Nothing was saved: review the current values and save again.",
    saved: "Saved.",
    reply_added: "Reply sent.",
    note_added: "Note added.",
    also_here: "Also here:",
    is_replying: "replying",
    is_viewing: "viewing",
    live_updated: "This ticket was just updated.",
    language: "Language",
    shortcuts: "Keyboard shortcuts",
    shortcuts_help: &[
        ("j / k", "Next / previous ticket in the list"),
        ("Enter", "Open the selected ticket"),
        ("r", "Write a public reply"),
        ("n", "Write an internal note"),
        ("Ctrl+Enter", "Submit the reply"),
        ("/", "Search"),
        ("?", "Show this help"),
    ],
    close: "Close",
    not_found: "Not found.",
    forbidden: "You are not allowed to do that.",
    error: "Something went wrong",
    back: "Back",
    internal: "Internal",
    status_names: ["New", "Open", "Pending", "On-hold", "Solved", "Closed"],
    priority_names: ["Low", "Normal", "High", "Urgent"],
    type_names: ["Question", "Incident", "Problem", "Task"],
    bulk_apply: "Apply to selected",
    select_ticket: "Select ticket",
    remove: "Remove",
    add: "Add",
    add_identity: "Add an identity",
    identity_value: "Address, number or id",
    merge_into: "Merge this customer into",
    merge_preview: "Preview merge",
    merge_customer: "Merge customers",
    merge_moves: "What moves",
    merge_explain: "The first profile is deactivated; its identities and conversations move to the second. You can undo this afterwards.",
    merge_confirm: "Merge",
    merge_done: "The profiles were merged.",
    merge_undone: "The merge was undone: everything is back where it was.",
    undo: "Undo",
    tickets_word: "Conversations",
    no_such_customer: "No customer has that email address.",
};

pub static ES: Text = Text {
    app_name: "atiende",
    sign_in: "Entrar",
    sign_in_title: "Entra en atiende",
    email: "Correo electrónico",
    password: "Contraseña",
    wrong_password: "Ese correo y esa contraseña no corresponden a una cuenta de agente activa.",
    not_staff: "Este espacio es para agentes. Los clientes encuentran ayuda en el centro de ayuda.",
    too_many_attempts: "Demasiados intentos. Espera unos minutos y vuelve a probar.",
    form_expired: "Este formulario caducó. Recarga la página y vuelve a probar.",
    sign_out: "Salir",
    queues: "Colas",
    q_my_open: "Mis tickets abiertos",
    q_unassigned: "Sin asignar en mis grupos",
    q_unsolved: "Todos sin resolver",
    q_pending: "Pendientes",
    q_solved: "Resueltos recientemente",
    search: "Buscar",
    search_placeholder: "Buscar tickets: status<solved tags:vip reembolso",
    results: "resultados",
    no_tickets: "No hay tickets aquí.",
    subject: "Asunto",
    requester: "Solicitante",
    status: "Estado",
    priority: "Prioridad",
    ticket_type: "Tipo",
    assignee: "Asignado a",
    group: "Grupo",
    tags: "Etiquetas",
    updated: "Actualizado",
    created: "Creado",
    none: "—",
    sort_by: "Ordenar por",
    newer: "Anterior",
    older: "Siguiente",
    page_of: "Página",
    reply: "Responder",
    public_reply: "Respuesta pública",
    internal_note: "Nota interna",
    submit_as: "Enviar como",
    submit: "Enviar",
    save: "Guardar",
    properties: "Propiedades",
    customer: "Cliente",
    identities: "Identidades",
    organization: "Organización",
    earlier_conversations: "Conversaciones anteriores",
    no_earlier: "No hay otras conversaciones.",
    via: "por",
    changes: "Cambios",
    attachments: "Adjuntos",
    conflict: "Otra persona cambió este ticket mientras lo editabas. No se guardó nada: revisa los valores actuales y guarda de nuevo.",
    saved: "Guardado.",
    reply_added: "Respuesta enviada.",
    note_added: "Nota añadida.",
    also_here: "También aquí:",
    is_replying: "respondiendo",
    is_viewing: "viendo",
    live_updated: "Este ticket se acaba de actualizar.",
    language: "Idioma",
    shortcuts: "Atajos de teclado",
    shortcuts_help: &[
        ("j / k", "Ticket siguiente / anterior de la lista"),
        ("Intro", "Abrir el ticket seleccionado"),
        ("r", "Escribir una respuesta pública"),
        ("n", "Escribir una nota interna"),
        ("Ctrl+Intro", "Enviar la respuesta"),
        ("/", "Buscar"),
        ("?", "Mostrar esta ayuda"),
    ],
    close: "Cerrar",
    not_found: "No encontrado.",
    forbidden: "No tienes permiso para hacer eso.",
    error: "Algo salió mal",
    back: "Volver",
    internal: "Interna",
    status_names: [
        "Nuevo",
        "Abierto",
        "Pendiente",
        "En espera",
        "Resuelto",
        "Cerrado",
    ],
    priority_names: ["Baja", "Normal", "Alta", "Urgente"],
    type_names: ["Pregunta", "Incidente", "Problema", "Tarea"],
    bulk_apply: "Aplicar a los seleccionados",
    select_ticket: "Seleccionar ticket",
    remove: "Quitar",
    add: "Añadir",
    add_identity: "Añadir una identidad",
    identity_value: "Dirección, número o id",
    merge_into: "Fusionar este cliente con",
    merge_preview: "Ver la fusión",
    merge_customer: "Fusionar clientes",
    merge_moves: "Qué se mueve",
    merge_explain: "El primer perfil se desactiva; sus identidades y conversaciones pasan al segundo. Puedes deshacerlo después.",
    merge_confirm: "Fusionar",
    merge_done: "Los perfiles se fusionaron.",
    merge_undone: "La fusión se deshizo: todo volvió a su sitio.",
    undo: "Deshacer",
    tickets_word: "Conversaciones",
    no_such_customer: "Ningún cliente tiene esa dirección de correo.",
};
