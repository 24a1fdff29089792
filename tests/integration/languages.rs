//! Issue 3, languages: where a reply's language comes from, translations,
//! `--lang` and its fallback, `show` and `list --lang`, and accent-insensitive search.

use crate::support::*;

/// A reply whose body shows its language through `greeting()` (09:30 in the sandbox).
fn greeter(id: &str, lang: Option<&str>) -> String {
    let lang = lang.map_or(String::new(), |l| format!("lang = \"{l}\"\n"));
    format!("[{id}]\ntitle = \"Greeter\"\n{lang}body = \"{{{{ greeting() }}}}\"\n\n")
}

const MORNING_EN: &str = "Good morning";
const MORNING_ES: &str = "Buenos días";

#[test]
fn the_reply_language_comes_from_reply_file_library_config_then_en() {
    // (reply lang, file lang, library lang, config lang) → greeting
    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );
    let cases: [Case; 8] = [
        (Some("es"), Some("en"), Some("en"), Some("en"), MORNING_ES),
        (Some("en"), Some("es"), Some("es"), Some("es"), MORNING_EN),
        (None, Some("es"), Some("en"), Some("en"), MORNING_ES),
        (None, Some("en"), Some("es"), Some("es"), MORNING_EN),
        (None, None, Some("es"), Some("en"), MORNING_ES),
        (None, None, Some("en"), Some("es"), MORNING_EN),
        (None, None, None, Some("es"), MORNING_ES),
        (None, None, None, None, MORNING_EN),
    ];
    for (i, (reply_lang, file_lang, lib_lang, config_lang, want)) in cases.into_iter().enumerate() {
        let s = Sandbox::new();
        let mut text = String::new();
        if let Some(l) = file_lang {
            text.push_str(&format!("lang = \"{l}\"\n\n"));
        }
        text.push_str(&greeter("g", reply_lang));
        s.library_file("g.toml", &text);
        if let Some(l) = lib_lang {
            s.library_file(".reply-library.toml", &format!("lang = \"{l}\"\n"));
        }
        if let Some(l) = config_lang {
            s.config(&format!("lang = \"{l}\"\n"));
        }
        let out = s.run().args(["render", "g"]).code(0);
        assert_eq!(out.stdout, want, "case {i}: {}", out.stderr);
        // `show` names the language too.
        let shown = s.run().args(["show", "g"]).success().stdout;
        let want_lang = if want == MORNING_ES { "es" } else { "en" };
        let line = shown
            .lines()
            .find(|l| l.to_lowercase().contains("lang"))
            .unwrap_or_else(|| panic!("no language line in show:\n{shown}"));
        assert!(line.contains(want_lang), "case {i}: {line}");
    }
}

#[test]
fn the_file_lang_applies_to_every_reply_of_that_file_only() {
    let s = Sandbox::new();
    s.library_file(
        "es.toml",
        &format!(
            "lang = \"es\"\n\n{}{}",
            greeter("a", None),
            greeter("b", None)
        ),
    );
    s.library_file("other.toml", &greeter("c", None));
    s.run().args(["render", "a"]).stdout(MORNING_ES).success();
    s.run().args(["render", "b"]).stdout(MORNING_ES).success();
    s.run().args(["render", "c"]).stdout(MORNING_EN).success();
}

const TRANSLATED: &str = r#"
[refund]
title = "Refund on its way"
tags = ["refunds"]
body = "Hi {{ customer }}, your refund is on its way."
public = "Thanks {{ customer }}, check your DMs."

[refund.translations.es]
title = "Devolución en camino"
body = "Hola {{ customer }}, tu devolución está en camino."
public = "Gracias {{ customer }}, revisa tus mensajes."

[shipping]
title = "Shipping times"
body = "Hi {{ customer }}, shipping takes 3 days."

[envio]
title = "Plazos de envío"
lang = "es"
body = "Hola {{ customer }}, el envío tarda 3 días."

[epreuve]
title = "Épreuve de vérification"
lang = "fr"
body = "Bonjour {{ customer }}."
"#;

fn translated() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("t.toml", TRANSLATED);
    s
}

#[test]
fn lang_renders_the_translation_from_flag_env_or_config() {
    let s = translated();
    let es = "Hola Ana, tu devolución está en camino.";
    let en = "Hi Ana, your refund is on its way.";
    s.run()
        .args(["render", "refund", "-c", "Ana"])
        .stdout(en)
        .success();
    s.run()
        .args(["render", "refund", "-c", "Ana", "--lang", "es"])
        .stdout(es)
        .success();
    s.run()
        .args(["render", "refund", "-c", "Ana", "-l", "es"])
        .stdout(es)
        .success();
    s.run()
        .args(["render", "refund", "-c", "Ana"])
        .env("REPLY_LANG", "es")
        .stdout(es)
        .success();
    // The config's `lang` is also the language of replies that name none: the
    // library says it is English, so that `es` stays a translation.
    s.library_file(".reply-library.toml", "lang = \"en\"\n");
    s.config("lang = \"es\"\n");
    s.run()
        .args(["render", "refund", "-c", "Ana"])
        .stdout(es)
        .success();
    // The flag wins over the config.
    s.run()
        .args(["render", "refund", "-c", "Ana", "--lang", "en"])
        .stdout(en)
        .success();
    // And the public text has its translation too.
    s.run()
        .args(["render", "refund", "-c", "Ana", "--lang", "es", "--public"])
        .stdout("Gracias Ana, revisa tus mensajes.")
        .success();
}

#[test]
fn a_missing_variant_falls_back_with_a_warning_naming_both_languages() {
    let s = translated();
    let out = s
        .run()
        .args(["render", "shipping", "-c", "Ana", "--lang", "es"])
        .stdout("Hi Ana, shipping takes 3 days.")
        .code(0);
    let err = out.stderr.clone();
    contains_all(&err, &["shipping", "`es`", "`en`"]);
    // A reply in Spanish asked for in French: both named.
    let out = s
        .run()
        .args(["render", "envio", "-c", "Ana", "--lang", "fr"])
        .stdout("Hola Ana, el envío tarda 3 días.")
        .code(0);
    contains_all(&out.stderr, &["envio", "fr", "es"]);
}

#[test]
fn strict_lang_makes_a_missing_variant_an_error() {
    let s = translated();
    let out = s
        .run()
        .args([
            "render",
            "shipping",
            "-c",
            "Ana",
            "--lang",
            "es",
            "--strict-lang",
        ])
        .stdout("")
        .code(2);
    contains_all(&out.stderr, &["shipping", "es"]);
    // With the variant present, --strict-lang is fine.
    s.run()
        .args([
            "render",
            "refund",
            "-c",
            "Ana",
            "--lang",
            "es",
            "--strict-lang",
        ])
        .stdout("Hola Ana, tu devolución está en camino.")
        .success();
}

#[test]
fn show_lists_the_languages() {
    let s = translated();
    let out = s.run().args(["show", "refund"]).success().stdout;
    let line = out
        .lines()
        .find(|l| l.to_lowercase().contains("lang"))
        .unwrap_or_else(|| panic!("no languages line:\n{out}"));
    assert!(line.contains("en") && line.contains("es"), "{line}");
    contains_all(
        &out,
        &["Devolución en camino", "tu devolución está en camino"],
    );
}

#[test]
fn list_lang_shows_the_replies_available_in_that_language() {
    let s = translated();
    let out = s.run().args(["list", "--lang", "es"]).success().stdout;
    assert_eq!(ids(&out), ["refund", "envio"]);
    let out = s.run().args(["list", "--lang", "fr"]).success().stdout;
    assert_eq!(ids(&out), ["epreuve"]);
    let out = s.run().args(["list", "--lang", "en"]).success().stdout;
    assert_eq!(ids(&out), ["refund", "shipping"]);
    s.run().args(["list", "--lang", "de"]).stdout("").output();
}

#[test]
fn search_folds_accents_and_case_in_every_variant() {
    let s = translated();
    for (query, want) in [
        ("devolucion", "refund"),
        ("DEVOLUCIÓN", "refund"),
        ("ENVIO", "envio"),
        ("envío", "envio"),
        ("epreuve", "epreuve"),
        ("ÉPREUVE", "epreuve"),
        ("verification", "epreuve"),
        ("camino", "refund"),
    ] {
        let out = s.run().args(["search", query]).success().stdout;
        assert_eq!(
            ids(&out).first().map(String::as_str),
            Some(want),
            "{query}: {out}"
        );
    }
    // The body of a translation is searched too.
    let out = s.run().args(["search", "esta", "camino"]).success().stdout;
    assert_eq!(ids(&out), ["refund"]);
}

#[test]
fn highlights_land_on_the_original_accented_characters() {
    let s = translated();
    for (query, title, accented) in [
        ("devolucion", "Devolución en camino", "ó"),
        ("envio", "Plazos de envío", "í"),
        ("epreuve", "Épreuve de vérification", "É"),
    ] {
        let out = s
            .run()
            .args(["search", query, "--color", "always"])
            .success()
            .stdout;
        let first = out.lines().next().unwrap();
        // The title column, without its escape codes, is the title as written.
        let title_col = first.split('\t').nth(1).unwrap();
        assert_eq!(strip(title_col), title, "{query}: {first:?}");
        let marked = highlighted(title_col);
        assert!(
            marked.contains(accented),
            "{query}: highlighted {marked:?} in {first:?}"
        );
        assert_eq!(
            strip(&marked).chars().count(),
            query.chars().count(),
            "{query}: {marked:?}"
        );
    }
}

fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

/// The characters shown with a style other than the reset.
fn highlighted(s: &str) -> String {
    let mut out = String::new();
    let mut on = false;
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        if on {
            out.push_str(&rest[..i]);
        }
        let end = rest[i..].find('m').map_or(rest.len(), |e| i + e + 1);
        let code = &rest[i..end];
        on = code != "\x1b[0m" && code != "\x1b[m";
        rest = &rest[end..];
    }
    if on {
        out.push_str(rest);
    }
    out
}

#[test]
fn the_starter_library_with_config_lang_es_renders_spanish_without_errors() {
    let s = Sandbox::new();
    s.config("lang = \"es\"\n");
    let out = s
        .run()
        .bare()
        .args([
            "render",
            "order-delay",
            "-c",
            "Ana",
            "-a",
            "Sam",
            "-b",
            "Acme",
        ])
        .args(["-v", "order=A-1"])
        .code(0);
    assert!(out.stdout.starts_with("Hola"), "{}", out.stdout);
    assert_eq!(out.stderr, "");
    s.run().bare().arg("list").stderr("").code(0);
    let out = s.run().bare().args(["show", "order-delay"]).output();
    let langs = out
        .stdout
        .lines()
        .find(|l| l.to_lowercase().contains("lang"))
        .unwrap_or("")
        .to_string();
    assert!(langs.contains("en") && langs.contains("es"), "{langs}");
}
