//! The person at a terminal: a full-screen picker with a live preview, and
//! fill-in prompts for the values a reply still needs. Only ever run when a
//! person is there (`App::interactive`); the terminal is restored on every way
//! out (`screen`). What it returns is rendered and delivered by the command,
//! through the same path as any render.

mod form;
mod picker;
mod preview;
mod screen;
mod text;
mod view;

use std::io;

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};

pub use form::SaveOffer;
pub use picker::Row;
pub use preview::{Preview, Previewer};

use crate::compose::platform::Platform;
use crate::compose::{Choice, Job, Origin, Runtime, Values};
use crate::history::Frecency;
use crate::library::{Catalog, Value};
use form::{Ask, Field, Form};
use picker::Picker;
use view::Palette;

/// Everything a session needs, gathered by the command.
pub struct Setup<'a> {
    pub cat: &'a Catalog,
    pub runtime: Runtime,
    /// Values from flags, the environment and the config.
    pub base: Values,
    /// What to show at first (language, part, platform).
    pub choice: Choice,
    pub platforms: Vec<Platform>,
    /// Where each catalog file's library is, as people read it.
    pub places: Vec<String>,
    pub color: bool,
    /// Earlier answers for a variable, most recent first.
    pub recent: &'a dyn Fn(&str) -> Vec<String>,
    /// How much each reply is used, for the picker's ranking.
    pub used: &'a Frecency,
}

pub enum Start {
    /// The picker, its query filled in.
    Pick { query: String },
    /// The picker, showing these rows (suggestions) in this order.
    Suggested { rows: Vec<Row> },
    /// Straight to the prompts for this entry of the catalog.
    Fill { entry: usize },
}

/// What a person chose and typed.
pub struct Done {
    pub entry: usize,
    /// Its place in the picker's list (1: the first); `None` without the picker.
    pub rank: Option<usize>,
    pub choice: Choice,
    pub answers: Vec<(String, Value)>,
    pub save: Vec<SaveOffer>,
}

pub enum Outcome {
    Done(Done),
    /// Esc: nothing chosen, nothing copied.
    Cancelled,
    /// Ctrl-C.
    Interrupted,
}

/// The picker without a terminal, drawing into a buffer: what one keystroke
/// costs (the per-keystroke benchmark), and what the screen shows (tests).
pub struct Headless<'a> {
    setup: &'a Setup<'a>,
    picker: Picker<'a>,
    previewer: Previewer<'a>,
    term: ratatui::Terminal<ratatui::backend::TestBackend>,
}

impl<'a> Headless<'a> {
    pub fn new(
        setup: &'a Setup<'a>,
        query: &str,
        width: u16,
        height: u16,
    ) -> io::Result<Headless<'a>> {
        let mut h = Headless {
            setup,
            picker: Picker::ranked(
                setup.cat,
                query,
                &setup.choice,
                &setup.platforms,
                Some(setup.used),
            ),
            previewer: Previewer::new(setup.cat, setup.runtime),
            term: match ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)) {
                Ok(t) => t,
                Err(never) => match never {},
            },
        };
        h.draw()?;
        Ok(h)
    }

    /// One key, as the picker takes it, then the redraw.
    pub fn key(&mut self, k: crossterm::event::KeyEvent) -> io::Result<()> {
        self.picker.key(k);
        self.draw()
    }

    fn draw(&mut self) -> io::Result<()> {
        let shown = match self.picker.current() {
            Some(row) => self.previewer.show(
                &self.setup.cat.entries[row.entry],
                &self.picker.choice(),
                &self.setup.base,
            ),
            None => Preview::default(),
        };
        let pal = Palette {
            color: self.setup.color,
        };
        let places = &self.setup.places;
        let picker = &mut self.picker;
        match self
            .term
            .draw(|f| view::picker(f, picker, &shown, places, pal))
        {
            Ok(_) => Ok(()),
            Err(never) => match never {},
        }
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let buf = self.term.backend().buffer();
        let area = buf.area;
        let mut out = String::new();
        for y in 0..area.height {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                line.push_str(sym);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// What the picker returns: the entry, what to show of it, the values its
/// suggestion found in the message, and its place in the list.
type Chosen = (usize, Choice, Vec<(String, String)>, Option<usize>);

/// `base` with the values found in the message, for a preview.
fn with_found(base: &Values, found: &[(String, String)]) -> Values {
    let mut values = base.clone();
    for (name, value) in found {
        if values.get(name).is_none_or(|g| g.origin >= Origin::Default) {
            put(&mut values, name, Value::String(value.clone()));
        }
    }
    values
}

/// Runs the picker and/or the prompts on the terminal.
pub fn run(setup: &Setup, start: Start) -> io::Result<Outcome> {
    let mut screen = screen::Screen::open()?;
    let mut previewer = Previewer::new(setup.cat, setup.runtime);
    let pal = Palette { color: setup.color };
    let (entry, choice, found, rank) = match start {
        Start::Fill { entry } => (entry, setup.choice.clone(), Vec::new(), None),
        Start::Pick { query } => {
            let used = Some(setup.used);
            let p = Picker::ranked(setup.cat, &query, &setup.choice, &setup.platforms, used);
            match pick(&mut screen, &mut previewer, setup, p, pal)? {
                Some(Ok(chosen)) => chosen,
                Some(Err(outcome)) => return Ok(outcome),
                None => return Ok(Outcome::Cancelled),
            }
        }
        Start::Suggested { rows } => {
            let p = Picker::new(setup.cat, "", &setup.choice, &setup.platforms).with_order(rows);
            match pick(&mut screen, &mut previewer, setup, p, pal)? {
                Some(Ok(chosen)) => chosen,
                Some(Err(outcome)) => return Ok(outcome),
                None => return Ok(Outcome::Cancelled),
            }
        }
    };
    let fields = fields(&mut previewer, setup, entry, &choice, &found);
    if fields.is_empty() {
        return Ok(Outcome::Done(Done {
            entry,
            rank,
            choice,
            answers: Vec::new(),
            save: Vec::new(),
        }));
    }
    let mut form = Form::new(fields);
    let title = setup.cat.entries[entry].id().to_string();
    loop {
        let mut values = setup.base.clone();
        for (name, value) in form.values() {
            put(&mut values, &name, value);
        }
        let shown = previewer.show(&setup.cat.entries[entry], &choice, &values);
        screen
            .term
            .draw(|f| view::form(f, &form, &title, &shown, pal))?;
        let Some(k) = next_key(&mut screen)? else {
            continue;
        };
        match form.key(k) {
            form::Step::Stay => {}
            form::Step::Done => {
                return Ok(Outcome::Done(Done {
                    entry,
                    rank,
                    choice,
                    answers: form.answers(),
                    save: form.offers,
                }));
            }
            form::Step::Cancel => return Ok(Outcome::Cancelled),
            form::Step::Interrupt => return Ok(Outcome::Interrupted),
        }
    }
}

/// What the picker ends with: the chosen entry, or `Err` for how the person
/// left instead.
type Picked = Option<Result<Chosen, Outcome>>;

/// The picker's loop.
fn pick(
    screen: &mut screen::Screen,
    previewer: &mut Previewer,
    setup: &Setup,
    mut p: Picker,
    pal: Palette,
) -> io::Result<Picked> {
    loop {
        let shown = match p.current() {
            Some(row) => {
                let e = &setup.cat.entries[row.entry];
                previewer.show(e, &p.choice(), &with_found(&setup.base, &row.proposed))
            }
            None => Preview::default(),
        };
        screen
            .term
            .draw(|f| view::picker(f, &mut p, &shown, &setup.places, pal))?;
        if crate::util::test_hooks::panic_in_picker() {
            panic!("the picker panics, as REPLY_TEST_PANIC_IN_PICKER asks");
        }
        let ev = event::read()?;
        let k = match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => k,
            Event::Mouse(m) => {
                match m.kind {
                    MouseEventKind::ScrollDown => p.scroll(true),
                    MouseEventKind::ScrollUp => p.scroll(false),
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        match p.key(k) {
            picker::Step::Stay => {}
            picker::Step::Chosen(entry) => {
                let found = p.current().map(|r| r.proposed.clone()).unwrap_or_default();
                return Ok(Some(Ok((entry, p.choice(), found, Some(p.selected + 1)))));
            }
            picker::Step::Cancel => return Ok(Some(Err(Outcome::Cancelled))),
            picker::Step::Interrupt => return Ok(Some(Err(Outcome::Interrupted))),
        }
    }
}

fn next_key(screen: &mut screen::Screen) -> io::Result<Option<crossterm::event::KeyEvent>> {
    match event::read()? {
        Event::Key(k) if k.kind != KeyEventKind::Release => Ok(Some(k)),
        Event::Resize(..) => {
            screen.term.autoresize()?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// Sets `name` (or the field `a.b` of an object) as typed at a prompt.
pub fn put(values: &mut Values, name: &str, value: Value) {
    let mut parts = name.split('.');
    let Some(root) = parts.next() else { return };
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        values.offer(root, value, Origin::Prompt);
        return;
    }
    let mut whole = values
        .get(root)
        .map(|g| g.value.clone())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let mut at = &mut whole;
    for (i, key) in rest.iter().enumerate() {
        if !at.is_object() {
            *at = Value::Object(Default::default());
        }
        let Some(map) = at.as_object_mut() else {
            return;
        };
        if i + 1 == rest.len() {
            map.insert(key.to_string(), value);
            break;
        }
        at = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    values.set(
        root,
        crate::compose::Given {
            value: whole,
            origin: Origin::Prompt,
        },
    );
}

/// The prompts a reply needs: every value still missing, and every declared
/// variable nothing gave (a yes/no switch is worth showing even when the text
/// copes without it); in the order the text uses them.
fn fields(
    previewer: &mut Previewer,
    setup: &Setup,
    entry: usize,
    choice: &Choice,
    found: &[(String, String)],
) -> Vec<Field> {
    let found_for = |name: &str| {
        found
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let e = &setup.cat.entries[entry];
    let missing = previewer.show(e, choice, &setup.base).missing;
    let Ok(lib) = previewer.library(e) else {
        return Vec::new();
    };
    let Ok(job) = Job::new(lib, e.id(), choice, &setup.runtime) else {
        return Vec::new();
    };
    let src = job.text.src.clone();
    let mut asks: Vec<(usize, Ask)> = Vec::new();
    for name in &missing {
        let root = name.split('.').next().unwrap_or(name);
        asks.push((
            first_use(&src, root),
            Ask {
                name: name.clone(),
                spec: job.reply.var(name).cloned(),
                required: true,
                recent: (setup.recent)(name),
                found: found_for(name),
            },
        ));
    }
    for spec in &job.reply.vars {
        let given = setup
            .base
            .get(&spec.name)
            .is_some_and(|g| g.origin < Origin::Default);
        if given || missing.contains(&spec.name) || first_use(&src, &spec.name) == usize::MAX {
            continue;
        }
        asks.push((
            first_use(&src, &spec.name),
            Ask {
                name: spec.name.clone(),
                spec: Some(spec.clone()),
                required: false,
                recent: (setup.recent)(&spec.name),
                found: found_for(&spec.name),
            },
        ));
    }
    asks.sort_by_key(|(at, _)| *at);
    asks.into_iter().map(|(_, a)| Field::new(a)).collect()
}

/// Where a template first uses a name (as a whole word), for the prompts' order.
fn first_use(src: &str, name: &str) -> usize {
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(i) = src[from..].find(name) {
        let at = from + i;
        let end = at + name.len();
        let before = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after =
            end >= bytes.len() || !(bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
        if before && after {
            return at;
        }
        from = end;
    }
    usize::MAX
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use unicode_width::UnicodeWidthStr;

    const WIDE: &str = r#"
[cjk]
title = "注文が遅れています：お詫びと新しい日付"
body = "こんにちは {{ customer }} 様、ご注文 {{ order }} は遅れています。"
[emoji]
title = "Thanks 🙏🏽 for the 5⭐ review — truly 👩🏽‍💻"
body = "Thanks {{ customer }} 🙏"
[rtl]
title = "שלום וברכה مرحبا بك"
body = "שלום {{ customer }}"
[plain]
title = "A very long English title that cannot possibly fit in a narrow terminal window"
body = "Hi {{ customer }}, this is a long body that wraps over several lines of the preview pane."
"#;

    fn with_setup(f: impl FnOnce(&Setup)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.toml"), WIDE).unwrap();
        let cat =
            Catalog::load(vec![crate::library::Layer::named(dir.path())], "en", None).unwrap();
        let recall = |_: &str| Vec::new();
        let setup = Setup {
            cat: &cat,
            runtime: Runtime {
                clock: crate::compose::Clock::parse("2026-11-25T09:30").unwrap(),
                limits: Default::default(),
            },
            base: Values::default(),
            choice: Choice::default(),
            platforms: crate::compose::platform::builtin(),
            places: vec!["~/lib".into()],
            color: false,
            recent: &recall,
            used: &Frecency::default(),
        };
        f(&setup);
    }

    #[test]
    fn a_narrow_short_terminal_keeps_every_line_in_its_width() {
        with_setup(|setup| {
            for (w, h) in [(40, 10), (100, 30), (52, 12)] {
                let screen = Headless::new(setup, "", w, h).unwrap().screen();
                let lines: Vec<&str> = screen.lines().collect();
                assert_eq!(lines.len(), h as usize);
                for l in &lines {
                    assert!(
                        l.width() <= w as usize,
                        "{w}x{h}: {l:?} is {} wide",
                        l.width()
                    );
                }
                // The title column starts at the same column on every row.
                let starts: Vec<usize> = lines[1..=3]
                    .iter()
                    .map(|l| {
                        let id_end = l.find(|c: char| c.is_alphanumeric()).unwrap_or(0);
                        let rest = &l[id_end..];
                        let gap = rest.find("  ").unwrap_or(0);
                        let title_at =
                            id_end + gap + rest[gap..].len() - rest[gap..].trim_start().len();
                        l[..title_at].width()
                    })
                    .collect();
                assert!(
                    starts.windows(2).all(|p| p[0] == p[1]),
                    "{w}x{h}: {starts:?}\n{screen}"
                );
                if w < 60 {
                    assert!(
                        screen.contains('…'),
                        "long titles are cut with an ellipsis:\n{screen}"
                    );
                }
                assert!(
                    lines[h as usize - 1].contains("move"),
                    "the footer:\n{screen}"
                );
            }
        });
    }

    #[test]
    fn the_preview_shows_missing_values_in_place() {
        with_setup(|setup| {
            let mut h = Headless::new(setup, "cjk", 80, 16).unwrap();
            let screen = h.screen();
            assert!(screen.contains("‹order›"), "{screen}");
            assert!(screen.contains("2 values to fill"), "{screen}");
            h.key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL))
                .unwrap();
            assert!(h.screen().contains("facebook · "), "{}", h.screen());
        });
    }

    #[test]
    fn a_nested_answer_goes_into_its_object() {
        let mut v = Values::default();
        v.offer("order", serde_json::json!({"total": 3}), Origin::Data);
        put(&mut v, "order.id", Value::from("A-1"));
        assert_eq!(
            v.get("order").unwrap().value,
            serde_json::json!({"total": 3, "id": "A-1"})
        );
        put(&mut v, "customer", Value::from("Ana"));
        assert_eq!(v.get("customer").unwrap().value, "Ana");
    }

    #[test]
    fn names_are_found_as_whole_words() {
        assert_eq!(first_use("{{ orders }} {{ order }}", "order"), 16);
        assert_eq!(first_use("{{ x }}", "order"), usize::MAX);
    }
}
