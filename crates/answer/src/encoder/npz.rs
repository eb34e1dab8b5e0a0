//! Reads the arrays of a NumPy `.npz` file: a zip archive of `.npy` files,
//! stored or deflated. Only what the encoder's weights use: little-endian
//! `float32`, `uint8`, `int8` and `float64`, C order.

use super::ModelError;
use std::collections::HashMap;
use std::io::Read;

/// One array: its shape and its values widened to `f32` (or kept as bytes).
pub(super) struct Array {
    pub shape: Vec<usize>,
    pub data: Data,
}

pub(super) enum Data {
    F32(Vec<f32>),
    U8(Vec<u8>),
}

impl Array {
    fn check(&self, name: &str, shape: &[usize]) -> Result<(), ModelError> {
        if self.shape == shape {
            Ok(())
        } else {
            Err(ModelError::Format(format!(
                "{name}: shape {:?}, expected {shape:?}",
                self.shape
            )))
        }
    }

    /// The values as `f32`, checked against the expected shape.
    pub fn f32(self, name: &str, shape: &[usize]) -> Result<Vec<f32>, ModelError> {
        self.check(name, shape)?;
        match self.data {
            Data::F32(v) => Ok(v),
            Data::U8(_) => Err(ModelError::Format(format!(
                "{name}: bytes, expected floats"
            ))),
        }
    }

    /// The values as bytes, checked against the expected shape.
    pub fn u8(self, name: &str, shape: &[usize]) -> Result<Vec<u8>, ModelError> {
        self.check(name, shape)?;
        match self.data {
            Data::U8(v) => Ok(v),
            Data::F32(_) => Err(ModelError::Format(format!(
                "{name}: floats, expected bytes"
            ))),
        }
    }
}

fn bad(what: &str) -> ModelError {
    ModelError::Format(format!("npz: {what}"))
}

fn u16_at(b: &[u8], at: usize) -> Result<usize, ModelError> {
    b.get(at..at + 2)
        .map(|s| usize::from(u16::from_le_bytes([s[0], s[1]])))
        .ok_or_else(|| bad("truncated"))
}

fn u32_at(b: &[u8], at: usize) -> Result<usize, ModelError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or_else(|| bad("truncated"))
}

/// Every array of the archive, by name (without `.npy`).
pub(super) fn read(bytes: &[u8]) -> Result<HashMap<String, Array>, ModelError> {
    // The end-of-central-directory record: the last "PK\5\6" (a comment
    // may follow it).
    let eocd = (0..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
        .ok_or_else(|| bad("no central directory"))?;
    let entries = u16_at(bytes, eocd + 10)?;
    let mut at = u32_at(bytes, eocd + 16)?;
    let mut out = HashMap::new();
    for _ in 0..entries {
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
        {
            return Err(bad("central directory entry"));
        }
        let method = u16_at(bytes, at + 10)?;
        let compressed = u32_at(bytes, at + 20)?;
        let size = u32_at(bytes, at + 24)?;
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let local = u32_at(bytes, at + 42)?;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("truncated name"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;

        if !bytes
            .get(local..)
            .is_some_and(|b| b.starts_with(b"PK\x03\x04"))
        {
            return Err(bad("local header"));
        }
        let start = local + 30 + u16_at(bytes, local + 26)? + u16_at(bytes, local + 28)?;
        let raw = bytes
            .get(start..start + compressed)
            .ok_or_else(|| bad("truncated entry"))?;
        let npy = match method {
            0 => raw.to_vec(),
            8 => {
                let mut v = Vec::with_capacity(size);
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut v)
                    .map_err(|e| bad(&format!("{name}: {e}")))?;
                v
            }
            m => return Err(bad(&format!("{name}: compression method {m}"))),
        };
        let key = name.strip_suffix(".npy").unwrap_or(&name).to_owned();
        out.insert(
            key,
            parse_npy(&npy).map_err(|e| bad(&format!("{name}: {e}")))?,
        );
    }
    Ok(out)
}

/// One `.npy` file: magic, version, a header dict, then the values.
fn parse_npy(b: &[u8]) -> Result<Array, String> {
    if !b.starts_with(b"\x93NUMPY") || b.len() < 10 {
        return Err("not an npy array".into());
    }
    let (header_len, header_at) = match b[6] {
        1 => (usize::from(u16::from_le_bytes([b[8], b[9]])), 10),
        _ => (
            b.get(8..12)
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
                .ok_or("truncated")?,
            12,
        ),
    };
    let header = b
        .get(header_at..header_at + header_len)
        .map(String::from_utf8_lossy)
        .ok_or("truncated header")?;
    let value = |key: &str| -> Option<String> {
        let at = header.find(&format!("'{key}':"))? + key.len() + 3;
        let rest = header[at..].trim_start();
        let end = if rest.starts_with('(') {
            rest.find(')')? + 1
        } else {
            rest.find(',')?
        };
        Some(rest[..end].trim().trim_matches('\'').to_owned())
    };
    if value("fortran_order").as_deref() != Some("False") {
        return Err("Fortran order".into());
    }
    let shape: Vec<usize> = value("shape")
        .ok_or("no shape")?
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<usize>().map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let count: usize = shape.iter().product();
    let values = &b[header_at + header_len..];
    let descr = value("descr").ok_or("no descr")?;
    let data = match descr.as_str() {
        "<f4" => Data::F32(
            values
                .chunks_exact(4)
                .take(count)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        "<f8" => Data::F32(
            values
                .chunks_exact(8)
                .take(count)
                .map(|c| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(c);
                    f64::from_le_bytes(a) as f32
                })
                .collect(),
        ),
        "|u1" | "|i1" => Data::U8(values.iter().take(count).copied().collect()),
        other => return Err(format!("type {other}")),
    };
    let len = match &data {
        Data::F32(v) => v.len(),
        Data::U8(v) => v.len(),
    };
    if len != count {
        return Err("truncated values".into());
    }
    Ok(Array { shape, data })
}
