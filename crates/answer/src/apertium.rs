//! Offline machine translation between Spanish and English with Apertium
//! (Debian's `apertium-eng-spa`), run as a separate process so its GPL code
//! stays out of our binary. About 0.2 s per call: articles are translated
//! when saved, in batches, never while a customer waits.

use search::analyze::Language;
use std::io::Write;
use std::process::{Command, Stdio};

/// The translator, when `apertium` and the English–Spanish pair are
/// installed.
#[derive(Debug, Clone)]
pub struct Apertium {
    program: String,
}

/// Why a translation failed.
#[derive(Debug)]
pub struct TranslateError(pub String);

impl std::fmt::Display for TranslateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "apertium: {}", self.0)
    }
}

impl std::error::Error for TranslateError {}

fn pair(from: Language) -> &'static str {
    match from {
        Language::Spanish => "spa-eng",
        Language::English => "eng-spa",
    }
}

impl Apertium {
    /// The installed translator, if a test sentence translates.
    pub fn find() -> Option<Apertium> {
        let a = Apertium {
            program: "apertium".into(),
        };
        let out = a.translate(Language::Spanish, &["hola".to_string()]).ok()?;
        (out.len() == 1 && !out[0].trim().is_empty()).then_some(a)
    }

    /// Translates texts from `from` into the other language, one result
    /// per text (each text travels as one line).
    pub fn translate(
        &self,
        from: Language,
        texts: &[String],
    ) -> Result<Vec<String>, TranslateError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let input: String = texts
            .iter()
            .map(|t| t.replace(['\n', '\r'], " "))
            .collect::<Vec<_>>()
            .join("\n");
        let mut child = Command::new(&self.program)
            .args(["-u", "-f", "line", pair(from)])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| TranslateError(e.to_string()))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| TranslateError("no input pipe".into()))?;
        // Written from a thread: a large batch fills the output pipe
        // before all the input is in.
        let writer = std::thread::spawn(move || {
            let r = stdin.write_all(input.as_bytes());
            let _ = stdin.write_all(b"\n");
            r
        });
        let out = child
            .wait_with_output()
            .map_err(|e| TranslateError(e.to_string()))?;
        writer
            .join()
            .map_err(|_| TranslateError("writer failed".into()))?
            .map_err(|e| TranslateError(e.to_string()))?;
        if !out.status.success() {
            return Err(TranslateError(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
        if lines.len() < texts.len() {
            return Err(TranslateError(format!(
                "{} lines back for {} texts",
                lines.len(),
                texts.len()
            )));
        }
        Ok(lines.into_iter().take(texts.len()).collect())
    }
}
