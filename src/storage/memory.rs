//! An in-memory [`Repository`]: the same behaviour as IndexedDB, for fast native tests of the state
//! logic (and a fallback when the browser has no IndexedDB: the app then works until the tab closes).
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use async_trait::async_trait;
use orchid_core::ids::EntityKind;
use orchid_core::sync::Mutation;
use uuid::Uuid;

use super::repo::{
    DeviceMeta, Loaded, LogPage, RecordRow, Repository, Snapshot, StoreError, WriteBatch,
};

#[derive(Clone, Debug, Default)]
struct Data {
    meta: Option<DeviceMeta>,
    snapshot: Option<Snapshot>,
    log: BTreeMap<u64, LogPage>,
    outbox: BTreeMap<u64, Mutation>,
    rows: BTreeMap<(EntityKind, Uuid), RecordRow>,
}

/// The in-memory repository. Cloning shares the data (like two connections to one database).
#[derive(Clone, Debug, Default)]
pub struct MemoryRepo {
    data: Rc<RefCell<Data>>,
    /// Test hook: the next commit fails with this error, writing nothing.
    fail_next: Rc<RefCell<Option<StoreError>>>,
    commits: Rc<Cell<u64>>,
}

impl MemoryRepo {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// Makes the next [`Repository::commit`] fail with `error` (nothing is written), to test that a
    /// failed write leaves no trace.
    pub fn fail_next_commit(&self, error: StoreError) {
        *self.fail_next.borrow_mut() = Some(error);
    }
    /// How many commits succeeded.
    pub fn commits(&self) -> u64 {
        self.commits.get()
    }
}

fn apply(data: &mut Data, batch: WriteBatch) {
    if batch.clear_records {
        data.rows.clear();
        data.log.clear();
        data.snapshot = None;
    }
    if batch.outbox_clear {
        data.outbox.clear();
    }
    if let Some(meta) = batch.meta {
        data.meta = Some(meta);
    }
    for id in batch.outbox_delete {
        data.outbox.remove(&id);
    }
    for m in batch.outbox_put {
        data.outbox.insert(m.mutation_id, m);
    }
    if let Some(page) = batch.log_page {
        data.log.insert(page.page, page);
    }
    if let Some(snapshot) = batch.snapshot {
        let through = snapshot.through_page;
        data.log.retain(|page, _| *page > through);
        data.snapshot = Some(snapshot);
    }
    for key in batch.rows_delete {
        data.rows.remove(&key);
    }
    for row in batch.rows_put {
        data.rows.insert((row.kind, row.id), row);
    }
}

#[async_trait(?Send)]
impl Repository for MemoryRepo {
    async fn load(&self) -> Result<Loaded, StoreError> {
        let data = self.data.borrow();
        Ok(Loaded {
            meta: data.meta.clone(),
            snapshot: data.snapshot.clone(),
            log: data.log.values().cloned().collect(),
            outbox: data.outbox.values().cloned().collect(),
        })
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        if let Some(error) = self.fail_next.borrow_mut().take() {
            return Err(error);
        }
        // Applied to a copy and swapped in: all or nothing, like a transaction.
        let mut next = self.data.borrow().clone();
        apply(&mut next, batch);
        *self.data.borrow_mut() = next;
        self.commits.set(self.commits.get() + 1);
        Ok(())
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<Mutation>, StoreError> {
        Ok(self
            .data
            .borrow()
            .outbox
            .values()
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn row(&self, kind: EntityKind, id: Uuid) -> Result<Option<RecordRow>, StoreError> {
        Ok(self.data.borrow().rows.get(&(kind, id)).cloned())
    }

    async fn rows_by_prefix(
        &self,
        kind: EntityKind,
        index: &str,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let data = self.data.borrow();
        let mut hits: Vec<(&String, &RecordRow)> = data
            .rows
            .values()
            .filter(|r| r.kind == kind)
            .filter_map(|r| r.keys.get(index).map(|k| (k, r)))
            .filter(|(k, _)| k.starts_with(prefix))
            .collect();
        hits.sort_by(|a, b| a.0.cmp(b.0).then(a.1.id.cmp(&b.1.id)));
        Ok(hits
            .into_iter()
            .take(limit as usize)
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn rows_by_key(
        &self,
        kind: EntityKind,
        index: &str,
        key: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let data = self.data.borrow();
        let mut hits: Vec<&RecordRow> = data
            .rows
            .values()
            .filter(|r| r.kind == kind && r.keys.get(index).map(String::as_str) == Some(key))
            .collect();
        // IndexedDB returns equal keys in primary-key order.
        hits.sort_by_key(|r| r.id);
        Ok(hits.into_iter().take(limit as usize).cloned().collect())
    }

    async fn count(&self, kind: EntityKind) -> Result<u32, StoreError> {
        let n = self
            .data
            .borrow()
            .rows
            .keys()
            .filter(|(k, _)| *k == kind)
            .count();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}
