//! The records as stored: defined in the domain, so every crate reads them
//! without depending on the store.

pub use domain::model::*;
