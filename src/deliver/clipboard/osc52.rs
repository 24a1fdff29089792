//! OSC 52: the terminal sets its own clipboard from `ESC ] 52 ; c ; <base64> BEL`.

use std::io::Write;

/// screen passes a DCS string through only if it is shorter than 768 bytes (its buffer holds
/// 767 and a NUL; measured with screen 4.09: 767 passes, 768 is dropped whole). 512 leaves room.
const SCREEN_CHUNK: usize = 512;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding).
pub(super) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes to write to the terminal, wrapped for the multiplexer if there is one.
pub(super) fn sequence(bytes: &[u8], multiplexer: Option<&str>) -> Vec<u8> {
    let osc = format!("\x1b]52;c;{}\x07", base64(bytes));
    match multiplexer {
        // tmux: the plain sequence first (tmux itself acts on it with `set-clipboard on`), then
        // the DCS pass-through (every ESC inside doubled) that reaches the terminal with
        // `allow-passthrough on`. Either setting is enough; receiving the text twice is harmless.
        Some("tmux") => {
            format!("{osc}\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b")).into_bytes()
        }
        // screen: DCS strings of at most SCREEN_CHUNK bytes each; the terminal sees their contents
        // concatenated, which is the plain sequence again.
        Some("screen") => {
            let mut out = Vec::with_capacity(osc.len() + osc.len() / SCREEN_CHUNK * 4 + 4);
            for part in osc.as_bytes().chunks(SCREEN_CHUNK) {
                out.extend_from_slice(b"\x1bP");
                out.extend_from_slice(part);
                out.extend_from_slice(b"\x1b\\");
            }
            out
        }
        _ => osc.into_bytes(),
    }
}

#[cfg(unix)]
const TERMINAL: &str = "/dev/tty";
#[cfg(windows)]
const TERMINAL: &str = "CONOUT$";
#[cfg(not(any(unix, windows)))]
const TERMINAL: &str = "/dev/tty";

#[cfg(unix)]
fn is_no_terminal(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENXIO)
}

#[cfg(not(unix))]
fn is_no_terminal(_: &std::io::Error) -> bool {
    false
}

/// Writes `seq` to the controlling terminal (never stdout).
pub(super) fn write_to_terminal(seq: &[u8]) -> Result<(), String> {
    let mut tty = std::fs::OpenOptions::new()
        .write(true)
        .open(TERMINAL)
        .map_err(|e| {
            let why = if is_no_terminal(&e) {
                "no controlling terminal".to_string()
            } else {
                e.to_string()
            };
            format!("cannot open {TERMINAL}: {why}")
        })?;
    tty.write_all(seq)
        .and_then(|()| tty.flush())
        .map_err(|e| format!("cannot write to {TERMINAL}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
        assert_eq!(base64("é😀".as_bytes()), "w6nwn5iA");
    }

    #[test]
    fn plain_sequence() {
        assert_eq!(sequence(b"hi", None), b"\x1b]52;c;aGk=\x07".to_vec());
    }

    #[test]
    fn tmux_wrapping() {
        assert_eq!(
            sequence(b"hi", Some("tmux")),
            b"\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\".to_vec()
        );
    }

    #[test]
    fn screen_wrapping_chunks_below_768_bytes() {
        let small = sequence(b"hi", Some("screen"));
        assert_eq!(small, b"\x1bP\x1b]52;c;aGk=\x07\x1b\\".to_vec());

        let text = "¿qué tal? 😀 ".repeat(200);
        let wrapped = sequence(text.as_bytes(), Some("screen"));
        let plain = sequence(text.as_bytes(), None);
        // Unwrap the DCS strings: each one at most 768 bytes, their contents the plain sequence.
        let mut rest = &wrapped[..];
        let mut inner = Vec::new();
        let mut pieces = 0;
        while !rest.is_empty() {
            assert!(rest.starts_with(b"\x1bP"));
            let end = rest
                .windows(2)
                .position(|w| w == b"\x1b\\")
                .expect("DCS terminator");
            let body = &rest[2..end];
            assert!(body.len() <= SCREEN_CHUNK && body.len() < 768);
            inner.extend_from_slice(body);
            rest = &rest[end + 2..];
            pieces += 1;
        }
        assert_eq!(inner, plain);
        assert_eq!(pieces, plain.len().div_ceil(SCREEN_CHUNK));
        assert!(pieces > 1);
    }
}
