//! Team libraries over git (`reply library add|list|remove`, `reply sync`),
//! against real git and no network: a bare repository in a temporary folder
//! is the team's remote, the lead works in a checkout of it, and each agent
//! is a sandbox of their own (HOME, config, clones, state). git runs with
//! the sandbox's hermetic environment: no system or user config, a fixed
//! identity and dates.

mod add;
mod cache;
mod hostile;
mod stale;
mod sync;

use std::path::{Path, PathBuf};

use crate::support::*;

/// A small team library: two files, three replies.
pub const ORDERS: &str = r#"[order-delay]
title = "Order delayed"
tags = ["orders"]
body = "Hi {{ customer | default(value=\"there\") }}, your order is late. Sorry! {{ agent }}"

[order-lost]
title = "Order lost"
tags = ["orders"]
body = "Hi {{ customer | default(value=\"there\") }}, we are sending a new one. {{ agent }}"
"#;

pub const THANKS: &str = r#"[thanks]
title = "Thanks"
tags = ["greeting"]
body = "Thanks {{ customer | default(value=\"there\") }}! {{ agent }}"
"#;

/// A file whose template does not parse: what a lead must never be able to
/// push into the agents' libraries.
pub const BROKEN: &str = r#"[order-delay]
title = "Order delayed"
tags = ["orders"]
body = "Hi {{ customer | default(value=\"there\") }}, your order is late {{ oops"
"#;

/// The team's remote and the lead's checkout of it.
pub struct Lead {
    pub s: Sandbox,
}

impl Lead {
    /// A bare repository holding `orders.toml` and `thanks.toml`, one commit.
    pub fn new() -> Lead {
        let lead = Lead::empty();
        lead.publish(
            &[("orders.toml", ORDERS), ("thanks.toml", THANKS)],
            "The team's replies",
        );
        lead
    }

    /// A bare repository with no commits, and the lead's checkout set to push to it.
    pub fn empty() -> Lead {
        let s = Sandbox::new();
        let lead = Lead { s };
        std::fs::create_dir_all(lead.bare().parent().expect("parent")).expect("mkdir");
        git(
            &lead.s,
            lead.s.root(),
            &["init", "--quiet", "--bare", "server/acme.git"],
        );
        git(&lead.s, lead.s.root(), &["init", "--quiet", "work"]);
        git(
            &lead.s,
            &lead.work(),
            &[
                "remote",
                "add",
                "origin",
                &lead.bare().display().to_string(),
            ],
        );
        lead
    }

    /// The remote as a plain path.
    pub fn bare(&self) -> PathBuf {
        self.s.path("server/acme.git")
    }

    /// The remote as a `file://` URL.
    pub fn url(&self) -> String {
        format!("file://{}", self.bare().display())
    }

    pub fn work(&self) -> PathBuf {
        self.s.path("work")
    }

    /// Writes `files` (an empty text removes the file), commits and pushes.
    pub fn publish(&self, files: &[(&str, &str)], message: &str) {
        for (name, text) in files {
            let p = self.work().join(name);
            if text.is_empty() {
                std::fs::remove_file(&p).expect("remove file");
            } else {
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(&p, text).expect("write");
            }
        }
        git(&self.s, &self.work(), &["add", "--all"]);
        git(&self.s, &self.work(), &["commit", "--quiet", "-m", message]);
        git(
            &self.s,
            &self.work(),
            &["push", "--quiet", "origin", "HEAD:main"],
        );
    }
}

/// Runs git in `dir` with the sandbox's environment; fails the test when git fails.
#[track_caller]
pub fn git(s: &Sandbox, dir: &Path, args: &[&str]) -> String {
    let out = s
        .command("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// An agent's clone of the library called `name`.
pub fn clone_of(agent: &Sandbox, name: &str) -> PathBuf {
    agent.path(&format!("data/reply/libraries/{name}"))
}

/// An agent with the lead's library added as `acme`.
#[track_caller]
pub fn agent_with(lead: &Lead) -> Sandbox {
    let agent = Sandbox::new();
    agent
        .run()
        .bare()
        .args(["library", "add", &lead.url(), "--name", "acme"])
        .success();
    agent
}

/// The names of `library list --json`, in layer order.
#[track_caller]
pub fn layer_names(agent: &Sandbox) -> Vec<String> {
    json_of(agent, &["library", "list", "--json"], 0)["libraries"]
        .as_array()
        .expect("libraries")
        .iter()
        .map(|l| l["name"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The revision HEAD of a checkout is at.
pub fn head(s: &Sandbox, dir: &Path) -> String {
    git(s, dir, &["rev-parse", "HEAD"])
}

/// Every file below `dir` (`.git` left out) with its contents, to prove nothing changed.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// git is there, and a lead's library with an agent who added it as `acme`;
/// `None` when git is missing (the test returns: see `require`).
#[track_caller]
pub fn team() -> Option<(Lead, Sandbox)> {
    if !require("git") {
        return None;
    }
    let lead = Lead::new();
    let agent = agent_with(&lead);
    Some((lead, agent))
}

/// `reply ARGS` in `agent`'s sandbox (no `REPLY_LIBRARY`), exiting with
/// `code`, its stdout parsed as JSON.
#[track_caller]
pub fn json_of(agent: &Sandbox, args: &[&str], code: i32) -> serde_json::Value {
    let out = agent.run().bare().args(args).code(code);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

/// A sync that takes an update.
#[track_caller]
pub fn syncs(agent: &Sandbox) -> Ran {
    agent
        .run()
        .bare()
        .args(["sync"])
        .stdout_contains("updated: ")
        .success()
}

/// `reply render ID -a Sam --print` prints `message`.
#[track_caller]
pub fn renders(agent: &Sandbox, id: &str, message: &str) {
    agent
        .run()
        .bare()
        .args(["render", id, "-a", "Sam", "--print"])
        .stdout(message)
        .success();
}

/// Writes `file` in the checkout `dir` and commits it there.
#[track_caller]
pub fn commit(s: &Sandbox, dir: &Path, file: &str, text: &str, message: &str) {
    std::fs::write(dir.join(file), text).expect("write");
    git(s, dir, &["add", file]);
    git(s, dir, &["commit", "--quiet", "-m", message]);
}
