//! A synthetic library for benchmarks: N replies in the real TOML format, about
//! 100 a file, plus the same texts one line per reply for `fzf --filter`, and
//! a usage log of them at its size bound.
//! Deterministic (a fixed seed), so every run measures the same library.
//!
//! Shared by the `gen-library` example and the criterion benches (`mod synth;`).

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Replies per file, as in a hand-kept library split by topic.
pub const PER_FILE: usize = 100;

/// SplitMix64: tiny, fast and good enough to pick words.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next_u64() as usize % items.len()]
    }
}

/// A support topic: its words in English and Spanish, and its tags.
struct Topic {
    name: &'static str,
    en: &'static [&'static str],
    es: &'static [&'static str],
    tags: &'static [&'static str],
}

// No word contains a `z` (nor do the fixed texts), so the query `zzqxj` matches
// nothing for fzf either, whose match may spread over the whole line.
const TOPICS: &[Topic] = &[
    Topic {
        name: "refund",
        en: &[
            "refund",
            "money",
            "card",
            "bank",
            "credit",
            "reimbursed",
            "refunded",
        ],
        es: &[
            "reembolso",
            "dinero",
            "tarjeta",
            "banco",
            "abono",
            "devuelto",
        ],
        tags: &["billing", "refunds", "reembolsos"],
    },
    Topic {
        name: "delay",
        en: &["delay", "late", "delayed", "waiting", "backlog", "courier"],
        es: &["retraso", "demora", "esperando", "mensajería", "atraso"],
        tags: &["shipping", "delays", "retrasos"],
    },
    Topic {
        name: "shipping",
        en: &[
            "shipping", "delivery", "tracking", "carrier", "package", "parcel",
        ],
        es: &[
            "envío",
            "entrega",
            "seguimiento",
            "paquete",
            "transportista",
        ],
        tags: &["shipping", "envíos", "delivery"],
    },
    Topic {
        name: "returns",
        en: &["return", "exchange", "label", "fit", "warehouse"],
        es: &["devolución", "cambio", "etiqueta", "talla", "almacén"],
        tags: &["returns", "devoluciones", "exchanges"],
    },
    Topic {
        name: "account",
        en: &["account", "password", "email", "login", "security"],
        es: &["cuenta", "contraseña", "correo", "sesión", "seguridad"],
        tags: &["account", "cuenta", "security"],
    },
    Topic {
        name: "payment",
        en: &["payment", "invoice", "charge", "receipt", "declined"],
        es: &["pago", "factura", "cargo", "recibo", "denegado"],
        tags: &["billing", "payments", "pagos"],
    },
    Topic {
        name: "address",
        en: &["address", "street", "postcode", "update", "apartment"],
        es: &["dirección", "calle", "código", "modificar", "piso"],
        tags: &["address", "dirección", "orders"],
    },
    Topic {
        name: "product",
        en: &["product", "warranty", "damaged", "replacement", "stock"],
        es: &["producto", "garantía", "dañado", "repuesto", "disponible"],
        tags: &["product", "producto", "warranty"],
    },
    Topic {
        name: "subscription",
        en: &["subscription", "plan", "renewal", "cancel", "monthly"],
        es: &[
            "suscripción",
            "renovación",
            "cancelación",
            "mensual",
            "plan",
        ],
        tags: &["subscriptions", "suscripciones", "billing"],
    },
    Topic {
        name: "promotions",
        en: &["discount", "coupon", "code", "sale", "offer"],
        es: &["descuento", "cupón", "código", "rebajas", "oferta"],
        tags: &["promotions", "ofertas", "coupons"],
    },
    Topic {
        name: "orders",
        en: &["order", "status", "confirmation", "items", "purchase"],
        es: &["pedido", "estado", "confirmación", "artículos", "compra"],
        tags: &["orders", "pedidos", "status"],
    },
    Topic {
        name: "complaints",
        en: &["apology", "complaint", "feedback", "manager", "experience"],
        es: &["disculpa", "queja", "opinión", "responsable", "experiencia"],
        tags: &["complaints", "quejas", "feedback"],
    },
];

const EN_FILLER: &[&str] = &[
    "the",
    "your",
    "we",
    "will",
    "is",
    "to",
    "and",
    "for",
    "please",
    "sorry",
    "thanks",
    "today",
    "within",
    "business",
    "days",
    "our",
    "team",
    "has",
    "have",
    "you",
    "can",
    "it",
    "this",
    "that",
    "as",
    "soon",
    "possible",
    "let",
    "me",
    "know",
    "if",
    "anything",
    "else",
    "help",
    "check",
    "again",
    "already",
    "after",
    "before",
    "on",
    "with",
    "from",
    "still",
    "should",
    "arrive",
    "see",
    "here",
    "there",
    "new",
    "usual",
    "right",
    "away",
    "any",
    "questions",
];

const ES_FILLER: &[&str] = &[
    "el",
    "la",
    "tu",
    "su",
    "de",
    "en",
    "con",
    "para",
    "por",
    "que",
    "y",
    "lo",
    "sentimos",
    "gracias",
    "hoy",
    "días",
    "hábiles",
    "también",
    "información",
    "atención",
    "gestión",
    "está",
    "será",
    "podrá",
    "rápido",
    "próximo",
    "según",
    "número",
    "además",
    "aquí",
    "ya",
    "todavía",
    "después",
    "antes",
    "cualquier",
    "duda",
    "equipo",
    "nuestro",
    "revisamos",
    "pronto",
    "posible",
    "cómo",
    "más",
    "menos",
    "así",
    "sí",
    "también",
    "mañana",
    "tarde",
];

/// Values for the variables `reply render` needs; every generated reply renders
/// with these (`-c Ana -a Sam -b Acme -v order=… -v eta=… -v link=…`).
pub const VARIABLES: &[&str] = &["customer", "agent", "brand", "order", "eta", "link"];

/// One generated reply.
pub struct Synth {
    pub id: String,
    pub title: String,
    pub tags: [String; 2],
    pub body: String,
    pub defaults: Vec<(&'static str, &'static str)>,
}

/// Lowercase ASCII for an id: accents dropped, anything else to `-`.
fn id_word(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'ü' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How a variable appears in a body; `customer` often carries its own default.
fn var_expr(rng: &mut Rng, name: &str, spanish: bool) -> String {
    match name {
        "customer" if rng.chance(60) => {
            let fallback = if spanish { "hola" } else { "there" };
            format!("{{{{ customer | default(value=\"{fallback}\") }}}}")
        }
        "customer" if rng.chance(30) => "{{ customer | first_name }}".to_string(),
        _ => format!("{{{{ {name} }}}}"),
    }
}

/// Fallback values for `[id.defaults]`.
fn default_for(name: &str) -> &'static str {
    match name {
        "eta" => "3-5 días hábiles",
        "link" => "https://example.com/help/orders",
        "brand" => "Acme",
        _ => "Sam",
    }
}

/// Reply number `index` of topic `topic`. Reply `index` is the same whatever N.
pub fn reply(index: usize, topic: usize) -> Synth {
    let mut rng = Rng::new(0x5EED_0000 ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let t = &TOPICS[topic];
    let spanish = rng.chance(40);
    let (own, other, filler, other_filler) = if spanish {
        (t.es, t.en, ES_FILLER, EN_FILLER)
    } else {
        (t.en, t.es, EN_FILLER, ES_FILLER)
    };
    // A word of the body: mostly filler, often a topic word, now and then from
    // another topic, and sometimes in the other language.
    let word = |rng: &mut Rng| -> &'static str {
        let roll = rng.range(0, 99);
        match roll {
            0..=59 => rng.pick(filler),
            60..=77 => rng.pick(own),
            78..=85 => rng.pick(other),
            86..=93 => rng.pick(other_filler),
            _ => {
                let o = &TOPICS[rng.range(0, TOPICS.len() - 1)];
                rng.pick(if spanish { o.es } else { o.en })
            }
        }
    };

    // Title: 3–7 words, led by a topic word.
    let n = rng.range(3, 7);
    let mut words = vec![capitalise(rng.pick(own))];
    while words.len() < n {
        let w = if rng.chance(50) {
            rng.pick(own)
        } else {
            word(&mut rng)
        };
        words.push(w.to_string());
    }
    let title = words.join(" ");
    let id = format!("{}-{}-{index}", t.name, id_word(&words[1]));

    let first = rng.range(0, t.tags.len() - 1);
    let second = (first + rng.range(1, t.tags.len() - 1)) % t.tags.len();
    let tags = [t.tags[first].to_string(), t.tags[second].to_string()];

    // 2–4 variables; customer is almost always among them.
    let count = rng.range(2, 4);
    let mut vars: Vec<&'static str> = Vec::new();
    if rng.chance(90) {
        vars.push("customer");
    }
    while vars.len() < count {
        let v = rng.pick(VARIABLES);
        if !vars.contains(&v) {
            vars.push(v);
        }
    }
    let defaults: Vec<_> = vars
        .iter()
        .filter(|v| **v != "customer" && rng.chance(40))
        .map(|v| (*v, default_for(v)))
        .collect();

    // Body: a greeting, then sentences until the target length (300–700 characters).
    let target = rng.range(300, 640);
    let mut body = String::new();
    let greet = if spanish { "Hola" } else { "Hi" };
    if vars.contains(&"customer") {
        let _ = write!(body, "{greet} {},", var_expr(&mut rng, "customer", spanish));
    } else if rng.chance(50) {
        body.push_str("{{ greeting() }},");
    } else {
        let _ = write!(body, "{greet},");
    }
    let mut pending: Vec<&str> = vars.iter().copied().filter(|v| *v != "customer").collect();
    let mut sentence = 0;
    let mut capital = false;
    while body.chars().count() < target || !pending.is_empty() {
        if body.ends_with('.') && rng.chance(30) {
            body.push('\n');
        } else {
            body.push(' ');
        }
        let w = word(&mut rng);
        if capital {
            body.push_str(&capitalise(w));
            capital = false;
        } else {
            body.push_str(w);
        }
        sentence += 1;
        if !pending.is_empty() && rng.chance(12) {
            let v = pending.remove(0);
            let _ = write!(body, " {}", var_expr(&mut rng, v, spanish));
        }
        if sentence > 5 && rng.chance(15) {
            body.push('.');
            sentence = 0;
            capital = true;
        }
    }
    if !body.ends_with('.') {
        body.push('.');
    }
    Synth {
        id,
        title,
        tags,
        body,
        defaults,
    }
}

/// The TOML for one reply, as a person would write it.
pub fn to_toml(r: &Synth, out: &mut String) {
    let _ = writeln!(out, "[{}]", r.id);
    let _ = writeln!(out, "title = \"{}\"", r.title);
    let _ = writeln!(out, "tags = [\"{}\", \"{}\"]", r.tags[0], r.tags[1]);
    let _ = writeln!(out, "body = \"\"\"\n{}\n\"\"\"", r.body);
    if !r.defaults.is_empty() {
        let _ = writeln!(out, "\n[{}.defaults]", r.id);
        for (k, v) in &r.defaults {
            let _ = writeln!(out, "{k} = \"{v}\"");
        }
    }
    out.push('\n');
}

/// The fzf line: `id<TAB>title<TAB>tags<TAB>body`, the body on one line.
pub fn to_line(r: &Synth, out: &mut String) {
    let body = r.body.replace('\n', " ");
    let _ = writeln!(
        out,
        "{}\t{}\t{},{}\t{}",
        r.id, r.title, r.tags[0], r.tags[1], body
    );
}

/// What `generate` wrote.
pub struct Generated {
    /// The folder to pass to `reply --library`.
    pub replies: PathBuf,
    /// One line per reply, for `fzf --filter`.
    pub lines: PathBuf,
    pub files: usize,
    /// The last reply's id (an exact id for `render` and `show`).
    pub last_id: String,
    /// A state folder (for `XDG_STATE_HOME`) whose `reply/usage.jsonl` is a
    /// usage log of these replies at its size bound, as of 2026-11-25.
    pub state: PathBuf,
}

/// The day the generated usage log is written as of (the benches' clock).
pub const TODAY: (i32, u32, u32) = (2026, 11, 25);

/// A usage log of `size` bytes or just under, as one busy agent writes it:
/// thirty replies most of the time, the rest now and then, over the week
/// whose records compaction keeps one by one (the largest a log gets: a
/// line a message). Returns how many messages it holds.
pub fn usage_log(ids: &[String], path: &Path, size: u64) -> io::Result<usize> {
    use reply::history::usage::{Found, How, Sent, Use, encode};
    let today = chrono::NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2)
        .ok_or_else(|| io::Error::other("no such day"))?;
    let mut rng = Rng::new(42);
    let mut text = String::new();
    let mut n = 0;
    while !ids.is_empty() {
        let r = rng.next_u64() as usize;
        let id = if r.is_multiple_of(5) {
            &ids[r / 5 % ids.len()]
        } else {
            &ids[r / 5 % 30 % ids.len()]
        };
        let day = today - chrono::Days::new((r % 7) as u64);
        let at = day
            .and_hms_opt(9 + (n % 8) as u32, (r % 60) as u32, 0)
            .ok_or_else(|| io::Error::other("no such time"))?;
        let found = [Found::Id, Found::Search, Found::Picker, Found::Suggest][r % 4];
        let rank = (found != Found::Id).then_some(1 + (r % 3) as u32);
        let sent = Sent {
            id: id.clone(),
            library: "replies".into(),
            lang: if r.is_multiple_of(3) { "es" } else { "en" }.into(),
            platform: ["instagram", "whatsapp", "sms"]
                .get(r % 4)
                .map(|p| p.to_string()),
            public: r.is_multiple_of(10),
            found,
        };
        let line = encode(&Use::at(at, sent, How::new(found, rank), 1))?;
        if (text.len() + line.len()) as u64 > size {
            break;
        }
        text.push_str(&line);
        n += 1;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    Ok(n)
}

/// Writes `dir/replies/*.toml` (about 100 replies a file, one topic a file),
/// `dir/lines.txt` and `dir/state/reply/usage.jsonl`. An existing
/// `dir/replies` is replaced.
pub fn generate(n: usize, dir: &Path) -> io::Result<Generated> {
    let replies = dir.join("replies");
    if replies.exists() {
        std::fs::remove_dir_all(&replies)?;
    }
    std::fs::create_dir_all(&replies)?;
    let lines_path = dir.join("lines.txt");
    let mut lines = io::BufWriter::new(std::fs::File::create(&lines_path)?);
    let mut ids = Vec::with_capacity(n);
    let mut files = 0;
    let mut line = String::new();
    for (f, start) in (0..n).step_by(PER_FILE).enumerate() {
        let topic = f % TOPICS.len();
        let mut text = format!(
            "# Synthetic replies about {} (generated by `gen-library`).\n\n",
            TOPICS[topic].name
        );
        for i in start..(start + PER_FILE).min(n) {
            let r = reply(i, topic);
            to_toml(&r, &mut text);
            line.clear();
            to_line(&r, &mut line);
            lines.write_all(line.as_bytes())?;
            ids.push(r.id);
        }
        let name = format!("{:05}-{}.toml", f, TOPICS[topic].name);
        std::fs::write(replies.join(name), text)?;
        files += 1;
    }
    lines.flush()?;
    let state = dir.join("state");
    let log = state.join("reply").join(reply::history::usage::FILE);
    usage_log(&ids, &log, reply::history::usage::BOUND)?;
    Ok(Generated {
        replies,
        lines: lines_path,
        files,
        last_id: ids.pop().unwrap_or_default(),
        state,
    })
}
