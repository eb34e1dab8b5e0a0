//! The core's `VoiceStep`s said in TwiML, Twilio's instructions for a
//! call. Every key press and every end of a step comes back to one of the
//! line's webhooks (`/channels/voice/{line}/{hook}`), so the core decides
//! each next step. Texts are escaped; each is said in the caller's
//! language.

use domain::voice::{AgentPhone, VoiceStep};

/// The longest voicemail, in seconds.
const VOICEMAIL_SECS: u32 = 180;

/// How long the language menu and the line's menu wait for a key.
const MENU_WAIT_SECS: u32 = 6;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Twilio's name of a language for `<Say>`.
fn voice_language(lang: &str) -> &'static str {
    if lang.starts_with("es") {
        "es-ES"
    } else {
        "en-US"
    }
}

fn say(out: &mut String, lang: &str, texts: &[String]) {
    for t in texts.iter().filter(|t| !t.trim().is_empty()) {
        out.push_str(&format!(
            "<Say language=\"{}\">{}</Say>",
            voice_language(lang),
            escape(t)
        ));
    }
}

/// The line's webhook addresses, absolute (Twilio calls them).
pub struct Hooks {
    /// `{public base}/channels/voice/{line}`.
    pub base: String,
}

impl Hooks {
    fn url(&self, hook: &str) -> String {
        escape(&format!("{}/{hook}", self.base))
    }
}

/// The TwiML document that says `step`.
pub fn render(step: &VoiceStep, hooks: &Hooks) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    match step {
        VoiceStep::ChooseLanguage { choices } => {
            out.push_str(&format!(
                "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"{MENU_WAIT_SECS}\" action=\"{}\" method=\"POST\">",
                hooks.url("language")
            ));
            for (lang, text) in choices {
                say(&mut out, lang, std::slice::from_ref(text));
            }
            out.push_str("</Gather>");
            // No key: the default language.
            out.push_str(&format!(
                "<Redirect method=\"POST\">{}</Redirect>",
                hooks.url("language")
            ));
        }
        VoiceStep::Menu { lang, say: texts } => {
            out.push_str(&format!(
                "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"{MENU_WAIT_SECS}\" action=\"{}\" method=\"POST\">",
                hooks.url("menu")
            ));
            say(&mut out, lang, texts);
            out.push_str("</Gather>");
            out.push_str(&format!(
                "<Redirect method=\"POST\">{}</Redirect>",
                hooks.url("menu")
            ));
        }
        VoiceStep::Hold {
            lang,
            say: texts,
            music,
            hold_secs,
        } => {
            out.push_str(&format!(
                "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"{hold_secs}\" action=\"{}\" method=\"POST\">",
                hooks.url("queue-keys")
            ));
            say(&mut out, lang, texts);
            if let Some(url) = music {
                out.push_str(&format!("<Play loop=\"1\">{}</Play>", escape(url)));
            }
            out.push_str("</Gather>");
            out.push_str(&format!(
                "<Redirect method=\"POST\">{}</Redirect>",
                hooks.url("wait")
            ));
        }
        VoiceStep::Dial {
            lang,
            say: texts,
            to,
            ring_secs,
            record,
        } => {
            say(&mut out, lang, texts);
            out.push_str(&format!(
                "<Dial timeout=\"{ring_secs}\" answerOnBridge=\"true\" action=\"{}\" method=\"POST\"{}>",
                hooks.url("dialed"),
                recording(*record, hooks)
            ));
            let (noun, who) = match to {
                AgentPhone::Number(n) => ("Number", n.as_str()),
                AgentPhone::Client(c) => ("Client", c.as_str()),
            };
            out.push_str(&format!(
                "<{noun} statusCallbackEvent=\"answered\" statusCallback=\"{}\" statusCallbackMethod=\"POST\">{}</{noun}>",
                hooks.url("agent"),
                escape(who)
            ));
            out.push_str("</Dial>");
        }
        VoiceStep::Connect {
            customer,
            caller_id,
            record,
        } => {
            out.push_str(&format!(
                "<Dial callerId=\"{}\" action=\"{}\" method=\"POST\"{}><Number>{}</Number></Dial>",
                escape(caller_id),
                hooks.url("dialed"),
                recording(*record, hooks),
                escape(customer)
            ));
        }
        VoiceStep::Voicemail { lang, say: texts } => {
            say(&mut out, lang, texts);
            out.push_str(&format!(
                "<Record maxLength=\"{VOICEMAIL_SECS}\" playBeep=\"true\" action=\"{}\" method=\"POST\" \
                 recordingStatusCallback=\"{}\" recordingStatusCallbackMethod=\"POST\" \
                 transcribe=\"true\" transcribeCallback=\"{}\"/>",
                hooks.url("recorded"),
                hooks.url("recording"),
                hooks.url("transcription")
            ));
        }
        VoiceStep::Goodbye { lang, say: texts } => {
            say(&mut out, lang, texts);
            out.push_str("<Hangup/>");
        }
        VoiceStep::Nothing => {}
    }
    out.push_str("</Response>");
    out
}

/// A Dial's recording attributes, when calls are recorded.
fn recording(record: bool, hooks: &Hooks) -> String {
    if record {
        format!(
            " record=\"record-from-answer-dual\" recordingStatusCallback=\"{}\" recordingStatusCallbackMethod=\"POST\"",
            hooks.url("recording")
        )
    } else {
        String::new()
    }
}

/// An apology for a request that is not one of a line's (an unknown
/// line): said, then the call ends.
pub fn apology() -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    for (lang, words) in app::voice::apology() {
        say(&mut out, lang, &[words]);
    }
    out.push_str("<Hangup/></Response>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hooks() -> Hooks {
        Hooks {
            base: "https://desk.example/channels/voice/3".into(),
        }
    }

    #[test]
    fn a_menu_listens_for_a_key_and_comes_back_without_one() {
        let xml = render(
            &VoiceStep::Menu {
                lang: "es".into(),
                say: vec!["Gracias por llamar a A & B.".into()],
            },
            &hooks(),
        );
        assert!(xml.contains("<Say language=\"es-ES\">Gracias por llamar a A &amp; B.</Say>"));
        assert!(xml.contains("action=\"https://desk.example/channels/voice/3/menu\""));
        assert!(xml.ends_with("<Redirect method=\"POST\">https://desk.example/channels/voice/3/menu</Redirect></Response>"));
    }

    #[test]
    fn hold_plays_the_lines_music_and_listens_for_keys() {
        let xml = render(
            &VoiceStep::Hold {
                lang: "es".into(),
                say: vec!["Es la siguiente llamada en ser atendida.".into()],
                music: Some("https://cdn.example/espera.mp3?a=1&b=2".into()),
                hold_secs: 20,
            },
            &hooks(),
        );
        assert!(xml.contains(
            "<Play loop=\"1\">https://cdn.example/espera.mp3?a=1&amp;b=2</Play></Gather>"
        ));
        assert!(xml.contains("action=\"https://desk.example/channels/voice/3/queue-keys\""));
        assert!(xml.ends_with("<Redirect method=\"POST\">https://desk.example/channels/voice/3/wait</Redirect></Response>"));
    }

    #[test]
    fn a_dial_rings_the_agents_client_and_reports_the_answer() {
        let xml = render(
            &VoiceStep::Dial {
                lang: "en".into(),
                say: vec![],
                to: AgentPhone::Client("agent-7".into()),
                ring_secs: 20,
                record: true,
            },
            &hooks(),
        );
        assert!(xml.contains("<Dial timeout=\"20\""));
        assert!(xml.contains("record=\"record-from-answer-dual\""));
        assert!(xml.contains("<Client statusCallbackEvent=\"answered\" statusCallback=\"https://desk.example/channels/voice/3/agent\" statusCallbackMethod=\"POST\">agent-7</Client>"));
    }
}
