//! `copy_command`: the text goes to a user-configured command's stdin.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long the command may take (xclip and wl-copy fork a server and return at once).
const TIMEOUT: Duration = Duration::from_secs(10);
/// At most this much of the command's stderr is kept for the message.
const STDERR_LIMIT: usize = 4096;

/// Splits a command line into words: blanks separate words, '…' and "…" quote, and a backslash
/// escapes a quote, a blank or a backslash (elsewhere it is kept, for Windows paths).
pub(super) fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') if matches!(chars.peek(), Some('"' | '\\')) => {
                            if let Some(c) = chars.next() {
                                word.push(c);
                            }
                        }
                        Some(c) => word.push(c),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            '\\' if matches!(chars.peek(), Some(c) if *c == '"' || *c == '\'' || *c == '\\' || c.is_whitespace()) =>
            {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err("the command is empty".into());
    }
    Ok(words)
}

/// Runs `line` with `text` on its stdin; Ok when it exits with success.
pub(super) fn run(line: &str, text: &str) -> Result<(), String> {
    let words = split(line)?;
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not be started: {e}"))?;

    let stdin = child.stdin.take();
    let (waited, write_result) = std::thread::scope(|s| {
        let writer = std::thread::Builder::new().spawn_scoped(s, move || match stdin {
            Some(mut stdin) => stdin.write_all(text.as_bytes()),
            None => Ok(()),
        });
        let Ok(writer) = writer else {
            // The command saw its stdin close without the text: it must not count as a copy.
            let _ = child.kill();
            let _ = child.wait();
            return (
                Err("could not be fed (no thread to write its stdin)".to_string()),
                Ok(()),
            );
        };
        let waited = wait_collecting_stderr(&mut child);
        // If the command stopped reading, killing/reaping it closed the pipe: the writer is done.
        let write_result = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread failed")));
        (waited, write_result)
    });
    let (status, stderr) = waited?;
    let stderr = String::from_utf8_lossy(&stderr).trim().to_string();
    if !status.success() {
        return Err(if stderr.is_empty() {
            format!("failed ({status})")
        } else {
            format!("failed ({status}): {stderr}")
        });
    }
    if let Err(e) = write_result {
        return Err(format!(
            "did not read the whole text ({e}){}",
            if stderr.is_empty() {
                String::new()
            } else {
                format!(": {stderr}")
            }
        ));
    }
    Ok(())
}

/// Waits for the command (not for programs it leaves in the background, which may keep its
/// stderr open: xclip does), reading its stderr meanwhile so that it never blocks on a full pipe.
#[cfg(unix)]
fn wait_collecting_stderr(child: &mut Child) -> Result<(ExitStatus, Vec<u8>), String> {
    use std::os::fd::AsRawFd;

    let mut stderr = child.stderr.take();
    let mut collected = Vec::new();
    if let Some(err) = &stderr {
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let fd = err.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
        }
    }
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let exited = child
            .try_wait()
            .map_err(|e| format!("could not be waited for: {e}"))?;
        if let Some(err) = &mut stderr {
            let mut pfd = libc::pollfd {
                fd: err.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let timeout = if exited.is_some() { 0 } else { 10 };
            // SAFETY: one valid pollfd.
            let ready = unsafe { libc::poll(&mut pfd, 1, timeout) };
            if ready > 0 && drain(err, &mut collected) {
                stderr = None; // EOF
            }
        } else if exited.is_none() {
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(status) = exited {
            return Ok((status, collected));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "did not finish within {} s and was stopped",
                TIMEOUT.as_secs()
            ));
        }
    }
}

/// Reads what is available; true at end of file.
#[cfg(unix)]
fn drain(err: &mut std::process::ChildStderr, collected: &mut Vec<u8>) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match err.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => {
                let room = STDERR_LIMIT.saturating_sub(collected.len());
                collected.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false, // WouldBlock: nothing more for now
        }
    }
}

#[cfg(not(unix))]
fn wait_collecting_stderr(child: &mut Child) -> Result<(ExitStatus, Vec<u8>), String> {
    use std::sync::mpsc;

    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    if let Some(mut err) = child.stderr.take() {
        // Without a thread the stderr is just not collected.
        let _ = std::thread::Builder::new().spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
    }
    let deadline = Instant::now() + TIMEOUT;
    let mut collected = Vec::new();
    let keep = |chunk: Vec<u8>, collected: &mut Vec<u8>| {
        let room = STDERR_LIMIT.saturating_sub(collected.len());
        collected.extend_from_slice(&chunk[..chunk.len().min(room)]);
    };
    loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| format!("could not be waited for: {e}"))?
        {
            let grace = Instant::now() + Duration::from_millis(100);
            while let Ok(chunk) = rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
                keep(chunk, &mut collected);
            }
            return Ok((status, collected));
        }
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(10)) {
            keep(chunk, &mut collected);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "did not finish within {} s and was stopped",
                TIMEOUT.as_secs()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        split(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn splitting() {
        assert_eq!(words("wl-copy"), ["wl-copy"]);
        assert_eq!(
            words("  xclip   -selection clipboard "),
            ["xclip", "-selection", "clipboard"]
        );
        assert_eq!(
            words("'/opt/my tools/copy' -n"),
            ["/opt/my tools/copy", "-n"]
        );
        assert_eq!(words(r#""a \"b\" c" d"#), [r#"a "b" c"#, "d"]);
        assert_eq!(words(r"my\ copy x"), ["my copy", "x"]);
        assert_eq!(
            words(r"C:\Windows\System32\clip.exe"),
            [r"C:\Windows\System32\clip.exe"]
        );
        assert_eq!(words("a '' b"), ["a", "", "b"]);
        assert!(split("").is_err());
        assert!(split("   ").is_err());
        assert!(split("'open").is_err());
        assert!(split("\"open").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn runs_and_reports() {
        assert_eq!(run("sh -c 'cat >/dev/null'", "x"), Ok(()));
        let e = run("sh -c 'echo broken >&2; exit 4'", "x").unwrap_err();
        assert!(e.contains("broken") && e.contains('4'), "{e}");
        let e = run("/nonexistent/copy-tool", "x").unwrap_err();
        assert!(e.contains("could not be started"), "{e}");
    }
}
