//! Layers: the library folders in use, highest first. An id in a higher layer
//! shadows the same id below it; within one layer an id must be unique.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Location, Result};

/// Where a layer's folder was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    /// `--library DIR`
    Flag,
    /// `REPLY_LIBRARY`
    Env,
    /// `libraries = [...]` in the config file
    Config,
    /// The user's own library in the XDG data folder.
    User,
    /// The starter library compiled into the binary.
    Starter,
}

impl LayerKind {
    /// The one label of a kind, as `--json` and `reply paths` show it.
    pub fn label(self) -> &'static str {
        match self {
            LayerKind::Flag => "--library",
            LayerKind::Env => "REPLY_LIBRARY",
            LayerKind::Config => "config",
            LayerKind::User => "user",
            LayerKind::Starter => "starter",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub kind: LayerKind,
    /// The folder; `None` for the built-in starter library.
    pub path: Option<PathBuf>,
    pub exists: bool,
}

impl Layer {
    /// A layer for a folder named on the command line (`--library`, `check PATH`).
    pub fn named(path: &Path) -> Layer {
        Layer {
            kind: LayerKind::Flag,
            exists: path.exists(),
            path: Some(path.to_path_buf()),
        }
    }

    /// How people name the library: `user` for their own, `starter`, else
    /// its folder's last component (never the whole path: the usage
    /// statistics a lead merges name libraries this way).
    pub fn name(&self) -> String {
        match (self.kind, &self.path) {
            (LayerKind::User, _) => "user".into(),
            (LayerKind::Starter, _) | (_, None) => "starter".into(),
            (_, Some(p)) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        }
    }

    /// Where the layer is, as people read it: `starter`, or its folder as
    /// `show` writes paths (with `~` for home).
    pub fn place(&self, show: impl Fn(&Path) -> String) -> String {
        match &self.path {
            Some(p) => show(p),
            None => "starter".to_string(),
        }
    }
}

/// The layers for `specs` (highest first), with the starter library last; it
/// is in use only when none of the others exists.
pub fn layers(specs: Vec<(LayerKind, PathBuf)>) -> Vec<Layer> {
    let mut layers: Vec<Layer> = specs
        .into_iter()
        .map(|(kind, path)| Layer {
            kind,
            exists: path.is_dir(),
            path: Some(path),
        })
        .collect();
    let any = layers.iter().any(|l| l.exists);
    layers.push(Layer {
        kind: LayerKind::Starter,
        path: None,
        exists: !any,
    });
    layers
}

/// Only a `--library` folder that does not exist is an error: it was asked
/// for by name. The others may not be set up yet.
pub fn check_named(layers: &[Layer]) -> Result<()> {
    match layers
        .iter()
        .find(|l| l.kind == LayerKind::Flag && !l.exists)
    {
        Some(l) => Err(Error::usage(format!(
            "library folder {} does not exist",
            l.place(|p| p.display().to_string())
        ))
        .hint("check the path given to --library")),
        None => Ok(()),
    }
}

/// What layering makes of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The reply this id means.
    InEffect,
    /// Hidden by the same id in a higher layer.
    Shadowed,
    /// The same id again within one layer: an error; `first` is the earlier one.
    Duplicate { first: usize },
}

/// Roles for `(id, layer)` pairs given highest layer first. A duplicate is
/// reported in every layer, shadowed or not: it is a mistake in that library.
pub fn roles<'a>(items: impl IntoIterator<Item = (&'a str, usize)>) -> Vec<Role> {
    let items = items.into_iter();
    let n = items.size_hint().0;
    let mut in_effect: HashMap<&str, ()> = HashMap::with_capacity(n);
    let mut first_in_layer: HashMap<(&str, usize), usize> = HashMap::with_capacity(n);
    items
        .enumerate()
        .map(|(i, (id, layer))| {
            if let Some(&first) = first_in_layer.get(&(id, layer)) {
                return Role::Duplicate { first };
            }
            first_in_layer.insert((id, layer), i);
            if in_effect.insert(id, ()).is_some() {
                Role::Shadowed
            } else {
                Role::InEffect
            }
        })
        .collect()
}

/// The error of an id defined twice within one layer, naming both places.
pub fn duplicate(id: &str, here: Location, first: &Location) -> Diagnostic {
    Diagnostic::error("duplicate-id", format!("duplicate reply id `{id}`"))
        .at(here)
        .reply(id)
        .note(format!(
            "first defined at {}:{}:{}",
            first.file, first.line, first.column
        ))
        .hint("ids must be unique within a library: rename one of them")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_is_named_by_its_folder_never_its_path() {
        let at = |kind, p: &str| Layer {
            kind,
            path: Some(PathBuf::from(p)),
            exists: true,
        };
        assert_eq!(at(LayerKind::Config, "/home/ana/work/team").name(), "team");
        assert_eq!(
            at(LayerKind::User, "/home/ana/.local/share/reply/replies").name(),
            "user"
        );
        let starter = Layer {
            kind: LayerKind::Starter,
            path: None,
            exists: true,
        };
        assert_eq!(starter.name(), "starter");
    }
}
