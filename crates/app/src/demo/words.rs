//! What the demo data is made of: names, companies, groups, the issues
//! customers write about and the replies and notes, in Spanish and English.

pub(super) const FIRST: &[&str] = &[
    "Ana", "Luis", "María", "José", "Carmen", "Javier", "Lucía", "Diego", "Sofía", "Pablo", "Emma",
    "Oliver", "Grace", "Henry", "Chloe", "Jack", "Isabel", "Tomás", "Valeria", "Mateo",
];
pub(super) const LAST: &[&str] = &[
    "García",
    "Martínez",
    "López",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Fernández",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Ruiz",
    "Díaz",
    "Moreno",
    "Jones",
];
pub(super) const COMPANIES: &[&str] = &[
    "Andes",
    "Pampa",
    "Brisa",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Sierra",
    "Litoral",
    "Quetzal",
    "Harbor",
    "Cumbre",
    "Delta",
    "Orchard",
    "Altiplano",
    "Bluebird",
    "Tierra",
    "Summit",
    "Cobalt",
    "Ribera",
    "Maple",
];
pub(super) const GROUPS: &[(&str, &str)] = &[
    ("Soporte", "Primer nivel, español e inglés"),
    ("Facturación", "Pagos, reembolsos y facturas"),
    ("Técnico", "Incidencias técnicas y errores"),
];

/// (subject, first message, tags) per language: Spanish then English.
pub(super) const ISSUES: &[(&str, &str, &str, &str)] = &[
    (
        "es",
        "No llega mi pedido",
        "Hola, hice un pedido hace diez días y todavía no ha llegado. El seguimiento no se actualiza desde el martes. ¿Pueden revisarlo?",
        "envio pedido",
    ),
    (
        "es",
        "Solicitud de reembolso",
        "Buenas tardes, quiero solicitar el reembolso del cargo duplicado en mi tarjeta. Adjunto el extracto del banco.",
        "reembolso facturacion",
    ),
    (
        "es",
        "No puedo iniciar sesión",
        "Desde ayer no puedo entrar a mi cuenta. Me dice que la contraseña es incorrecta aunque la cambié dos veces.",
        "acceso cuenta",
    ),
    (
        "es",
        "Cambiar la dirección de envío",
        "Necesito cambiar la dirección de entrega de mi suscripción antes del próximo envío. Me mudé la semana pasada.",
        "envio suscripcion",
    ),
    (
        "es",
        "Factura con datos incorrectos",
        "La factura del mes pasado tiene mal el CIF de la empresa. ¿Me pueden emitir una nueva?",
        "factura facturacion",
    ),
    (
        "es",
        "La aplicación se cierra sola",
        "La app se cierra al abrir la sección de pedidos en mi teléfono Android. Ya la reinstalé y sigue igual.",
        "app error",
    ),
    (
        "es",
        "Cancelar suscripción",
        "Quiero cancelar mi suscripción mensual. No encuentro la opción en la web.",
        "suscripcion cancelacion",
    ),
    (
        "en",
        "Package never arrived",
        "Hi, my order was marked as delivered yesterday but nothing came. My neighbours have not seen it either.",
        "shipping order",
    ),
    (
        "en",
        "Refund for damaged item",
        "The blender arrived with a cracked jar. I would like a refund or a replacement, photos attached.",
        "refund damaged",
    ),
    (
        "en",
        "Cannot reset my password",
        "The password reset email never arrives. I checked the spam folder too. Please help me get back into my account.",
        "login account",
    ),
    (
        "en",
        "Charged twice this month",
        "I see two charges for my subscription on my credit card statement this month. Please refund the duplicate.",
        "billing refund",
    ),
    (
        "en",
        "Export fails with an error",
        "When I export my invoices to CSV the page shows an error 500. It worked fine last week.",
        "bug export",
    ),
    (
        "en",
        "Upgrade to the business plan",
        "We are growing and want to move to the business plan with 20 seats. What happens to our current billing cycle?",
        "sales upgrade",
    ),
    (
        "en",
        "Wrong size delivered",
        "I ordered a medium jacket and received a large. How do I exchange it?",
        "exchange order",
    ),
];

pub(super) const AGENT_REPLIES_ES: &[&str] = &[
    "Gracias por escribirnos. Ya lo estamos revisando y le respondemos en cuanto tengamos novedades.",
    "He comprobado su cuenta y el problema ya está resuelto. ¿Puede confirmarlo?",
    "Hemos emitido el reembolso; lo verá en su tarjeta en 3 a 5 días hábiles.",
    "Le envié un enlace para restablecer la contraseña. Revise también la carpeta de spam.",
];
pub(super) const AGENT_REPLIES_EN: &[&str] = &[
    "Thanks for reaching out. We are looking into it and will get back to you shortly.",
    "I checked your account and the issue is fixed now. Could you confirm on your side?",
    "We have issued the refund; it should reach your card within 3 to 5 business days.",
    "I have sent you a new reset link. Please check the spam folder as well.",
];
pub(super) const CUSTOMER_REPLIES_ES: &[&str] = &[
    "Gracias, quedo atento.",
    "Sigue sin funcionar, lo intenté de nuevo esta mañana.",
    "¡Perfecto, ya está resuelto! Muchas gracias.",
];
pub(super) const CUSTOMER_REPLIES_EN: &[&str] = &[
    "Thanks, I'll wait for your update.",
    "It still does not work, I tried again this morning.",
    "Perfect, that fixed it. Thank you!",
];
pub(super) const NOTES: &[&str] = &[
    "Nota interna: revisar con logística antes de responder.",
    "Internal note: customer is on the enterprise plan, prioritise.",
    "Escalado a técnico, ver incidencia relacionada.",
];
