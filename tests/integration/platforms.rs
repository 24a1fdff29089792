//! Issue 3, platforms: each platform's limit (at it, one under, one over), SMS
//! encodings and segments, config profiles, where the platform comes from,
//! replies written for other platforms, filters, and the `platform` variable.

use crate::support::*;

/// A library whose reply `msg` prints exactly the value of `text`.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file(
        "p.toml",
        r#"
[msg]
title = "Any message"
body = "{{ text }}"

[ig-only]
title = "Instagram only"
platforms = ["instagram"]
body = "Hi {{ customer | default(value='there') }} on instagram"

[sms-wa]
title = "SMS and WhatsApp"
platforms = ["sms", "whatsapp"]
body = "Hi {{ customer | default(value='there') }} by phone"

[everywhere]
title = "For every platform"
body = "Hi {{ customer | default(value='there') }} on {{ platform | default(value='none') }}"
"#,
    );
    s
}

fn render<'s>(s: &'s Sandbox, platform: &str, text: &str) -> Run<'s> {
    s.run()
        .args(["render", "msg", "--platform", platform, "-v"])
        .arg(format!("text={text}"))
}

/// Whether `n` appears in `s` as a whole number (not part of a longer one).
fn has_number(s: &str, n: usize) -> bool {
    let n = n.to_string();
    s.match_indices(&n).any(|(i, _)| {
        let before = s[..i].chars().next_back();
        let after = s[i + n.len()..].chars().next();
        // Not part of a longer number, nor the 7 of GSM-7 or the 2 of UCS-2.
        let digitish = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == ',');
        !digitish(before) && before != Some('-') && !digitish(after)
    })
}

#[track_caller]
fn assert_fits(s: &Sandbox, platform: &str, text: &str) {
    let out = render(s, platform, text).code(0);
    assert_eq!(out.stdout, text, "{platform}");
}

/// Over the limit: exit 2, nothing on stdout, the length, the limit and the cut.
#[track_caller]
fn assert_over(s: &Sandbox, platform: &str, text: &str, length: usize, limit: usize, cut: usize) {
    let out = render(s, platform, text).code(2);
    assert_eq!(out.stdout, "", "{platform}");
    let err = out.stderr.clone();
    for n in [length, limit, cut] {
        assert!(has_number(&err, n), "{platform}: {n} not in: {err}");
    }
    assert!(err.contains(platform), "{platform}: {err}");
    assert!(
        err.contains("cut") || err.contains("shorten") || err.contains("remove"),
        "{err}"
    );
}

#[test]
fn character_limits_at_one_under_and_over() {
    let s = sandbox();
    for (platform, limit) in [
        ("facebook", 2000),
        ("x", 10_000),
        ("tiktok", 6000),
        ("whatsapp", 4096),
    ] {
        // "é" is two bytes but one character: the limit counts characters.
        assert_fits(&s, platform, &"é".repeat(limit));
        assert_fits(&s, platform, &"é".repeat(limit - 1));
        assert_over(&s, platform, &"é".repeat(limit + 1), limit + 1, limit, 1);
        assert_over(&s, platform, &"a".repeat(limit + 37), limit + 37, limit, 37);
    }
}

#[test]
fn instagram_counts_utf8_bytes_and_an_emoji_is_four() {
    let s = sandbox();
    assert_fits(&s, "instagram", &format!("{}😀", "a".repeat(996)));
    assert_fits(&s, "instagram", &format!("{}😀", "a".repeat(995)));
    assert_fits(&s, "instagram", &"😀".repeat(250));
    assert_over(
        &s,
        "instagram",
        &format!("{}😀", "a".repeat(997)),
        1001,
        1000,
        1,
    );
    // 260 characters, but 1,040 bytes.
    assert_over(&s, "instagram", &"😀".repeat(260), 1040, 1000, 40);
    assert_over(&s, "instagram", &"é".repeat(501), 1002, 1000, 2);
}

#[test]
fn email_has_no_limit() {
    let s = sandbox();
    assert_fits(&s, "email", &"a".repeat(100_000));
}

#[test]
fn sms_gsm7_counts_160_then_153_per_segment_up_to_10() {
    let s = sandbox();
    // (text length in GSM-7 characters, segments)
    for (n, segments) in [
        (1, 1),
        (159, 1),
        (160, 1),
        (161, 2),
        (306, 2),
        (307, 3),
        (1529, 10),
        (1530, 10),
    ] {
        let text = "a".repeat(n);
        let out = render(&s, "sms", &text).code(0);
        assert_eq!(out.stdout, text);
        let err = out.stderr.clone();
        assert!(err.contains("GSM-7") || err.contains("GSM7"), "{n}: {err}");
        assert!(
            has_number(&err, segments),
            "{n}: {segments} segments not in {err}"
        );
    }
    let out = render(&s, "sms", &"a".repeat(1531)).code(2);
    assert_eq!(out.stdout, "");
    let err = out.stderr.clone();
    assert!(err.contains("GSM-7") || err.contains("GSM7"), "{err}");
    for n in [1531, 11, 10] {
        assert!(has_number(&err, n), "{n} not in {err}");
    }
}

#[test]
fn sms_ucs2_counts_70_then_67_per_segment() {
    let s = sandbox();
    // "ж" is outside GSM-7: the whole message goes UCS-2.
    for (n, segments) in [(70, 1), (71, 2), (134, 2), (135, 3), (670, 10)] {
        let text = "ж".repeat(n);
        let out = render(&s, "sms", &text).code(0);
        let err = out.stderr.clone();
        assert!(err.contains("UCS-2") || err.contains("UCS2"), "{n}: {err}");
        assert!(
            has_number(&err, segments),
            "{n}: {segments} segments not in {err}"
        );
    }
    // One emoji in otherwise plain text switches to UCS-2 (an emoji is 2 units).
    let out = render(&s, "sms", &format!("{}😀", "a".repeat(68))).code(0);
    let err = out.stderr.clone();
    assert!(err.contains("UCS-2") && has_number(&err, 1), "{err}");
    let out = render(&s, "sms", &format!("{}😀", "a".repeat(69))).output();
    assert!(has_number(&out.stderr, 2), "{}", out.stderr);
    let out = render(&s, "sms", &"ж".repeat(671)).code(2);
    assert_eq!(out.stdout, "");
    let err = out.stderr.clone();
    assert!(err.contains("UCS-2"), "{err}");
    for n in [671, 11, 10] {
        assert!(has_number(&err, n), "{n} not in {err}");
    }
}

#[test]
fn sms_extension_characters_count_two() {
    let s = sandbox();
    s.config("[platforms.sms]\nmax_segments = 1\n");
    for c in ['€', '[', ']', '{', '}', '\\', '^', '~', '|'] {
        // 80 of them are 160 septets: one segment, still GSM-7.
        let text = c.to_string().repeat(80);
        let out = render(&s, "sms", &text).code(0);
        assert_eq!(out.stdout, text, "{c}");
        assert!(out.stderr.contains("GSM-7"), "{c}: {}", out.stderr);
        // One more plain character: 161 septets, two segments, over a limit of one.
        let text = format!("{}a", c.to_string().repeat(80));
        let out = render(&s, "sms", &text).code(2);
        assert_eq!(out.stdout, "", "{c}");
        let err = out.stderr.clone();
        assert!(err.contains("GSM-7"), "{c}: {err}");
        assert!(has_number(&err, 2), "{c}: {err}");
    }
}

#[test]
fn sms_limited_to_one_segment_by_config() {
    let s = sandbox();
    s.config("[platforms.sms]\nmax_segments = 1\n");
    assert_fits(&s, "sms", &"a".repeat(160));
    assert_fits(&s, "sms", &"a".repeat(159));
    let out = render(&s, "sms", &"a".repeat(161)).code(2);
    assert_eq!(out.stdout, "");
    let err = out.stderr.clone();
    assert!(err.contains("GSM-7"), "{err}");
    for n in [161, 2, 1] {
        assert!(has_number(&err, n), "{n} not in {err}");
    }
    assert_fits(&s, "sms", &"ж".repeat(70));
    let out = render(&s, "sms", &"ж".repeat(71)).code(2);
    let err = out.stderr.clone();
    assert!(err.contains("UCS-2"), "{err}");
    assert!(has_number(&err, 71) && has_number(&err, 2), "{err}");
    // Without the config, 161 characters are two segments and fine.
    s.config("");
    assert_fits(&s, "sms", &"a".repeat(161));
}

#[test]
fn config_adds_and_overrides_profiles() {
    let s = sandbox();
    s.config(
        "[platforms.x]\nmax_chars = 280\n\n[platforms.line]\nmax_bytes = 500\n\n[platforms.pager]\nsms = true\nmax_segments = 1\n\n[platforms.chat]\nmax_chars = 50\n",
    );
    assert_fits(&s, "x", &"a".repeat(280));
    assert_over(&s, "x", &"a".repeat(281), 281, 280, 1);
    assert_fits(&s, "line", &"😀".repeat(125));
    assert_over(&s, "line", &"é".repeat(260), 520, 500, 20);
    assert_fits(&s, "chat", &"é".repeat(50));
    assert_over(&s, "chat", &"é".repeat(53), 53, 50, 3);
    assert_fits(&s, "pager", &"a".repeat(160));
    let out = render(&s, "pager", &"a".repeat(161)).code(2);
    assert!(out.stderr.contains("GSM-7"), "{}", out.stderr);
    // Built-ins not overridden keep their limits.
    assert_over(&s, "facebook", &"a".repeat(2001), 2001, 2000, 1);
}

#[test]
fn the_platform_comes_from_the_flag_the_environment_or_the_config() {
    let s = sandbox();
    let text = "a".repeat(300);
    s.config("[platforms.tiny]\nmax_chars = 10\n[platforms.roomy]\nmax_chars = 1000\n");
    let run_with = |flag: Option<&str>, env: Option<&str>, config: Option<&str>| {
        let mut cfg =
            "[platforms.tiny]\nmax_chars = 10\n[platforms.roomy]\nmax_chars = 1000\n".to_string();
        if let Some(p) = config {
            cfg = format!("platform = \"{p}\"\n{cfg}");
        }
        s.config(&cfg);
        let mut c = s
            .run()
            .args(["render", "msg", "-v"])
            .arg(format!("text={text}"));
        if let Some(p) = flag {
            c = c.args(["-p", p]);
        }
        if let Some(p) = env {
            c = c.env("REPLY_PLATFORM", p);
        }
        c.output().code()
    };
    assert_eq!(run_with(Some("tiny"), None, None), 2, "-p");
    assert_eq!(run_with(None, Some("tiny"), None), 2, "REPLY_PLATFORM");
    assert_eq!(run_with(None, None, Some("tiny")), 2, "config platform");
    assert_eq!(run_with(None, None, None), 0, "no platform");
    // The flag wins over the environment, which wins over the config.
    assert_eq!(run_with(Some("roomy"), Some("tiny"), Some("tiny")), 0);
    assert_eq!(run_with(Some("tiny"), Some("roomy"), Some("roomy")), 2);
    assert_eq!(run_with(None, Some("roomy"), Some("tiny")), 0);
    assert_eq!(run_with(None, Some("tiny"), Some("roomy")), 2);
}

#[test]
fn an_unknown_platform_is_an_error_naming_it() {
    let s = sandbox();
    let out = render(&s, "myspace", "hi").code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("myspace"), "{}", out.stderr);
}

#[test]
fn rendering_for_a_platform_the_reply_is_not_written_for_warns() {
    let s = sandbox();
    let out = s
        .run()
        .args(["render", "ig-only", "-c", "Ana", "--platform", "x"])
        .stdout("Hi Ana on instagram")
        .code(0);
    let err = out.stderr.clone();
    contains_all(&err, &["ig-only", "instagram", "x", "warning"]);
    // No warning for its own platform, nor for a reply written for all.
    for (id, p) in [
        ("ig-only", "instagram"),
        ("everywhere", "x"),
        ("sms-wa", "whatsapp"),
    ] {
        let out = s.run().args(["render", id, "-c", "Ana", "-p", p]).code(0);
        assert!(!out.stderr.contains("warning"), "{id} {p}: {}", out.stderr);
    }
}

#[test]
fn list_and_search_with_a_platform_show_only_the_replies_for_it() {
    let s = sandbox();
    for (p, want) in [
        ("instagram", &["msg", "ig-only", "everywhere"][..]),
        ("sms", &["msg", "sms-wa", "everywhere"]),
        ("whatsapp", &["msg", "sms-wa", "everywhere"]),
        ("x", &["msg", "everywhere"]),
    ] {
        let out = s.run().args(["list", "--platform", p]).success().stdout;
        assert_eq!(ids(&out), want, "list --platform {p}");
        let out = s.run().args(["list", "-p", p]).success().stdout;
        assert_eq!(ids(&out), want, "list -p {p}");
    }
    let out = s
        .run()
        .args(["search", "hi", "--platform", "instagram"])
        .success()
        .stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["everywhere", "ig-only"]);
    s.run()
        .args(["search", "instagram", "--platform", "x"])
        .code(1);
}

#[test]
fn platform_is_a_template_variable() {
    let s = sandbox();
    s.library_file(
        "v.toml",
        "[by-platform]\ntitle = \"By platform\"\nbody = \"{% if platform == 'sms' %}Short{% else %}Longer text for {{ platform | default(value='anywhere') }}{% endif %}\"\n",
    );
    s.run()
        .args(["render", "by-platform", "-p", "sms"])
        .stdout("Short")
        .success();
    s.run()
        .args(["render", "by-platform", "-p", "whatsapp"])
        .stdout("Longer text for whatsapp")
        .success();
    s.run()
        .args(["render", "by-platform"])
        .stdout("Longer text for anywhere")
        .success();
    s.run()
        .args(["render", "everywhere", "-c", "Ana"])
        .env("REPLY_PLATFORM", "tiktok")
        .stdout("Hi Ana on tiktok")
        .success();
}

#[test]
fn sms_over_the_limit_says_how_many_characters_to_cut() {
    let s = sandbox();
    // (max_segments, text, units, segments, characters to cut)
    for (max, text, units, segments, cut) in [
        (10, "a".repeat(1600), 1600, 11, 70),
        (10, "ж".repeat(700), 700, 11, 30),
        (1, "ж".repeat(100), 100, 2, 30),
        (1, "a".repeat(200), 200, 2, 40),
        (2, "a".repeat(400), 400, 3, 94),
        (2, "€".repeat(200), 400, 3, 94),
    ] {
        s.config(&format!("[platforms.sms]\nmax_segments = {max}\n"));
        let out = render(&s, "sms", &text).code(2);
        assert_eq!(out.stdout, "");
        let err = out.stderr.clone();
        for n in [units, segments, max, cut] {
            assert!(
                has_number(&err, n),
                "max {max}, {units} units: {n} not in {err}"
            );
        }
    }
}
