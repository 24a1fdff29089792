//! Scratch stand-in for the `reply` CLI, just enough to drive the clipboard module and its
//! integration tests (`reply [--library DIR] render ID [--copy|--print|--output MODE|--osc52]`).
//! The real CLI replaces this file on integration.

mod clipboard;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Output {
    Auto,
    Copy,
    Print,
    Both,
}

fn parse_output(s: &str) -> Result<Output, String> {
    match s {
        "auto" => Ok(Output::Auto),
        "copy" => Ok(Output::Copy),
        "print" => Ok(Output::Print),
        "both" => Ok(Output::Both),
        other => Err(format!(
            "unknown output mode {other:?} (auto, copy, print, both)"
        )),
    }
}

struct Args {
    library: PathBuf,
    id: String,
    output: Option<Output>,
    osc52: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut library = PathBuf::from(".");
    let mut id = None;
    let mut output = None;
    let mut osc52 = false;
    let mut saw_render = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--library" => library = args.next().ok_or("--library needs a value")?.into(),
            "--copy" => output = Some(Output::Copy),
            "--print" => output = Some(Output::Print),
            "--output" => {
                output = Some(parse_output(&args.next().ok_or("--output needs a value")?)?)
            }
            "--osc52" => osc52 = true,
            "render" if !saw_render => saw_render = true,
            other if saw_render && id.is_none() && !other.starts_with('-') => {
                id = Some(other.to_string())
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    if !saw_render {
        return Err(
            "usage: reply [--library DIR] render ID [--copy|--print|--output MODE] [--osc52]"
                .into(),
        );
    }
    Ok(Args {
        library,
        id: id.ok_or("render needs a reply id")?,
        output,
        osc52,
    })
}

struct Config {
    copy_command: Option<String>,
    output: Option<Output>,
}

fn load_config() -> Result<Config, String> {
    let Some(path) = std::env::var_os("REPLY_CONFIG") else {
        return Ok(Config {
            copy_command: None,
            output: None,
        });
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e}", PathBuf::from(&path).display()))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    let output = match table.get("output").and_then(|v| v.as_str()) {
        Some(s) => Some(parse_output(s)?),
        None => None,
    };
    Ok(Config {
        copy_command: table
            .get("copy_command")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        output,
    })
}

fn find_reply(library: &PathBuf, id: &str) -> Result<String, String> {
    let entries = std::fs::read_dir(library).map_err(|e| format!("{}: {e}", library.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(body) = table
            .get(id)
            .and_then(|r| r.get("body"))
            .and_then(|b| b.as_str())
        {
            return Ok(body.trim().to_string());
        }
    }
    Err(format!("no reply {id:?} in {}", library.display()))
}

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == clipboard::HOLDER_ARG)
    {
        return clipboard::holder_main();
    }
    let run = || -> Result<(Args, Config, String), String> {
        let args = parse_args()?;
        let config = load_config()?;
        let message = find_reply(&args.library, &args.id)?;
        Ok((args, config, message))
    };
    let (args, config, message) = match run() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let output = args.output.or(config.output).unwrap_or(Output::Auto);
    let (copy, print) = match output {
        Output::Copy => (true, false),
        Output::Print => (false, true),
        Output::Both => (true, true),
        Output::Auto if std::io::stdout().is_terminal() => (true, true),
        Output::Auto => (false, true),
    };
    if copy {
        let opts = clipboard::CopyOptions {
            force_osc52: args.osc52,
            command: config.copy_command.clone(),
        };
        match clipboard::copy(&message, &opts) {
            Ok(copied) => {
                eprintln!("{}", clipboard::success_message(&message, &copied));
                if let Some(note) = &copied.note {
                    eprintln!("note: {note}");
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(3);
            }
        }
    }
    if print {
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{message}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}
