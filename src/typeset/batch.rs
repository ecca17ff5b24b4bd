//! The batch scheduler: compiles on rayon's pool in chunks, trimming comemo's caches
//! between chunks so memory stays flat however long the batch.

use std::sync::{Mutex, PoisonError};

use super::*;

/// Compiles per thread in a chunk, after which comemo's caches are trimmed. Each
/// handout leaves several MiB of memoized layout behind; what the last two chunks did
/// not use is dropped, so memory stays flat however long the batch. One per thread:
/// against four, peak memory at 5,000 articles fell from 354 to 199 MiB for 1 % more
/// CPU (what every handout reuses, the template's parts, stays warm); dropping
/// everything but the last chunk's saved 30 MiB more for 14 % more CPU
/// (bench/RESULTS.md, issue 28).
pub(super) const EVICT_EVERY_PER_THREAD: usize = 1;

impl Typesetter {
    /// Runs `each` over `work` on the threads of the current rayon pool and returns the
    /// results in input order; `each` typesets (and writes) whatever its item needs.
    ///
    /// Each thread takes the next item from a shared counter, so no thread waits at a
    /// barrier while another finishes a long handout. It is not a `par_iter`: typst
    /// parallelizes inside a compile, and a thread waiting there would steal another
    /// whole handout, nesting compiles until the stack overflows. Every
    /// [`EVICT_EVERY_PER_THREAD`] items per thread, comemo keeps only what the last
    /// stretch used (template parts every handout hits stay warm), so memory stays flat
    /// however long the batch (bench/RESULTS.md).
    pub fn typeset_batch<J: Sync, T: Send>(work: &[J], each: impl Fn(&J) -> T + Sync) -> Vec<T> {
        use std::sync::atomic::{AtomicUsize, Ordering};

        let evict_every = EVICT_EVERY_PER_THREAD * rayon::current_num_threads().max(1);
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        // A place per item, filled by whichever thread takes it: the results are in
        // input order as they come, in one allocation. (Gathered per thread, then
        // flattened and sorted, 50,000 articles' results were held three times over at
        // the end of the batch.)
        let slots: Vec<Mutex<Option<T>>> = work.iter().map(|_| Mutex::new(None)).collect();
        rayon::broadcast(|_| {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let (Some(item), Some(slot)) = (work.get(index), slots.get(index)) else { break };
                let result = each(item);
                // Each index is taken once (the counter): no other thread locks this slot.
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(evict_every) {
                    typst::comemo::evict(1);
                }
            }
        });
        typst::comemo::evict(0);
        // Every slot was filled: the threads took every index below `work.len()`.
        slots
            .into_iter()
            .filter_map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect()
    }
}
