//! A hermetic sandbox for running `reply`: its own HOME, XDG folders, config and
//! library, and an environment with nothing of the developer's in it.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::run::Run;

/// The fixed clock of every sandbox, so that `greeting()` and `today` are known.
pub const NOW: &str = "2026-11-25T09:30";

pub struct Sandbox {
    pub dir: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox::with_prefix(".tmp")
    }

    /// A sandbox whose folder name starts with `prefix` (the clipboard tests tag
    /// their processes with it).
    pub fn with_prefix(prefix: &str) -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .expect("temp dir");
        for sub in ["home", "config", "data", "cache", "runtime", "tmp", "lib"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create sandbox dir");
        }
        // git, for the team library tests: no system or user config of the
        // machine's, a fixed identity and branch name, quiet advice.
        std::fs::write(
            dir.path().join("gitconfig"),
            "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        )
        .expect("write gitconfig");
        // XDG requires the runtime folder to be private; programs such as tmux check.
        std::fs::set_permissions(
            dir.path().join("runtime"),
            std::fs::Permissions::from_mode(0o700),
        )
        .expect("chmod runtime dir");
        Sandbox { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The library folder the sandbox passes as `REPLY_LIBRARY` by default.
    pub fn lib(&self) -> PathBuf {
        self.path("lib")
    }

    /// Writes a file (creating folders), relative to the sandbox root.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        p
    }

    /// Writes an executable `sh` script (creating folders), relative to the sandbox root.
    pub fn script(&self, rel: &str, body: &str) -> PathBuf {
        let p = self.write(rel, &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        p
    }

    /// Writes a library file into the default library.
    pub fn library_file(&self, rel: &str, text: &str) -> PathBuf {
        self.write(&format!("lib/{rel}"), text)
    }

    /// Writes the config file (`$XDG_CONFIG_HOME/reply/config.toml`).
    pub fn config(&self, text: &str) -> PathBuf {
        self.write("config/reply/config.toml", text)
    }

    /// A copy command that keeps what is copied in `copied.txt` (read back
    /// with [`Sandbox::copied`]), as the config line that sets it.
    pub fn copy_stub(&self) -> String {
        let stub = self.script(
            "bin/copy",
            &format!("cat > '{}'", self.path("copied.txt").display()),
        );
        format!("copy_command = {:?}\n", stub.display().to_string())
    }

    /// What the copy command of [`Sandbox::copy_stub`] was last given.
    pub fn copied(&self) -> String {
        std::fs::read_to_string(self.path("copied.txt")).unwrap_or_default()
    }

    /// `reply` in this sandbox, with its library: add arguments and expectations.
    pub fn run(&self) -> Run<'_> {
        Run::in_(self)
    }

    /// The sandbox environment on any command: a cleared environment, the
    /// sandbox's HOME and XDG folders, a fixed clock and locale, the sandbox as
    /// the working folder. No `REPLY_LIBRARY`: see [`Sandbox::command`].
    pub fn apply_env(&self, c: &mut Command) {
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("XDG_RUNTIME_DIR", self.path("runtime"))
            .env("TMPDIR", self.path("tmp"))
            .env("LANG", "C.UTF-8")
            .env("REPLY_NOW", NOW)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.path("gitconfig"))
            .env("GIT_AUTHOR_NAME", "Lea Lead")
            .env("GIT_AUTHOR_EMAIL", "lea@example.com")
            .env("GIT_COMMITTER_NAME", "Lea Lead")
            .env("GIT_COMMITTER_EMAIL", "lea@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-25T09:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2026-11-25T09:00:00+00:00")
            .current_dir(self.dir.path());
    }

    /// `program` with the sandbox environment and `REPLY_LIBRARY` set to the
    /// sandbox library, for tests that spawn it themselves (pipes kept open,
    /// memory watched).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new(program);
        self.apply_env(&mut c);
        c.env("REPLY_LIBRARY", self.lib());
        c
    }

    /// Lets `uid` work in the sandbox: the folders reply writes to become its
    /// own, and the sandbox and library can be entered (a temporary folder is
    /// private to its creator). Files keep their modes, so one made unreadable
    /// stays unreadable to `uid`.
    pub fn share_with(&self, uid: u32, gid: u32) {
        for dir in [self.root().to_path_buf(), self.lib()] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
                .expect("chmod sandbox dir");
        }
        for sub in ["home", "config", "data", "cache", "runtime", "tmp"] {
            chown_tree(&self.path(sub), uid, gid);
        }
    }
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid))
        .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
    if path.is_dir() && !path.is_symlink() {
        for entry in std::fs::read_dir(path).expect("read sandbox dir") {
            chown_tree(&entry.expect("dir entry").path(), uid, gid);
        }
    }
}

/// The `reply` binary under test.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_reply"))
}
