//! Finding where a reply's own words end: the quoted history ("On Monday,
//! Ana wrote:", "El lunes, Ana escribió:", Outlook's "-----Original
//! Message-----" or "From: … Sent: …" block, `>` lines) and the signature
//! ("-- ", "Sent from my iPhone"). What follows is folded in the timeline,
//! never thrown away. Forwarded mail is not folded: what was forwarded is
//! the point of the message.

/// Splits plain text into (what was written, what is folded).
pub fn split_text(text: &str) -> (String, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = fold_line(&lines) else {
        return (text.to_string(), None);
    };
    let head = lines[..at].join("\n");
    if head.trim().is_empty() {
        // Nothing above the fold (a bare forward of a quote, or a top line
        // we misjudged): show everything.
        return (text.to_string(), None);
    }
    let tail = lines[at..].join("\n");
    (head.trim_end().to_string(), Some(tail))
}

/// The first line of the folded part, if any.
fn fold_line(lines: &[&str]) -> Option<usize> {
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let lower = line.to_lowercase();
        if lower.starts_with("---------- forwarded message")
            || lower.starts_with("---------- mensaje reenviado")
            || lower.starts_with("begin forwarded message")
            || lower.starts_with("inicio del mensaje reenviado")
        {
            return None;
        }
        if is_attribution(line, lines.get(i + 1).map(|l| l.trim())) {
            return Some(i);
        }
        if lower.starts_with("-----original message-----")
            || lower.starts_with("-----mensaje original-----")
            || (line.starts_with("________________") && outlook_header_follows(lines, i + 1))
            || ((lower.starts_with("from:") || lower.starts_with("de:"))
                && outlook_header_follows(lines, i))
        {
            return Some(i);
        }
        // The signature delimiter (RFC 3676) and mobile signatures.
        if *raw == "-- "
            || line == "--"
            || lower.starts_with("sent from my ")
            || lower.starts_with("enviado desde mi ")
            || lower.starts_with("get outlook for ")
            || lower.starts_with("obtener outlook para ")
        {
            return Some(i);
        }
        // A block of `>` lines that runs to the end (blank lines allowed).
        if line.starts_with('>')
            && lines[i..]
                .iter()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('>'))
        {
            return Some(i);
        }
    }
    None
}

/// "On … wrote:" / "El … escribió:", possibly wrapped onto a second line.
fn is_attribution(line: &str, next: Option<&str>) -> bool {
    let lower = line.to_lowercase();
    let starts = lower.starts_with("on ") || lower.starts_with("el ");
    if !starts {
        return false;
    }
    let ends = |s: &str| {
        let s = s.trim_end().to_lowercase();
        s.ends_with("wrote:") || s.ends_with("escribió:") || s.ends_with("escribio:")
    };
    ends(line) || (line.len() < 200 && next.is_some_and(ends))
}

/// Outlook's header block: `From:`/`De:` then, within four lines,
/// `Sent:`/`Enviado:`/`Date:`/`Fecha:`.
fn outlook_header_follows(lines: &[&str], from: usize) -> bool {
    let Some(first) = lines.get(from).map(|l| l.trim().to_lowercase()) else {
        return false;
    };
    if !(first.starts_with("from:") || first.starts_with("de:")) {
        return false;
    }
    lines.iter().skip(from + 1).take(4).any(|l| {
        let l = l.trim().to_lowercase();
        ["sent:", "enviado:", "date:", "fecha:", "enviado el:"]
            .iter()
            .any(|p| l.starts_with(p))
    })
}

/// Where mail programs put the quoted history in HTML, and the signature.
const HTML_MARKERS: &[&str] = &[
    "<div class=\"gmail_quote",
    "<div class=\"gmail_signature",
    "<blockquote type=\"cite\"",
    "<div id=\"divrplyfwdmsg\"",
    "<div id=\"appendonsend\"",
    "<hr id=\"stopspelling\"",
    "<div class=\"moz-cite-prefix\"",
    "<div class=\"moz-signature\"",
    "<div class=\"yahoo_quoted\"",
    "<div id=\"mail-editor-reference-message-container\"",
    "-----original message-----",
    "-----mensaje original-----",
];

/// Splits HTML into (what was written, what is folded); each half is
/// sanitised separately later, which also closes tags the cut left open.
pub fn split_html(html: &str) -> (String, Option<String>) {
    let lower = html.to_ascii_lowercase();
    let forwarded = lower.contains("forwarded message") || lower.contains("mensaje reenviado");
    let at = HTML_MARKERS
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .filter(|_| !forwarded);
    let Some(at) = at else {
        return (html.to_string(), None);
    };
    // A marker inside a tag's text would be cut mid-tag: back up to the
    // tag that holds it.
    let at = lower[..at]
        .rfind('<')
        .filter(|lt| !lower[*lt..at].contains('>'))
        .unwrap_or(at);
    let head = &html[..at];
    if crate::parse::visible_text_is_empty(head) {
        return (html.to_string(), None);
    }
    (head.to_string(), Some(html[at..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_attribution_wrapped_over_two_lines() {
        let t = "Sigo esperando.\n\nOn Mon, 23 Nov 2026 at 09:00, Soporte <support@example.com>\nwrote:\n> Hola\n> ¿Algo más?";
        let (head, tail) = split_text(t);
        assert_eq!(head, "Sigo esperando.");
        assert!(tail.unwrap_or_default().starts_with("On Mon"));
    }

    #[test]
    fn spanish_outlook_and_signatures() {
        let t = "Gracias.\n\nDe: Soporte <support@example.com>\nEnviado: lunes, 23 de noviembre de 2026 9:00\nPara: Ana\nAsunto: RE: pedido\n\nHola";
        assert_eq!(split_text(t).0, "Gracias.");
        let t =
            "Ok\n\nEl lun, 23 nov 2026 a las 9:00, Soporte (<support@example.com>) escribió:\n> x";
        assert_eq!(split_text(t).0, "Ok");
        let t = "Ok, gracias\n-- \nAna Pérez\nTel. 600 000 000";
        assert_eq!(
            split_text(t),
            (
                "Ok, gracias".into(),
                Some("-- \nAna Pérez\nTel. 600 000 000".into())
            )
        );
        assert_eq!(split_text("Hola\n\nEnviado desde mi iPhone").0, "Hola");
        let t = "Yes\n\n-----Original Message-----\nFrom: x";
        assert_eq!(split_text(t).0, "Yes");
    }

    #[test]
    fn plain_text_and_forwards_stay_whole() {
        assert_eq!(
            split_text("Hola,\nmi pedido no llega.\n"),
            ("Hola,\nmi pedido no llega.\n".into(), None)
        );
        let fwd =
            "Mira esto\n\n---------- Forwarded message ---------\nFrom: Shop <a@b>\n\n> quoted";
        assert_eq!(split_text(fwd).1, None);
        // "On" at the start of an ordinary sentence is not an attribution.
        assert_eq!(
            split_text("On Monday I ordered a lamp.\nIt has not come.").1,
            None
        );
        // Only quotes, nothing new: nothing to fold.
        assert_eq!(split_text("> only a quote").1, None);
    }

    #[test]
    fn html_quotes_fold_at_the_mail_programs_markers() {
        let g = "<div dir=\"ltr\">Sigo esperando</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon wrote:</div><blockquote>Hola</blockquote></div>";
        let (head, tail) = split_html(g);
        assert_eq!(head, "<div dir=\"ltr\">Sigo esperando</div><br>");
        assert!(
            tail.unwrap_or_default()
                .starts_with("<div class=\"gmail_quote")
        );
        let apple = "<html><body>Gracias<br><div><blockquote type=\"cite\">Hola</blockquote></div></body></html>";
        assert_eq!(split_html(apple).0, "<html><body>Gracias<br><div>");
        let outlook = "<p>Ok</p><div id=\"divRplyFwdMsg\" dir=\"ltr\"><b>From:</b> x</div>";
        assert_eq!(split_html(outlook).0, "<p>Ok</p>");
        assert_eq!(split_html("<p>Hola</p>").1, None);
        assert_eq!(split_html("<div class=\"gmail_quote\">only</div>").1, None);
    }
}
