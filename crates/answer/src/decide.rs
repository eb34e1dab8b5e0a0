//! Answer or hand over: the bot answers only when the best article holds
//! most of what the message is about; it hands over when the customer asks
//! for a person, when the message says nothing to look up, and when no
//! article holds enough of it.

use crate::{Analysed, Ranked};

/// Why the bot decided as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The customer asked for a person.
    AskedForPerson,
    /// The message is on a topic admins always hand over.
    HandoverTopic,
    /// Nothing in the message to look up (a greeting, thanks, gibberish).
    NothingToAnswer,
    /// No article holds enough of what the message is about.
    NoGoodMatch,
    /// An article answers it.
    Answered,
}

/// Where the decision's line is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// The least confidence to answer from words alone: the best
    /// article's strength of match times the share of the message's
    /// meaning it holds.
    pub min_confidence: f32,
    /// The least confidence to answer when the sentence encoder is
    /// installed: the mean of the words' confidence and the sentence
    /// vectors' cosine.
    pub min_confidence_with_meaning: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_confidence: 0.35,
            min_confidence_with_meaning: 0.325,
        }
    }
}

impl Thresholds {
    /// The line for a ranked article (with or without its vectors' cosine).
    pub fn min_for(&self, r: &Ranked) -> f32 {
        if r.semantic {
            self.min_confidence_with_meaning
        } else {
            self.min_confidence
        }
    }
}

/// How sure the bot is that an article answers: strong matches on most of
/// what the message is about, and — with the encoder — a message and an
/// article that mean the same (the two measured together separate
/// answerable questions from the rest better than either alone).
pub fn confidence(r: &Ranked) -> f32 {
    let words = (r.strength * r.coverage).clamp(0.0, 1.0);
    if r.semantic {
        ((words + r.similarity) / 2.0).clamp(0.0, 1.0)
    } else {
        words
    }
}

/// The decision and how sure it is (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub handover: bool,
    pub confidence: f32,
    pub reason: Reason,
}

pub fn decide(
    asks_for_person: bool,
    message: &Analysed,
    ranked: &[Ranked],
    t: Thresholds,
) -> Decision {
    let hand_over = |confidence: f32, reason| Decision {
        handover: true,
        confidence,
        reason,
    };
    if asks_for_person {
        return hand_over(1.0, Reason::AskedForPerson);
    }
    // No content word, or none the help center knows: nothing to look up
    // (unless the encoder can still match what it means).
    if message.words.is_empty() || (message.known == 0 && message.vector.is_none()) {
        return hand_over(1.0, Reason::NothingToAnswer);
    }
    let Some(top) = ranked.first() else {
        return hand_over(1.0, Reason::NoGoodMatch);
    };
    let c = confidence(top);
    if c < t.min_for(top) {
        return hand_over(1.0 - c, Reason::NoGoodMatch);
    }
    Decision {
        handover: false,
        confidence: c,
        reason: Reason::Answered,
    }
}
