//! Is a message really from the address in its `From:`? SPF (the client's
//! address against the envelope sender's domain), DKIM (signatures against
//! the signers' published keys) and DMARC alignment (one of those must vouch
//! for the `From:` domain), checked with `mail-auth` through a DNS resolver
//! we are given — the system's, or a chosen server (tests run their own on
//! loopback). Where an upstream MTA already checked the message (an IMAP
//! mailbox at a provider), an admin may say to trust its
//! `Authentication-Results` header instead, naming the server.

use app::email::SenderCheck;
use mail_auth::dkim::Signature;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{AuthenticatedMessage, DkimResult, DmarcResult, MessageAuthenticator, SpfResult};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// What the envelope said about a message, as stored with it.
#[derive(Debug, Clone, Default)]
pub struct Envelope<'a> {
    /// The client's address (none for fetched mail).
    pub peer: Option<IpAddr>,
    /// The name it greeted us with.
    pub helo: Option<&'a str>,
    /// `MAIL FROM` (empty for bounces and fetched mail).
    pub mail_from: &'a str,
}

/// Checks senders; built once and shared by the inbound workers.
pub struct SenderVerifier {
    dns: MessageAuthenticator,
    /// The `authserv-id` whose `Authentication-Results` we trust, if any.
    trusted_authserv: Option<String>,
    /// Our own name, for SPF's macros.
    hostname: String,
}

impl SenderVerifier {
    /// Resolves with `dns_server` when given, else the system's resolver
    /// configuration (`/etc/resolv.conf`).
    pub fn new(
        dns_server: Option<SocketAddr>,
        trusted_authserv: Option<String>,
        hostname: &str,
    ) -> std::io::Result<Self> {
        let mut opts = ResolverOpts::default();
        opts.timeout = Duration::from_secs(3);
        opts.attempts = 2;
        let dns = match dns_server {
            Some(addr) => MessageAuthenticator::new(
                ResolverConfig::from_parts(
                    None,
                    vec![],
                    NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true),
                ),
                opts,
            ),
            // No usable system configuration (a container without
            // resolv.conf): every check then fails, and staff mail is held
            // for an admin rather than believed; the server still runs.
            None => MessageAuthenticator::new_system_conf().or_else(|e| {
                tracing::warn!(error = %e, "no DNS resolver configured: mail from staff addresses will be held (set --dns-server)");
                MessageAuthenticator::new(
                    ResolverConfig::from_parts(None, vec![], NameServerConfigGroup::with_capacity(0)),
                    ResolverOpts::default(),
                )
            }),
        }
        .map_err(|e| std::io::Error::other(format!("DNS resolver: {e}")))?;
        Ok(SenderVerifier {
            dns,
            trusted_authserv: trusted_authserv.filter(|s| !s.trim().is_empty()),
            hostname: hostname.to_string(),
        })
    }

    /// Whether `raw` is vouched for as coming from its `From:` domain.
    pub async fn check(&self, raw: &[u8], envelope: &Envelope<'_>) -> SenderCheck {
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return SenderCheck::Failed("unreadable headers".into());
        };
        let Some(from_domain) = single_from_domain(&message) else {
            return SenderCheck::Failed("no single From: domain".into());
        };
        if let Some(id) = &self.trusted_authserv {
            return match trusted_results(&message, id) {
                Some(results) => judge_results(&results, &from_domain),
                None => SenderCheck::Failed(format!("no Authentication-Results from {id}")),
            };
        }
        self.check_dns(&message, &from_domain, envelope).await
    }

    async fn check_dns(
        &self,
        message: &AuthenticatedMessage<'_>,
        from_domain: &str,
        envelope: &Envelope<'_>,
    ) -> SenderCheck {
        let dkim = self.dns.verify_dkim(message).await;
        let mail_from_domain = domain_of(envelope.mail_from)
            .or_else(|| envelope.helo.map(str::to_lowercase))
            .unwrap_or_default();
        let spf = match envelope.peer {
            Some(ip) => {
                let helo = envelope.helo.unwrap_or("unknown");
                let sender = if envelope.mail_from.is_empty() {
                    format!("postmaster@{helo}")
                } else {
                    envelope.mail_from.to_string()
                };
                self.dns
                    .verify_spf(SpfParameters::verify_mail_from(
                        ip,
                        helo,
                        &self.hostname,
                        &sender,
                    ))
                    .await
            }
            // Fetched mail: no client address to check.
            None => mail_auth::SpfOutput::default(),
        };
        let dmarc = self
            .dns
            .verify_dmarc(
                DmarcParameters::new(message, &dkim, &mail_from_domain, &spf)
                    .with_domain_suffix_fn(organizational_domain),
            )
            .await;
        let spf_pass = spf.result() == SpfResult::Pass;
        let signed_for_from = |d: &Signature| {
            organizational_domain(&d.d.to_lowercase()) == organizational_domain(from_domain)
        };
        let aligned_dkim = dkim
            .iter()
            .any(|o| *o.result() == DkimResult::Pass && o.signature().is_some_and(signed_for_from));
        let aligned_spf = spf_pass
            && organizational_domain(&mail_from_domain) == organizational_domain(from_domain);
        // A published DMARC record decides alignment (it may ask for strict);
        // without one, relaxed alignment of SPF or DKIM is required.
        let verified = if dmarc.dmarc_record().is_some() {
            *dmarc.spf_result() == DmarcResult::Pass || *dmarc.dkim_result() == DmarcResult::Pass
        } else {
            aligned_dkim || aligned_spf
        };
        let summary = format!(
            "spf={} dkim={} dmarc={}",
            spf_word(spf.result()),
            if aligned_dkim {
                "pass"
            } else if dkim.is_empty() {
                "none"
            } else {
                "fail"
            },
            if verified { "pass" } else { "fail" }
        );
        if verified {
            SenderCheck::Verified(summary)
        } else {
            SenderCheck::Failed(summary)
        }
    }
}

fn spf_word(r: SpfResult) -> &'static str {
    match r {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

/// The domain of `local@domain`, lower-cased.
fn domain_of(address: &str) -> Option<String> {
    address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_lowercase())
        .filter(|d| !d.is_empty())
}

/// The one domain of the `From:` header (DMARC exempts several).
fn single_from_domain(message: &AuthenticatedMessage<'_>) -> Option<String> {
    let mut domains = message.from.iter().filter_map(|f| domain_of(f));
    let first = domains.next()?;
    domains.all(|d| d == first).then_some(first)
}

/// The registrable part of a domain, approximated by its last two labels
/// (three under a two-letter country code's second level, as `co.uk`).
/// Without the public suffix list this is relaxed alignment's usual
/// stand-in; a strict DMARC record still compares whole domains.
fn organizational_domain(domain: &str) -> &str {
    let labels: Vec<usize> = domain.match_indices('.').map(|(i, _)| i).collect();
    let keep = match labels.len() {
        0 | 1 => return domain,
        n => {
            let tld = &domain[labels[n - 1] + 1..];
            let second = &domain[labels[n - 2] + 1..labels[n - 1]];
            if tld.len() == 2
                && matches!(second, "co" | "com" | "org" | "net" | "ac" | "gov" | "edu")
            {
                3
            } else {
                2
            }
        }
    };
    if labels.len() < keep {
        return domain;
    }
    &domain[labels[labels.len() - keep] + 1..]
}

/// One method's verdict from an `Authentication-Results` header.
#[derive(Debug, Default, PartialEq, Eq)]
struct Results {
    spf: Option<(String, Option<String>)>,
    dkim: Vec<(String, Option<String>)>,
    dmarc: Option<String>,
}

/// The topmost `Authentication-Results` header added by `authserv_id`
/// (RFC 8601): only the receiving server's own header can be trusted;
/// ones further down may have been written by the sender.
fn trusted_results(message: &AuthenticatedMessage<'_>, authserv_id: &str) -> Option<Results> {
    let (_, value) = message
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(b"Authentication-Results"))?;
    let value = String::from_utf8_lossy(value);
    let (id, rest) = value.split_once(';').unwrap_or((&value, ""));
    if !id.trim().eq_ignore_ascii_case(authserv_id) {
        return None;
    }
    Some(parse_results(rest))
}

/// Parses `spf=pass smtp.mailfrom=a@b; dkim=pass header.d=b; dmarc=pass`.
fn parse_results(text: &str) -> Results {
    let mut out = Results::default();
    for clause in text.split(';') {
        let mut words = clause.split_whitespace();
        let Some((method, verdict)) = words.next().and_then(|w| w.split_once('=')) else {
            continue;
        };
        let verdict = verdict.to_ascii_lowercase();
        let property = |key: &str| {
            clause
                .split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .map(|v| v.trim_matches(['"', ';']).to_lowercase())
        };
        match method.to_ascii_lowercase().as_str() {
            "spf" => out.spf = Some((verdict, property("smtp.mailfrom="))),
            "dkim" => out
                .dkim
                .push((verdict, property("header.d=").or(property("header.i=")))),
            "dmarc" => out.dmarc = Some(verdict),
            _ => {}
        }
    }
    out
}

/// Whether trusted results vouch for `from_domain`.
fn judge_results(r: &Results, from_domain: &str) -> SenderCheck {
    let org = organizational_domain(from_domain);
    let aligned = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| domain_of(d).or_else(|| Some(d.to_string())))
            .is_some_and(|d| organizational_domain(&d) == org)
    };
    let dkim_ok = r.dkim.iter().any(|(v, d)| v == "pass" && aligned(d));
    let spf_ok = r
        .spf
        .as_ref()
        .is_some_and(|(v, d)| v == "pass" && aligned(d));
    let dmarc = r.dmarc.as_deref().unwrap_or("none");
    let verified = dmarc == "pass" || (dmarc != "fail" && (dkim_ok || spf_ok));
    let summary = format!(
        "trusted header: spf={} dkim={} dmarc={dmarc}",
        r.spf.as_ref().map_or("none", |(v, _)| v.as_str()),
        if dkim_ok { "pass" } else { "fail" },
    );
    if verified {
        SenderCheck::Verified(summary)
    } else {
        SenderCheck::Failed(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizational_domains() {
        assert_eq!(organizational_domain("mail.example.com"), "example.com");
        assert_eq!(organizational_domain("example.com"), "example.com");
        assert_eq!(organizational_domain("a.b.example.co.uk"), "example.co.uk");
        assert_eq!(organizational_domain("localhost"), "localhost");
    }

    #[test]
    fn trusted_results_are_judged_by_alignment() {
        let r = parse_results(
            " spf=pass smtp.mailfrom=ana@mail.example.com; dkim=fail header.d=example.com; dmarc=none",
        );
        assert!(matches!(
            judge_results(&r, "example.com"),
            SenderCheck::Verified(_)
        ));
        assert!(matches!(
            judge_results(&r, "evil.test"),
            SenderCheck::Failed(_)
        ));
        let r = parse_results(" spf=pass smtp.mailfrom=x@example.com; dmarc=fail");
        assert!(matches!(
            judge_results(&r, "example.com"),
            SenderCheck::Failed(_)
        ));
        let r = parse_results(" dkim=pass header.d=example.com");
        assert!(matches!(
            judge_results(&r, "example.com"),
            SenderCheck::Verified(_)
        ));
    }
}
