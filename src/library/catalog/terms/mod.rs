//! The words `reply suggest` ranks replies by: every variant of every reply
//! becomes a document of terms in five fields (id, title, tags, body with the
//! public text, examples). A term is a word folded for case and accents, not
//! a stop word, reduced to its Snowball stem for the variant's language, and
//! tagged with that language (`es:pedid`), so a Spanish message is compared
//! with Spanish texts by Spanish rules. Template syntax is left out: a
//! `{{ customer }}` is not something a customer writes. The term statistics
//! are kept in the catalog's cache (see `index`).

mod build;
mod index;
mod stop;

pub use index::{Builder, Carried, DocMeta, FileKey, LangStats, Posting, TermIndex};
pub use stop::{LANGUAGES, is_cue, is_stop};

use std::collections::HashMap;

use frostem::{Algorithm, Stemmer};

use crate::library::Reply;
use crate::util::fold::fold_str;

/// The fields of a document, in the order of their counts and lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermField {
    Id = 0,
    Title = 1,
    Tags = 2,
    /// The body and the public text.
    Body = 3,
    Examples = 4,
}

/// How many fields a document has.
pub const FIELD_COUNT: usize = 5;

/// How text becomes terms. Suggest always stems; the benchmark also builds
/// an index without stems, to show what they add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    pub stem: bool,
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis { stem: true }
    }
}

/// The primary language subtag, lower case: `pt-BR` → `pt`.
pub fn primary(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn stemmer(lang: &str) -> Option<Stemmer> {
    let algorithm = match lang {
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "pt" => Algorithm::Portuguese,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "it" => Algorithm::Italian,
        _ => return None,
    };
    Some(Stemmer::new(algorithm))
}

/// One word of a text: where it is in the original, and folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text it was cut from.
    pub start: usize,
    pub end: usize,
    pub folded: String,
}

/// The words of `text`: runs of letters and digits (an apostrophe or a
/// hyphen ends a word), folded.
pub fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.peek().is_some_and(|(_, c)| !c.is_alphanumeric()) {
            chars.next();
        }
        let &(start, _) = chars.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some(Word {
            start,
            end,
            folded: fold_str(&text[start..end]),
        })
    })
}

/// `src` with Tera's tags (`{{ … }}`, `{% … %}`, `{# … #}`) replaced by a
/// space: what the customer reads around them is what counts.
pub fn strip_template(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(open) = rest.find('{') {
        let close = match rest[open..].chars().nth(1) {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = &rest[open + 1..];
                continue;
            }
        };
        out.push_str(&rest[..open]);
        out.push(' ');
        match rest[open + 2..].find(close) {
            Some(end) => rest = &rest[open + 2 + end + 2..],
            // An unclosed tag: the template does not parse (check says so);
            // nothing after it is text a customer would read.
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Turns folded words of one language into terms.
#[derive(Clone)]
pub struct Analyzer {
    lang: String,
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    pub fn new(lang: &str, analysis: Analysis) -> Analyzer {
        let lang = primary(lang);
        let stemmer = if analysis.stem { stemmer(&lang) } else { None };
        Analyzer { lang, stemmer }
    }

    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The term for a folded word, or `None` for a word that says nothing
    /// about the topic: a stop word, a single character, a number (an order
    /// number is a value, not a topic).
    pub fn term(&self, folded: &str) -> Option<String> {
        let mut chars = folded.chars();
        if chars.next().is_none()
            || chars.next().is_none()
            || folded.chars().all(|c| c.is_numeric())
            || is_stop(&self.lang, folded)
        {
            return None;
        }
        let stem = match &self.stemmer {
            Some(s) => s.stem(folded),
            None => folded.into(),
        };
        Some(format!("{}:{stem}", self.lang))
    }
}

/// The terms of one variant of one reply, as the index keeps them.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTerms {
    /// The reply's position in its file.
    pub nth: u32,
    /// The variant's position in the reply.
    pub variant: u8,
    /// Primary language code.
    pub lang: String,
    /// Terms in each field.
    pub lens: [u16; FIELD_COUNT],
    /// Each term (an index into [`FileTerms::vocab`]) once, with its count
    /// in each field.
    pub terms: Vec<(u32, [u8; FIELD_COUNT])>,
}

/// The documents of one file, their terms written once for the file: a
/// large library has millions of term occurrences, and few distinct terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileTerms {
    pub vocab: Vec<String>,
    pub docs: Vec<DocTerms>,
}

/// The documents of a file's replies (from `parse_file`, in its order).
pub fn file_docs(replies: &[Reply], analysis: Analysis) -> FileTerms {
    let mut out = FileTerms::default();
    let mut ids: HashMap<String, u32> = HashMap::new();
    // Per language: its analyzer, and each word's term (words repeat: every
    // body greets), stemmed once per file.
    let mut langs: Vec<(Analyzer, HashMap<String, Option<u32>>)> = Vec::new();
    for (nth, reply) in replies.iter().enumerate() {
        for (v, variant) in reply.variants.iter().enumerate().take(usize::from(u8::MAX)) {
            let code = primary(&variant.lang);
            let li = match langs.iter().position(|(a, _)| a.lang == code) {
                Some(li) => li,
                None => {
                    langs.push((Analyzer::new(&code, analysis), HashMap::new()));
                    langs.len() - 1
                }
            };
            let (analyzer, memo) = &mut langs[li];
            let mut counts: HashMap<u32, [u8; FIELD_COUNT]> = HashMap::new();
            let mut lens = [0u16; FIELD_COUNT];
            let mut add = |field: TermField, text: &str| {
                for w in words(text) {
                    let term = match memo.get(&w.folded) {
                        Some(t) => *t,
                        None => {
                            let t = analyzer.term(&w.folded).map(|t| match ids.get(&t) {
                                Some(&id) => id,
                                None => {
                                    let id = out.vocab.len() as u32;
                                    ids.insert(t.clone(), id);
                                    out.vocab.push(t);
                                    id
                                }
                            });
                            memo.insert(w.folded, t);
                            t
                        }
                    };
                    if let Some(t) = term {
                        let f = field as usize;
                        let c = counts.entry(t).or_default();
                        c[f] = c[f].saturating_add(1);
                        lens[f] = lens[f].saturating_add(1);
                    }
                }
            };
            add(TermField::Id, &reply.id);
            add(TermField::Title, &variant.title);
            for tag in &reply.tags {
                add(TermField::Tags, tag);
            }
            add(TermField::Body, &strip_template(&variant.body.src));
            if let Some(p) = &variant.public {
                add(TermField::Body, &strip_template(&p.src));
            }
            for e in &variant.examples {
                add(TermField::Examples, e);
            }
            let mut terms: Vec<(u32, [u8; FIELD_COUNT])> = counts.into_iter().collect();
            terms.sort_unstable_by_key(|t| t.0);
            out.docs.push(DocTerms {
                nth: nth as u32,
                variant: v as u8,
                lang: code,
                lens,
                terms,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_folded() {
        let text = "¿Dónde está mi PEDIDO A-1042? It hasn't arrived";
        let w: Vec<String> = words(text).map(|w| w.folded).collect();
        assert_eq!(
            w,
            [
                "donde", "esta", "mi", "pedido", "a", "1042", "it", "hasn", "t", "arrived"
            ]
        );
        let first = words(text).next().unwrap();
        assert_eq!(&text[first.start..first.end], "Dónde");
    }

    #[test]
    fn template_syntax_is_not_text() {
        assert_eq!(
            strip_template(
                "Hi {{ customer | default(value=\"x\") }},{% if a %} yes{% endif %}{# n #} {x}"
            ),
            "Hi  ,  yes   {x}"
        );
        assert_eq!(strip_template("cut {{ here"), "cut  ");
    }

    #[test]
    fn terms_are_stemmed_per_language_and_tagged_with_it() {
        let es = Analyzer::new("es-MX", Analysis::default());
        assert_eq!(es.term("pedidos"), es.term("pedido"));
        assert_eq!(es.term("devolucion").as_deref(), Some("es:devolu"));
        assert_eq!(es.term("que"), None, "stop word");
        assert_eq!(es.term("1042"), None, "number");
        assert_eq!(es.term("x"), None, "one letter");
        let en = Analyzer::new("en", Analysis::default());
        assert_eq!(en.term("refunded").as_deref(), Some("en:refund"));
        let plain = Analyzer::new("en", Analysis { stem: false });
        assert_eq!(plain.term("refunded").as_deref(), Some("en:refunded"));
        // No stemmer for Japanese: the folded word as it is.
        assert_eq!(
            Analyzer::new("ja", Analysis::default())
                .term("ab")
                .as_deref(),
            Some("ja:ab")
        );
    }
}
