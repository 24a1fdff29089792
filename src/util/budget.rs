//! Budgets for work done on untrusted input. A template from a team library
//! can loop for ever or build a string of gigabytes, and Tera offers no way to
//! interrupt it; so such work runs on a worker thread with a deadline, and the
//! process's allocator counts what that thread holds. A worker over its memory
//! budget, or past its deadline, is frozen at its next allocation (it sleeps
//! for ever instead of allocating: an allocator may not unwind, and failing
//! the allocation would abort the whole process) and abandoned; the caller
//! gets an error and goes on.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The process's allocator: the system's, counting for budgeted threads.
pub struct Counting;

thread_local! {
    /// Bytes this thread may hold; `usize::MAX` when it has no budget.
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
    /// Bytes allocated and not yet freed since the budget was set.
    static USED: Cell<usize> = const { Cell::new(0) };
    /// The worker's trip wire, when this thread is a worker.
    static TRIP: Cell<*const Trip> = const { Cell::new(std::ptr::null()) };
}

/// Shared between a worker and its guard.
#[derive(Default)]
struct Trip {
    /// Set by the guard when the deadline passed: freeze at the next allocation.
    cancelled: AtomicBool,
    /// Set by the worker when it froze for going over its memory budget.
    over_memory: AtomicBool,
}

fn charge(bytes: usize) {
    let limit = LIMIT.try_with(Cell::get).unwrap_or(usize::MAX);
    if limit == usize::MAX {
        return;
    }
    let used = USED
        .try_with(|u| {
            let v = u.get().saturating_add(bytes);
            u.set(v);
            v
        })
        .unwrap_or(0);
    let trip = TRIP.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: a worker's `Trip` is kept alive by the worker thread itself
    // (it owns an `Arc` of it for its whole life), and only that thread reads
    // its own `TRIP`.
    let trip = unsafe { trip.as_ref() };
    let cancelled = trip.is_some_and(|t| t.cancelled.load(Ordering::Relaxed));
    // A panicking worker is printing its message under the panic hook's locks
    // (and may symbolise a backtrace): freezing it there would stall every
    // other thread that prints. It is about to unwind anyway.
    if (used > limit || cancelled) && !std::thread::panicking() {
        if let Some(t) = trip
            && !cancelled
        {
            t.over_memory.store(true, Ordering::Relaxed);
        }
        freeze();
    }
}

fn credit(bytes: usize) {
    if LIMIT.try_with(Cell::get).unwrap_or(usize::MAX) != usize::MAX {
        let _ = USED.try_with(|u| u.set(u.get().saturating_sub(bytes)));
    }
}

/// Never returns, never allocates.
fn freeze() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

// SAFETY: every method forwards to `System` with the same arguments; the
// counting around it touches only thread-local cells and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract is forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        credit(layout.size());
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            charge(new_size - layout.size());
        } else {
            credit(layout.size() - new_size);
        }
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// How much a guarded piece of work may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub time: Duration,
    /// Bytes the work may hold at once.
    pub memory: usize,
}

/// Why guarded work was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Time,
    Memory,
    /// The work panicked.
    Crashed,
}

type Task = Box<dyn FnOnce() + Send>;

struct Worker {
    tasks: mpsc::Sender<Task>,
    trip: Arc<Trip>,
}

impl Worker {
    fn spawn(memory: usize) -> Option<Worker> {
        let (tasks, inbox) = mpsc::channel::<Task>();
        let trip = Arc::new(Trip::default());
        let own = Arc::clone(&trip);
        std::thread::Builder::new()
            .name("reply-worker".into())
            .spawn(move || {
                TRIP.with(|t| t.set(Arc::as_ptr(&own)));
                while let Some(task) = next(&inbox) {
                    USED.with(|u| u.set(0));
                    LIMIT.with(|l| l.set(memory));
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task));
                    LIMIT.with(|l| l.set(usize::MAX));
                }
            })
            .ok()?;
        Some(Worker { tasks, trip })
    }
}

/// How long either side of a hand-off spins before it sleeps. Most renders
/// take microseconds; waking a sleeping thread costs about as much again, on
/// both sides, and over a 50,000-reply `check` that was half its time.
const SPIN: Duration = Duration::from_micros(50);

/// The next message on `rx` if it comes within [`SPIN`]; `Empty` after that
/// (the caller then sleeps on it), `Disconnected` once the other side is gone.
fn spin_recv<T>(rx: &mpsc::Receiver<T>) -> Result<T, mpsc::TryRecvError> {
    let start = Instant::now();
    loop {
        match rx.try_recv() {
            // Yielding, not spinning on the spot: on one core the other side
            // needs this one to step aside to get anything done.
            Err(mpsc::TryRecvError::Empty) if start.elapsed() < SPIN => std::thread::yield_now(),
            other => return other,
        }
    }
}

/// The worker's next task.
fn next(inbox: &mpsc::Receiver<Task>) -> Option<Task> {
    match spin_recv(inbox) {
        Ok(task) => Some(task),
        Err(mpsc::TryRecvError::Empty) => inbox.recv().ok(),
        Err(mpsc::TryRecvError::Disconnected) => None,
    }
}

/// Runs work within [`Limits`], one piece at a time, on a worker thread that
/// is reused until it has to be abandoned.
pub struct Guard {
    limits: Limits,
    worker: RefCell<Option<Worker>>,
}

/// How often the guard looks at a worker's trip wire while it waits.
const POLL: Duration = Duration::from_millis(5);

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard {
            limits,
            worker: RefCell::new(None),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Runs `work` within the limits. When it goes over them, the worker is
    /// abandoned (frozen, or left to finish unseen) and the error says which.
    pub fn run<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, Exceeded> {
        let mut slot = self.worker.borrow_mut();
        if slot.is_none() {
            *slot = Worker::spawn(self.limits.memory);
        }
        let Some(worker) = slot.as_ref() else {
            // No thread could be started: do the work here, unguarded,
            // rather than not at all.
            return Ok(work());
        };
        let (tx, rx) = mpsc::sync_channel(1);
        let task: Task = Box::new(move || {
            let _ = tx.send(work());
        });
        if worker.tasks.send(task).is_err() {
            *slot = None;
            return Err(Exceeded::Crashed);
        }
        let deadline = Instant::now() + self.limits.time;
        match spin_recv(&rx) {
            Ok(r) => return Ok(r),
            Err(mpsc::TryRecvError::Disconnected) => {
                *slot = None;
                return Err(Exceeded::Crashed);
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.min(POLL)) {
                Ok(r) => return Ok(r),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    *slot = None;
                    return Err(Exceeded::Crashed);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if worker.trip.over_memory.load(Ordering::Relaxed) {
                        *slot = None;
                        return Err(Exceeded::Memory);
                    }
                    if Instant::now() >= deadline {
                        worker.trip.cancelled.store(true, Ordering::Relaxed);
                        *slot = None;
                        return Err(Exceeded::Time);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::new(Limits {
            time: Duration::from_millis(300),
            memory: 32 << 20,
        })
    }

    #[test]
    fn work_within_limits_returns_its_result() {
        let g = guard();
        assert_eq!(g.run(|| 2 + 2), Ok(4));
        assert_eq!(g.run(|| "again".to_string()), Ok("again".into()));
    }

    #[test]
    fn too_much_memory_stops_the_work_not_the_process() {
        let g = guard();
        let r = g.run(|| {
            let mut s = String::from("x");
            for _ in 0..40 {
                s = format!("{s}{s}");
            }
            s.len()
        });
        assert_eq!(r, Err(Exceeded::Memory));
        // The guard goes on with a fresh worker.
        assert_eq!(g.run(|| 1), Ok(1));
    }

    #[test]
    fn too_much_time_stops_the_wait() {
        let g = guard();
        let started = Instant::now();
        let r = g.run(|| {
            let mut v = Vec::new();
            loop {
                v.push(String::from("spin"));
                v.clear();
            }
        });
        assert_eq!(r, Err(Exceeded::Time));
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(g.run(|| 3), Ok(3));
    }

    #[test]
    fn a_panic_is_reported() {
        // Room for the panic hook: with RUST_BACKTRACE set, capturing and
        // resolving the backtrace takes longer than `guard`'s time limit.
        let g = Guard::new(Limits {
            time: Duration::from_secs(60),
            memory: 512 << 20,
        });
        let r: Result<(), _> = g.run(|| panic!("boom"));
        assert_eq!(r, Err(Exceeded::Crashed));
    }
}
