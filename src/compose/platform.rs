//! Platforms and their message limits: how each one counts a message, and
//! whether a rendered message fits. Sources for the numbers: README.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Error, Result};

/// A platform profile as the config file may give it (`[platforms.NAME]`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlatformSpec {
    pub max_chars: Option<usize>,
    pub max_bytes: Option<usize>,
    /// An SMS-like profile: GSM-7/UCS-2 segments, at most `max_segments`.
    #[serde(default)]
    pub sms: bool,
    pub max_segments: Option<usize>,
}

/// How a platform limits a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "max")]
pub enum Limit {
    /// No limit (e-mail).
    None,
    /// Unicode scalar values ("characters" as most APIs count them).
    Chars(usize),
    /// Bytes of UTF-8 (Instagram: an emoji is 4).
    Bytes(usize),
    /// SMS segments: GSM-7 or UCS-2, at most this many segments.
    Segments(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Platform {
    pub name: String,
    pub limit: Limit,
}

/// Carriers and gateways commonly cap a concatenated SMS at 10 segments.
pub const SMS_MAX_SEGMENTS: usize = 10;

/// The built-in profiles.
pub fn builtin() -> Vec<Platform> {
    [
        ("facebook", Limit::Chars(2000)),
        ("instagram", Limit::Bytes(1000)),
        ("x", Limit::Chars(10_000)),
        ("tiktok", Limit::Chars(6000)),
        ("whatsapp", Limit::Chars(4096)),
        ("sms", Limit::Segments(SMS_MAX_SEGMENTS)),
        ("email", Limit::None),
    ]
    .into_iter()
    .map(|(name, limit)| Platform {
        name: name.to_string(),
        limit,
    })
    .collect()
}

/// Built-in profiles with the config's `[platforms.NAME]` added or overriding.
pub fn all(config: &BTreeMap<String, PlatformSpec>) -> Vec<Platform> {
    let mut list = builtin();
    for (name, spec) in config {
        let name = name.to_ascii_lowercase();
        let limit = if spec.sms || spec.max_segments.is_some() {
            Limit::Segments(spec.max_segments.unwrap_or(SMS_MAX_SEGMENTS))
        } else if let Some(b) = spec.max_bytes {
            Limit::Bytes(b)
        } else if let Some(c) = spec.max_chars {
            Limit::Chars(c)
        } else {
            Limit::None
        };
        match list.iter_mut().find(|p| p.name == name) {
            Some(p) => p.limit = limit,
            None => list.push(Platform { name, limit }),
        }
    }
    list
}

pub fn find<'a>(list: &'a [Platform], name: &str) -> Option<&'a Platform> {
    list.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Other names people use for the built-in platforms.
const ALIASES: &[(&str, &str)] = &[
    ("twitter", "x"),
    ("fb", "facebook"),
    ("messenger", "facebook"),
    ("ig", "instagram"),
    ("insta", "instagram"),
    ("wa", "whatsapp"),
    ("text", "sms"),
    ("mail", "email"),
    ("e-mail", "email"),
];

/// The platform called `name`, or an error that suggests the one meant.
pub fn named(list: &[Platform], name: &str) -> Result<Platform> {
    if let Some(p) = find(list, name) {
        return Ok(p.clone());
    }
    let lower = name.to_ascii_lowercase();
    let meant = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map(|(_, p)| *p)
        .filter(|p| find(list, p).is_some())
        .or_else(|| crate::util::suggest::closest(&lower, list.iter().map(|p| p.name.as_str())));
    let known = list
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let hint = match meant {
        Some(m) => format!(
            "did you mean `{m}`? Known platforms: {known}; add one under [platforms.{name}] in the config"
        ),
        None => {
            format!("known platforms: {known}; add one under [platforms.{name}] in the config")
        }
    };
    Err(Error::usage(format!("unknown platform `{name}`")).hint(hint))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sms {
    pub encoding: Encoding,
    /// Length in the encoding's units (GSM-7 septets, UCS-2 code units).
    pub units: usize,
    pub segments: usize,
    /// Units per segment for this message (160/153 or 70/67).
    pub per_segment: usize,
}

/// A message measured against a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// Length in the platform's unit.
    pub length: usize,
    /// The limit in that unit, `None` when there is none.
    pub limit: Option<usize>,
    pub unit: &'static str,
    pub sms: Option<Sms>,
}

impl Measure {
    pub fn fits(&self) -> bool {
        self.limit.is_none_or(|l| self.length <= l)
    }

    pub fn over_by(&self) -> usize {
        self.limit.map_or(0, |l| self.length.saturating_sub(l))
    }
}

/// GSM 03.38 basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: each takes an escape plus the character, two septets.
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// Septets a character takes in GSM-7, `None` if it is not in GSM-7.
fn gsm_septets(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

pub fn sms(text: &str) -> Sms {
    let gsm: Option<usize> = text.chars().map(gsm_septets).sum();
    let (encoding, units, single, multi) = match gsm {
        Some(n) => (Encoding::Gsm7, n, 160, 153),
        // One character outside GSM-7 makes the whole message UCS-2 (UTF-16 units).
        None => (Encoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let (segments, per_segment) = if units <= single {
        (usize::from(units > 0).max(1), single)
    } else {
        (units.div_ceil(multi), multi)
    };
    Sms {
        encoding,
        units,
        segments,
        per_segment,
    }
}

pub fn measure(platform: &Platform, text: &str) -> Measure {
    match platform.limit {
        Limit::None => Measure {
            length: text.chars().count(),
            limit: None,
            unit: "characters",
            sms: None,
        },
        Limit::Chars(max) => Measure {
            length: text.chars().count(),
            limit: Some(max),
            unit: "characters",
            sms: None,
        },
        Limit::Bytes(max) => Measure {
            length: text.len(),
            limit: Some(max),
            unit: "bytes",
            sms: None,
        },
        Limit::Segments(max) => {
            let s = sms(text);
            Measure {
                length: s.segments,
                limit: Some(max),
                unit: "segments",
                sms: Some(s),
            }
        }
    }
}

/// How many units to cut to fit (for SMS: characters to cut to drop to the
/// allowed number of segments).
pub fn to_cut(m: &Measure) -> usize {
    match (m.sms, m.limit) {
        (Some(s), Some(max)) => {
            let allowed = if max <= 1 {
                s.per_segment.max(if s.encoding == Encoding::Gsm7 {
                    160
                } else {
                    70
                })
            } else if s.encoding == Encoding::Gsm7 {
                max * 153
            } else {
                max * 67
            };
            s.units.saturating_sub(allowed)
        }
        _ => m.over_by(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> Platform {
        find(&builtin(), name).unwrap().clone()
    }

    #[test]
    fn instagram_counts_bytes() {
        let m = measure(&p("instagram"), &format!("{}😀", "a".repeat(996)));
        assert_eq!(m.length, 1000);
        assert!(m.fits());
        let m = measure(&p("instagram"), &format!("{}😀", "a".repeat(997)));
        assert_eq!(m.over_by(), 1);
    }

    #[test]
    fn facebook_counts_characters() {
        let m = measure(&p("facebook"), &"é".repeat(2000));
        assert_eq!(m.length, 2000);
        assert!(m.fits());
    }

    #[test]
    fn sms_segments() {
        assert_eq!(sms(&"a".repeat(160)).segments, 1);
        assert_eq!(sms(&"a".repeat(161)).segments, 2);
        assert_eq!(sms(&"a".repeat(306)).segments, 2);
        assert_eq!(sms(&"a".repeat(307)).segments, 3);
        // € takes two septets.
        let s = sms(&format!("{}€", "a".repeat(158)));
        assert_eq!((s.encoding, s.units, s.segments), (Encoding::Gsm7, 160, 1));
        assert_eq!(sms(&format!("{}€", "a".repeat(159))).segments, 2);
        // One emoji: the whole message is UCS-2, and the emoji is two units.
        let s = sms(&format!("{}😀", "a".repeat(68)));
        assert_eq!((s.encoding, s.units, s.segments), (Encoding::Ucs2, 70, 1));
        assert_eq!(sms(&format!("{}😀", "a".repeat(69))).segments, 2);
    }

    #[test]
    fn unknown_names_suggest_the_platform_meant() {
        let all = builtin();
        for (typed, meant) in [
            ("twitter", "x"),
            ("Insta", "instagram"),
            ("whatsap", "whatsapp"),
        ] {
            let e = named(&all, typed).unwrap_err().to_string();
            assert!(
                e.contains(&format!("did you mean `{meant}`?")),
                "{typed}: {e}"
            );
        }
        assert_eq!(named(&all, "SMS").unwrap().name, "sms");
    }

    #[test]
    fn config_overrides_and_adds() {
        let mut cfg = BTreeMap::new();
        cfg.insert(
            "x".to_string(),
            PlatformSpec {
                max_chars: Some(280),
                ..Default::default()
            },
        );
        cfg.insert(
            "line".to_string(),
            PlatformSpec {
                max_bytes: Some(500),
                ..Default::default()
            },
        );
        cfg.insert(
            "sms".to_string(),
            PlatformSpec {
                sms: true,
                max_segments: Some(1),
                ..Default::default()
            },
        );
        let all = all(&cfg);
        assert_eq!(find(&all, "x").unwrap().limit, Limit::Chars(280));
        assert_eq!(find(&all, "line").unwrap().limit, Limit::Bytes(500));
        assert_eq!(find(&all, "sms").unwrap().limit, Limit::Segments(1));
    }
}
