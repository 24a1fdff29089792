//! Ids from whatever a source calls its items (`:thx`, "Refund – approved",
//! `Ñandú.md`): ASCII, lowercase, words joined by `-`, safe as a file name;
//! and made unique against a library's ids and each other.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// The longest id made: long enough to read, short enough to type.
const MAX: usize = 48;

/// `text` as an id: accents dropped, anything else than a letter or a digit
/// a `-`, runs of them one, none at either end. Empty when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.nfkd() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '_' && !out.is_empty() && !gap {
            out.push('_');
        } else if !is_mark(c) {
            gap = true;
        }
    }
    let mut out = out.trim_end_matches('_').to_string();
    if out.len() > MAX {
        // Cut at a word's end when there is one near the limit.
        let cut = out[..MAX]
            .rfind('-')
            .filter(|&i| i > MAX / 2)
            .unwrap_or(MAX);
        out.truncate(cut);
    }
    out.trim_end_matches(['-', '_']).to_string()
}

/// A combining mark: what NFKD splits off an accented letter.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

/// A name another tool allows for a placeholder (`my-var`, `2nd`) as one
/// Tera allows (`my_var`, `v_2nd`); `reply`'s own names (`lang`, `today`,
/// `platform`) get another (`lang_value`), so they keep their meaning.
pub fn var_name(name: &str) -> String {
    if crate::compose::template::BUILTINS.contains(&name) {
        return format!("{name}_value");
    }
    if crate::library::valid_var_name(name) {
        return name.to_string();
    }
    let s = slug(name).replace('-', "_");
    match s.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("v_{s}"),
        Some(_) => s,
        None => "value".into(),
    }
}

/// The first of `wanted`, `wanted-2`, `wanted-3`… not in `taken`; it is
/// added to `taken`.
pub fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let base = if wanted.is_empty() { "reply" } else { wanted };
    if taken.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 2;
    loop {
        let id = format!("{base}-{n}");
        if taken.insert(id.clone()) {
            return id;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::parse::valid_id;

    #[test]
    fn slugs_are_ascii_lowercase_words() {
        assert_eq!(slug(":thx"), "thx");
        assert_eq!(slug("Refund – approved!"), "refund-approved");
        assert_eq!(slug("Ñandú Düsseldorf café"), "nandu-dusseldorf-cafe");
        assert_eq!(slug("order_delay"), "order_delay");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("日本語"), "");
        assert_eq!(slug("ﬁle №5"), "file-no5");
        let long = slug(&"word ".repeat(30));
        assert!(long.len() <= MAX && !long.ends_with('-'), "{long}");
        for s in [":thx", "Ünïcödé", "a__b", "_x_", "--", "A.B.C"] {
            let id = slug(s);
            assert!(id.is_empty() || valid_id(&id), "{s} -> {id}");
        }
    }

    #[test]
    fn variable_names() {
        assert_eq!(var_name("order"), "order");
        assert_eq!(var_name("my-var"), "my_var");
        assert_eq!(var_name("2nd"), "v_2nd");
        assert_eq!(var_name("lang"), "lang_value");
        assert_eq!(var_name("€"), "value");
    }

    #[test]
    fn unique_ids_get_a_suffix() {
        let mut taken: HashSet<String> = ["thx".to_string()].into();
        assert_eq!(unique("thx", &mut taken), "thx-2");
        assert_eq!(unique("thx", &mut taken), "thx-3");
        assert_eq!(unique("hi", &mut taken), "hi");
        assert_eq!(unique("", &mut taken), "reply");
    }
}
