//! The limits of one render: time and memory (kept by a `util::budget`
//! worker), the size of the message, and the loop steps `range()` may make.
//! Far above anything a saved reply needs; there so that one hostile template
//! in a team library cannot hang or crash every agent's tool.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tera::{Kwargs, State, Tera};

use crate::util::budget::{Guard, Limits};

/// How much one render may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderLimits {
    /// Wall-clock time for the whole render (all the passes that find
    /// missing variables included).
    pub time: Duration,
    /// Bytes of the rendered message.
    pub output: usize,
}

impl Default for RenderLimits {
    fn default() -> Self {
        RenderLimits {
            time: Duration::from_secs(2),
            output: 1 << 20,
        }
    }
}

impl RenderLimits {
    /// The memory a render may hold: room for the message many times over,
    /// and for Tera's own values.
    pub fn memory(&self) -> usize {
        (64 << 20usize).max(self.output.saturating_mul(32))
    }

    /// A guard that runs renders within these limits.
    pub fn guard(&self) -> Guard {
        Guard::new(Limits {
            time: self.time,
            memory: self.memory(),
        })
    }
}

/// The loop steps `range()` may produce in one render, all its calls together
/// (nested loops multiply).
pub const MAX_STEPS: usize = 1_000_000;

/// A render stopped for going over a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    Time(Duration),
    Memory(usize),
    Output(usize),
    /// Loops over `range()` went past this many steps.
    Steps(usize),
    /// The renderer itself failed (a bug in it, met by this template).
    Crashed,
}

impl std::fmt::Display for Overrun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Overrun::Time(t) => write!(
                f,
                "rendering took longer than {} (the render time limit)",
                crate::util::units::show_duration(*t)
            ),
            Overrun::Memory(m) => write!(
                f,
                "rendering needed more than {} of memory",
                crate::util::units::show_size(*m as u64)
            ),
            Overrun::Output(o) => write!(
                f,
                "the message grew past {} (the render output limit)",
                crate::util::units::show_size(*o as u64)
            ),
            Overrun::Steps(n) => write!(f, "its loops went past {n} steps (the render step limit)"),
            Overrun::Crashed => f.write_str("the template made the renderer fail"),
        }
    }
}

/// The message as it is written, refusing to grow past the output limit.
pub(super) struct Capped {
    bytes: Vec<u8>,
    max: usize,
    over: bool,
}

impl Capped {
    pub(super) fn new(max: usize) -> Capped {
        Capped {
            bytes: Vec::new(),
            max,
            over: false,
        }
    }

    pub(super) fn over(&self) -> bool {
        self.over
    }

    pub(super) fn into_text(self) -> String {
        // Tera writes text and values it formatted itself: always UTF-8.
        String::from_utf8(self.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > self.max {
            self.over = true;
            return Err(io::Error::other("the render output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Tera's `range()`, with the same arguments and rules, counting the steps it
/// makes in one render against [`MAX_STEPS`]: nested loops over `range` are
/// what make a template run for ever without writing or allocating much.
pub(super) fn register_range(tera: &mut Tera, steps: Arc<AtomicUsize>) {
    tera.register_function(
        "range",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Vec<i128>> {
            let start = kwargs.get::<i128>("start")?.unwrap_or_default();
            let end = kwargs.must_get::<i128>("end")?;
            let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
            if step == 0 {
                return Err(tera::Error::message(
                    "Function `range` was called with a `step_by` argument of 0",
                ));
            }
            if start > end && step > 0 {
                return Err(tera::Error::message(
                    "Function `range` was called with a `start` argument greater than the `end` one",
                ));
            }
            let span = if step > 0 {
                end.saturating_sub(start)
            } else {
                start.saturating_sub(end)
            };
            let len = span.saturating_add(step.saturating_abs() - 1) / step.saturating_abs();
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            let before = steps.fetch_add(len.min(MAX_STEPS + 1), Ordering::Relaxed);
            if before.saturating_add(len) > MAX_STEPS {
                // The render sees the count past the limit and says so.
                return Err(tera::Error::message(format!(
                    "the template's loops go past {MAX_STEPS} steps (the render step limit)"
                )));
            }
            Ok((0..len as i128).map(|i| start + i * step).collect())
        },
    );
}
