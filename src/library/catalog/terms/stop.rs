//! Stop words: the function words of each language, and the commonest verbs
//! and fillers, that say nothing about what a message is about ("the", "my",
//! "want", "de", "que", "quiero"), left out of the ranking; question words
//! stay ("where is my order" asks for tracking). And the few greetings and
//! courtesies that, with them, tell one language from another in a short
//! message. Written folded (no accents,
//! lower case), as the words they are compared with, and sorted, for a
//! binary search (a test checks both).

const EN: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "during",
    "each",
    "for",
    "from",
    "further",
    "get",
    "going",
    "gonna",
    "got",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "i",
    "id",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "know",
    "like",
    "ll",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "need",
    "no",
    "nor",
    "not",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "own",
    "please",
    "pls",
    "plz",
    "re",
    "really",
    "same",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "something",
    "such",
    "than",
    "that",
    "thats",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "this",
    "those",
    "to",
    "too",
    "u",
    "until",
    "ur",
    "us",
    "ve",
    "very",
    "want",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "while",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "you",
    "your",
    "youre",
    "yours",
    "yourself",
];

const ES: &[&str] = &[
    "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aqui",
    "asi", "aun", "con", "contra", "de", "decir", "del", "desde", "durante", "e", "el", "ella",
    "ellas", "ello", "ellos", "en", "entre", "era", "eran", "eres", "es", "esa", "esas", "ese",
    "eso", "esos", "esta", "estaba", "estais", "estamos", "estan", "estar", "estas", "este",
    "esto", "estos", "estoy", "favor", "fue", "fueron", "fui", "ha", "habeis", "haber", "habia",
    "hace", "hacer", "han", "has", "hay", "he", "la", "las", "le", "les", "lo", "los", "mas", "me",
    "mi", "mis", "mucho", "muchos", "muy", "ni", "no", "nos", "nosotros", "o", "os", "otra",
    "otro", "para", "pero", "poco", "podeis", "podria", "por", "porfa", "porque", "puede",
    "pueden", "puedo", "pues", "que", "quieres", "quiero", "se", "sea", "ser", "si", "sido", "sin",
    "sobre", "sois", "somos", "son", "soy", "su", "sus", "tambien", "te", "tengo", "ti", "tiene",
    "tienen", "tu", "tus", "u", "un", "una", "unas", "uno", "unos", "usted", "va", "vais", "van",
    "ver", "vosotros", "voy", "vuestra", "vuestro", "y", "ya", "yo",
];

const PT: &[&str] = &[
    "a", "ao", "aos", "as", "ate", "com", "da", "das", "de", "dela", "dele", "deles", "do", "dos",
    "e", "ela", "elas", "ele", "eles", "em", "entre", "era", "essa", "esse", "esta", "este", "eu",
    "foi", "foram", "ha", "isso", "isto", "ja", "lhe", "mais", "mas", "me", "meu", "meus", "minha",
    "minhas", "muito", "na", "nao", "nas", "nem", "no", "nos", "nossa", "nosso", "num", "numa",
    "o", "os", "ou", "para", "pela", "pelas", "pelo", "pelos", "por", "que", "se", "sem", "ser",
    "seu", "seus", "sua", "suas", "tambem", "te", "tem", "tenho", "teu", "tua", "um", "uma",
    "voce", "voces", "vos",
];

const FR: &[&str] = &[
    "a", "ai", "as", "au", "aux", "avec", "avez", "avons", "ce", "ces", "cet", "cette", "dans",
    "de", "des", "du", "elle", "elles", "en", "es", "est", "et", "etait", "etes", "etre", "eu",
    "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme",
    "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "pour",
    "qu", "que", "qui", "sa", "se", "ses", "sommes", "son", "sont", "suis", "sur", "ta", "te",
    "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
];

const DE: &[&str] = &[
    "aber", "alle", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bist",
    "da", "damit", "dann", "das", "dass", "dem", "den", "der", "des", "dich", "die", "dir", "du",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "fur", "hat", "hatte", "ich",
    "ihm", "ihn", "ihr", "im", "in", "ist", "ja", "kann", "mein", "meine", "mich", "mir", "mit",
    "nach", "nicht", "noch", "nur", "ob", "oder", "sein", "sich", "sie", "sind", "so", "uber",
    "um", "und", "uns", "unser", "von", "vor", "war", "was", "wie", "wir", "wird", "zu", "zum",
    "zur",
];

const IT: &[&str] = &[
    "a", "ad", "agli", "ai", "al", "alla", "alle", "anche", "che", "chi", "ci", "con", "da", "dal",
    "dalla", "dei", "del", "della", "delle", "di", "e", "ed", "era", "gia", "gli", "ha", "hanno",
    "ho", "i", "il", "in", "io", "la", "le", "lei", "li", "lo", "loro", "lui", "ma", "mi", "mia",
    "mio", "ne", "nel", "nella", "no", "noi", "non", "o", "per", "perche", "piu", "qui", "se",
    "si", "sia", "sono", "su", "sua", "suo", "ti", "tra", "tu", "un", "una", "uno", "vi", "voi",
];

/// Greetings and courtesies, which name their language in a message too
/// short for many function words ("hola, gracias"); not stop words, since a
/// greeting or a thank-you is what some replies answer.
const CUES: &[(&str, &[&str])] = &[
    ("en", &["hello", "hey", "hi", "thank", "thanks", "thx"]),
    ("es", &["buenas", "buenos", "gracias", "hola"]),
    ("pt", &["obrigada", "obrigado", "oi", "ola"]),
    ("fr", &["bonjour", "merci", "salut", "svp"]),
    ("de", &["bitte", "danke", "hallo"]),
    ("it", &["buongiorno", "ciao", "grazie", "salve"]),
];

/// The languages with stop words (and stems), in the order ties are broken.
pub const LANGUAGES: &[&str] = &["en", "es", "pt", "fr", "de", "it"];

fn list(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => EN,
        "es" => ES,
        "pt" => PT,
        "fr" => FR,
        "de" => DE,
        "it" => IT,
        _ => &[],
    }
}

/// Whether `word` (folded) is a stop word of `lang` (a primary code).
pub fn is_stop(lang: &str, word: &str) -> bool {
    list(lang).binary_search(&word).is_ok()
}

/// Whether `word` (folded) is a sign of `lang`: one of its stop words or
/// greetings.
pub fn is_cue(lang: &str, word: &str) -> bool {
    is_stop(lang, word)
        || CUES
            .iter()
            .any(|(l, words)| *l == lang && words.binary_search(&word).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fold::fold_str;

    #[test]
    fn lists_are_sorted_folded_and_unique() {
        let all = LANGUAGES
            .iter()
            .map(|l| (*l, list(l)))
            .chain(CUES.iter().copied());
        for (lang, words) in all {
            assert!(!words.is_empty(), "{lang}");
            for w in words.windows(2) {
                assert!(w[0] < w[1], "{lang}: {} before {}", w[0], w[1]);
            }
            for w in words {
                assert_eq!(fold_str(w), *w, "{lang}: {w} is not folded");
            }
        }
    }

    #[test]
    fn stop_words_and_cues_by_language() {
        assert!(is_stop("en", "the") && is_stop("es", "que") && !is_stop("en", "refund"));
        assert!(!is_stop("es", "hola") && is_cue("es", "hola") && is_cue("es", "que"));
        assert!(!is_stop("xx", "the"));
    }
}
