//! The answers recently typed at a prompt for each variable (the last `link`,
//! say), offered again next time. Only what the caller lets through is kept:
//! never a customer's name or details. A damaged or missing file is simply an
//! empty memory; a failure to save it never fails a render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::util::{fs, lock};

/// Answers kept per variable.
const KEEP: usize = 5;
/// The longest answer kept (longer ones are not worth offering).
const LONGEST: usize = 500;

#[derive(Debug, Default)]
pub struct Recent {
    path: Option<PathBuf>,
    answers: BTreeMap<String, Vec<String>>,
}

impl Recent {
    /// The answers kept in `state_dir` (none when there is no such folder or file).
    pub fn load(state_dir: Option<&Path>) -> Recent {
        let path = state_dir.map(|d| d.join("recent.json"));
        let answers = path
            .as_deref()
            .and_then(fs::read_bytes)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Recent { path, answers }
    }

    /// The answers for `name`, most recent first.
    pub fn get(&self, name: &str) -> Vec<String> {
        self.answers.get(name).cloned().unwrap_or_default()
    }

    pub fn remember(&mut self, name: &str, answer: &str) {
        let answer = answer.trim();
        if answer.is_empty() || answer.len() > LONGEST {
            return;
        }
        let list = self.answers.entry(name.to_string()).or_default();
        list.retain(|a| a != answer);
        list.insert(0, answer.to_string());
        list.truncate(KEEP);
    }

    /// Writes the answers back, merged with what another process saved meanwhile.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let _lock = lock::Lock::exclusive(&lock::beside(path), Duration::from_secs(2))?;
        let mut on_disk: BTreeMap<String, Vec<String>> = fs::read_bytes(path)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        for (name, mine) in &self.answers {
            let list = on_disk.entry(name.clone()).or_default();
            for a in mine.iter().rev() {
                list.retain(|x| x != a);
                list.insert(0, a.clone());
            }
            list.truncate(KEEP);
        }
        let bytes = serde_json::to_vec_pretty(&on_disk).map_err(std::io::Error::other)?;
        fs::write_atomic(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_kept_few_and_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recent::load(Some(dir.path()));
        for l in ["a", "b", "a", "c", "d", "e", "f"] {
            r.remember("link", l);
        }
        assert_eq!(r.get("link"), ["f", "e", "d", "c", "a"]);
        r.save().unwrap();
        let again = Recent::load(Some(dir.path()));
        assert_eq!(again.get("link"), ["f", "e", "d", "c", "a"]);
        std::fs::write(dir.path().join("recent.json"), "{damaged").unwrap();
        assert!(Recent::load(Some(dir.path())).get("link").is_empty());
    }
}
