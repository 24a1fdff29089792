//! Questions asked on a terminal: one line on stderr, the answer read from
//! stdin. Only ever called when `App::interactive` is true; a closed stdin
//! takes the safe answer. Kept small on purpose: the picker's prompts may
//! replace it.

use std::io::BufRead;

use super::App;

/// Reads one answer; `None` when stdin is closed.
fn answer() -> Option<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_lowercase()),
    }
}

/// A yes/no question; Enter takes `default`, a closed stdin says no.
pub fn confirm(app: &mut App<'_>, question: &str, default: bool) -> bool {
    let keys = if default { "[Y/n]" } else { "[y/N]" };
    loop {
        app.out.prompt(&format!("{question} {keys} "));
        match answer().as_deref() {
            None => return false,
            Some("") => return default,
            Some("y" | "yes") => return true,
            Some("n" | "no") => return false,
            Some(_) => app.out.info("Please answer y or n."),
        }
    }
}

/// One of `choices` (key, what it does), by its key or its first word;
/// Enter takes the first, a closed stdin takes `on_eof`.
pub fn choose(app: &mut App<'_>, question: &str, choices: &[(char, &str)], on_eof: char) -> char {
    let listed = choices
        .iter()
        .map(|(k, what)| format!("({k}){}", what.strip_prefix(*k).unwrap_or(what)))
        .collect::<Vec<_>>()
        .join(", ");
    loop {
        app.out
            .prompt(&format!("{question} {listed} [{}] ", choices[0].0));
        let Some(a) = answer() else { return on_eof };
        if a.is_empty() {
            return choices[0].0;
        }
        if let Some((k, _)) = choices
            .iter()
            .find(|(k, what)| a.starts_with(*k) || what.starts_with(a.as_str()))
        {
            return *k;
        }
        app.out.info(&format!(
            "Please answer {}.",
            choices
                .iter()
                .map(|(k, _)| k.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}
