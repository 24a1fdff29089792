//! A hermetic sandbox for running `reply`: its own HOME, XDG folders, config and
//! library, and an environment with nothing of the developer's in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "config", "data", "cache", "runtime", "lib"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create sandbox dir");
        }
        Sandbox { dir }
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

    /// Writes a library file into the default library.
    pub fn reply_file(&self, rel: &str, text: &str) -> PathBuf {
        self.write(&format!("lib/{rel}"), text)
    }

    /// Writes the config file (`$XDG_CONFIG_HOME/reply/config.toml`).
    pub fn config(&self, text: &str) -> PathBuf {
        self.write("config/reply/config.toml", text)
    }

    /// `reply` with the sandbox environment and the default library.
    pub fn cmd(&self) -> Command {
        let mut c = self.bare();
        c.env("REPLY_LIBRARY", self.lib());
        c
    }

    /// `reply` with the sandbox environment and no library set: the XDG user
    /// library and the starter library apply.
    pub fn bare(&self) -> Command {
        let mut c = Command::new(bin());
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("XDG_RUNTIME_DIR", self.path("runtime"))
            .env("LANG", "C.UTF-8")
            .env("REPLY_NOW", "2026-11-25T09:30")
            .current_dir(self.dir.path());
        c
    }
}

pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_reply"))
}

/// stdout of a finished command as text.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

/// A small library used by many tests.
pub const BASIC: &str = r#"# A test library.
[order-delay]
title = "Order delayed: apology and new date"
tags = ["orders", "shipping"]
body = """
Hi {{ customer | default(value="there") }}, this is {{ agent }} from {{ brand }}.
Your order {{ order }} will arrive {{ eta }}.
"""

[order-delay.defaults]
eta = "within 3 business days"

[thanks]
title = "Thanks for your message"
tags = ["greeting"]
body = "Thanks {{ customer }}! {{ agent }}"
"#;
