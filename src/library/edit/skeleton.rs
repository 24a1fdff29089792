//! The text of a new reply: from the values given on the command line, or a
//! commented skeleton for the editor that shows every optional field; and
//! the skeleton's guide comments taken out again before the reply is written,
//! so the library keeps only what its author wrote.

use toml_edit::{Array, Value};

/// What `reply new` knows of the reply to write.
#[derive(Debug, Clone, Default)]
pub struct NewReply {
    pub id: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub lang: Option<String>,
    pub public: Option<String>,
    pub platforms: Vec<String>,
}

/// A string as TOML writes it (toml_edit picks the quoting).
fn string(s: &str) -> String {
    Value::from(s).to_string()
}

fn list(items: &[String]) -> String {
    let mut a = Array::new();
    for i in items {
        a.push(i.as_str());
    }
    Value::from(a).to_string()
}

/// A body as a `"""` block, one line of the file per line of the message,
/// which is how people read and edit bodies.
fn block(body: &str) -> String {
    let mut b = body.trim_end_matches(['\n', '\r']).to_string();
    b.push('\n');
    string(&b)
}

/// The reply as a TOML table.
pub fn reply_text(r: &NewReply) -> String {
    let mut out = format!("[{}]\ntitle = {}\n", r.id, string(&r.title));
    if !r.tags.is_empty() {
        out.push_str(&format!("tags = {}\n", list(&r.tags)));
    }
    if let Some(l) = &r.lang {
        out.push_str(&format!("lang = {}\n", string(l)));
    }
    if !r.platforms.is_empty() {
        out.push_str(&format!("platforms = {}\n", list(&r.platforms)));
    }
    out.push_str(&format!("body = {}\n", block(&r.body)));
    if let Some(p) = &r.public {
        out.push_str(&format!("public = {}\n", string(p)));
    }
    out
}

/// The body a skeleton starts with when none was given.
pub const SKELETON_BODY: &str =
    "Hi {{ customer | default(value=\"there\") }}, this is {{ agent }} from {{ brand }}.\n\n";

/// The text the editor opens for a new reply: the reply with what was given
/// (an empty title and a greeting otherwise) and, commented out, an example
/// of every optional field and table. `place` says where it will be written.
pub fn skeleton(r: &NewReply, place: &str) -> String {
    let id = &r.id;
    let mut reply = reply_text(r);
    if r.body.trim().is_empty() {
        // A line left empty for the message, where the cursor goes.
        reply = reply.replace(
            "body = \"\"\"\n\n\"\"\"\n",
            &format!("body = \"\"\"\n{SKELETON_BODY}\"\"\"\n"),
        );
    }
    // The optional fields go inside the reply's table, before its body.
    let (head, body) = reply.split_at(reply.find("body = ").unwrap_or(reply.len()));
    let mut optional = String::new();
    if r.tags.is_empty() {
        optional.push_str("# tags = [\"orders\", \"shipping\"]\n");
    }
    if r.lang.is_none() {
        optional
            .push_str("# lang = \"es\"                        # when not the file's language\n");
    }
    if r.platforms.is_empty() {
        optional.push_str("# platforms = [\"instagram\", \"x\"]     # written for these only\n");
    }
    optional.push_str("# examples = [\"where is my order?\"]  # customer messages it answers\n");
    let public = if r.public.is_none() {
        "# public = \"Sorry about this, {{ customer }}: we've sent you a DM. {{ agent }}\"\n"
    } else {
        ""
    };
    format!(
        "# A new reply, `{id}`, for {place}.\n\
# Fill in the title and the body, save, and close the editor: reply checks the\n\
# reply before writing it. Lines starting with # are comments; the ones here\n\
# are left out when it is written. Close without saving to write nothing.\n\
{head}{optional}{body}{public}\
\n\
# Values for its variables when nobody gives one:\n\
# [{id}.defaults]\n\
# eta = \"within 3 business days\"\n\
\n\
# A variable declared, so prompts and checks know what its value looks like:\n\
# [{id}.vars.order]\n\
# prompt = \"Order number\"\n\
# example = \"A-1042\"\n\
\n\
# A test: `reply test {id}` renders it with these values and checks the message.\n\
# [{id}.tests.basic]\n\
# vars = {{ customer = \"Ana\", agent = \"Sam\", brand = \"Acme\" }}\n\
# contains = [\"Hi Ana\", \"Sam\"]\n"
    )
}

/// `draft` without the guide comments of `skeleton` that are still there
/// as they were, and without the blank lines they leave. A line that was
/// changed, or is not a comment, stays.
pub fn strip_guide(draft: &str, skeleton: &str) -> String {
    let guide: std::collections::HashSet<&str> = skeleton
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect();
    let mut out: Vec<&str> = Vec::new();
    let mut dropped = false;
    for line in draft.lines() {
        if guide.contains(line) {
            dropped = true;
            continue;
        }
        if line.trim().is_empty() && dropped && out.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        dropped = false;
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::parse::parse_file;

    fn late() -> NewReply {
        NewReply {
            id: "late".into(),
            title: "Late \"order\"".into(),
            body: "Hi {{ customer }},\nsorry.".into(),
            tags: vec!["orders".into()],
            lang: Some("es".into()),
            public: Some("Sorry, {{ customer }}".into()),
            platforms: vec!["x".into()],
        }
    }

    #[test]
    fn the_reply_reads_back_as_given() {
        let text = reply_text(&late());
        let p = parse_file("n.toml", &text, "en");
        assert!(p.diagnostics.is_empty(), "{text}\n{:?}", p.diagnostics);
        let r = &p.replies[0];
        assert_eq!(r.title(), "Late \"order\"");
        assert_eq!(r.main().body.src, "Hi {{ customer }},\nsorry.\n");
        assert_eq!(r.lang(), "es");
        assert_eq!(r.tags, ["orders"]);
        assert_eq!(r.platforms, ["x"]);
        assert_eq!(
            r.main().public.as_ref().unwrap().src,
            "Sorry, {{ customer }}"
        );
        assert!(
            text.contains("body = \"\"\"\nHi {{ customer }},\nsorry.\n\"\"\"\n"),
            "{text}"
        );
    }

    #[test]
    fn the_skeleton_parses_and_shows_every_field() {
        let r = NewReply {
            id: "late".into(),
            ..NewReply::default()
        };
        let s = skeleton(&r, "~/lib/orders.toml");
        // As it comes, it is the reply with an empty title: refused, so an
        // untouched skeleton is never written.
        let p = parse_file("n.toml", &s, "en");
        assert_eq!(p.diagnostics[0].message, "reply `late` has an empty title");
        for field in [
            "# tags",
            "# lang",
            "# platforms",
            "# examples",
            "# public",
            "[late.defaults]",
            "[late.vars.order]",
            "[late.tests.basic]",
        ] {
            assert!(s.contains(field), "{field} missing:\n{s}");
        }
        let filled = s.replace("title = \"\"", "title = \"Late\"");
        let p = parse_file("n.toml", &filled, "en");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.replies[0].main().body.src, SKELETON_BODY);
    }

    #[test]
    fn the_guide_comes_out_and_what_the_author_wrote_stays() {
        let r = NewReply {
            id: "late".into(),
            ..NewReply::default()
        };
        let s = skeleton(&r, "f.toml");
        let edited = s
            .replace("title = \"\"", "title = \"Late\"")
            .replace("# [late.defaults]\n# eta", "[late.defaults]\neta")
            .replace("# tags = [\"orders\", \"shipping\"]", "# tags: none yet");
        let out = strip_guide(&edited, &s);
        assert_eq!(
            out,
            "[late]\ntitle = \"Late\"\n# tags: none yet\nbody = \"\"\"\nHi {{ customer | default(value=\"there\") }}, this is {{ agent }} from {{ brand }}.\n\n\"\"\"\n\n[late.defaults]\neta = \"within 3 business days\"\n"
        );
    }
}
