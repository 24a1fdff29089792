//! The `reply` binary: capture the environment, run, exit with the code the
//! command layer chose.

use std::process::ExitCode;

fn main() -> ExitCode {
    let env = reply::settings::Env::from_process();
    // The clipboard holder is this same binary re-executed; it must not parse
    // the normal command line.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == reply::deliver::clipboard::HOLDER_ARG)
    {
        return reply::deliver::clipboard::holder_main(&reply::settings::clipboard_env(&env));
    }
    ExitCode::from(reply::commands::main(std::env::args_os().collect(), env))
}
