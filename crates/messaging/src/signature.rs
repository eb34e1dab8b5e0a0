//! Each provider's webhook signature, checked on the raw delivery before
//! anything is stored. Comparisons take the same time whatever matches.

use base64::Engine;
use hmac::{Hmac, Mac};

/// Equal bytes, compared in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Meta's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw
/// body with the app secret.
pub fn meta_ok(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(given) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    same(
        hex(&mac.finalize().into_bytes()).as_bytes(),
        given.to_ascii_lowercase().as_bytes(),
    )
}

/// A token we made, sent back to us as it is: Telegram's
/// `X-Telegram-Bot-Api-Secret-Token` (the secret we gave `setWebhook`),
/// Meta's `hub.verify_token` in its handshake.
pub fn token_ok(ours: &str, given: Option<&str>) -> bool {
    given.is_some_and(|h| same(h.as_bytes(), ours.as_bytes()))
}

/// Twilio's `X-Twilio-Signature`: base64 of HMAC-SHA1, with the auth
/// token, of the full URL Twilio requested followed by each POST
/// parameter's name and value, sorted by name.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub fn twilio_ok(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: Option<&str>,
) -> bool {
    header.is_some_and(|h| {
        same(
            twilio_signature(auth_token, url, params).as_bytes(),
            h.trim().as_bytes(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_signatures_are_the_bodys_hmac() {
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap_or_else(|_| unreachable!());
        mac.update(b"{}");
        let sig = format!("sha256={}", hex(&mac.finalize().into_bytes()));
        assert!(meta_ok("s3cret", b"{}", Some(&sig)));
        assert!(!meta_ok("s3cret", b"{ }", Some(&sig)));
        assert!(!meta_ok("other", b"{}", Some(&sig)));
        assert!(!meta_ok("s3cret", b"{}", None));
        assert!(!meta_ok("s3cret", b"{}", Some("sha1=00")));
    }

    /// Twilio's documented example (its security page): this URL, these
    /// parameters and the token `12345` sign to this value.
    #[test]
    fn twilio_signatures_match_twilios_example() {
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            twilio_signature("12345", url, &params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        assert!(twilio_ok(
            "12345",
            url,
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ));
        assert!(!twilio_ok(
            "12346",
            url,
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ));
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(token_ok("abc", Some("abc")));
        assert!(!token_ok("abc", Some("abcd")));
        assert!(!token_ok("abc", None));
    }
}
