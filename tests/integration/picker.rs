//! The picker and the fill-in prompts, as a person uses them: the real binary
//! in a real terminal (tmux), keys sent, the screen read back; the copied text
//! read from the copy command's file; the terminal checked after every exit.

use crate::support::*;

const LIB: &str = r#"
[order-delay]
title = "Order delayed: apology and new date"
tags = ["orders", "shipping"]
body = """
Hi {{ customer | default(value="there") }}, this is {{ agent }} from {{ brand }}. Your order {{ order }} ships with {{ carrier }}.{% if discount %} Here is 10% off your next order.{% endif %}
"""
public = "Sorry about the wait! We've sent you a DM. – {{ agent }}"
platforms = ["instagram", "x", "sms"]

[order-delay.vars.order]
prompt = "Order number"
example = "A-1042"
pattern = '[A-Z]-\d{4}'
private = true

[order-delay.vars.carrier]
prompt = "Carrier"
choices = ["DHL", "UPS", "GLS"]
default = "UPS"

[order-delay.vars.discount]
prompt = "Offer the discount?"
type = "bool"

[order-delay.translations.es]
title = "Pedido retrasado: disculpas"
body = """
Hola {{ customer | default(value="") }}, soy {{ agent }} de {{ brand }}. Tu pedido {{ order }} va con {{ carrier }}.{% if discount %} Te regalamos un 10% de descuento.{% endif %}
"""

[delivery-window]
title = "Delivery window for an order"
body = "Hi {{ customer }}, your order arrives between 9 and 5. {{ agent }}"

[thanks]
title = "Thanks for your message"
body = "Thanks {{ customer }}! {{ agent }}"

[cjk]
title = "注文が遅れています：お詫び"
body = "こんにちは {{ customer }} 様"
"#;

/// A sandbox with the library, a config with an agent and brand, and a copy
/// command that keeps what is copied in `copied.txt`.
fn sandbox(config: &str) -> Sandbox {
    let s = Sandbox::new();
    s.library_file("replies.toml", LIB);
    s.config(&format!("{}{config}", s.copy_stub()));
    s
}

fn copied(s: &Sandbox) -> String {
    s.copied()
}

fn terminal(s: &Sandbox, w: u16, h: u16) -> Option<Tmux> {
    require("tmux").then(|| Tmux::start(s, w, h, &[("NO_COLOR", "1")]))
}

#[test]
fn typing_filters_and_enter_goes_on_to_the_prompts_then_copies() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("pick -c Ana", "Esc quit");
    t.text("delay");
    let screen = t.wait_until(
        |s| s.contains("› delay") && selected(s) == "order-delay",
        "order-delay highlighted for `delay`",
    );
    assert!(!screen.contains("thanks "), "filtered out:\n{screen}");
    // The preview shows what is still missing in place.
    t.wait_all(&["‹order›", "Hi Ana, this is Sam from Acme"]);
    t.keys(&["Enter"]);
    t.wait_for("Order number (e.g. A-1042)");
    t.text("A-1042");
    t.keys(&["Enter"]);
    t.wait_for("Carrier");
    t.keys(&["Enter"]);
    t.wait_for("Offer the discount?");
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(
        copied(&s),
        "Hi Ana, this is Sam from Acme. Your order A-1042 ships with UPS."
    );
    let screen = t.screen();
    assert!(screen.contains("Copied 64 characters"), "{screen}");
}

#[test]
fn moving_through_the_list() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("pick", "Esc quit");
    let first = selected(&t.wait_until(|s| !selected(s).is_empty(), "a highlighted row"));
    t.keys(&["Down"]);
    let second = selected(&t.wait_until(|s| selected(s) != first, "the next row"));
    t.keys(&["C-n"]);
    t.wait_until(
        |s| selected(s) != second && selected(s) != first,
        "the third row",
    );
    t.keys(&["C-p", "Up"]);
    t.wait_until(|s| selected(s) == first, "back to the first row");
    t.keys(&["PageDown"]);
    t.wait_until(|s| selected(s) == "cjk", "the last row");
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
    assert_eq!(copied(&s), "");
}

#[test]
fn switching_public_language_and_platform_updates_the_preview() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("pick order delayed -c Ana", "Esc quit");
    t.wait_until(|s| selected(s) == "order-delay", "order-delay");
    t.keys(&["Tab"]);
    t.wait_all(&["en · public", "We've sent you a DM. – Sam"]);
    t.keys(&["Tab", "C-l"]);
    t.wait_all(&["es · private", "soy Sam de Acme"]);
    t.keys(&["C-t"]);
    t.wait_all(&["facebook · ", "/ 2,000 characters"]);
    t.keys(&["C-t", "C-t", "C-t", "C-t", "C-t"]);
    t.wait_all(&["sms · ", "SMS segments"]);
    // Enter renders the variant shown, for the platform shown.
    t.keys(&["Enter"]);
    t.wait_for("Order number");
    t.text("B-2000");
    t.keys(&["Enter", "Enter", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert!(
        copied(&s).starts_with("Hola Ana, soy Sam de Acme. Tu pedido B-2000"),
        "{}",
        copied(&s)
    );
}

#[test]
fn each_kind_of_prompt() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    // An exact id with values missing goes straight to the prompts.
    t.reply("order-delay -c Ana", "Order number");
    // A blank answer to a required value is refused…
    t.keys(&["Enter"]);
    t.wait_for("a value is needed here");
    // …and so is one that does not fit the pattern, with its explanation.
    t.text("12");
    t.keys(&["Enter"]);
    t.wait_for("it must look like A-1042");
    t.keys(&["C-u"]);
    t.text("C-3000");
    t.keys(&["Enter"]);
    // A menu of choices: the default first, the arrow keys move.
    t.wait_all(&["Carrier", "DHL", "GLS"]);
    t.keys(&["Right"]);
    t.keys(&["Enter"]);
    // A yes/no switch: the preview follows it.
    t.wait_for("Offer the discount?");
    t.keys(&["Space"]);
    t.wait_for("Here is 10% off");
    t.keys(&["Space"]);
    t.wait_until(|s| !s.contains("Here is 10% off"), "the sentence gone");
    t.keys(&["y", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(
        copied(&s),
        "Hi Ana, this is Sam from Acme. Your order C-3000 ships with GLS. Here is 10% off your next order."
    );
}

#[test]
fn a_default_is_taken_by_enter_and_shift_tab_goes_back() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("order-delay -c Ana -v order=A-1111", "Carrier");
    t.keys(&["Enter"]);
    t.wait_for("Offer the discount?");
    t.keys(&["BTab"]);
    t.wait_for("Carrier");
    t.keys(&["Left", "Enter", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert!(copied(&s).contains("ships with DHL."), "{}", copied(&s));
}

#[test]
fn esc_and_ctrl_c_leave_nothing_copied_and_a_usable_terminal() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 80, 24) else {
        return;
    };
    for (key, code) in [("Escape", 1), ("C-c", 130)] {
        t.reply("pick", "Esc quit");
        t.keys(&[key]);
        assert_eq!(t.finished(), code, "{key}");
        // In the prompts too.
        t.reply("order-delay -c Ana", "Order number");
        t.keys(&[key]);
        assert_eq!(t.finished(), code, "{key} at a prompt");
    }
    assert_eq!(copied(&s), "");
    // A command typed afterwards runs as usual.
    t.run("echo \"after\"\"wards\"");
    t.wait_for("afterwards");
}

#[test]
fn suggest_on_a_terminal_opens_the_picker_on_its_suggestions() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 120, 30) else {
        return;
    };
    // Best first, with the score and the words that matched; the order
    // number found in the message is already in the preview.
    t.reply(
        "suggest 'my order A-1042 is delayed, when will it ship?' -c Ana",
        "Esc quit",
    );
    let screen = t.wait_all(&["Your order A-1042 ships with", "delayed"]);
    assert_eq!(selected(&screen), "order-delay", "{screen}");
    assert!(
        !screen.contains("thanks "),
        "only suggestions are listed:\n{screen}"
    );
    // Enter: the found value is offered, and Enter confirms it.
    t.keys(&["Enter"]);
    t.wait_all(&[
        "Order number",
        "A-1042  (found in the message: Enter takes it)",
    ]);
    t.keys(&["Enter"]);
    t.wait_for("Carrier");
    t.keys(&["Enter"]);
    t.wait_for("Offer the discount?");
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(
        copied(&s),
        "Hi Ana, this is Sam from Acme. Your order A-1042 ships with UPS."
    );
    // `pick --for` is the same list; another value can replace the found one.
    t.reply("pick --for 'order A-1042 delayed' -c Bo", "Esc quit");
    t.wait_for("Your order A-1042 ships with");
    t.keys(&["Enter"]);
    t.wait_for("found in the message");
    t.text("B-2000");
    t.keys(&["Enter", "Enter", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert!(
        copied(&s).contains("Your order B-2000 ships"),
        "{}",
        copied(&s)
    );
    // A message no reply answers: the same "no good match" as for a script.
    t.reply("suggest 'zebra giraffe'", "exit=");
    assert_eq!(t.finished(), 1);
    assert!(t.screen().contains("no good match"));
}

#[test]
fn a_bare_query_that_several_replies_match_opens_the_picker() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("order -c Ana", "Esc quit");
    t.wait_all(&["› order", "Esc quit"]);
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
    // One match renders it (and asks for what it still needs).
    t.reply("thank -c Ana", "exit=");
    assert_eq!(t.finished(), 0);
    assert_eq!(copied(&s), "Thanks Ana! Sam");
    // `reply` alone opens the picker.
    t.reply("", "Esc quit");
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
}

#[test]
fn the_first_run_asks_for_the_agent_and_brand_and_saves_them() {
    let s = sandbox("# my settings\noutput = \"auto\"  # copy on a terminal\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("thanks -c Ana", "Your name, as customers should see it");
    t.text("Sam");
    t.keys(&["Enter"]);
    t.wait_for("Remember agent = \"Sam\" as your name in the config?");
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(copied(&s), "Thanks Ana! Sam");
    let config = std::fs::read_to_string(s.path("config/reply/config.toml")).unwrap();
    assert!(config.contains("# my settings\n"), "{config}");
    assert!(
        config.contains("output = \"auto\"  # copy on a terminal\n"),
        "{config}"
    );
    assert!(config.contains("agent = \"Sam\""), "{config}");
    // Next time nothing is asked.
    t.reply("thanks -c Bo", "exit=");
    assert_eq!(t.finished(), 0);
    assert_eq!(copied(&s), "Thanks Bo! Sam");
}

#[test]
fn recent_answers_come_back_but_never_private_ones() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    s.library_file(
        "link.toml",
        "[help-link]\ntitle = \"Help link\"\nbody = \"Hi {{ customer }}, see {{ link }}\"\n",
    );
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("help-link", "The customer's name");
    t.text("Ana Secret");
    t.keys(&["Enter"]);
    t.wait_for("link");
    t.text("https://help.example/returns");
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    let kept = std::fs::read_to_string(s.path("home/.local/state/reply/recent.json")).unwrap();
    assert!(kept.contains("https://help.example/returns"), "{kept}");
    assert!(
        !kept.contains("Ana Secret"),
        "a customer's name is never kept: {kept}"
    );
    // The link is offered again; Enter takes it.
    t.reply(
        "help-link -c Bo",
        "https://help.example/returns  (Enter takes it)",
    );
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(copied(&s), "Hi Bo, see https://help.example/returns");
}

#[test]
fn a_resize_storm_keeps_the_picker_and_the_terminal_sound() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("pick", "Esc quit");
    for (w, h) in [(60, 20), (120, 40), (40, 10), (90, 25), (41, 11), (100, 30)] {
        t.resize(w, h);
    }
    t.text("thanks");
    t.wait_until(
        |s| selected(s) == "thanks",
        "thanks highlighted after the resizes",
    );
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
}

#[test]
fn a_narrow_short_terminal_still_works_and_keeps_columns() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 40, 10) else {
        return;
    };
    t.reply("pick", "move");
    let screen = t.wait_all(&["›", "move", "thanks"]);
    for l in screen.lines() {
        assert!(unicode_width(l) <= 40, "{l:?}:\n{screen}");
    }
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
}

/// Columns a line takes on a terminal.
fn unicode_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{115f}').contains(&c)
                || ('\u{2e80}'..='\u{a4cf}').contains(&c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{f900}'..='\u{faff}').contains(&c)
                || ('\u{fe30}'..='\u{fe4f}').contains(&c)
                || ('\u{ff00}'..='\u{ff60}').contains(&c)
                || ('\u{ffe0}'..='\u{ffe6}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn wide_characters_keep_the_columns_aligned() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("pick", "Esc quit");
    let screen = t.wait_all(&["cjk", "Esc quit", "to fill"]);
    // The library column ends each row at the same terminal column.
    let ends: Vec<usize> = screen
        .lines()
        .filter(|l| l.contains("/l") && (l.starts_with("  ") || l.starts_with("▌ ")))
        .map(|l| unicode_width(l.trim_end()))
        .collect();
    assert!(ends.len() >= 4, "{screen}");
    assert!(ends.windows(2).all(|p| p[0] == p[1]), "{ends:?}\n{screen}");
    assert!(screen.contains("注文が遅れています"), "{screen}");
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
}

#[test]
fn no_color_means_no_colour_and_colour_otherwise() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    if !require("tmux") {
        return;
    }
    // An SGR sequence that sets a colour (not one that resets it to the default).
    let colours = |screen: &str| {
        screen.split("\x1b[").skip(1).any(|seq| {
            let params = seq.split('m').next().unwrap_or("");
            params.split(';').any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            })
        })
    };
    let t = Tmux::start(&s, 100, 30, &[("NO_COLOR", "1")]);
    t.reply("pick", "Esc quit");
    let styled = t.screen_styled();
    assert!(!colours(&styled), "{styled:?}");
    t.keys(&["Escape"]);
    t.finished();
    drop(t);
    let t = Tmux::start(&s, 100, 30, &[]);
    t.reply("pick", "Esc quit");
    assert!(colours(&t.screen_styled()), "colour when allowed");
    t.keys(&["Escape"]);
    t.finished();
}

#[test]
fn a_panic_or_a_signal_puts_the_terminal_back() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    if !require("tmux") {
        return;
    }
    let t = Tmux::start(
        &s,
        100,
        30,
        &[("NO_COLOR", "1"), ("REPLY_TEST_PANIC_IN_PICKER", "1")],
    );
    t.run("clear; reply pick; echo \"ex\"\"it=$?\"");
    let code = t.finished();
    assert_eq!(code, 101, "a panic exits 101");
    assert!(
        t.screen().contains("REPLY_TEST_PANIC_IN_PICKER"),
        "{}",
        t.screen()
    );
    drop(t);
    let t = Tmux::start(&s, 100, 30, &[("NO_COLOR", "1")]);
    for (sig, code) in [("TERM", 143), ("HUP", 129)] {
        t.reply("pick", "Esc quit");
        let kill = s
            .command("sh")
            .arg("-c")
            // Only this pane's reply: other tests run theirs at the same time.
            .arg(format!("pkill -{sig} -P {} -x reply", t.shell_pid()))
            .status()
            .expect("pkill");
        assert!(kill.success(), "pkill {sig}");
        assert_eq!(t.finished(), code, "SIG{sig}");
    }
}

#[test]
fn no_input_keeps_a_terminal_session_a_script() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    t.reply("order-delay -c Ana --no-input", "exit=");
    assert_eq!(t.finished(), 2);
    assert!(
        t.screen().contains("needs a value for `order`"),
        "{}",
        t.screen()
    );
    t.reply("pick --no-input", "exit=");
    assert_eq!(t.finished(), 2);
    assert!(t.screen().contains("needs a terminal"), "{}", t.screen());
}

#[test]
fn a_captured_stdout_is_a_script_but_pick_still_picks_for_the_pipe() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    let Some(t) = terminal(&s, 100, 30) else {
        return;
    };
    // stdin is the terminal, stdout is taken: no picker, no prompt, the
    // behaviour scripts have always had.
    // Each step ends with a marker of its own, split on the command line
    // (`"one""=`) so that only the output has it: waiting for a marker the
    // typed line or the step before shows would read the screen too early.
    t.run("clear; x=$(reply order -c Ana); echo \"one\"\"=$? got=$x\"");
    let screen = t.wait_for("one=");
    assert!(screen.contains("one=2 got="), "{screen}");
    assert!(screen.contains("needs a value for `order`"), "{screen}");
    t.run("clear; x=$(reply thank -c Ana); echo \"two\"\"=$? got=$x\"");
    let screen = t.wait_for("two=");
    assert!(screen.contains("two=0 got=Thanks Ana! Sam"), "{screen}");
    t.run("clear; reply suggest 'thanks for your message' | cat; echo \"three\"\"=$?\"");
    let screen = t.wait_for("three=");
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("thanks") && l.contains("Thanks for your message")),
        "{screen}"
    );
    assert!(!screen.contains("Esc quit"), "{screen}");
    // `reply pick` asked for by name: the picker on the terminal, the
    // message down the pipe.
    t.run("clear; reply pick -c Ana | sed 's/^/piped: /'; echo \"four\"\"=$?\"");
    t.wait_for("Esc quit");
    t.text("thanks");
    t.wait_until(|s| selected(s) == "thanks", "thanks highlighted");
    t.keys(&["Enter"]);
    let screen = t.wait_for("four=");
    assert!(screen.contains("piped: Thanks Ana! Sam"), "{screen}");
    assert!(screen.contains("four=0"), "{screen}");
}

// --- no terminal: exactly as a script ----------------------------------------

#[test]
fn without_a_terminal_nothing_waits_for_input() {
    let s = sandbox("agent = \"Sam\"\nbrand = \"Acme\"\n");
    // Standard input closed, and from /dev/null: the missing value is the
    // error it always was, at once.
    for script in [
        "reply order-delay -c Ana <&-",
        "reply order-delay -c Ana </dev/null",
        "reply order-delay -c Ana </dev/null | cat; exit $?",
    ] {
        let ran = s.run().shell(script).output();
        let want = if script.contains("| cat;") { 0 } else { 2 };
        assert_eq!(ran.status.code(), Some(want), "{script}: {ran}");
        assert!(
            ran.stderr.contains("needs a value for `order`"),
            "{script}: {ran}"
        );
    }
    // A bare fuzzy query still renders the best match, with the note.
    s.run()
        .args(["thank", "-c", "Ana"])
        .stdout("Thanks Ana! Sam")
        .stderr_contains("best match")
        .success();
    // `reply` alone prints the help; `reply pick` says it needs a terminal.
    let ran = s.run().code(2);
    assert!(ran.stderr.contains("Usage: reply"), "{ran}");
    s.run()
        .arg("pick")
        .stderr_contains("needs a terminal")
        .code(2);
    // A value given for a declared variable is checked on the command line too.
    s.run()
        .args([
            "order-delay",
            "-c",
            "Ana",
            "-v",
            "order=12",
            "-v",
            "carrier=UPS",
            "-v",
            "discount=no",
        ])
        .stdout("")
        .stderr_contains("it must look like A-1042")
        .code(2);
    s.run()
        .args([
            "order-delay",
            "-c",
            "Ana",
            "-v",
            "order=A-1042",
            "-v",
            "carrier=FedEx",
        ])
        .stderr_contains("one of DHL, UPS, GLS")
        .code(2);
    s.run()
        .args([
            "order-delay",
            "-c",
            "Ana",
            "-v",
            "order=A-1042",
            "-v",
            "discount=no",
        ])
        .stdout("Hi Ana, this is Sam from Acme. Your order A-1042 ships with UPS.")
        .success();
    s.run()
        .args([
            "order-delay",
            "-c",
            "Ana",
            "-v",
            "order=A-1042",
            "-v",
            "discount=yes",
        ])
        .stdout_contains("Here is 10% off")
        .success();
}
