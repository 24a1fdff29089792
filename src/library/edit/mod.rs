//! Writing to a library: changes to one reply in a file's text that keep
//! every other byte (`doc`), the text of a new reply and the editor's
//! skeleton (`skeleton`), drafts kept under the state folder (`draft`), and
//! installing a new text under the library's lock, only if the file is still
//! what the change was made from and only once it passed validation
//! (`install`). What "valid" means is the caller's (`lint::validate_file`):
//! this layer sits below the rules.

pub mod doc;
pub mod draft;
pub mod install;
pub mod skeleton;

pub use draft::{Draft, Drafts, Kind, Meta};
pub use install::{Installed, Refusal, Target, install};
