//! The full screen the picker and prompts draw on: the terminal (`/dev/tty`,
//! so stdout can stay a pipe) in raw mode on its alternate screen, and put
//! back as it was on every way out: a normal return, an error, a panic, and
//! the signals that end a process (SIGTERM, SIGHUP, SIGQUIT; Ctrl-C arrives as
//! a key in raw mode).

use std::fs::File;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<File>>;

/// What puts the terminal back, written by the signal handler as is: mouse
/// reporting off (every mode crossterm turns on), the cursor shown, the
/// alternate screen left.
const LEAVE: &[u8] = b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?25h\x1b[?1049l";

/// The terminal's settings before raw mode, for the signal handler (which may
/// use only async-signal-safe calls: `tcsetattr`, `write`, `_exit`).
static SAVED: AtomicBool = AtomicBool::new(false);
static TTY: AtomicI32 = AtomicI32::new(-1);
static mut TERMIOS: std::mem::MaybeUninit<libc::termios> = std::mem::MaybeUninit::uninit();

extern "C" fn on_signal(sig: libc::c_int) {
    restore_raw();
    // SAFETY: _exit is async-signal-safe and ends the process at once.
    unsafe { libc::_exit(128 + sig) }
}

/// Puts the terminal back with async-signal-safe calls only.
fn restore_raw() {
    if !SAVED.swap(false, Ordering::SeqCst) {
        return;
    }
    let tty = TTY.load(Ordering::SeqCst);
    // SAFETY: TERMIOS was written before SAVED was set; tcsetattr and write
    // take plain pointers to memory that lives for the whole process.
    unsafe {
        libc::tcsetattr(
            libc::STDIN_FILENO,
            libc::TCSANOW,
            std::ptr::addr_of!(TERMIOS).cast::<libc::termios>(),
        );
        if tty >= 0 {
            libc::write(tty, LEAVE.as_ptr().cast(), LEAVE.len());
        }
    }
}

/// The screen, in use while it lives.
pub struct Screen {
    pub term: Term,
}

impl Screen {
    pub fn open() -> io::Result<Screen> {
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")?;
        save_settings(&tty)?;
        install_handlers();
        let result = (|| {
            terminal::enable_raw_mode()?;
            let mut out = tty.try_clone()?;
            execute!(out, EnterAlternateScreen, EnableMouseCapture, cursor::Hide)?;
            Terminal::new(CrosstermBackend::new(tty))
        })();
        match result {
            Ok(term) => Ok(Screen { term }),
            Err(e) => {
                leave();
                Err(e)
            }
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        // Every frame was flushed when drawn; writing more here would land on
        // the main screen, over a panic's message.
        leave();
    }
}

/// Puts the terminal back (the normal way, not in a signal handler).
fn leave() {
    if !SAVED.load(Ordering::SeqCst) {
        return;
    }
    let tty = TTY.load(Ordering::SeqCst);
    if tty >= 0 {
        // SAFETY: `tty` is our own open descriptor of /dev/tty (never closed
        // while SAVED is set); ManuallyDrop keeps it open after this write.
        let mut f = std::mem::ManuallyDrop::new(unsafe {
            <File as std::os::fd::FromRawFd>::from_raw_fd(tty)
        });
        let _ = execute!(*f, DisableMouseCapture, cursor::Show, LeaveAlternateScreen);
        let _ = f.flush();
    }
    let _ = terminal::disable_raw_mode();
    restore_raw();
}

fn save_settings(tty: &File) -> io::Result<()> {
    let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr fills `t` when it returns 0.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // The descriptor stays valid: `tty` is moved into the screen's backend
    // and lives as long as the screen.
    let fd = std::os::fd::AsRawFd::as_raw_fd(tty);
    // SAFETY: written once per screen, before SAVED says it may be read.
    unsafe {
        std::ptr::addr_of_mut!(TERMIOS).write(t);
    }
    TTY.store(fd, Ordering::SeqCst);
    SAVED.store(true, Ordering::SeqCst);
    Ok(())
}

fn install_handlers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGINT] {
            // SAFETY: installing a handler that only calls async-signal-safe functions.
            unsafe {
                libc::signal(sig, on_signal as *const () as libc::sighandler_t);
            }
        }
        // A panic while the screen is up: put the terminal back first, so the
        // message is readable and the shell usable.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
}
