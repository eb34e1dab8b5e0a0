//! The workspace's words: one field of [`Text`] per catalog key, listed
//! by concern in `words/*.rs` and gathered here into one struct (the
//! `words!` and `gather!` macros are in the parent module).

use super::{Lang, keep, names};

#[macro_use]
mod admin;
#[macro_use]
mod desk;
#[macro_use]
mod follow_up;

// Every message the pages show: one field per catalog key of the same
// name, so a message the pages use and the catalog lacks is a failing test
// (`every_word_is_in_both_catalogs`), never a blank on screen.
gather! { [desk_words, admin_words, follow_up_words] }
