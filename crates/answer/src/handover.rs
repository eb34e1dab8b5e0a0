//! "I want to talk to a person", in either language and in the ways people
//! say it: a word for a person (agent, human, operador…) with a verb of
//! talking or passing on, or alone in a short message, or refusing the bot.

use search::analyze::{fold, words};

/// Words for someone to talk to.
const PERSON: &[&str] = &[
    "agente",
    "agentes",
    "operador",
    "operadora",
    "humano",
    "humana",
    "persona",
    "asesor",
    "asesora",
    "alguien",
    "encargado",
    "responsable",
    "agent",
    "agents",
    "human",
    "person",
    "representative",
    "rep",
    "operator",
    "manager",
    "someone",
    "somebody",
    "supervisor",
];

/// Verbs of talking to or being passed to someone.
const TALK: &[&str] = &[
    "hablar",
    "hablo",
    "habla",
    "pasar",
    "pasame",
    "pasadme",
    "pasas",
    "pasais",
    "pasa",
    "ponme",
    "ponerme",
    "contactar",
    "llamar",
    "llamame",
    "atienda",
    "atender",
    "speak",
    "talk",
    "chat",
    "contact",
    "call",
    "transfer",
    "connect",
    "escalate",
];

/// Ways of refusing the bot itself.
const NOT_A_BOT: &[&[&str]] = &[
    &["no", "quiero", "un", "bot"],
    &["no", "quiero", "bot"],
    &["no", "bot"],
    &["not", "a", "bot"],
    &["no", "robot"],
    &["stop", "bot"],
];

/// Whether a message asks for a person rather than an answer.
pub fn asks_for_person(message: &str) -> bool {
    let folded = fold(message);
    let w: Vec<&str> = words(&folded).collect();
    let has_person = w.iter().any(|x| PERSON.contains(x));
    let has_talk = w.iter().any(|x| TALK.contains(x));
    if has_person && (has_talk || w.len() <= 4) {
        return true;
    }
    NOT_A_BOT
        .iter()
        .any(|phrase| w.windows(phrase.len()).any(|win| win == *phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_for_a_person_in_either_language() {
        for m in [
            "quiero hablar con una persona",
            "me pasas con un agente por favor",
            "agent please",
            "Can I talk to a real human?",
            "operador",
            "no quiero un bot",
            "I want to speak to a manager about my order",
            "pásame con alguien de verdad",
        ] {
            assert!(asks_for_person(m), "{m}");
        }
        for m in [
            "¿Puede recoger mi pedido otra persona?",
            "my parcel was left with someone else",
            "how do I reset my password",
        ] {
            assert!(!asks_for_person(m), "{m}");
        }
    }
}
