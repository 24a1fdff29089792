//! Which language a customer's message is in: a count of its stop words and
//! greetings in each language the library has. Measured against
//! `whichlang` (a character n-gram model) on the evaluation set, the count
//! is right more often on short, informal messages: it knows only the
//! library's languages, and a few function words suffice ("mi pedido no
//! llego"); see benches/RESULTS.md.

use crate::library::catalog::terms::{LANGUAGES, is_cue, words};

/// The language of `message` among `candidates` (primary codes), or `None`
/// when no word gives it away. Each word counts for every candidate it is a
/// sign of, shared equally ("no" is English and Spanish); a tie goes to
/// `prefer` when it is among the tied, else to none.
pub fn detect(message: &str, candidates: &[&str], prefer: Option<&str>) -> Option<String> {
    let langs: Vec<&str> = LANGUAGES
        .iter()
        .copied()
        .filter(|l| candidates.contains(l))
        .collect();
    let mut score = vec![0f32; langs.len()];
    for w in words(message).take(500) {
        let signs: Vec<usize> = (0..langs.len())
            .filter(|&i| is_cue(langs[i], &w.folded))
            .collect();
        for &i in &signs {
            score[i] += 1.0 / signs.len() as f32;
        }
    }
    let best = score.iter().copied().fold(0f32, f32::max);
    if best <= 0.0 {
        return None;
    }
    let tied: Vec<&str> = (0..langs.len())
        .filter(|&i| score[i] == best)
        .map(|i| langs[i])
        .collect();
    match tied.as_slice() {
        [one] => Some(one.to_string()),
        _ => prefer.filter(|p| tied.contains(p)).map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &[&str] = &["en", "es"];

    #[test]
    fn short_informal_messages() {
        assert_eq!(
            detect("mi pedido no llego", BOTH, None).as_deref(),
            Some("es")
        );
        assert_eq!(
            detect("where is my order??", BOTH, None).as_deref(),
            Some("en")
        );
        assert_eq!(detect("hola, gracias", BOTH, None).as_deref(), Some("es"));
        assert_eq!(detect("refund", BOTH, None), None, "no sign at all");
    }

    #[test]
    fn only_the_librarys_languages_and_ties_to_the_preferred() {
        // "o" and "no" are Spanish and Portuguese: a library without
        // Portuguese cannot be answered in it.
        assert_eq!(detect("o pedido no", &["es"], None).as_deref(), Some("es"));
        assert_eq!(detect("no", BOTH, None), None);
        assert_eq!(detect("no", BOTH, Some("es")).as_deref(), Some("es"));
        assert_eq!(detect("no", BOTH, Some("fr")), None);
    }
}
