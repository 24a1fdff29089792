//! Drawing the picker and the prompts: every line cut or wrapped to the width
//! (accents, emoji and CJK measured in columns), nothing past the screen's
//! edge, colour only when allowed (reverse video marks the selection either
//! way). Works down to 40 columns by 10 rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::form::{Form, Input};
use super::picker::Picker;
use super::preview::Preview;
use super::text::{cell, fit, wrap};
use unicode_width::UnicodeWidthStr;

/// Styles, plain when colour is off.
#[derive(Clone, Copy)]
pub struct Palette {
    pub color: bool,
}

impl Palette {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn id(&self) -> Style {
        self.fg(Color::Cyan)
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default()
        }
    }
    fn mark(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    fn problem(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    fn placeholder(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        }
    }
}

fn line_at(f: &mut Frame, area: Rect, y: u16, line: Line) {
    if y < area.y + area.height {
        f.render_widget(Paragraph::new(line), Rect::new(area.x, y, area.width, 1));
    }
}

/// A short name for a platform, for the list's markers.
fn short(platform: &str) -> &str {
    match platform {
        "facebook" => "fb",
        "instagram" => "ig",
        "whatsapp" => "wa",
        "tiktok" => "tt",
        "email" => "mail",
        other => other,
    }
}

/// The preview's text, wrapped, its placeholders marked.
fn preview_lines(p: &Preview, width: usize, pal: Palette) -> Vec<Line<'static>> {
    if let Some(problem) = &p.problem {
        return wrap(problem, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, pal.problem())))
            .collect();
    }
    wrap(&p.text, width)
        .into_iter()
        .map(|l| {
            let mut spans = Vec::new();
            let mut rest = l.as_str();
            while let Some(start) = rest.find('‹') {
                let Some(len) = rest[start..].find('›') else {
                    break;
                };
                let end = start + len + '›'.len_utf8();
                spans.push(Span::raw(rest[..start].to_string()));
                spans.push(Span::styled(
                    rest[start..end].to_string(),
                    pal.placeholder(),
                ));
                rest = &rest[end..];
            }
            spans.push(Span::raw(rest.to_string()));
            Line::from(spans)
        })
        .collect()
}

/// The rule above the preview: what is shown, and its length against the limit.
fn preview_rule(
    title: &str,
    why: Option<&str>,
    p: &Preview,
    width: usize,
    pal: Palette,
) -> Line<'static> {
    let mut right = p.measure.clone().unwrap_or_default();
    if !p.missing.is_empty() {
        let n = p.missing.len();
        right = format!(
            "{right}{}{n} value{} to fill",
            if right.is_empty() { "" } else { " · " },
            if n == 1 { "" } else { "s" }
        );
    }
    let left = match why {
        Some(w) => format!("── {title} · {} · matched: {w} ", p.variant),
        None => format!("── {title} · {} ", p.variant),
    };
    let room = width.saturating_sub(right.width() + 2);
    let left = fit(&left, room);
    let dashes = width.saturating_sub(left.width() + right.width() + 1);
    let mut spans = vec![
        Span::styled(left, pal.dim()),
        Span::styled("─".repeat(dashes), pal.dim()),
        Span::raw(" "),
    ];
    spans.push(Span::styled(
        fit(&right, width.saturating_sub(1)),
        if p.over { pal.problem() } else { pal.dim() },
    ));
    Line::from(spans)
}

pub fn picker(f: &mut Frame, p: &mut Picker, preview: &Preview, places: &[String], pal: Palette) {
    let area = f.area();
    let (w, h) = (area.width as usize, area.height);
    if w < 10 || h < 5 {
        line_at(
            f,
            area,
            area.y,
            Line::from(fit("reply: the terminal is too small", w)),
        );
        return;
    }
    // The query line.
    let count = if p.query.is_empty() {
        p.rows.len().to_string()
    } else {
        format!("{}/{}", p.rows.len(), p.total())
    };
    let q = fit(&p.query, w.saturating_sub(count.width() + 4));
    let pad = w.saturating_sub(q.width() + count.width() + 3);
    line_at(
        f,
        area,
        area.y,
        Line::from(vec![
            Span::styled("› ", pal.mark()),
            Span::raw(q.clone()),
            Span::raw(" ".repeat(pad)),
            Span::styled(count, pal.dim()),
        ]),
    );
    f.set_cursor_position((area.x + 2 + q.width() as u16, area.y));
    // The list takes about 45% of the space between the query and the footer.
    let inner = h.saturating_sub(2);
    let list_h = (inner * 45 / 100).max(3).min(inner.saturating_sub(2));
    p.page = list_h as usize;
    if p.selected >= p.top + p.page {
        p.top = p.selected + 1 - p.page;
    }
    let id_w = p
        .rows
        .iter()
        .skip(p.top)
        .take(p.page)
        .map(|r| p.entry(r).id().width())
        .max()
        .unwrap_or(0)
        .min(w / 3)
        .min(28);
    let wide = w >= 70;
    for (i, row) in p.rows.iter().skip(p.top).take(p.page).enumerate() {
        let e = p.entry(row);
        let title = e.title_at(row.variant).map_or("", |t| t.1);
        let mut marks = String::new();
        if wide {
            let langs: Vec<&str> = e.languages().collect();
            if langs.len() > 1 {
                marks.push_str(&langs.join(" "));
            }
            let plats: Vec<&str> = e.platforms().map(short).collect();
            if !plats.is_empty() {
                marks.push_str(&format!(
                    "{}{}",
                    if marks.is_empty() { "" } else { " · " },
                    plats.join(" ")
                ));
            }
        }
        let lib = if wide {
            places.get(e.file as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        let lib = fit(&lib, 18);
        // A suggestion's score, as `reply suggest` prints it.
        let score = row.score.map(|s| format!("{s:.2}  ")).unwrap_or_default();
        let extra = |s: &str| if s.is_empty() { 0 } else { 2 + s.width() };
        let fixed = 2 + id_w + 2 + score.width() + extra(&marks) + extra(&lib);
        let title_w = w.saturating_sub(fixed).max(1);
        let title = cell(title, title_w);
        let is_sel = p.top + i == p.selected;
        let mut spans = vec![
            Span::styled(if is_sel { "▌ " } else { "  " }, pal.mark()),
            Span::styled(cell(e.id(), id_w), pal.id()),
            Span::raw("  "),
            Span::styled(score, pal.dim()),
            Span::raw(title),
        ];
        if !marks.is_empty() {
            spans.push(Span::styled(format!("  {marks}"), pal.dim()));
        }
        if !lib.is_empty() {
            spans.push(Span::styled(format!("  {lib}"), pal.dim()));
        }
        let mut line = Line::from(spans);
        if is_sel {
            line = line.style(pal.selected());
        }
        line_at(f, area, area.y + 1 + i as u16, line);
    }
    if p.rows.is_empty() {
        line_at(
            f,
            area,
            area.y + 1,
            Line::from(Span::styled(
                fit("  no reply matches: type less, or Esc", w),
                pal.dim(),
            )),
        );
    }
    // The preview.
    let top = area.y + 1 + list_h;
    if let Some(row) = p.current() {
        let title = p.entry(row).id().to_string();
        let why = row.why.as_deref();
        line_at(f, area, top, preview_rule(&title, why, preview, w, pal));
        let room = (area.y + h - 1).saturating_sub(top + 1) as usize;
        for (i, l) in preview_lines(preview, w, pal)
            .into_iter()
            .take(room)
            .enumerate()
        {
            line_at(f, area, top + 1 + i as u16, l);
        }
    }
    footer(
        f,
        area,
        "↑↓ move · ⏎ choose · Tab public/private · ^L language · ^T platform · Esc quit",
        pal,
    );
}

fn footer(f: &mut Frame, area: Rect, keys: &str, pal: Palette) {
    line_at(
        f,
        area,
        area.y + area.height - 1,
        Line::from(Span::styled(fit(keys, area.width as usize), pal.dim())),
    );
}

pub fn form(f: &mut Frame, form: &Form, title: &str, preview: &Preview, pal: Palette) {
    let area = f.area();
    let (w, h) = (area.width as usize, area.height);
    if w < 10 || h < 6 {
        line_at(
            f,
            area,
            area.y,
            Line::from(fit("reply: the terminal is too small", w)),
        );
        return;
    }
    // The preview fills the top; the field sits above the footer.
    let field_h: u16 = 3;
    line_at(f, area, area.y, preview_rule(title, None, preview, w, pal));
    let room = h.saturating_sub(field_h + 2) as usize;
    for (i, l) in preview_lines(preview, w, pal)
        .into_iter()
        .take(room)
        .enumerate()
    {
        line_at(f, area, area.y + 1 + i as u16, l);
    }
    let y = area.y + h - 1 - field_h;
    if form.offering {
        if let Some(o) = form.offers.get(form.at) {
            let what = if o.key == "agent" {
                "your name"
            } else {
                "your brand"
            };
            line_at(
                f,
                area,
                y,
                Line::from(Span::styled(
                    fit(
                        &format!(
                            "Remember {} = \"{}\" as {what} in the config?",
                            o.key, o.value
                        ),
                        w,
                    ),
                    pal.mark(),
                )),
            );
            let yes_no = if o.on { "[Yes] No " } else { " Yes [No]" };
            line_at(f, area, y + 1, Line::from(format!("  {yes_no}")));
        }
        footer(f, area, "y/n or Space switch · ⏎ next · Esc cancel", pal);
        return;
    }
    let Some(field) = form.current() else { return };
    let mut label = field.label.clone();
    if let Some(ex) = field.spec.as_ref().and_then(|s| s.example.as_ref()) {
        label.push_str(&format!(" (e.g. {ex})"));
    }
    let step = format!("{}/{}", form.at + 1, form.fields.len());
    line_at(
        f,
        area,
        y,
        Line::from(vec![
            Span::styled(fit(&label, w.saturating_sub(step.width() + 1)), pal.mark()),
            Span::raw(" "),
            Span::styled(step, pal.dim()),
        ]),
    );
    let input_line = match &field.input {
        Input::Text { typed, default, .. } => {
            let shown = fit(typed, w.saturating_sub(4));
            f.set_cursor_position((area.x + 2 + shown.width() as u16, y + 1));
            let mut spans = vec![Span::styled("› ", pal.mark()), Span::raw(shown.clone())];
            if let (true, Some(d)) = (typed.is_empty(), default) {
                let how = if field.found {
                    "found in the message: Enter takes it"
                } else {
                    "Enter takes it"
                };
                spans.push(Span::styled(
                    fit(&format!("{d}  ({how})"), w.saturating_sub(4)),
                    pal.dim(),
                ));
            }
            Line::from(spans)
        }
        Input::Choice { options, at } => {
            let mut spans = vec![Span::styled("› ", pal.mark())];
            for (i, o) in options.iter().enumerate() {
                let text = format!(" {} ", fit(o, 20));
                spans.push(if i == *at {
                    Span::styled(text, pal.selected())
                } else {
                    Span::raw(text)
                });
            }
            Line::from(spans)
        }
        Input::Toggle { on } => Line::from(vec![
            Span::styled("› ", pal.mark()),
            Span::styled(
                " yes ",
                if *on {
                    pal.selected()
                } else {
                    Style::default()
                },
            ),
            Span::styled(
                " no ",
                if *on {
                    Style::default()
                } else {
                    pal.selected()
                },
            ),
        ]),
    };
    line_at(f, area, y + 1, input_line);
    if let Some(problem) = &form.problem {
        line_at(
            f,
            area,
            y + 2,
            Line::from(Span::styled(fit(problem, w), pal.problem())),
        );
    }
    let keys = match field.input {
        Input::Text { .. } => "⏎ accept · ↑↓ earlier answers · ⇧Tab back · Esc cancel",
        Input::Choice { .. } => "←→ or 1-9 choose · ⏎ accept · ⇧Tab back · Esc cancel",
        Input::Toggle { .. } => "Space or y/n switch · ⏎ accept · ⇧Tab back · Esc cancel",
    };
    footer(f, area, keys, pal);
}
