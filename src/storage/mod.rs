//! The only code that touches the browser's storage. Small settings live in localStorage
//! (`settings`, `gloo-storage`); the records live in IndexedDB (`idb`, `rexie`) behind the
//! [`repo::Repository`] interface, which [`memory::MemoryRepo`] also implements for tests.
pub mod backup;
pub mod conformance;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod outbox_runs;
pub mod pins;
pub mod pinyin;
#[cfg(target_arch = "wasm32")]
pub mod quota;
pub mod repo;
pub mod search;
pub mod settings;

/// A new id for a record made on this device (UUIDv7: time-ordered, unique without a server).
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::conformance::{Harness, all};
    use super::memory::MemoryRepo;
    use super::repo::{Repository, StoreError};

    /// The behavioural test list against the in-memory repository.
    #[test]
    fn memory_repository_passes_the_behavioural_tests() {
        for (name, test) in all() {
            let repo = MemoryRepo::new();
            let (open, fail) = (repo.clone(), repo.clone());
            let harness = Rc::new(Harness {
                open: Box::new(move || {
                    let r: Rc<dyn Repository> = Rc::new(open.clone());
                    Box::pin(async move { r })
                }),
                fail_next_commit: Box::new(move || {
                    fail.fail_next_commit(StoreError::Write("injected".into()))
                }),
            });
            eprintln!("memory: {name}");
            futures::executor::block_on(test(harness));
        }
    }
}
