//! The template helpers: the `first_name` and `date` filters, the
//! `greeting()` function, the words they need in each language (en, es, pt,
//! fr, de, it; English otherwise), and the clock they read.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// The moment a reply is rendered, in local time. Fixed by `--now` or
/// `REPLY_NOW` for tests and scripts, else read from the local clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: NaiveDateTime,
}

impl Clock {
    pub fn local() -> Clock {
        Clock {
            now: chrono::Local::now().naive_local(),
        }
    }

    /// Parses `2026-11-25T09:30`, `2026-11-25 09:30:00`, `2026-11-25` (midnight)
    /// or an RFC 3339 time with an offset (its local wall-clock time is kept).
    pub fn parse(s: &str) -> Option<Clock> {
        let s = s.trim();
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
            return Some(Clock {
                now: t.naive_local(),
            });
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(now) = NaiveDateTime::parse_from_str(s, fmt) {
                return Some(Clock { now });
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|now| Clock { now })
    }

    pub fn today(&self) -> String {
        self.now.date().format("%Y-%m-%d").to_string()
    }

    pub fn hour(&self) -> u32 {
        self.now.hour()
    }
}

/// The base language of a code: `pt-BR` → `pt`.
fn base(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase()
}

/// "Good morning" before noon (from 5:00), "Good afternoon" until 18:00,
/// "Good evening" after, in the reply's language.
pub fn greeting(lang: &str, hour: u32) -> &'static str {
    let part = match hour {
        5..=11 => 0,
        12..=17 => 1,
        _ => 2,
    };
    let words: [&str; 3] = match base(lang).as_str() {
        "es" => ["Buenos días", "Buenas tardes", "Buenas noches"],
        "pt" => ["Bom dia", "Boa tarde", "Boa noite"],
        "fr" => ["Bonjour", "Bonjour", "Bonsoir"],
        "de" => ["Guten Morgen", "Guten Tag", "Guten Abend"],
        "it" => ["Buongiorno", "Buon pomeriggio", "Buonasera"],
        _ => ["Good morning", "Good afternoon", "Good evening"],
    };
    words[part]
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_PT: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A date written out the way the language writes it: "25 November 2026",
/// "25 de noviembre de 2026". Accepts `YYYY-MM-DD`, optionally followed by a time.
pub fn format_date(input: &str, lang: &str) -> Option<String> {
    let day = input.get(..10)?;
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let (n, m, y) = (d.day(), d.month0() as usize, d.year());
    Some(match base(lang).as_str() {
        "es" => format!("{n} de {} de {y}", MONTHS_ES[m]),
        "pt" => format!("{n} de {} de {y}", MONTHS_PT[m]),
        "fr" => format!("{n} {} {y}", MONTHS_FR[m]),
        "de" => format!("{n}. {} {y}", MONTHS_DE[m]),
        "it" => format!("{n} {} {y}", MONTHS_IT[m]),
        _ => format!("{n} {} {y}", MONTHS_EN[m]),
    })
}

/// Courtesy titles skipped by `first_name`, so "Dr. Ana Ruiz" gives "Ana".
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sr", "sra", "srta", "don", "doña", "dona",
    "mme", "mlle", "m", "herr", "frau",
];

/// The first word of a full name, skipping a courtesy title: "Ana María López"
/// → "Ana". Limits: it cannot know that a name is written family name first
/// ("Kim Min-jun" → "Kim"), nor keep a two-word given name ("María José" →
/// "María"); a name of one word is returned as it is.
pub fn first_name(full: &str) -> String {
    let words: Vec<&str> = full.split_whitespace().collect();
    let is_title = |w: &str| {
        let w = w.trim_end_matches('.').to_lowercase();
        TITLES.contains(&w.as_str())
    };
    words
        .iter()
        .position(|w| !is_title(w))
        .filter(|_| words.len() > 1)
        .map_or_else(
            || words.first().copied().unwrap_or("").to_string(),
            |i| words[i].to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_by_time_and_language() {
        assert_eq!(greeting("en", 9), "Good morning");
        assert_eq!(greeting("en", 12), "Good afternoon");
        assert_eq!(greeting("en", 18), "Good evening");
        assert_eq!(greeting("en", 2), "Good evening");
        assert_eq!(greeting("es", 9), "Buenos días");
        assert_eq!(greeting("es-MX", 15), "Buenas tardes");
        assert_eq!(greeting("es", 21), "Buenas noches");
        assert_eq!(greeting("xx", 9), "Good morning");
    }

    #[test]
    fn dates_by_language() {
        assert_eq!(format_date("2026-11-25", "en").unwrap(), "25 November 2026");
        assert_eq!(
            format_date("2026-11-25", "es").unwrap(),
            "25 de noviembre de 2026"
        );
        assert_eq!(
            format_date("2026-01-05T10:00", "fr").unwrap(),
            "5 janvier 2026"
        );
        assert!(format_date("25/11/2026", "en").is_none());
    }

    #[test]
    fn first_name_takes_the_first_word_after_a_title() {
        assert_eq!(first_name("Ana María López"), "Ana");
        assert_eq!(first_name("  Dr. Ana Ruiz "), "Ana");
        assert_eq!(first_name("Sra. Pérez"), "Pérez");
        assert_eq!(first_name("Cher"), "Cher");
        assert_eq!(first_name("Dr."), "Dr.");
        assert_eq!(first_name(""), "");
    }

    #[test]
    fn clock_parses_fixed_times() {
        assert_eq!(Clock::parse("2026-11-25T09:30").unwrap().hour(), 9);
        assert_eq!(Clock::parse("2026-11-25 21:00:00").unwrap().hour(), 21);
        assert_eq!(
            Clock::parse("2026-11-25T14:00:00+05:00").unwrap().hour(),
            14
        );
        assert_eq!(Clock::parse("2026-11-25").unwrap().today(), "2026-11-25");
        assert!(Clock::parse("tomorrow").is_none());
    }
}
