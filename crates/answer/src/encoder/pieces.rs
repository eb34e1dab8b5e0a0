//! The encoder's tokenizer: SentencePiece's unigram model, read from its
//! `.model` file (a protobuf: pieces with scores, and the precompiled
//! `nmt_nfkc` character map). Normalises the text as SentencePiece does
//! (the map's double-array trie, spaces as `▁`, a leading `▁`, runs of
//! spaces as one) and cuts it into the most probable pieces (Viterbi).

use super::ModelError;
use std::collections::HashMap;

const UNK: u32 = 0;
pub(super) const BOS: u32 = 1;
pub(super) const EOS: u32 = 2;
const SPACE: &str = "\u{2581}";

/// A protobuf message's length-delimited and 32-bit fields, by number.
fn fields(data: &[u8]) -> Result<HashMap<u64, Vec<&[u8]>>, ModelError> {
    let bad = || ModelError::Format("tokenizer model: bad protobuf".into());
    let varint = |pos: &mut usize| -> Result<u64, ModelError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *data.get(*pos).ok_or_else(bad)?;
            *pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(bad());
            }
        }
    };
    let mut out: HashMap<u64, Vec<&[u8]>> = HashMap::new();
    let mut pos = 0;
    while pos < data.len() {
        let tag = varint(&mut pos)?;
        let (field, wire) = (tag >> 3, tag & 7);
        match wire {
            0 => {
                varint(&mut pos)?;
            }
            1 => pos += 8,
            2 => {
                let len = usize::try_from(varint(&mut pos)?).map_err(|_| bad())?;
                let v = data.get(pos..pos + len).ok_or_else(bad)?;
                out.entry(field).or_default().push(v);
                pos += len;
            }
            5 => {
                let v = data.get(pos..pos + 4).ok_or_else(bad)?;
                out.entry(field).or_default().push(v);
                pos += 4;
            }
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

/// The precompiled character map: a darts-clone double-array trie from
/// byte sequences to offsets of NUL-terminated replacements.
struct CharMap {
    units: Vec<u32>,
    replacements: Vec<u8>,
}

impl CharMap {
    fn parse(blob: &[u8]) -> Option<CharMap> {
        let size = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?) as usize;
        let trie = blob.get(4..4 + size)?;
        Some(CharMap {
            units: trie
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            replacements: blob.get(4 + size..)?.to_vec(),
        })
    }

    fn offset(unit: u32) -> usize {
        ((unit >> 10) << ((unit & 0x200) >> 6)) as usize
    }

    /// The longest key at the start of `data`: (its length, replacement).
    fn longest(&self, data: &[u8]) -> Option<(usize, &[u8])> {
        let mut node = Self::offset(*self.units.first()?);
        let mut best = None;
        for (i, &c) in data.iter().enumerate() {
            node ^= usize::from(c);
            let unit = *self.units.get(node)?;
            if unit & 0x8000_00ff != u32::from(c) {
                break;
            }
            node ^= Self::offset(unit);
            if unit & 0x100 != 0 {
                let value = (*self.units.get(node)? & 0x7fff_ffff) as usize;
                best = Some((i + 1, value));
            }
        }
        let (len, value) = best?;
        let rest = self.replacements.get(value..)?;
        let end = rest.iter().position(|&b| b == 0)?;
        Some((len, &rest[..end]))
    }
}

/// The unigram model.
pub(super) struct Tokenizer {
    /// Piece text → (id, score).
    pieces: HashMap<String, (u32, f32)>,
    /// Every proper prefix of a piece, so the walk knows when to stop.
    prefixes: std::collections::HashSet<String>,
    /// The longest piece, in characters.
    max_chars: usize,
    unk_score: f32,
    charmap: Option<CharMap>,
}

impl Tokenizer {
    pub fn parse(model: &[u8]) -> Result<Tokenizer, ModelError> {
        let top = fields(model)?;
        let mut pieces = HashMap::new();
        let mut prefixes = std::collections::HashSet::new();
        let mut max_chars = 1;
        let mut min_score = f32::MAX;
        let mut next_id = 0u32;
        for entry in top.get(&1).map_or(&[][..], Vec::as_slice) {
            let f = fields(entry)?;
            let Some(text) = f.get(&1).and_then(|v| v.first()) else {
                continue;
            };
            let text = String::from_utf8_lossy(text).into_owned();
            let score = f
                .get(&2)
                .and_then(|v| v.first())
                .and_then(|b| <[u8; 4]>::try_from(*b).ok())
                .map_or(0.0, f32::from_le_bytes);
            min_score = min_score.min(score);
            let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            max_chars = max_chars.max(chars.len());
            for &cut in chars.iter().skip(1) {
                prefixes.insert(text[..cut].to_owned());
            }
            // A repeated piece is known by its last id.
            pieces.insert(text, (next_id, score));
            next_id += 1;
        }
        if pieces.is_empty() {
            return Err(ModelError::Format("tokenizer model: no pieces".into()));
        }
        let charmap = top
            .get(&3)
            .and_then(|v| v.first())
            .map(|spec| fields(spec))
            .transpose()?
            .and_then(|spec| {
                spec.get(&2)
                    .and_then(|v| v.first())
                    .and_then(|b| CharMap::parse(b))
            });
        Ok(Tokenizer {
            pieces,
            prefixes,
            max_chars,
            unk_score: min_score - 10.0,
            charmap,
        })
    }

    /// The text as SentencePiece normalises it.
    fn normalize(&self, text: &str) -> String {
        let raw = text.as_bytes();
        let mut out = String::with_capacity(raw.len() + 8);
        let mut pos = 0;
        let mut prev_space = true; // no leading spaces
        while pos < raw.len() {
            let (len, piece): (usize, std::borrow::Cow<'_, str>) =
                match self.charmap.as_ref().and_then(|m| m.longest(&raw[pos..])) {
                    Some((len, rep)) => (len, String::from_utf8_lossy(rep)),
                    None => {
                        let len = text[pos..].chars().next().map_or(1, char::len_utf8);
                        (len, std::borrow::Cow::Borrowed(&text[pos..pos + len]))
                    }
                };
            pos += len;
            let mut piece: &str = &piece;
            if prev_space {
                piece = piece.trim_start_matches(' ');
            }
            if piece.is_empty() {
                continue;
            }
            if out.is_empty() {
                out.push_str(SPACE);
            }
            for ch in piece.chars() {
                if ch == ' ' {
                    out.push_str(SPACE);
                } else {
                    out.push(ch);
                }
            }
            prev_space = piece.ends_with(' ');
        }
        while out.len() > SPACE.len() && out.ends_with(SPACE) {
            out.truncate(out.len() - SPACE.len());
        }
        if out == SPACE {
            out.clear();
        }
        out
    }

    /// The piece ids of a text, between the sentence markers.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = self.normalize(text);
        let mut ids = vec![BOS];
        if normalized.is_empty() {
            ids.push(UNK);
        } else {
            ids.extend(self.viterbi(&normalized));
        }
        ids.push(EOS);
        ids
    }

    /// The most probable cut into pieces: every piece starting at a
    /// position extends the best path ending there (ties keep the
    /// earlier start, as SentencePiece does); a character no piece
    /// starts with is an unknown piece.
    fn viterbi(&self, s: &str) -> Vec<u32> {
        let bounds: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let n = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        best[0] = 0.0;
        let mut from = vec![0usize; n + 1];
        let mut piece = vec![UNK; n + 1];
        for i in 0..n {
            let base = best[i];
            let mut single = false;
            for j in i + 1..=(i + self.max_chars).min(n) {
                let sub = &s[bounds[i]..bounds[j]];
                if let Some(&(id, score)) = self.pieces.get(sub) {
                    let total = base + score;
                    if total > best[j] {
                        best[j] = total;
                        from[j] = i;
                        piece[j] = id;
                    }
                    single |= j == i + 1;
                }
                if !self.prefixes.contains(sub) {
                    break;
                }
            }
            if !single {
                let total = base + self.unk_score;
                if total > best[i + 1] {
                    best[i + 1] = total;
                    from[i + 1] = i;
                    piece[i + 1] = UNK;
                }
            }
        }
        let mut ids = Vec::new();
        let mut p = n;
        while p > 0 {
            ids.push(piece[p]);
            p = from[p];
        }
        ids.reverse();
        ids
    }
}
