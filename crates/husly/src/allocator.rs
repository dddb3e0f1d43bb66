//! Where the process's memory comes from: mimalloc for Rust's allocations, and glibc's malloc,
//! held to a few arenas, for SQLite's (C code, which calls `malloc` itself).
//!
//! glibc gives a thread that allocates while another holds an arena's lock an arena of its own,
//! up to eight per core, and each keeps what was freed in it. SQLite allocates its page caches,
//! statements and sort buffers on whichever thread runs it: sqlx's thread per connection, the
//! runtime's threads and the blocking threads of the search, about seventeen under load on two
//! cores. With one arena per core the server's peak under load fell by a quarter at the same CPU
//! per request; routing SQLite's allocations through mimalloc as well (its `override` feature)
//! was no faster and kept more (docs/benchmarks.md, "SQLite's memory in one arena per core").

/// Rust's allocations: glibc's allocator kept up to eight arenas per core and handed little back,
/// and under load the server's peak memory was a fifth larger with it (docs/benchmarks.md, "The
/// hot path, 5 Dec 2026").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Limits glibc's arenas (for SQLite's allocations) to one per core, unless the environment sets
/// a limit of its own. Call first thing in `main`, before any thread starts.
pub fn limit_c_arenas() {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let chosen = |name| std::env::var_os(name).is_some();
    if let Some(arenas) = arena_limit(chosen("MALLOC_ARENA_MAX"), chosen("GLIBC_TUNABLES"), cores) {
        set_arena_max(arenas);
    }
}

/// The arena limit to set: none if the operator set one (or any glibc tunable: a tunables string
/// may name the arena limit, and glibc has already read it), else one arena per core.
fn arena_limit(arena_max_set: bool, tunables_set: bool, cores: usize) -> Option<i32> {
    if arena_max_set || tunables_set {
        return None;
    }
    Some(i32::try_from(cores.max(1)).unwrap_or(i32::MAX))
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set_arena_max(arenas: i32) {
    // SAFETY: mallopt takes glibc's own lock and changes a setting only; called from `main`
    // before any thread exists. A refusal (0) leaves glibc's default, which only costs memory.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

/// Other C libraries (musl, macOS) keep no per-thread arenas to limit.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_arena_max(_arenas: i32) {}

#[cfg(test)]
mod tests {
    use super::arena_limit;

    #[test]
    fn one_arena_per_core_unless_the_operator_chose() {
        assert_eq!(arena_limit(false, false, 2), Some(2));
        assert_eq!(arena_limit(false, false, 16), Some(16));
        assert_eq!(arena_limit(false, false, 0), Some(1));
        assert_eq!(arena_limit(true, false, 2), None);
        assert_eq!(arena_limit(false, true, 2), None);
    }
}
