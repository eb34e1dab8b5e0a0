//! Guessing credentials: one guard for every credential check (API Basic
//! and bearer, the workspace's sign-in), keyed by account and by source
//! address, so the web and the API share the same limits.
//!
//! - One account from one source: the first [`Policy::free_failures`] are
//!   free, then each further try must wait twice as long as the last
//!   (1 s, 2 s, 4 s … up to [`Policy::max_delay`]). Increasing delays
//!   instead of a hard lock: a person who mistyped gets in soon.
//! - One source guessing many accounts (credential stuffing): once it has
//!   failed on [`Policy::per_source`] different accounts in
//!   [`Policy::window`], it gets 429 for every credential check. One
//!   misconfigured integration failing over and over on its own account
//!   does not lock out the colleagues behind the same address.
//! - One account, every source (a distributed guess at a password): past
//!   [`Policy::per_account`] failures in the window, passwords for it are
//!   refused except from a device it signed in from before, so nobody can
//!   lock an agent out of the workspace by guessing from elsewhere, and
//!   its API tokens (not guessable) keep working.
//!
//! Each refusal and failure is logged (never the secret) and counted.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Who is on the other end of a request: the client's address (the
/// connection's, or a trusted proxy's `X-Forwarded-For`) and whether it
/// reached us over HTTPS (directly, by the public URL, or as a trusted
/// proxy says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    pub https: bool,
}

impl Default for Client {
    fn default() -> Self {
        Client {
            ip: IpAddr::from([127, 0, 0, 1]),
            https: false,
        }
    }
}

impl Client {
    /// The network the client is on, for limits that one household or
    /// office shares: an IPv4 /24, an IPv6 /48.
    pub fn network(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => {
                let o = v4.octets();
                format!("{}.{}.{}.0/24", o[0], o[1], o[2])
            }
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        }
    }
}

/// Connections open at once, in total and per source address, for the
/// listeners (HTTP, SMTP): a place is taken when one is accepted and given
/// back when it closes.
pub struct Connections {
    max_total: usize,
    max_per_source: usize,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// A connection's place among [`Connections`], given back when dropped.
pub struct ConnectionPlace {
    of: std::sync::Arc<Connections>,
    ip: IpAddr,
}

impl Connections {
    pub fn new(max_total: usize, max_per_source: usize) -> std::sync::Arc<Connections> {
        std::sync::Arc::new(Connections {
            max_total,
            max_per_source,
            open: Mutex::new((0, HashMap::new())),
        })
    }

    /// A place for a connection from `ip`, unless a limit is reached;
    /// `unlimited_source` (a trusted proxy carrying many clients) is held
    /// only to the total.
    pub fn take(
        self: &std::sync::Arc<Self>,
        ip: IpAddr,
        unlimited_source: bool,
    ) -> Option<ConnectionPlace> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let from_ip = open.1.get(&ip).copied().unwrap_or(0);
        if open.0 >= self.max_total || (from_ip >= self.max_per_source && !unlimited_source) {
            return None;
        }
        open.0 += 1;
        open.1.insert(ip, from_ip + 1);
        Some(ConnectionPlace {
            of: self.clone(),
            ip,
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.lock().map(|o| o.0).unwrap_or(0)
    }
}

impl Drop for ConnectionPlace {
    fn drop(&mut self) {
        let mut open = self.of.open.lock().unwrap_or_else(|p| p.into_inner());
        open.0 = open.0.saturating_sub(1);
        if let Some(n) = open.1.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.1.remove(&self.ip);
            }
        }
    }
}

/// The limits; see the module's text.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub free_failures: u32,
    pub max_delay: Duration,
    pub per_source: u32,
    pub per_account: u32,
    pub window: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            free_failures: 5,
            max_delay: Duration::from_secs(15 * 60),
            per_source: 20,
            per_account: 30,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// What is checked: a password can be guessed over many sources; a token
/// cannot, so only the source limits apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Secret {
    Password,
    Token,
}

/// Why a credential check was not even tried, with seconds to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub retry_after: u64,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    first: Instant,
    last: Instant,
}

impl Count {
    fn new(now: Instant) -> Count {
        Count {
            failures: 0,
            first: now,
            last: now,
        }
    }
}

/// What one source failed on within the window.
#[derive(Debug, Clone)]
struct SourceCount {
    first: Instant,
    /// The accounts it failed on (kept up to the limit, enough to decide).
    accounts: std::collections::HashSet<String>,
}

#[derive(Default)]
struct Counts {
    /// Per account, source and kind of secret: guessing a password does
    /// not hold up the same account's tokens.
    pairs: HashMap<(String, IpAddr, Secret), Count>,
    sources: HashMap<IpAddr, SourceCount>,
    accounts: HashMap<String, Count>,
}

/// Security events since start, for the admin's counters.
#[derive(Debug, Default)]
pub struct Counters {
    pub failed_sign_ins: AtomicU64,
    pub refused_attempts: AtomicU64,
    pub refused_webhook_signatures: AtomicU64,
    pub suspended_messages: AtomicU64,
}

impl Counters {
    /// The counters for an admin (this node's, since it started).
    pub fn for_admin(
        &self,
        actor: &domain::Actor,
    ) -> Result<Vec<(&'static str, u64)>, crate::AppError> {
        crate::error::require(actor, domain::policy::Capability::ReadSecurityCounters)?;
        Ok(self.snapshot())
    }

    /// `(name, value)` pairs, stable names.
    pub fn snapshot(&self) -> Vec<(&'static str, u64)> {
        vec![
            (
                "failed_sign_ins",
                self.failed_sign_ins.load(Ordering::Relaxed),
            ),
            (
                "refused_attempts",
                self.refused_attempts.load(Ordering::Relaxed),
            ),
            (
                "refused_webhook_signatures",
                self.refused_webhook_signatures.load(Ordering::Relaxed),
            ),
            (
                "suspended_messages",
                self.suspended_messages.load(Ordering::Relaxed),
            ),
        ]
    }

    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The guard; one per node (limits are per node on a cluster).
#[derive(Default)]
pub struct CredentialGuard {
    pub policy: Policy,
    counts: Mutex<Counts>,
    pub counters: Counters,
    /// When the last failure was recorded (ms since the guard began):
    /// while none is recent, checks need not look at the counts at all.
    last_failure_ms: std::sync::atomic::AtomicU64,
    began: std::sync::OnceLock<Instant>,
}

fn key(account: &str) -> String {
    account.trim().to_lowercase()
}

impl CredentialGuard {
    pub fn new(policy: Policy) -> Self {
        CredentialGuard {
            policy,
            ..Default::default()
        }
    }

    fn millis(&self, at: Instant) -> u64 {
        let began = *self.began.get_or_init(Instant::now);
        at.saturating_duration_since(began).as_millis() as u64 + 1
    }

    /// No failure within the longest span any limit looks back over.
    fn quiet(&self, now: Instant) -> bool {
        let last = self.last_failure_ms.load(Ordering::Relaxed);
        let span = self.policy.window.max(self.policy.max_delay).as_millis() as u64;
        last == 0 || self.millis(now) > last + span
    }

    /// Whether no failure is recent: then no check can refuse.
    pub fn is_quiet(&self) -> bool {
        self.quiet(Instant::now())
    }

    fn window_open(&self, c: &Count, now: Instant) -> bool {
        now.duration_since(c.first) < self.policy.window
    }

    /// Whether `account` may be tried from `client` now. `known_device`
    /// says the browser signed in to this account before.
    pub fn check(
        &self,
        account: &str,
        client: Client,
        secret: Secret,
        known_device: bool,
    ) -> Result<(), Refused> {
        let now = Instant::now();
        if self.quiet(now) {
            return Ok(());
        }
        let account = key(account);
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let until_window_ends = |c: &Count| {
            self.policy
                .window
                .saturating_sub(now.duration_since(c.first))
                .as_secs()
                .max(1)
        };
        let refused = if let Some(s) = counts.sources.get(&client.ip)
            && now.duration_since(s.first) < self.policy.window
            && s.accounts.len() >= self.policy.per_source as usize
        {
            let left = self
                .policy
                .window
                .saturating_sub(now.duration_since(s.first));
            Some((left.as_secs().max(1), "source guessing many accounts"))
        } else if let Some(p) = counts.pairs.get(&(account.clone(), client.ip, secret))
            && p.failures >= self.policy.free_failures
            && let wait = self.delay(p.failures)
            && now.duration_since(p.last) < wait
        {
            Some((
                (wait - now.duration_since(p.last)).as_secs().max(1),
                "account and source waiting",
            ))
        } else if secret == Secret::Password
            && !known_device
            && let Some(a) = counts.accounts.get(&account)
            && self.window_open(a, now)
            && a.failures >= self.policy.per_account
        {
            Some((until_window_ends(a), "account over its limit"))
        } else {
            None
        };
        drop(counts);
        match refused {
            Some((retry_after, why)) => {
                Counters::bump(&self.counters.refused_attempts);
                tracing::warn!(account = %account, source = %client.ip, why, "credential check refused");
                Err(Refused { retry_after })
            }
            None => Ok(()),
        }
    }

    /// The wait before the next try after `failures` failures.
    fn delay(&self, failures: u32) -> Duration {
        let over = failures.saturating_sub(self.policy.free_failures).min(20);
        Duration::from_secs(1u64 << over).min(self.policy.max_delay)
    }

    /// Records a failed check.
    pub fn failed(&self, account: &str, client: Client, secret: Secret) {
        let now = Instant::now();
        self.last_failure_ms
            .store(self.millis(now), Ordering::Relaxed);
        let account = key(account);
        Counters::bump(&self.counters.failed_sign_ins);
        tracing::warn!(account = %account, source = %client.ip, "failed sign-in");
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if counts.pairs.len() + counts.sources.len() + counts.accounts.len() > 200_000 {
            let window = self.policy.window.max(self.policy.max_delay);
            counts
                .pairs
                .retain(|_, c| now.duration_since(c.last) < window);
            counts
                .sources
                .retain(|_, c| now.duration_since(c.first) < window);
            counts
                .accounts
                .retain(|_, c| now.duration_since(c.first) < window);
        }
        let window = self.policy.window;
        let bump = |c: &mut Count, windowed: bool| {
            if windowed && now.duration_since(c.first) >= window {
                *c = Count::new(now);
            }
            c.failures += 1;
            c.last = now;
        };
        bump(
            counts
                .pairs
                .entry((account.clone(), client.ip, secret))
                .or_insert(Count::new(now)),
            false,
        );
        let source = counts
            .sources
            .entry(client.ip)
            .or_insert_with(|| SourceCount {
                first: now,
                accounts: Default::default(),
            });
        if now.duration_since(source.first) >= window {
            *source = SourceCount {
                first: now,
                accounts: Default::default(),
            };
        }
        if source.accounts.len() < self.policy.per_source as usize {
            source.accounts.insert(account.clone());
        }
        if secret == Secret::Password {
            bump(
                counts.accounts.entry(account).or_insert(Count::new(now)),
                true,
            );
        }
    }

    /// Forgets the failures of this account from this source.
    pub fn succeeded(&self, account: &str, client: Client, secret: Secret) {
        if self.quiet(Instant::now()) {
            return;
        }
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.pairs.remove(&(key(account), client.ip, secret));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(last: u8) -> Client {
        Client {
            ip: IpAddr::from([10, 0, 0, last]),
            https: false,
        }
    }

    #[test]
    fn delays_grow_after_the_free_failures() {
        let g = CredentialGuard::default();
        for _ in 0..5 {
            assert!(
                g.check("ana@x.test", client(1), Secret::Password, false)
                    .is_ok()
            );
            g.failed("ana@x.test", client(1), Secret::Password);
        }
        let r = g.check("ana@x.test", client(1), Secret::Password, false);
        assert!(r.is_err(), "sixth try waits");
        // Another source, or another account, is not held up by it.
        assert!(
            g.check("ana@x.test", client(2), Secret::Password, false)
                .is_ok()
        );
        assert!(
            g.check("bob@x.test", client(1), Secret::Password, false)
                .is_ok()
        );
        assert_eq!(g.delay(5), Duration::from_secs(1));
        assert_eq!(g.delay(8), Duration::from_secs(8));
        assert_eq!(g.delay(40), Duration::from_secs(15 * 60));
    }

    #[test]
    fn a_distributed_guess_spares_known_devices_and_tokens() {
        let g = CredentialGuard::default();
        for i in 0..30u8 {
            g.failed("ana@x.test", client(i), Secret::Password);
        }
        assert!(
            g.check("ana@x.test", client(99), Secret::Password, false)
                .is_err()
        );
        assert!(
            g.check("ana@x.test", client(99), Secret::Password, true)
                .is_ok()
        );
        assert!(
            g.check("ana@x.test", client(99), Secret::Token, false)
                .is_ok()
        );
    }

    #[test]
    fn one_source_guessing_many_accounts_is_stopped() {
        let g = CredentialGuard::default();
        for i in 0..50 {
            g.failed(&format!("u{i}@x.test"), client(7), Secret::Token);
        }
        assert!(
            g.check("new@x.test", client(7), Secret::Token, false)
                .is_err()
        );
        assert!(
            g.check("new@x.test", client(8), Secret::Token, false)
                .is_ok()
        );
    }
}
