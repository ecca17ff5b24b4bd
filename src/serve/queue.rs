//! The queue for personal copies: a few are typeset at once (each holds a typst
//! compilation in memory), a few more wait their turn for a bounded time, and the rest
//! are told at once to come back (`503` with `Retry-After`). Without it, 200 prints at
//! once grew the desk to 274 MB.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many copies may wait for each one being typeset.
const WAITING_PER_SLOT: usize = 4;

pub struct PrintQueue {
    /// Copies being typeset or waiting.
    admitted: Arc<Semaphore>,
    /// Copies being typeset.
    typesetting: Arc<Semaphore>,
    wait: Duration,
}

/// A copy's turn to be typeset: held until typst has forgotten the patient.
pub struct Turn {
    _admitted: OwnedSemaphorePermit,
    _typesetting: OwnedSemaphorePermit,
}

impl PrintQueue {
    /// `at_once` copies typeset at once; one waits at most `wait` for its turn.
    pub fn new(at_once: usize, wait: Duration) -> PrintQueue {
        let at_once = at_once.max(1);
        PrintQueue {
            admitted: Arc::new(Semaphore::new(at_once * (1 + WAITING_PER_SLOT))),
            typesetting: Arc::new(Semaphore::new(at_once)),
            wait,
        }
    }

    /// The copy's turn, or `None` when the queue is full or the wait ran out.
    pub async fn turn(&self) -> Option<Turn> {
        let admitted = self.admitted.clone().try_acquire_owned().ok()?;
        let typesetting =
            tokio::time::timeout(self.wait, self.typesetting.clone().acquire_owned()).await.ok()?.ok()?;
        Some(Turn { _admitted: admitted, _typesetting: typesetting })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_slots_copies_wait_then_beyond_the_queue_they_are_turned_away() {
        let queue = PrintQueue::new(1, Duration::from_millis(50));
        let first = queue.turn().await.expect("a free slot");
        // The slot is taken: the next one waits, and gives up after the wait.
        assert!(queue.turn().await.is_none());
        drop(first);
        assert!(queue.turn().await.is_some(), "the slot is free again");

        // A full waiting room turns a copy away at once.
        let queue = Arc::new(PrintQueue::new(1, Duration::from_secs(60)));
        let _held = queue.turn().await.unwrap();
        let waiting: Vec<_> = (0..WAITING_PER_SLOT)
            .map(|_| {
                let queue = queue.clone();
                tokio::spawn(async move { queue.turn().await.is_some() })
            })
            .collect();
        while queue.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        // Turned away at once, not after the minute's wait.
        let answer = tokio::time::timeout(Duration::from_secs(30), queue.turn()).await;
        assert!(matches!(answer, Ok(None)), "turned away without waiting");
        for task in waiting {
            task.abort();
        }
    }
}
