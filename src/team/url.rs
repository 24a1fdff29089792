//! Remote addresses as people type them (`https://…`, `ssh://…`,
//! `git@host:team/replies.git`, a path to a bare repository): the name a
//! library gets from one, and the form that may be shown or written to the
//! config: never with a password or token in it.

/// Whether `source` is a remote address rather than a folder on this machine:
/// it has a scheme (`https://`, `file://`), or is scp-like (`host:path`,
/// `user@host:path`, with no `/` before the `:`).
pub fn is_remote(source: &str) -> bool {
    if source.contains("://") {
        return true;
    }
    match source.find(':') {
        // `C:\…` is a Windows drive, `./a:b` a path.
        Some(i) => i > 1 && !source[..i].contains('/'),
        None => false,
    }
}

/// Where the userinfo (`user:password@`) of a `scheme://` address is, as a byte range.
fn userinfo(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    Some(start..start + at)
}

/// The address as it may be shown: a password replaced by `***`, and over
/// http(s) a user name too (it is often a token: `https://TOKEN@host/…`).
/// Control characters are escaped by whoever prints it.
pub fn redact(url: &str) -> String {
    let Some(range) = userinfo(url) else {
        return url.to_string();
    };
    let info = &url[range.clone()];
    let http = url[..range.start].to_ascii_lowercase().starts_with("http");
    let shown = match info.split_once(':') {
        Some((user, _)) if !http => format!("{user}:***"),
        Some(_) => "***".to_string(),
        None if http => "***".to_string(),
        None => info.to_string(),
    };
    format!("{}{shown}{}", &url[..range.start], &url[range.end..])
}

/// The address without its password, for the config file (which people
/// share and back up); the clone keeps the full address in its own git config.
pub fn without_password(url: &str) -> String {
    let Some(range) = userinfo(url) else {
        return url.to_string();
    };
    match url[range.clone()].split_once(':') {
        Some((user, _)) => format!("{}{user}{}", &url[..range.start], &url[range.end..]),
        None => url.to_string(),
    }
}

/// `text` (what git said) with the password or token of `url` in it
/// replaced by `***`: git may quote the address it failed to reach.
pub fn scrub(text: &str, url: &str) -> String {
    let Some(range) = userinfo(url) else {
        return text.to_string();
    };
    let info = &url[range.clone()];
    let http = url[..range.start].to_ascii_lowercase().starts_with("http");
    let secret = match info.split_once(':') {
        Some((_, password)) => password,
        None if http => info,
        None => return text.to_string(),
    };
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, "***")
}

/// The name a library gets from where it comes from: the last part of the
/// path, without `.git` (`https://host/acme/replies.git` → `replies`).
pub fn default_name(source: &str) -> Option<String> {
    let path = match source.find("://") {
        Some(i) => {
            let rest = &source[i + 3..];
            let path_start = rest.find('/').map_or(rest.len(), |p| p);
            let path = &rest[path_start..];
            path.split(['?', '#']).next().unwrap_or("")
        }
        None if is_remote(source) => source.split_once(':').map_or("", |(_, p)| p),
        None => source,
    };
    let last = path
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let name = last.strip_suffix(".git").unwrap_or(last);
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_and_paths_are_told_apart() {
        for remote in [
            "https://git.example.com/acme/replies.git",
            "file:///srv/git/replies.git",
            "git@github.com:acme/replies.git",
            "host:replies",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        for path in [
            "/srv/git/replies.git",
            "../replies",
            "replies",
            "./a:b",
            "C:\\x",
        ] {
            assert!(!is_remote(path), "{path}");
        }
    }

    #[test]
    fn passwords_and_tokens_are_never_shown() {
        assert_eq!(
            redact("https://sam:s3cret@git.example.com/acme/replies.git"),
            "https://***@git.example.com/acme/replies.git"
        );
        assert_eq!(
            redact("https://ghp_token@github.com/a/b"),
            "https://***@github.com/a/b"
        );
        assert_eq!(
            redact("ssh://git:pw@host/r.git"),
            "ssh://git:***@host/r.git"
        );
        assert_eq!(redact("ssh://git@host/r.git"), "ssh://git@host/r.git");
        assert_eq!(redact("git@github.com:a/b.git"), "git@github.com:a/b.git");
        assert_eq!(redact("https://host/a@b"), "https://host/a@b");
        assert_eq!(
            without_password("https://sam:s3cret@host/r.git"),
            "https://sam@host/r.git"
        );
        assert_eq!(without_password("https://host/r.git"), "https://host/r.git");
    }

    #[test]
    fn what_git_says_loses_the_password() {
        let url = "https://sam:s3cret@host/r.git";
        assert_eq!(
            scrub(
                "fatal: unable to access 'https://sam:s3cret@host/r.git/'",
                url
            ),
            "fatal: unable to access 'https://sam:***@host/r.git/'"
        );
        assert_eq!(
            scrub("no secret here", "https://host/r.git"),
            "no secret here"
        );
    }

    #[test]
    fn names_come_from_the_last_part_of_the_path() {
        for (source, name) in [
            ("https://git.example.com/acme/replies.git", "replies"),
            ("https://git.example.com/acme/replies/", "replies"),
            ("git@github.com:acme/team-replies.git", "team-replies"),
            ("/srv/git/acme.git", "acme"),
            ("file:///srv/git/acme.git?x=1", "acme"),
            ("host:acme", "acme"),
        ] {
            assert_eq!(default_name(source).as_deref(), Some(name), "{source}");
        }
        assert_eq!(default_name("https://host"), None);
        assert_eq!(default_name("/"), None);
    }
}
