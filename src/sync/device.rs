//! The device's sync state, sans-IO: the confirmed replica (as the server gave it), the outbox of
//! pending mutations, the view the UI reads (confirmed + pending), the clock, the cursor.
//!
//! It follows `orchid_core::sync::SyncClient` step for step (same rules: validate by applying to
//! the view, drop pending mutations the server confirmed or processed, rebuild the view when one is
//! undone), but every step also returns the [`WriteBatch`] that makes it durable, and the state can
//! be rebuilt from what the repository stored ([`Device::restore`]). `SyncClient` keeps everything in
//! one value with no way to restore it from stored parts, hence this split.
//!
//! The caller (`state::store`) commits the batch; if the commit fails it calls
//! [`Device::restore`] again from the repository, so memory never runs ahead of storage, with one
//! deliberate exception: the pages of a long pull before its last (see
//! [`Device::on_pull_response`]) are held in memory and made durable at its end.
use std::collections::{BTreeMap, BTreeSet};

use orchid_core::ValidationError;
use orchid_core::customer::Customer;
use orchid_core::ids::{ClientId, CustomerId, EntityKind, EntityRef, StaffId, StoreId};
use orchid_core::sync::{
    Actor, Applied, Change, Cursor, FORMAT_VERSION, Mutation, PullReport, PullRequest,
    PullResponse, PulledChange, PushOutcome, PushReport, PushRequest, PushResponse, Replica,
    SyncError, check_version,
};
use orchid_core::time::{Timestamp, UtcOffset};
use uuid::Uuid;

use crate::storage::repo::{
    DeviceMeta, Loaded, LogPage, Pairing, RecordRow, Snapshot, StoreError, WriteBatch,
};
use crate::storage::search::{CustomerKeys, SearchIndex};

/// Compact the log into a snapshot once it holds this many confirmed changes.
pub const COMPACT_AFTER: u64 = 5_000;
/// A long pull is made durable (a snapshot and the cursor) at least every this many changes, so
/// that a tab closed in the middle of a very long one does not start it again from the beginning.
pub const PULL_CHECKPOINT_AFTER: u64 = 50_000;

/// What [`Device::restore`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreReport {
    /// Confirmed changes replayed.
    pub replayed: usize,
    /// Confirmed changes this code could not apply (written by a newer version?).
    pub skipped: usize,
    /// Pending mutations that no longer apply (they stay in the outbox for the server to judge).
    pub pending_invalid: usize,
}

/// The device's state in memory. See the module documentation.
#[derive(Clone, Debug)]
pub struct Device {
    meta: DeviceMeta,
    pending: Vec<Mutation>,
    confirmed: Replica,
    view: Replica,
    customers: BTreeMap<CustomerId, CustomerKeys>,
    /// `customers` sorted for search, built on the first search after they change.
    search: std::cell::RefCell<Option<std::rc::Rc<SearchIndex>>>,
    /// The pages of a long pull taken in but not yet made durable.
    deferred: DeferredPull,
}

/// The pages of a long pull before its last: applied to the replicas and their rows written, but
/// neither logged nor the cursor moved in storage until the pull ends (see
/// [`Device::on_pull_response`]).
#[derive(Clone, Debug, Default)]
struct DeferredPull {
    /// Where the pull has got to; the stored cursor (`meta.cursor`) stays behind until the end.
    cursor: Option<Cursor>,
    /// How many changes were taken in.
    count: u64,
    /// The changes, while they may still have to be logged (until the log plus them reach
    /// [`COMPACT_AFTER`], after which the end of the pull writes a snapshot instead).
    changes: Vec<PulledChange>,
    /// Pending mutations the pull confirmed: they leave the outbox when the pull is stored.
    outbox_delete: Vec<u64>,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Serializing our own plain data types cannot fail (no maps with non-string keys at the top).
    serde_json::to_string(value).unwrap_or_default()
}

fn ms_key(at: Timestamp) -> String {
    format!("{:015}", at.timestamp_millis().max(0))
}

impl Device {
    /// A fresh device (nothing stored yet). Returns the batch that stores its record.
    pub fn fresh(meta: DeviceMeta) -> (Self, WriteBatch) {
        let device = Self {
            meta: meta.clone(),
            pending: Vec::new(),
            confirmed: Replica::new(),
            view: Replica::new(),
            customers: BTreeMap::new(),
            search: Default::default(),
            deferred: DeferredPull::default(),
        };
        let batch = WriteBatch {
            meta: Some(meta),
            ..Default::default()
        };
        (device, batch)
    }

    /// Rebuilds the state from what the repository holds: the snapshot, then the log pages, make the
    /// confirmed replica; the outbox on top makes the view. `None` if the device has no record yet.
    pub fn restore(loaded: Loaded) -> Result<Option<(Self, RestoreReport)>, StoreError> {
        let Some(meta) = loaded.meta else {
            return Ok(None);
        };
        let mut report = RestoreReport::default();
        let mut confirmed = match &loaded.snapshot {
            Some(s) => serde_json::from_str::<Replica>(&s.replica_json)
                .map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))?,
            None => Replica::new(),
        };
        let through = loaded.snapshot.as_ref().map_or(0, |s| s.through_page);
        for page in loaded.log.iter().filter(|p| p.page > through) {
            for c in &page.changes {
                match confirmed.apply(&c.mutation) {
                    Ok(_) => report.replayed += 1,
                    Err(_) => report.skipped += 1,
                }
            }
        }
        let mut view = confirmed.clone();
        let mut pending = loaded.outbox;
        pending.sort_by_key(|m| m.mutation_id);
        for m in &pending {
            if view.apply(m).is_err() {
                report.pending_invalid += 1;
            }
        }
        let mut device = Self {
            meta,
            pending,
            confirmed,
            view,
            customers: BTreeMap::new(),
            search: Default::default(),
            deferred: DeferredPull::default(),
        };
        device.reindex_customers();
        Ok(Some((device, report)))
    }

    fn reindex_customers(&mut self) {
        self.search.take();
        self.customers = self
            .view
            .customers(self.meta.store_id)
            .iter()
            .map(|c| (c.id, CustomerKeys::of(c)))
            .collect();
    }

    // ---- reading ----

    /// The device record.
    pub fn meta(&self) -> &DeviceMeta {
        &self.meta
    }
    /// The store this device holds.
    pub fn store_id(&self) -> StoreId {
        self.meta.store_id
    }
    /// What the UI shows: confirmed + pending.
    pub fn view(&self) -> &Replica {
        &self.view
    }
    /// As the server confirmed it.
    pub fn confirmed(&self) -> &Replica {
        &self.confirmed
    }
    /// The outbox, oldest first.
    pub fn pending(&self) -> &[Mutation] {
        &self.pending
    }
    /// The search keys of every customer of the store.
    pub fn customer_keys(&self) -> impl Iterator<Item = &CustomerKeys> {
        self.customers.values()
    }
    /// Customers matching the folded query, best first, at most `limit` (see
    /// [`SearchIndex::search`]).
    pub fn search_customers(&self, folded: &str, limit: usize) -> Vec<CustomerId> {
        let index = self
            .search
            .borrow_mut()
            .get_or_insert_with(|| std::rc::Rc::new(SearchIndex::new(self.customers.values())))
            .clone();
        index.search(folded, limit)
    }
    /// The store's time zone (China's until the store record says otherwise).
    pub fn utc_offset(&self) -> UtcOffset {
        self.view
            .store(self.meta.store_id)
            .map_or(UtcOffset::CHINA, |s| s.utc_offset)
    }

    // ---- changing ----

    /// Makes a change as `actor` at wall time `now`: checks it with the core's rules (by applying it
    /// to the view), and returns the mutation with the batch that writes it to the outbox together
    /// with the record rows it changed. Nothing changes if it is refused.
    pub fn mutate(
        &mut self,
        actor: Actor,
        change: Change,
        now: Timestamp,
    ) -> Result<(Mutation, WriteBatch), ValidationError> {
        let mut clock = self.meta.clock.clone();
        let hlc = clock.tick(now)?;
        let m = Mutation {
            client_id: self.meta.client_id,
            mutation_id: self.meta.next_mutation_id,
            hlc,
            actor,
            store_id: self.meta.store_id,
            change,
        };
        self.view.check_write(&m)?;
        let erased_before = self.erase_dependents(&m.change);
        self.view.apply(&m)?;
        self.meta.clock = clock;
        self.meta.next_mutation_id += 1;
        self.pending.push(m.clone());
        let mut batch = WriteBatch {
            meta: Some(self.meta.clone()),
            outbox_put: vec![m.clone()],
            ..Default::default()
        };
        self.rows_for(&m.change, &erased_before, now, &mut batch);
        Ok((m, batch))
    }

    /// Records that belong to a customer about to be erased (their rows must be rewritten): the
    /// core's list, so every kind of record about her is covered.
    fn erase_dependents(&self, change: &Change) -> Vec<EntityRef> {
        let Change::CustomerErase { id } = change else {
            return Vec::new();
        };
        self.view.records_of_customer(*id)
    }

    /// Adds to `batch` the rows of the record `change` touched, as the view now has it.
    fn rows_for(
        &mut self,
        change: &Change,
        dependents: &[EntityRef],
        now: Timestamp,
        batch: &mut WriteBatch,
    ) {
        let entity = change.entity();
        match self.row(entity, Some(change), now) {
            Some(row) => batch.rows_put.push(row),
            None => batch.rows_delete.push((entity.kind, entity.id)),
        }
        for d in dependents {
            match d.kind {
                // Erased: assessments leave the device's readable records.
                EntityKind::SkinAssessment => batch.rows_delete.push((d.kind, d.id)),
                EntityKind::Consent => {
                    let Change::CustomerErase { id } = change else {
                        continue;
                    };
                    let redacted = self
                        .view
                        .consents(*id)
                        .into_iter()
                        .find(|c| c.id.as_uuid() == d.id);
                    if let Some(c) = redacted
                        && let Some(row) = self.row(*d, Some(&Change::ConsentRecord(c)), now)
                    {
                        batch.rows_put.push(row);
                    }
                }
                _ => {
                    if let Some(row) = self.row(*d, None, now) {
                        batch.rows_put.push(row);
                    }
                }
            }
        }
    }

    /// The row of one record as the view has it (`None`: deleted or unknown). `change` supplies the
    /// value of insert-once records, which the replica only lists by store or customer.
    fn row(&mut self, e: EntityRef, change: Option<&Change>, now: Timestamp) -> Option<RecordRow> {
        use orchid_core::ids::*;
        let store = self.meta.store_id;
        let offset = self.utc_offset();
        let mut keys = BTreeMap::new();
        let mut key = |k: &str, v: String| {
            keys.insert(k.to_owned(), v);
        };
        let json = match e.kind {
            EntityKind::Store => json(&self.view.store(StoreId(e.id))?),
            EntityKind::Staff => json(&self.view.staff_member(StaffId(e.id))?),
            EntityKind::Customer => {
                let id = CustomerId(e.id);
                self.search.take();
                let Some(c) = self.view.customer(id) else {
                    self.customers.remove(&id);
                    return None;
                };
                let k = CustomerKeys::of(&c);
                for (name, value) in k.row_keys() {
                    key(&name, value);
                }
                if c.store_id == store {
                    self.customers.insert(id, k);
                }
                json(&c)
            }
            EntityKind::SkinAssessment => {
                let Some(Change::SkinAssessmentAdd(a)) = change else {
                    return None;
                };
                if self.view.is_erased(a.customer_id) {
                    return None;
                }
                key("customer", a.customer_id.to_string());
                json(a)
            }
            EntityKind::Consent => {
                let Some(Change::ConsentRecord(c)) = change else {
                    return None;
                };
                key("customer", c.customer_id.to_string());
                json(c)
            }
            EntityKind::CatalogService => json(&self.view.catalog_service(ServiceId(e.id))?),
            EntityKind::Room => json(&self.view.room(RoomId(e.id))?),
            EntityKind::Appointment => {
                let a = self.view.appointment(AppointmentId(e.id))?;
                let day = offset.local_date(a.appointment.time.start).to_string();
                if let Some(t) = a.appointment.therapist_id {
                    key("therapist_day", format!("{t}|{day}"));
                }
                key("customer", a.appointment.customer_id.to_string());
                key("day", day);
                json(&a)
            }
            EntityKind::Waitlist => json(&self.view.waitlist_entry(WaitlistId(e.id))?),
            EntityKind::ServiceRecord => {
                let r = self.view.service_record(ServiceRecordId(e.id))?;
                key("customer", r.customer_id.to_string());
                json(&r)
            }
            EntityKind::Feedback => {
                let id = FeedbackId(e.id);
                let f = self.view.feedback(store).into_iter().find(|f| f.id == id)?;
                if let Some(c) = f.customer_id {
                    key("customer", c.to_string());
                }
                json(&f)
            }
            EntityKind::FollowUp => {
                let f = self.view.follow_up(FollowUpId(e.id))?;
                key("due", ms_key(f.due));
                key("customer", f.customer_id.to_string());
                json(&f)
            }
            EntityKind::Complaint => {
                let c = self.view.complaint(ComplaintId(e.id), now)?;
                key("state", json(&c.status).trim_matches('"').to_owned());
                if let Some(due) = c.deadline.due_at {
                    key("deadline", ms_key(due));
                }
                json(&c)
            }
            EntityKind::Product => json(&self.view.product(ProductId(e.id))?),
            EntityKind::Batch => match change {
                Some(Change::BatchAdd(b)) => json(b),
                _ => return None,
            },
            EntityKind::StockMovement => match change {
                Some(Change::StockMove(s)) => json(s),
                _ => return None,
            },
            // As the view has them (an erasure blanks their notes there).
            EntityKind::LoyaltyDelta => {
                let d = self.view.loyalty_delta(LoyaltyDeltaId(e.id))?;
                key("customer", d.customer_id.to_string());
                json(&d)
            }
            EntityKind::Audit => json(&self.view.audit_entry(AuditId(e.id))?),
            EntityKind::CheckTemplate => json(
                &self
                    .view
                    .check_templates(store)
                    .into_iter()
                    .find(|t| t.id.as_uuid() == e.id)?,
            ),
            EntityKind::Check => match change {
                Some(Change::CheckRecord(c)) => json(c),
                _ => return None,
            },
            EntityKind::CorrectiveAction => {
                json(&self.view.corrective_action(CorrectiveActionId(e.id))?)
            }
            EntityKind::ServiceTask => json(&self.view.service_task(ServiceTaskId(e.id))?),
            EntityKind::Checkout => {
                let c = self.view.checkout(CheckoutId(e.id))?;
                if let Some(customer) = c.checkout.customer_id {
                    key("customer", customer.to_string());
                }
                json(&c)
            }
        };
        Some(RecordRow {
            kind: e.kind,
            id: e.id,
            keys,
            json,
        })
    }

    /// The next push: the oldest pending mutations made by one actor (the server accepts a
    /// mutation only from the one who made it, so each push carries one person's changes), at most
    /// `max`. `None` if the outbox is empty.
    pub fn push_request(&self, max: usize) -> Option<(Actor, PushRequest)> {
        self.push_request_after(0, max)
    }

    /// The same, for the mutations after id `after` (those up to it were sent in this run and
    /// wait to come back confirmed by a pull).
    pub fn push_request_after(&self, after: u64, max: usize) -> Option<(Actor, PushRequest)> {
        let mut rest = self.pending.iter().filter(|m| m.mutation_id > after);
        let first = rest.next()?;
        let actor = first.actor;
        let mutations: Vec<Mutation> = std::iter::once(first)
            .chain(rest)
            .take_while(|m| m.actor == actor)
            .take(max.max(1))
            .cloned()
            .collect();
        Some((
            actor,
            PushRequest {
                format_version: FORMAT_VERSION,
                client_id: self.meta.client_id,
                mutations,
            },
        ))
    }

    /// Takes in a push response. Rejected mutations leave the outbox and are undone in the view;
    /// accepted ones stay pending until a pull brings them back confirmed.
    pub fn on_push_response(
        &mut self,
        resp: &PushResponse,
        now: Timestamp,
    ) -> Result<(PushReport, WriteBatch), SyncError> {
        check_version(resp.format_version)?;
        let mut report = PushReport::default();
        let mut batch = WriteBatch::default();
        for r in &resp.results {
            match &r.outcome {
                PushOutcome::Accepted | PushOutcome::Duplicate => {
                    report.accepted.push(r.mutation_id)
                }
                PushOutcome::Retry { .. } => report.retry.push(r.mutation_id),
                PushOutcome::Rejected { error } => {
                    if let Some(i) = self
                        .pending
                        .iter()
                        .position(|m| m.mutation_id == r.mutation_id)
                    {
                        let m = self.pending.remove(i);
                        batch.outbox_delete.push(m.mutation_id);
                        report.rejected.push((m, error.clone()));
                    }
                }
            }
        }
        if !report.rejected.is_empty() {
            self.rebuild_view();
            let changes: Vec<Change> = report
                .rejected
                .iter()
                .map(|(m, _)| m.change.clone())
                .collect();
            for c in &changes {
                self.rows_for(c, &[], now, &mut batch);
            }
        }
        Ok((report, batch))
    }

    /// The next pull.
    pub fn pull_request(&self, limit: u32) -> PullRequest {
        PullRequest {
            format_version: FORMAT_VERSION,
            client_id: self.meta.client_id,
            store_id: self.meta.store_id,
            cursor: self.deferred.cursor.or(self.meta.cursor),
            limit,
            colleagues: Vec::new(),
        }
    }

    /// Before a pull for `readers` (each with whether her role reads every record). The server
    /// sends a pull what its readers may read, and the cursor moves past the rest; a reader new to
    /// this device's pulls (a colleague who first signs in on a shared tablet) may read some of
    /// what was passed over — her own spot checks, a manager's complaints. So the pull starts
    /// again from the beginning, unless someone the device already pulled for reads everything.
    /// What the device holds stays; the changes come again and only those new to it are taken in
    /// (a field the server had cut from a change the device already holds does not come back).
    /// Returns the device record to store, when it changed.
    pub fn pull_for(&mut self, readers: &[(StaffId, bool)]) -> Option<WriteBatch> {
        if readers
            .iter()
            .all(|(staff, _)| self.meta.pulled_for.contains_key(staff))
        {
            return None;
        }
        let covered = self.meta.pulled_for.values().any(|everything| *everything);
        let pulled = self.deferred.cursor.or(self.meta.cursor).is_some();
        if pulled && !covered {
            self.meta.cursor = None;
            self.deferred = DeferredPull::default();
        }
        self.meta.pulled_for.extend(readers.iter().copied());
        Some(WriteBatch {
            meta: Some(self.meta.clone()),
            ..WriteBatch::default()
        })
    }

    /// Takes in a pull response at wall time `now`: applies the changes to the confirmed replica and
    /// the view, advances the cursor and the clock, drops pending mutations the server processed, and
    /// returns the batch: the log page, the outbox deletions, the rows touched, the device record
    /// (and a snapshot when the log is long or a customer was erased).
    ///
    /// A page with more to come (`has_more`: a long pull, such as a new device's first) is
    /// *deferred*: its rows are written, so the screens fill as it arrives, but it is not logged,
    /// the outbox keeps what it confirmed and the stored cursor stays; the pull's last page stores
    /// all of it at once, as one snapshot (or, for a pull short of [`COMPACT_AFTER`], one log
    /// page). Logging pages that the snapshot at the end replaces cost an initial sync a third of
    /// its time. A tab closed in between pulls those pages again from the stored cursor (the rows
    /// written meanwhile are only rewritten); an erasure, or [`PULL_CHECKPOINT_AFTER`] changes,
    /// store the pull so far at once.
    pub fn on_pull_response(
        &mut self,
        resp: &PullResponse,
        now: Timestamp,
    ) -> Result<(PullReport, WriteBatch), SyncError> {
        check_version(resp.format_version)?;
        let mut report = PullReport {
            has_more: resp.has_more,
            ..Default::default()
        };
        let mut batch = WriteBatch::default();
        // The changes whose rows are written below (by index, not cloned: an initial sync is
        // thousands of them), with the records an erasure takes along.
        let mut touched: Vec<(&Change, Vec<EntityRef>)> = Vec::new();
        let mut erased = false;
        for c in &resp.changes {
            let _ = self.meta.clock.observe(c.mutation.hlc, now);
            let dependents = self.erase_dependents(&c.mutation.change);
            match self.confirmed.apply(&c.mutation) {
                Ok(Applied::Duplicate) => report.duplicates += 1,
                Ok(Applied::Merged { .. }) => report.applied += 1,
                Err(e) => {
                    report.skipped.push((c.cursor.0, e));
                    continue;
                }
            }
            erased |= matches!(c.mutation.change, Change::CustomerErase { .. });
            // The view already holds this device's own pending changes, and their rows were
            // written when they were made: a pull that only confirms them leaves every row as it
            // is, so only changes new to the view are written again (a drain of 500 customers
            // would otherwise put 500 rows and their five index entries each a second time).
            if !matches!(self.view.apply(&c.mutation), Ok(Applied::Duplicate)) {
                touched.push((&c.mutation.change, dependents));
            }
        }
        let progress = match self.deferred.cursor.or(self.meta.cursor) {
            Some(c) if c >= resp.cursor => c,
            _ => resp.cursor,
        };
        let before = self.pending.len();
        let mut undone: Vec<Change> = Vec::new();
        let mut deferred_delete: Vec<u64> = Vec::new();
        let confirmed = &self.confirmed;
        self.pending.retain(|m| {
            if confirmed.has_applied(m.client_id, m.mutation_id) {
                if resp.has_more {
                    deferred_delete.push(m.mutation_id);
                } else {
                    batch.outbox_delete.push(m.mutation_id);
                }
                return false;
            }
            if m.mutation_id <= resp.last_mutation_id && !resp.has_more {
                batch.outbox_delete.push(m.mutation_id);
                undone.push(m.change.clone());
                return false;
            }
            true
        });
        report.confirmed = before - self.pending.len();
        if !undone.is_empty() {
            self.rebuild_view();
        }
        for (change, dependents) in touched {
            self.rows_for(change, &dependents, now, &mut batch);
        }
        for change in &undone {
            self.rows_for(change, &[], now, &mut batch);
        }
        let count = resp.changes.len() as u64;
        self.deferred.cursor = Some(progress);
        self.deferred.count += count;
        self.deferred.outbox_delete.append(&mut deferred_delete);
        let logged = self.meta.log_changes + self.deferred.count;
        if resp.has_more && !erased && self.deferred.count < PULL_CHECKPOINT_AFTER {
            // Deferred: only the rows (which the pull from the stored cursor writes again if they
            // are lost). The changes are kept while the end may have to log them.
            batch.settle_later = true;
            if logged < COMPACT_AFTER {
                self.deferred.changes.extend(resp.changes.iter().cloned());
            } else {
                self.deferred.changes = Vec::new();
            }
            return Ok((report, batch));
        }
        // The pull so far is stored now: the cursor, the outbox deletions, and the changes as a
        // snapshot (the log is long, or a customer was erased and their data must leave the log
        // now) or as one log page (a snapshot covers that page: it is not written just to be
        // deleted in the same transaction).
        let deferred = std::mem::take(&mut self.deferred);
        self.meta.cursor = deferred.cursor;
        batch.outbox_delete.extend(deferred.outbox_delete);
        if deferred.count > 0 {
            self.meta.last_page += 1;
        }
        if erased || logged >= COMPACT_AFTER {
            batch.snapshot = Some(self.snapshot());
            self.meta.log_changes = 0;
        } else if deferred.count > 0 {
            let mut changes = deferred.changes;
            changes.extend(resp.changes.iter().cloned());
            batch.log_page = Some(LogPage {
                page: self.meta.last_page,
                changes,
            });
            self.meta.log_changes = logged;
        }
        batch.meta = Some(self.meta.clone());
        Ok((report, batch))
    }

    /// A long pull in progress is stored with a snapshot written now: its cursor moves to where
    /// the pull has got to and its outbox deletions join `batch`.
    fn settle_deferred_pull(&mut self, batch: &mut WriteBatch) {
        let deferred = std::mem::take(&mut self.deferred);
        if let Some(cursor) = deferred.cursor {
            self.meta.cursor = Some(cursor);
        }
        batch.outbox_delete.extend(deferred.outbox_delete);
    }

    /// The confirmed replica as a snapshot replacing every log page so far.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            through_page: self.meta.last_page,
            replica_json: json(&self.confirmed),
        }
    }

    /// The records that may leave this device at `now`: appointments, service records and feedback
    /// older than the store's `device_history_months`, that the server has (they are in the
    /// confirmed replica, which only pulls fill) and that no pending mutation touches. A standalone
    /// device keeps everything: it is the only copy.
    pub fn evictable(&self, now: Timestamp) -> Vec<EntityRef> {
        if self.meta.pairing == Pairing::Standalone {
            return Vec::new();
        }
        let store = self.meta.store_id;
        let months = self
            .view
            .store(store)
            .map_or(12, |s| s.settings.device_history_months)
            .max(1);
        let Some(cutoff) = now.checked_sub_months(chrono::Months::new(months)) else {
            return Vec::new();
        };
        let touched: BTreeSet<EntityRef> = self.pending.iter().map(|m| m.change.entity()).collect();
        let c = &self.confirmed;
        let appointments = c
            .appointments(store)
            .into_iter()
            .filter(|a| a.appointment.time.end < cutoff)
            .map(|a| EntityRef::new(EntityKind::Appointment, a.appointment.id));
        let records = c
            .service_records(store)
            .into_iter()
            .filter(|r| r.opened_at < cutoff)
            .map(|r| EntityRef::new(EntityKind::ServiceRecord, r.id));
        let feedback = c
            .feedback(store)
            .into_iter()
            .filter(|f| f.submitted_at < cutoff)
            .map(|f| EntityRef::new(EntityKind::Feedback, f.id));
        appointments
            .chain(records)
            .chain(feedback)
            .filter(|e| !touched.contains(e))
            .collect()
    }

    /// Evicts [`evictable`](Self::evictable) records from this device: out of the confirmed
    /// replica and the view, their rows deleted, and a snapshot of the confirmed replica replacing
    /// the log (the log still holds them). `None` if there is nothing to evict.
    pub fn evict_old(&mut self, now: Timestamp) -> Option<(usize, WriteBatch)> {
        let evict = self.evictable(now);
        if evict.is_empty() {
            return None;
        }
        for e in &evict {
            self.confirmed.evict(*e);
        }
        self.rebuild_view();
        self.meta.log_changes = 0;
        let mut batch = WriteBatch {
            snapshot: Some(self.snapshot()),
            rows_delete: evict.iter().map(|e| (e.kind, e.id)).collect(),
            ..Default::default()
        };
        // The snapshot holds a long pull's deferred pages too.
        self.settle_deferred_pull(&mut batch);
        batch.meta = Some(self.meta.clone());
        Some((evict.len(), batch))
    }

    /// Registers the device with a server's store, made by `by` (a manager or owner who signed in).
    ///
    /// If the device already holds that store, only its pairing changes. A standalone device holding
    /// its own store is **re-homed**: its pending mutations are moved to the server's store and made
    /// in the name of `by` (the records made alone keep their ids and content), the device takes a
    /// new client id so its mutation ids start again from 1, and mutations the new actor may not make
    /// are dropped and returned, with the reason.
    pub fn pair(
        &mut self,
        store_id: StoreId,
        by: Actor,
        by_name: String,
        at: Timestamp,
        new_client: ClientId,
        keep_records: bool,
    ) -> (WriteBatch, Vec<(Mutation, ValidationError)>) {
        let pairing = Pairing::Paired {
            by: by.staff_id,
            by_name,
            at: at.to_rfc3339(),
        };
        if store_id == self.meta.store_id {
            self.meta.pairing = pairing;
            return (
                WriteBatch {
                    meta: Some(self.meta.clone()),
                    ..Default::default()
                },
                Vec::new(),
            );
        }
        let from_store = self.meta.store_id;
        let owner = self.meta.owner.staff_id;
        let mut meta = DeviceMeta::fresh(new_client, store_id, owner);
        meta.pairing = pairing;
        meta.owner = self.meta.owner;
        meta.clock = orchid_core::hlc::HlcClock::new(new_client);
        let _ = meta.clock.observe(self.meta.clock.last(), at);
        let mut view = Replica::new();
        let mut kept = Vec::new();
        let mut dropped = Vec::new();
        // A device that held the demo store leaves its invented records behind: the real store's
        // records come from the server.
        let moving = if keep_records {
            std::mem::take(&mut self.pending)
        } else {
            Vec::new()
        };
        for m in moving {
            // The store's own settings come from the server; the standalone store record stays behind.
            if matches!(&m.change, Change::StoreUpsert { id, .. } if *id == from_store) {
                continue;
            }
            let change = rehome_change(
                &m.change,
                [
                    (from_store.0, store_id.0),
                    (owner.0, by.staff_id.0),
                    (m.client_id.0, new_client.0),
                ],
                by,
            );
            let Ok(hlc) = meta.clock.tick(at) else {
                continue;
            };
            let moved = Mutation {
                client_id: new_client,
                mutation_id: meta.next_mutation_id,
                hlc,
                actor: by,
                store_id,
                change,
            };
            match view.apply(&moved) {
                Ok(_) => {
                    meta.next_mutation_id += 1;
                    kept.push(moved);
                }
                Err(e) => dropped.push((m, e)),
            }
        }
        self.meta = meta;
        self.pending = kept;
        self.confirmed = Replica::new();
        self.deferred = DeferredPull::default();
        self.view = view;
        self.reindex_customers();
        let batch = WriteBatch {
            meta: Some(self.meta.clone()),
            outbox_clear: true,
            outbox_put: self.pending.clone(),
            clear_records: true,
            rows_put: self.all_rows(at),
            ..Default::default()
        };
        (batch, dropped)
    }

    /// Back to standalone: the device keeps its records and outbox and stops syncing.
    pub fn unpair(&mut self) -> WriteBatch {
        self.meta.pairing = Pairing::Standalone;
        WriteBatch {
            meta: Some(self.meta.clone()),
            ..Default::default()
        }
    }

    /// Every record row of the view (after a restore or re-homing).
    pub fn all_rows(&mut self, now: Timestamp) -> Vec<RecordRow> {
        let mut rows = Vec::new();
        // Insert-once records are rebuilt from the mutations that made them, newest state first.
        let mut seen: BTreeSet<(EntityKind, Uuid)> = BTreeSet::new();
        let changes: Vec<Change> = self
            .pending
            .iter()
            .map(|m| m.change.clone())
            .chain(
                self.all_refs()
                    .into_iter()
                    .map(|e| Change::Delete { entity: e }),
            )
            .collect();
        for c in &changes {
            let e = match c {
                Change::Delete { entity } => *entity,
                other => other.entity(),
            };
            if !seen.insert((e.kind, e.id)) {
                continue;
            }
            let change = if matches!(c, Change::Delete { .. }) {
                None
            } else {
                Some(c)
            };
            if let Some(row) = self.row(e, change, now) {
                rows.push(row);
            }
        }
        rows
    }

    /// References to every editable or logged record of the store that the replica can list.
    fn all_refs(&self) -> Vec<EntityRef> {
        let s = self.meta.store_id;
        let v = &self.view;
        let mut refs: Vec<EntityRef> = Vec::new();
        refs.extend(
            v.stores()
                .iter()
                .map(|x| EntityRef::new(EntityKind::Store, x.id)),
        );
        refs.extend(
            v.staff(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Staff, x.id)),
        );
        refs.extend(
            v.customers(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Customer, x.id)),
        );
        refs.extend(
            v.catalog(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::CatalogService, x.id)),
        );
        refs.extend(
            v.rooms(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Room, x.id)),
        );
        refs.extend(
            v.appointments(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Appointment, x.appointment.id)),
        );
        refs.extend(
            v.waitlist(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Waitlist, x.id)),
        );
        refs.extend(
            v.service_records(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::ServiceRecord, x.id)),
        );
        refs.extend(
            v.feedback(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Feedback, x.id)),
        );
        refs.extend(
            v.follow_ups(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::FollowUp, x.id)),
        );
        refs.extend(
            v.products(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Product, x.id)),
        );
        refs.extend(
            v.service_tasks(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::ServiceTask, x.id)),
        );
        refs.extend(
            v.checkouts(s)
                .iter()
                .map(|x| EntityRef::new(EntityKind::Checkout, x.checkout.id)),
        );
        refs
    }

    /// Rebuilds the view from the confirmed replica and the outbox.
    fn rebuild_view(&mut self) {
        let mut view = self.confirmed.clone();
        for m in &self.pending {
            let _ = view.apply(m);
        }
        self.view = view;
        self.reindex_customers();
    }

    /// The customer's search keys, if on file.
    pub fn keys_of(&self, id: CustomerId) -> Option<&CustomerKeys> {
        self.customers.get(&id)
    }

    /// A customer of the view.
    pub fn customer(&self, id: CustomerId) -> Option<Customer> {
        self.view.customer(id)
    }
}

/// Moves a change from the standalone store to the server's, made by `by` instead of the device
/// owner: every occurrence of the old store, owner and client ids is replaced (`swaps`), and the
/// roles written in the payload become `by`'s.
#[cfg(test)]
mod tests;

fn rehome_change(change: &Change, swaps: [(Uuid, Uuid); 3], by: Actor) -> Change {
    let Ok(mut value) = serde_json::to_value(change) else {
        return change.clone();
    };
    let swaps: Vec<(String, String)> = swaps
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    fn walk(v: &mut serde_json::Value, f: &dyn Fn(&str) -> Option<String>) {
        match v {
            serde_json::Value::String(s) => {
                if let Some(n) = f(s) {
                    *s = n;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, f)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| walk(x, f)),
            _ => {}
        }
    }
    walk(&mut value, &|s| {
        swaps
            .iter()
            .find(|(from, _)| from == s)
            .map(|(_, to)| to.clone())
    });
    let Ok(mut moved) = serde_json::from_value::<Change>(value) else {
        return change.clone();
    };
    let role = by.role;
    match &mut moved {
        Change::AppointmentStatus { change, .. } => change.role = role,
        Change::ServiceRecordEntry(e) => e.role = role,
        Change::ComplaintEvent(e) => e.role = role,
        Change::AuditAppend(a) => a.role = role,
        _ => {}
    }
    moved
}
