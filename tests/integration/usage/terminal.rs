//! The picker as a person uses it (tmux): the most used first before a word
//! is typed, near-equal matches by use after, and the row chosen recorded
//! with its place in the list.

use super::{LATE_PARCEL, PARTIAL_REFUND, REFUND_ISSUED, THANKS, lines, send, with_replies};
use crate::support::*;

/// The ids of the picker's rows, top first.
fn rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("──"))
        .filter_map(|l| l.trim_start_matches("▌ ").split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_picker_puts_the_most_used_first_and_records_the_row_chosen() {
    if !require("tmux") {
        return;
    }
    let s = with_replies(&[REFUND_ISSUED, PARTIAL_REFUND, LATE_PARCEL, THANKS]);
    s.config(&format!(
        "agent = \"Sam\"\nbrand = \"Acme\"\n{}",
        s.copy_stub()
    ));
    send(&s, "thanks", 3);
    send(&s, "partial-refund", 1);
    let t = Tmux::start(&s, 100, 20, &[("NO_COLOR", "1")]);
    t.reply("pick", "Esc quit");
    let screen = t.wait_until(|s| selected(s) == "thanks", "the most used first");
    assert_eq!(
        rows(&screen)[..4],
        ["thanks", "partial-refund", "refund-issued", "late-parcel"],
        "{screen}"
    );
    t.text("refund");
    let screen = t.wait_until(
        |s| s.contains("› refund") && selected(s) == "partial-refund",
        "the used one first among equal matches",
    );
    assert_eq!(
        rows(&screen)[..3],
        ["partial-refund", "refund-issued", "late-parcel"]
    );
    t.keys(&["Down"]);
    t.wait_until(|s| selected(s) == "refund-issued", "the second row");
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(s.copied(), "Your money is on its way back to your card.");
    let last = lines(&s).pop().unwrap();
    assert_eq!(
        (&last["id"], &last["found"], &last["rank"]),
        (&"refund-issued".into(), &"picker".into(), &2.into())
    );

    // A bare query that several replies match opens the picker too; both
    // equal matches are now sent once today: the better score leads again.
    t.reply("refund", "Esc quit");
    t.wait_until(
        |s| selected(s) == "refund-issued",
        "the picker for `refund`",
    );
    t.keys(&["Enter"]);
    assert_eq!(t.finished(), 0);
    let last = lines(&s).pop().unwrap();
    assert_eq!(
        (&last["id"], &last["found"], &last["rank"]),
        (&"refund-issued".into(), &"picker".into(), &1.into())
    );
    // Esc: nothing chosen, nothing recorded.
    let before = lines(&s).len();
    t.reply("pick", "Esc quit");
    t.keys(&["Escape"]);
    assert_eq!(t.finished(), 1);
    assert_eq!(lines(&s).len(), before);
}
