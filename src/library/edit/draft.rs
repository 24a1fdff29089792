//! Drafts: the text being written for `new` or `edit`, kept in
//! `$XDG_STATE_HOME/reply/drafts/ID/` until it is installed or discarded,
//! so that an edit that fails its checks, is interrupted, or meets someone
//! else's change is never lost. Beside the text: what it is for (`.draft.json`)
//! and, for an edit, the file as it was when the editor opened it (`.base`),
//! which is how a change by someone else is noticed.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a draft becomes once installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A new reply, appended to `file`: the draft is the reply alone.
    New,
    /// `file` itself, edited whole.
    Edit,
}

/// Where a draft goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub kind: Kind,
    /// The library folder the file is in.
    pub library: PathBuf,
    /// The library file the draft is for.
    pub file: PathBuf,
    /// For a new reply: the skeleton the editor opened on, so an unchanged
    /// draft is noticed and its guide comments left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skeleton: Option<String>,
}

/// A draft on disk.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The draft's folder.
    pub dir: PathBuf,
    /// The text being edited (named after the library file, for the editor).
    pub path: PathBuf,
    pub meta: Meta,
}

const META: &str = ".draft.json";
const BASE: &str = ".base";

/// The drafts folder.
pub struct Drafts {
    dir: PathBuf,
}

impl Drafts {
    pub fn new(dir: PathBuf) -> Drafts {
        Drafts { dir }
    }

    fn folder(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// The draft kept for reply `id`, if any.
    pub fn find(&self, id: &str) -> io::Result<Option<Draft>> {
        let dir = self.folder(id);
        let meta = match std::fs::read(dir.join(META)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta: Meta = serde_json::from_slice(&meta).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is damaged: {e}", dir.join(META).display()),
            )
        })?;
        let path = dir.join(text_name(&meta));
        Ok(Some(Draft { dir, path, meta }))
    }

    /// A new draft for `meta` holding `text`; `base` is the library file as
    /// the draft was made from it (for an edit). Replaces none: an existing
    /// draft of the same id is an error the caller has asked about first.
    pub fn create(&self, meta: Meta, text: &str, base: Option<&str>) -> io::Result<Draft> {
        let dir = self.folder(&meta.id);
        std::fs::create_dir_all(&dir)?;
        if dir.join(META).exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "a draft of `{}` is already kept in {}",
                    meta.id,
                    dir.display()
                ),
            ));
        }
        let path = dir.join(text_name(&meta));
        crate::util::fs::replace(&path, text.as_bytes())?;
        if let Some(b) = base {
            crate::util::fs::replace(&dir.join(BASE), b.as_bytes())?;
        }
        let json = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        // Written last: a folder without it is not a draft yet.
        crate::util::fs::replace(&dir.join(META), &json)?;
        Ok(Draft { dir, path, meta })
    }
}

/// The draft's text file: the library file's name, so the editor highlights
/// it as TOML and the person sees what they are editing.
fn text_name(meta: &Meta) -> String {
    match meta.kind {
        Kind::Edit => meta.file.file_name().map_or_else(
            || format!("{}.toml", meta.id),
            |n| n.to_string_lossy().into_owned(),
        ),
        Kind::New => format!("{}.toml", meta.id),
    }
}

impl Draft {
    pub fn text(&self) -> io::Result<String> {
        crate::util::fs::read_text(&self.path)
    }

    /// The library file as the editor was given it (an edit only).
    pub fn base(&self) -> io::Result<Option<String>> {
        match crate::util::fs::read_text(&self.dir.join(BASE)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Takes `base` as the file the draft is made from: once its author has
    /// seen what changed on disk and brings it into the draft.
    pub fn set_base(&self, base: &str) -> io::Result<()> {
        crate::util::fs::replace(&self.dir.join(BASE), base.as_bytes())
    }

    /// Removes the draft (once installed, or on request).
    pub fn discard(&self) -> io::Result<()> {
        match std::fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The folder that holds the draft.
    pub fn folder(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_kept_found_and_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path().join("drafts"));
        assert!(drafts.find("late").unwrap().is_none());
        let meta = Meta {
            id: "late".into(),
            kind: Kind::Edit,
            library: "/lib".into(),
            file: "/lib/orders.toml".into(),
            skeleton: None,
        };
        let d = drafts
            .create(meta.clone(), "new text", Some("old text"))
            .unwrap();
        assert_eq!(d.path, dir.path().join("drafts/late/orders.toml"));
        assert!(drafts.create(meta.clone(), "again", None).is_err());
        let found = drafts.find("late").unwrap().unwrap();
        assert_eq!(found.meta, meta);
        assert_eq!(found.text().unwrap(), "new text");
        assert_eq!(found.base().unwrap().as_deref(), Some("old text"));
        found.discard().unwrap();
        assert!(drafts.find("late").unwrap().is_none());
        assert!(!dir.path().join("drafts/late").exists());
    }

    #[test]
    fn a_new_reply_draft_is_named_after_the_reply() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path().to_path_buf());
        let d = drafts
            .create(
                Meta {
                    id: "late".into(),
                    kind: Kind::New,
                    library: "/lib".into(),
                    file: "/lib/orders.toml".into(),
                    skeleton: Some("# s".into()),
                },
                "[late]",
                None,
            )
            .unwrap();
        assert_eq!(d.path, dir.path().join("late/late.toml"));
        assert_eq!(d.base().unwrap(), None);
    }
}
