//! What the fuzzing tests share: a time budget (a few seconds on every
//! run, longer on demand with `ATIENDE_FUZZ_SECS`), a small seeded random
//! source (the seed is printed; `ATIENDE_FUZZ_SEED` replays a run), input
//! mutators, a count of panics anywhere in the process (the server runs in
//! it), and the process's resident memory.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long each fuzzer runs: `ATIENDE_FUZZ_SECS`, else `default_secs`.
pub fn budget(default_secs: u64) -> Duration {
    Duration::from_secs(
        std::env::var("ATIENDE_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default_secs),
    )
}

/// Until the budget is spent.
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(d: Duration) -> Deadline {
        Deadline(Instant::now() + d)
    }

    pub fn passed(&self) -> bool {
        Instant::now() >= self.0
    }
}

/// xorshift64*: small, fast and reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    /// Seeded from `ATIENDE_FUZZ_SEED` or the clock; prints the seed.
    pub fn from_env(name: &str) -> Rng {
        let seed = std::env::var("ATIENDE_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(7)
            });
        eprintln!("{name}: ATIENDE_FUZZ_SEED={seed}");
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Values that have broken parsers and handlers elsewhere.
pub const NASTY: &[&str] = &[
    "",
    "0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e999",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "%00",
    "\u{0}",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\"; DROP TABLE tickets; --",
    "ñandú 😀 \u{202e}",
    "\r\nX-Injected: 1",
    "a:b:c",
    "status<solved",
    "*",
    "\\",
];

/// Random edits of `seed`: bytes replaced, inserted, removed, ranges
/// duplicated, nasty strings spliced in.
pub fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..=rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = rng.next_u64() as u8;
            }
            1 => out.insert(at, rng.next_u64() as u8),
            2 if at < out.len() => {
                out.remove(at);
            }
            3 if !out.is_empty() => {
                let start = at.min(out.len() - 1);
                let end = (start + rng.below(64)).min(out.len());
                let piece = out[start..end].to_vec();
                for _ in 0..rng.below(4) {
                    out.splice(start..start, piece.iter().copied());
                }
            }
            _ => {
                let s = rng.pick(NASTY).as_bytes();
                out.splice(at..at, s.iter().copied());
            }
        }
    }
    out
}

/// A random JSON value, nested up to `depth`.
pub fn json_value(rng: &mut Rng, depth: usize) -> serde_json::Value {
    use serde_json::{Value, json};
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.chance(2)),
        2 => match rng.below(4) {
            0 => json!(i64::MAX),
            1 => json!(-(rng.below(1_000_000) as i64)),
            2 => json!(rng.below(1000)),
            _ => json!(1.5e300),
        },
        3 | 4 => json!(rng.pick(NASTY).repeat(1 + rng.below(3))),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| json_value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            const KEYS: &[&str] = &[
                "subject",
                "comment",
                "body",
                "status",
                "priority",
                "tags",
                "requester_id",
                "assignee_id",
                "group_id",
                "custom_fields",
                "id",
                "value",
                "name",
                "email",
                "role",
                "uploads",
                "public",
                "ids",
                "user_id",
                "title",
                "actions",
                "conditions",
            ];
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                m.insert(rng.pick(KEYS).to_string(), json_value(rng, depth - 1));
            }
            Value::Object(m)
        }
    }
}

static PANICS: AtomicU64 = AtomicU64::new(0);

/// Counts every panic in this process from now on (and still prints it):
/// a panicking server task would otherwise only drop its connection.
pub fn count_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
}

pub fn panics() -> u64 {
    PANICS.load(Ordering::SeqCst)
}

/// Resident memory of this process, in bytes (Linux).
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 4096
}
