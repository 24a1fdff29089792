//! Accent and case folding for search, for every script: "Épreuve" → "epreuve",
//! "ENVÍO" → "envio", keeping a map back to the original characters so that
//! highlights land on what the person wrote.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text folded for matching, with the original character index of each folded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the index (in characters) in the original text of the
    /// i-th character of `text`.
    pub origin: Vec<usize>,
}

fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    // Letters that do not decompose but that people type without their mark.
    let special = match c {
        'ß' | 'ẞ' => Some("ss"),
        'æ' | 'Æ' => Some("ae"),
        'œ' | 'Œ' => Some("oe"),
        'ø' | 'Ø' => Some("o"),
        'đ' | 'Đ' => Some("d"),
        'ł' | 'Ł' => Some("l"),
        'ı' => Some("i"),
        _ => None,
    };
    if let Some(s) = special {
        s.chars().for_each(emit);
        return;
    }
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) {
            continue;
        }
        for l in d.to_lowercase() {
            emit(l);
        }
    }
}

/// Folds `s`, keeping the map to original characters.
pub fn fold(s: &str) -> Folded {
    if s.is_ascii() {
        return Folded {
            text: s.to_ascii_lowercase(),
            origin: (0..s.len()).collect(),
        };
    }
    let mut text = String::with_capacity(s.len());
    let mut origin = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        fold_char(c, |f| {
            text.push(f);
            origin.push(i);
        });
    }
    Folded { text, origin }
}

/// Folds `s` without the map: for text that is matched but never highlighted.
pub fn fold_str(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut text = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, |f| text.push(f));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_accents_and_case_in_every_script() {
        assert_eq!(fold_str("Devolución"), "devolucion");
        assert_eq!(fold_str("ENVÍO"), "envio");
        assert_eq!(fold_str("Épreuve"), "epreuve");
        assert_eq!(fold_str("Straße"), "strasse");
        assert_eq!(fold_str("ΚΑΛΗΜΈΡΑ"), "καλημερα");
        assert_eq!(fold_str("Ünïcödé"), "unicode");
    }

    #[test]
    fn keeps_the_map_to_original_characters() {
        let f = fold("aÉß");
        assert_eq!(f.text, "aess");
        assert_eq!(f.origin, vec![0, 1, 2, 2]);
    }
}
