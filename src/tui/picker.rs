//! The picker's state and keys: a query, the replies that match it ranked as
//! `reply search` ranks them (or in the order given, for suggestions), the
//! highlighted one, and what of it to show (private or public, language,
//! platform). Pure: keys in, state out; `view` draws it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::compose::Choice;
use crate::compose::platform::Platform;
use crate::find;
use crate::history::Frecency;
use crate::library::{Catalog, Entry};

/// What a key asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    /// The highlighted reply, by its index in the catalog's entries.
    Chosen(usize),
    /// Esc: leave, nothing chosen.
    Cancel,
    /// Ctrl-C.
    Interrupt,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index into the catalog's entries.
    pub entry: usize,
    /// The language variant whose title is shown (the one that matched).
    pub variant: usize,
    /// Characters of the id and title to highlight.
    pub id_marks: Vec<std::ops::Range<usize>>,
    pub title_marks: Vec<std::ops::Range<usize>>,
    /// Why a suggestion is here: the words of the message that matched.
    pub why: Option<String>,
    /// A suggestion's score, from 0 to 1.
    pub score: Option<f64>,
    /// Values found in the customer's message (name, value): shown in the
    /// preview, and offered at the prompts for the person to confirm.
    pub proposed: Vec<(String, String)>,
}

pub struct Picker<'a> {
    cat: &'a Catalog,
    pub query: String,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// The first row shown (the list scrolls to keep the selection visible).
    pub top: usize,
    /// Rows the list shows at once (set by the view, for PageUp/PageDown).
    pub page: usize,
    pub public: bool,
    /// The language asked for (`None`: each reply's own).
    pub lang: Option<String>,
    pub platform: Option<Platform>,
    platforms: Vec<Platform>,
    /// An order fixed beforehand (suggestions): filtering keeps it.
    fixed: Option<Vec<Row>>,
    /// Earlier queries and the entries they matched, longest last: typing on
    /// searches only the last matches, deleting goes back to them at once.
    trail: Vec<(String, Vec<Row>)>,
    /// How much each reply is used: the most used first among those that
    /// match alike, as `reply search` ranks them.
    used: Option<&'a Frecency>,
}

impl<'a> Picker<'a> {
    pub fn new(cat: &'a Catalog, query: &str, choice: &Choice, platforms: &[Platform]) -> Self {
        Picker::ranked(cat, query, choice, platforms, None)
    }

    /// `new`, with the replies' use ranking those that match alike.
    pub fn ranked(
        cat: &'a Catalog,
        query: &str,
        choice: &Choice,
        platforms: &[Platform],
        used: Option<&'a Frecency>,
    ) -> Self {
        let mut p = Picker {
            cat,
            query: query.to_string(),
            rows: Vec::new(),
            selected: 0,
            top: 0,
            page: 10,
            public: choice.public,
            lang: choice.lang.clone(),
            platform: choice.platform.clone(),
            platforms: platforms.to_vec(),
            fixed: None,
            trail: Vec::new(),
            used,
        };
        p.refresh();
        p
    }

    /// Shows these rows in this order (suggestions), the query then filtering them.
    pub fn with_order(mut self, rows: Vec<Row>) -> Self {
        self.fixed = Some(rows);
        self.query.clear();
        self.refresh();
        self
    }

    pub fn entry(&self, row: &Row) -> &'a Entry {
        &self.cat.entries[row.entry]
    }

    /// How many replies there are to pick from.
    pub fn total(&self) -> usize {
        self.fixed.as_ref().map_or(self.cat.entries.len(), Vec::len)
    }

    pub fn current(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// What to show of the highlighted reply.
    pub fn choice(&self) -> Choice {
        Choice {
            lang: self.lang.clone(),
            strict_lang: false,
            public: self.public,
            platform: self.platform.clone(),
        }
    }

    /// Runs the search again for the query (the same search as `reply search`).
    fn refresh(&mut self) {
        let words = self.query.trim();
        self.rows = match &self.fixed {
            Some(rows) if words.is_empty() => rows.clone(),
            Some(rows) => {
                let hits = find::search(&self.cat.entries, self.cat.bodies(), words, |_| true);
                let matched: std::collections::HashSet<&str> =
                    hits.iter().map(|h| h.entry.id()).collect();
                rows.iter()
                    .filter(|r| matched.contains(self.cat.entries[r.entry].id()))
                    .cloned()
                    .collect()
            }
            None if words.is_empty() => {
                let mut rows: Vec<Row> = (0..self.cat.entries.len())
                    .map(|entry| Row {
                        entry,
                        variant: self.variant_for(entry),
                        id_marks: Vec::new(),
                        title_marks: Vec::new(),
                        why: None,
                        score: None,
                        proposed: Vec::new(),
                    })
                    .collect();
                if let Some(used) = self.used {
                    find::most_used_first(&mut rows, |r| used.get(r.entry));
                }
                rows
            }
            None => {
                // Back to a query seen before: its rows as they were.
                while self
                    .trail
                    .last()
                    .is_some_and(|(q, _)| !words.starts_with(q.as_str()))
                {
                    self.trail.pop();
                }
                let rows = match self.trail.last() {
                    Some((q, rows)) if q == words => rows.clone(),
                    Some((_, rows)) => {
                        let among: Vec<usize> = rows.iter().map(|r| r.entry).collect();
                        let hits =
                            find::search_among(&self.cat.entries, self.cat.bodies(), words, &among);
                        self.rows_of(hits)
                    }
                    None => self.rows_of(find::search(
                        &self.cat.entries,
                        self.cat.bodies(),
                        words,
                        |_| true,
                    )),
                };
                if self.trail.last().is_none_or(|(q, _)| q != words) {
                    self.trail.push((words.to_string(), rows.clone()));
                }
                rows
            }
        };
        self.selected = 0;
        self.top = 0;
    }

    /// The variant to title a row with when nothing matched: the language asked for.
    fn variant_for(&self, entry: usize) -> usize {
        let e = &self.cat.entries[entry];
        self.lang
            .as_deref()
            .and_then(|l| e.languages().position(|x| x.eq_ignore_ascii_case(l)))
            .unwrap_or(0)
    }

    fn go(&mut self, to: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() as isize - 1;
        self.selected = to.clamp(0, last) as usize;
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + self.page.max(1) {
            self.top = self.selected + 1 - self.page.max(1);
        }
    }

    pub fn key(&mut self, k: KeyEvent) -> Step {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let sel = self.selected as isize;
        let page = self.page.max(1) as isize;
        match k.code {
            KeyCode::Char('c') if ctrl => return Step::Interrupt,
            KeyCode::Esc => return Step::Cancel,
            KeyCode::Enter => {
                if let Some(r) = self.current() {
                    return Step::Chosen(r.entry);
                }
            }
            KeyCode::Up => self.go(sel - 1),
            KeyCode::Down => self.go(sel + 1),
            KeyCode::Char('p' | 'k') if ctrl => self.go(sel - 1),
            KeyCode::Char('n' | 'j') if ctrl => self.go(sel + 1),
            KeyCode::PageUp => self.go(sel - page),
            KeyCode::PageDown => self.go(sel + page),
            KeyCode::Home if ctrl => self.go(0),
            KeyCode::End if ctrl => self.go(isize::MAX / 2),
            KeyCode::Tab | KeyCode::BackTab => self.public = !self.public,
            KeyCode::Char('l') if ctrl => self.next_lang(),
            KeyCode::Char('t') if ctrl => self.next_platform(),
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.refresh();
            }
            KeyCode::Char('w') if ctrl => {
                let kept = self.query.trim_end().rfind(' ').map_or(0, |i| i + 1);
                self.query.truncate(kept);
                self.refresh();
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.refresh();
            }
            KeyCode::Char(c) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => {
                self.query.push(c);
                self.refresh();
            }
            _ => {}
        }
        Step::Stay
    }

    pub fn scroll(&mut self, down: bool) {
        let sel = self.selected as isize;
        self.go(if down { sel + 1 } else { sel - 1 });
    }

    /// The next language of the highlighted reply (its own first).
    fn next_lang(&mut self) {
        let Some(row) = self.current().cloned() else {
            return;
        };
        let langs: Vec<String> = self.entry(&row).languages().map(str::to_string).collect();
        let at = self
            .lang
            .as_deref()
            .and_then(|l| langs.iter().position(|x| x.eq_ignore_ascii_case(l)));
        self.lang = match at {
            Some(i) if i + 1 < langs.len() => Some(langs[i + 1].clone()),
            Some(_) => langs.first().cloned(),
            None => langs.get(1).or(langs.first()).cloned(),
        };
        for r in &mut self.rows {
            if r.title_marks.is_empty() {
                let e = &self.cat.entries[r.entry];
                r.variant = self
                    .lang
                    .as_deref()
                    .and_then(|l| e.languages().position(|x| x.eq_ignore_ascii_case(l)))
                    .unwrap_or(0);
            }
        }
    }

    /// The next platform: none, then each known one in turn.
    fn next_platform(&mut self) {
        let at = self
            .platform
            .as_ref()
            .and_then(|p| self.platforms.iter().position(|x| x.name == p.name));
        self.platform = match at {
            None => self.platforms.first().cloned(),
            Some(i) => self.platforms.get(i + 1).cloned(),
        };
    }
}

impl Picker<'_> {
    /// The rows for search hits, ranked with use as `reply search` ranks them.
    fn rows_of(&self, mut hits: Vec<find::Hit>) -> Vec<Row> {
        if let Some(used) = self.used {
            find::nudge_hits(&mut hits, used);
        }
        rows_of(hits)
    }
}

fn rows_of(hits: Vec<find::Hit>) -> Vec<Row> {
    hits.into_iter()
        .map(|h| Row {
            entry: h.index,
            variant: h.variant,
            id_marks: h.id_ranges,
            title_marks: h.title_ranges,
            why: None,
            score: None,
            proposed: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Layer;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn catalog() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("t.toml"),
            "[refund]\ntitle='Refund issued'\nbody='Money back {{ customer }}'\n\
             [delay]\ntitle='Order delayed'\nbody='Late, {{ customer }}'\n\
             [delay.translations.es]\ntitle='Pedido retrasado'\nbody='Tarde'\n\
             [thanks]\ntitle='Thanks'\nbody='Thanks {{ customer }}'\n",
        )
        .unwrap();
        let cat = Catalog::load(vec![Layer::named(dir.path())], "en", None).unwrap();
        (dir, cat)
    }

    #[test]
    fn typing_filters_with_the_search_ranking() {
        let (_d, cat) = catalog();
        let mut p = Picker::new(&cat, "", &Choice::default(), &[]);
        assert_eq!(p.rows.len(), 3);
        for c in "dela".chars() {
            p.key(key(KeyCode::Char(c)));
        }
        let ids: Vec<&str> = p.rows.iter().map(|r| p.entry(r).id()).collect();
        assert_eq!(ids, ["delay"]);
        p.key(ctrl('u'));
        assert_eq!(p.rows.len(), 3);
    }

    #[test]
    fn use_ranks_the_list_as_a_fresh_search_does_at_every_key() {
        let (_d, cat) = catalog();
        let thanks = cat.position("thanks").unwrap();
        let used = Frecency::from_scores([(thanks, 8.0)]);
        let ids = |p: &Picker| {
            p.rows
                .iter()
                .map(|r| p.entry(r).id().to_string())
                .collect::<Vec<_>>()
        };
        let mut typed = Picker::ranked(&cat, "", &Choice::default(), &[], Some(&used));
        assert_eq!(
            ids(&typed),
            ["thanks", "refund", "delay"],
            "the most used first"
        );
        for q in ["e", "ed"] {
            typed.key(key(KeyCode::Char(q.chars().last().unwrap())));
            let fresh = Picker::ranked(&cat, q, &Choice::default(), &[], Some(&used));
            assert_eq!(ids(&typed), ids(&fresh), "{q}");
            let plain = Picker::new(&cat, q, &Choice::default(), &[]);
            assert_eq!(
                ids(&typed).len(),
                ids(&plain).len(),
                "use filters nothing: {q}"
            );
        }
    }

    #[test]
    fn typing_on_and_deleting_give_what_a_fresh_search_gives() {
        let (_d, cat) = catalog();
        let ids = |p: &Picker| {
            p.rows
                .iter()
                .map(|r| p.entry(r).id().to_string())
                .collect::<Vec<_>>()
        };
        let mut typed = Picker::new(&cat, "", &Choice::default(), &[]);
        for q in ["o", "or", "ord", "orde", "order", "order ", "order d"] {
            typed.key(key(KeyCode::Char(q.chars().last().unwrap())));
            let fresh = Picker::new(&cat, q, &Choice::default(), &[]);
            assert_eq!(ids(&typed), ids(&fresh), "{q}");
        }
        for _ in 0..4 {
            typed.key(key(KeyCode::Backspace));
        }
        assert_eq!(typed.query, "ord");
        assert_eq!(
            ids(&typed),
            ids(&Picker::new(&cat, "ord", &Choice::default(), &[]))
        );
    }

    #[test]
    fn moving_wraps_nowhere_and_enter_chooses() {
        let (_d, cat) = catalog();
        let mut p = Picker::new(&cat, "", &Choice::default(), &[]);
        p.key(key(KeyCode::Up));
        assert_eq!(p.selected, 0);
        p.key(key(KeyCode::Down));
        p.key(ctrl('n'));
        p.key(key(KeyCode::Down));
        assert_eq!(p.selected, 2);
        p.key(ctrl('p'));
        assert_eq!(p.key(key(KeyCode::Enter)), Step::Chosen(1));
        assert_eq!(p.key(key(KeyCode::Esc)), Step::Cancel);
        assert_eq!(p.key(ctrl('c')), Step::Interrupt);
    }

    #[test]
    fn variant_language_and_platform_cycle() {
        let (_d, cat) = catalog();
        let platforms = crate::compose::platform::builtin();
        let mut p = Picker::new(&cat, "delay", &Choice::default(), &platforms);
        p.key(key(KeyCode::Tab));
        assert!(p.public);
        p.key(ctrl('l'));
        assert_eq!(p.lang.as_deref(), Some("es"));
        p.key(ctrl('l'));
        assert_eq!(p.lang.as_deref(), Some("en"));
        p.key(ctrl('t'));
        assert_eq!(
            p.platform.as_ref().map(|p| p.name.as_str()),
            Some("facebook")
        );
        for _ in 0..platforms.len() {
            p.key(ctrl('t'));
        }
        assert!(p.platform.is_none());
    }
}
