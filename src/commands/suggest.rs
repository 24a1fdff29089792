//! `reply suggest [MESSAGE]`: the replies that best answer a customer's
//! message, best first, with the variant, the score and the words that
//! matched; `--render` renders the best one as `render` would. Also the
//! `--for MESSAGE` of `reply render`. The ranking is `find::suggest`.

use std::io::{IsTerminal, Read};

use serde::Serialize;

use super::render::{Delivery, Options as RenderOptions, session};
use super::{App, JSON_VERSION, Run, Source, usage};
use crate::cli::{RenderArgs, SuggestArgs, ValueArgs};
use crate::compose::ValueInputs;
use crate::deliver::{Style, clipboard, table};
use crate::diag::{Error, Result};
use crate::find;
use crate::find::suggest::{MIN_SCORE, Options, Suggestion, Suggestions, suggest};
use crate::history::usage::{Found, How};
use crate::library::{Catalog, Library};
use crate::tui;
use crate::util::escape::sanitize;

/// A message longer than this is not a customer's message.
const MAX_MESSAGE: u64 = 1 << 20;

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    lang: &'a str,
    score: f64,
    matched: &'a [String],
    values: &'a [find::suggest::Proposed],
    #[serde(flatten)]
    source: Source,
}

/// A score as shown: three decimals are all it means.
fn rounded(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

impl Run for SuggestArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        super::sync::staleness(app);
        let message = read_message(app, self.message.as_deref(), self.from_clipboard)?;
        let min_score = min_score(self.min_score)?;
        let cat = app.catalog(false)?;
        let opts = Options {
            limit: self.limit.max(1),
            min_score,
            lang: self.lang.clone(),
            prefer_lang: app.settings.lang.clone(),
            platform: self.platform.clone(),
            values: true,
            used: usage::frecency(app, &cat),
        };
        let found = suggest(&cat, &message, &opts);
        let Some(best) = found.items.first() else {
            return Err(no_good_match(&found, min_score));
        };
        // A person at a terminal picks among them, and goes on to the prompts.
        if app.interactive && !self.render && !self.json {
            let opts = RenderOptions {
                values: ValueInputs::from(&self.values),
                platform: self.platform.clone(),
                lang: self.lang.clone(),
                public: self.public,
                strict_lang: false,
                delivery: Delivery {
                    copy: self.copy,
                    print: self.print,
                    output: None,
                    osc52: false,
                },
            };
            return pick_among(app, &cat, &found, opts);
        }
        if self.render {
            let values = if self.fill {
                best.values.clone()
            } else {
                Vec::new()
            };
            let args = render_args(best, self, values);
            app.out.info(&chosen(best));
            return args.run(app);
        }
        if self.json {
            let items: Vec<Item> = found
                .items
                .iter()
                .map(|s| Item {
                    id: s.entry.id(),
                    title: s.title(),
                    lang: s.lang(),
                    score: rounded(s.score),
                    matched: &s.matched,
                    values: &s.values,
                    source: app.source(&cat, s.entry),
                })
                .collect();
            return app.json(&serde_json::json!({
                "version": JSON_VERSION,
                "message": message,
                "lang": found.lang,
                "min_score": min_score,
                "suggestions": items,
            }));
        }
        let rows: Vec<Vec<String>> = found
            .items
            .iter()
            .map(|s| {
                let values: Vec<String> = s
                    .values
                    .iter()
                    .map(|v| format!("{}={}", v.name, sanitize(&v.value, false)))
                    .collect();
                vec![
                    app.out.paint(Style::Id, &sanitize(s.entry.id(), false)),
                    sanitize(s.title(), false),
                    app.out.paint(Style::Dim, &sanitize(s.lang(), false)),
                    format!("{:.2}", s.score),
                    sanitize(&s.matched.join(" "), false),
                    values.join(" "),
                ]
            })
            .collect();
        app.out.write(&table(&rows, app.out.tty))?;
        Ok(())
    }
}

/// The picker on these suggestions, best first, each with its score and the
/// words that matched; the values found in the message are in the preview
/// and offered at the prompts. Enter goes on as for any pick.
pub(super) fn pick_among(
    app: &mut App<'_>,
    cat: &Catalog,
    found: &Suggestions,
    mut opts: RenderOptions,
) -> Result<()> {
    let rows = found
        .items
        .iter()
        .filter_map(|s| {
            let entry = cat.entries.iter().position(|e| std::ptr::eq(e, s.entry))?;
            Some(tui::Row {
                entry,
                variant: s.variant,
                id_marks: Vec::new(),
                title_marks: Vec::new(),
                why: Some(sanitize(&s.matched.join(" "), false)),
                score: Some(s.score),
                proposed: s
                    .values
                    .iter()
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect(),
            })
        })
        .collect();
    // Answer in the message's language unless told otherwise.
    if opts.lang.is_none() {
        opts.lang = found.lang.clone();
    }
    session(
        app,
        cat,
        tui::Start::Suggested { rows },
        &opts,
        How::new(Found::Suggest, None),
    )
}

/// The suggestions for `message` with the picker's options (`pick --for`).
pub(super) fn for_picker<'c>(
    app: &mut App<'_>,
    cat: &'c Catalog,
    message: &str,
    lang: Option<&str>,
    platform: Option<&str>,
) -> Result<Suggestions<'c>> {
    let message = read_message(app, Some(message), false)?;
    let opts = Options {
        limit: 10,
        lang: lang.map(str::to_string),
        prefer_lang: app.settings.lang.clone(),
        platform: platform
            .map(str::to_string)
            .or_else(|| app.settings.platform.clone()),
        values: true,
        ..Options::default()
    };
    let found = suggest(cat, &message, &opts);
    if found.items.is_empty() {
        return Err(no_good_match(&found, opts.min_score));
    }
    Ok(found)
}

/// `--min-score`, checked, or the default.
fn min_score(flag: Option<f64>) -> Result<f64> {
    match flag {
        None => Ok(MIN_SCORE),
        Some(s) if (0.0..=1.0).contains(&s) => Ok(s),
        Some(s) => Err(
            Error::usage(format!("--min-score {s} is not between 0 and 1")).hint(format!(
                "scores run from 0 to 1; the default is {MIN_SCORE}"
            )),
        ),
    }
}

/// "no good match", with how close the best reply came.
fn no_good_match(found: &Suggestions, min_score: f64) -> Error {
    let hint = match &found.closest {
        Some(c) => format!(
            "the closest, `{}`, scores {:.2}, under {min_score} (lower it with --min-score); \
             `reply search WORDS` finds replies by words you choose",
            sanitize(c.entry.id(), false),
            c.score
        ),
        None => "no word of the message is in any reply; `reply search WORDS` finds replies by \
                 words you choose"
            .to_string(),
    };
    Error::no_match("no good match for the message").hint(hint)
}

/// The note on stderr that says which reply was chosen.
fn chosen(best: &Suggestion) -> String {
    format!(
        "Rendering `{}` ({}) [{}]: best suggestion for the message, score {:.2}",
        sanitize(best.entry.id(), false),
        sanitize(best.title(), false),
        sanitize(best.lang(), false),
        best.score
    )
}

/// `reply render ID` for the best suggestion, with suggest's flags.
fn render_args(
    best: &Suggestion,
    a: &SuggestArgs,
    found: Vec<find::suggest::Proposed>,
) -> RenderArgs {
    let mut vars = a.values.vars.clone();
    // A value given with -v wins over one found in the message.
    for v in found {
        let given = vars
            .iter()
            .any(|x| x.split_once('=').is_some_and(|(k, _)| k.trim() == v.name));
        if !given {
            vars.push(format!("{}={}", v.name, v.value));
        }
    }
    RenderArgs {
        query: Some(best.entry.id().to_string()),
        exact: true,
        values: ValueArgs {
            customer: a.values.customer.clone(),
            agent: a.values.agent.clone(),
            brand: a.values.brand.clone(),
            vars,
            vars_file: a.values.vars_file.clone(),
        },
        platform: a.platform.clone(),
        public: a.public,
        lang: Some(best.lang().to_string()),
        json: a.json,
        copy: a.copy,
        print: a.print,
        record: a.record,
        suggested: true,
        ..RenderArgs::default()
    }
}

/// The message: the argument, else stdin (`-`, or nothing with stdin not a
/// terminal), else the clipboard with `--from-clipboard`.
fn read_message(app: &App<'_>, arg: Option<&str>, from_clipboard: bool) -> Result<String> {
    let text = if from_clipboard {
        clipboard::paste(&app.settings.clipboard).map_err(|e| Error::Clipboard(e.message))?
    } else {
        match arg {
            Some(m) if m != "-" => m.to_string(),
            // The line break that ends a piped line is not part of the message.
            Some(_) => read_stdin()?.trim_end_matches(['\n', '\r']).to_string(),
            None if !std::io::stdin().is_terminal() => {
                read_stdin()?.trim_end_matches(['\n', '\r']).to_string()
            }
            None => {
                return Err(Error::usage("no message to suggest replies for").hint(
                    "give it as an argument (`reply suggest \"where is my order?\"`), pipe it in, \
                     or use --from-clipboard",
                ));
            }
        }
    };
    if text.trim().is_empty() {
        return Err(Error::usage("the message is empty").hint(
            "give the customer's message as an argument, on stdin, or with --from-clipboard",
        ));
    }
    Ok(text)
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_MESSAGE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::usage(format!("cannot read the message from stdin: {e}")))?;
    if bytes.len() as u64 > MAX_MESSAGE {
        return Err(Error::usage("the message on stdin is over 1 MB")
            .hint("pass the customer's message itself, not a whole file"));
    }
    String::from_utf8(bytes).map_err(|_| {
        Error::usage("the message on stdin is not UTF-8 text")
            .hint("convert it first, for example with `iconv -t UTF-8`")
    })
}

/// `reply render --for MESSAGE`: the best suggestion's file, its id, and
/// `false` (not an exact id). Unless `--lang` was given, the message's
/// language becomes the one to render in.
pub fn resolve_for(
    app: &mut App<'_>,
    cat: &Catalog,
    message: &str,
    args: &RenderArgs,
) -> Result<(Library, String, bool)> {
    let message = read_message(app, Some(message), false)?;
    let opts = Options {
        limit: 1,
        lang: args.lang.clone(),
        prefer_lang: app.settings.lang.clone(),
        platform: args
            .platform
            .clone()
            .or_else(|| app.settings.platform.clone()),
        values: false,
        used: usage::frecency(app, cat),
        ..Options::default()
    };
    let found = suggest(cat, &message, &opts);
    let Some(best) = found.items.first() else {
        return Err(no_good_match(&found, opts.min_score));
    };
    app.out.info(&chosen(best));
    if args.lang.is_none() {
        // The settings' default language is what `render` falls back to
        // without --lang: for this run, the message's.
        app.settings.lang = Some(best.lang().to_string());
    }
    let id = best.entry.id().to_string();
    let lib = find::open(cat, best.entry)?;
    Ok((lib, id, false))
}
