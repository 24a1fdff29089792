//! The `reply` binary: capture the environment, run, exit with the code the
//! command layer chose.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Past a file-size limit (`ulimit -f`) a write should fail, so that its
    // temporary file is removed, instead of killing the process half-way.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to "ignore", before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
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
