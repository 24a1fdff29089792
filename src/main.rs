//! The `reply` binary: parse, run, map the outcome to an exit code in one place.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // The clipboard holder is this same binary re-executed; it must not parse
    // the normal command line.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == reply::clipboard::HOLDER_ARG)
    {
        return reply::clipboard::holder_main();
    }
    let args = reply::cli::normalize_args(std::env::args_os().collect());
    let cli = reply::cli::Cli::parse_from(args);
    match reply::run(cli, reply::config::Env::from_process()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`reply list | head -1`): nothing to report.
        Err(e) if e.broken_pipe => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                eprintln!("{e}");
            }
            ExitCode::from(e.code as u8)
        }
    }
}
