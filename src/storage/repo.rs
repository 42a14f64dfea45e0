//! The repository interface: what the device keeps, and the one way to change it (an atomic
//! [`WriteBatch`]). Two implementations run the same behavioural tests: [`super::memory::MemoryRepo`]
//! (native and wasm, for fast tests of state logic) and `super::idb::IdbRepo` (IndexedDB, wasm only).
//!
//! What is stored (the same in both):
//! * **meta** — one [`DeviceMeta`]: this device's client id, its store, the next mutation id, the
//!   hybrid logical clock, the pull cursor, pairing, the device owner.
//! * **outbox** — pending [`Mutation`]s by mutation id, oldest first. A mutation leaves it only when
//!   the server has confirmed (a pull brought it back) or rejected it.
//! * **log** — confirmed changes, as pulled from the server, in pages ([`LogPage`]), plus an optional
//!   **snapshot** of the confirmed replica that replaces the pages before it (compaction).
//!   Snapshot + log + outbox are the source of truth: the in-memory replicas are rebuilt from them.
//! * **records** — one row per record ([`RecordRow`]), by kind, with the keys the screens look up
//!   (customers by name, pinyin initials, phone, member number; appointments by day, therapist and
//!   day, customer; …). A projection of the view (confirmed + pending), written in the same
//!   transaction as the change that produced it, so it is never out of step.
//!
//! Every write goes through [`Repository::commit`], in one transaction: all of it or nothing.
use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use orchid_core::hlc::HlcClock;
use orchid_core::ids::{ClientId, EntityKind, StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::{Actor, Cursor, Mutation, PulledChange};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Msg;

/// The version of the device store's layout (IndexedDB schema + data format). Each step from an
/// earlier version is a numbered migration (see `storage::idb::migrations`) tested from every
/// earlier version.
pub const SCHEMA_VERSION: u32 = 9;

/// How the device relates to a server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Pairing {
    /// No server: the app works alone. Changes are made by the device owner (see [`DeviceMeta`])
    /// in a store made on this device, and wait in the outbox in case the device is paired later.
    Standalone,
    /// Registered with the server that serves the app (same origin) by a manager's or owner's
    /// sign-in. Changes are made by whoever is signed in and pushed with their token.
    Paired {
        /// The staff member who paired the device.
        by: StaffId,
        /// Their name, for Settings.
        by_name: String,
        /// When (RFC 3339).
        at: String,
    },
}

/// The device's own record: identity, clock, position in the server's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceMeta {
    /// The layout version this record was written with.
    pub schema_version: u32,
    /// This device (the sync "client"); made once, never changes.
    pub client_id: ClientId,
    /// The store whose records this device holds.
    pub store_id: StoreId,
    /// The id of the next local mutation (from 1, no gaps).
    pub next_mutation_id: u64,
    /// The hybrid logical clock, persisted so it never goes back.
    pub clock: HlcClock,
    /// The last cursor pulled.
    pub cursor: Option<Cursor>,
    /// Standalone or paired.
    pub pairing: Pairing,
    /// The device owner: the actor of changes made while the device is standalone (an owner of the
    /// store made on this device).
    pub owner: Actor,
    /// How many confirmed changes the log holds past the snapshot (to decide compaction).
    #[serde(default)]
    pub log_changes: u64,
    /// The highest log page number written.
    #[serde(default)]
    pub last_page: u64,
    /// The people this device's pulls have been for (the person at it and the others signed in
    /// on it), each with whether her role reads every record: a new one may read what earlier
    /// pulls left out (see `Device::pull_for`).
    #[serde(default)]
    pub pulled_for: BTreeMap<StaffId, bool>,
}

impl DeviceMeta {
    /// A fresh device: standalone, with its own store and owner.
    pub fn fresh(client_id: ClientId, store_id: StoreId, owner: StaffId) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            client_id,
            store_id,
            next_mutation_id: 1,
            clock: HlcClock::new(client_id),
            cursor: None,
            pairing: Pairing::Standalone,
            owner: Actor {
                staff_id: owner,
                role: Role::Owner,
            },
            log_changes: 0,
            last_page: 0,
            pulled_for: BTreeMap::new(),
        }
    }
}

/// One page of confirmed changes, as pulled (kept in pull order; pages are numbered from 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogPage {
    /// Page number (increasing).
    pub page: u64,
    /// The changes.
    pub changes: Vec<PulledChange>,
}

/// The confirmed replica, serialized, replacing every log page up to `through_page`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Pages folded into it.
    pub through_page: u64,
    /// `orchid_core::sync::Replica` as JSON.
    pub replica_json: String,
}

/// One record as stored in its kind's object store: its id, the keys its indexes use, and the
/// record itself as JSON (the view's materialized record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    /// Kind (which object store).
    pub kind: EntityKind,
    /// Id.
    pub id: Uuid,
    /// Index keys: index name → key (see [`index_names`]).
    pub keys: BTreeMap<String, String>,
    /// The record, JSON.
    pub json: String,
}

/// The indexes of each kind's object store (the names of [`RecordRow::keys`]).
pub fn index_names(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Customer => &["name", "initials", "phone", "phone4", "member"],
        EntityKind::Appointment => &["day", "therapist_day", "customer"],
        EntityKind::ServiceRecord | EntityKind::Feedback => &["customer"],
        EntityKind::Complaint => &["state", "deadline"],
        EntityKind::FollowUp => &["due", "customer"],
        EntityKind::SkinAssessment
        | EntityKind::Consent
        | EntityKind::LoyaltyDelta
        | EntityKind::Checkout => &["customer"],
        _ => &[],
    }
}

/// Every kind, in a stable order (one object store each).
pub const ALL_KINDS: [EntityKind; 23] = [
    EntityKind::Store,
    EntityKind::Staff,
    EntityKind::Customer,
    EntityKind::SkinAssessment,
    EntityKind::Consent,
    EntityKind::CatalogService,
    EntityKind::Room,
    EntityKind::Appointment,
    EntityKind::Waitlist,
    EntityKind::ServiceRecord,
    EntityKind::Feedback,
    EntityKind::FollowUp,
    EntityKind::Complaint,
    EntityKind::Product,
    EntityKind::Batch,
    EntityKind::StockMovement,
    EntityKind::LoyaltyDelta,
    EntityKind::Audit,
    EntityKind::CheckTemplate,
    EntityKind::Check,
    EntityKind::CorrectiveAction,
    EntityKind::ServiceTask,
    EntityKind::Checkout,
];

/// The layout version whose object stores first held `kind`.
pub fn kind_since(kind: EntityKind) -> u32 {
    match kind {
        EntityKind::CheckTemplate | EntityKind::Check | EntityKind::CorrectiveAction => 7,
        EntityKind::ServiceTask => 8,
        EntityKind::Checkout => 9,
        _ => 1,
    }
}

/// The object store of a kind (`rec_customer`, …).
pub fn store_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Store => "rec_store",
        EntityKind::Staff => "rec_staff",
        EntityKind::Customer => "rec_customer",
        EntityKind::SkinAssessment => "rec_skin_assessment",
        EntityKind::Consent => "rec_consent",
        EntityKind::CatalogService => "rec_catalog_service",
        EntityKind::Room => "rec_room",
        EntityKind::Appointment => "rec_appointment",
        EntityKind::Waitlist => "rec_waitlist",
        EntityKind::ServiceRecord => "rec_service_record",
        EntityKind::Feedback => "rec_feedback",
        EntityKind::FollowUp => "rec_follow_up",
        EntityKind::Complaint => "rec_complaint",
        EntityKind::Product => "rec_product",
        EntityKind::Batch => "rec_batch",
        EntityKind::StockMovement => "rec_stock_movement",
        EntityKind::LoyaltyDelta => "rec_loyalty_delta",
        EntityKind::Audit => "rec_audit",
        EntityKind::CheckTemplate => "rec_check_template",
        EntityKind::Check => "rec_check",
        EntityKind::CorrectiveAction => "rec_corrective_action",
        EntityKind::ServiceTask => "rec_service_task",
        EntityKind::Checkout => "rec_checkout",
    }
}

/// Everything one atomic write changes. Built by the device engine (`sync::device`), committed by
/// [`Repository::commit`] in one transaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteBatch {
    /// The device record, if it changed (clock, next id, cursor, pairing…).
    pub meta: Option<DeviceMeta>,
    /// Mutations to add to the outbox.
    pub outbox_put: Vec<Mutation>,
    /// Mutation ids to remove from the outbox (confirmed or rejected).
    pub outbox_delete: Vec<u64>,
    /// Replace the whole outbox with `outbox_put` (re-homing at pairing, restore).
    pub outbox_clear: bool,
    /// A page of confirmed changes to append to the log.
    pub log_page: Option<LogPage>,
    /// A snapshot that replaces the log pages up to its `through_page`.
    pub snapshot: Option<Snapshot>,
    /// Remove every record row, log page and snapshot first (restore, re-homing).
    pub clear_records: bool,
    /// Record rows to write (insert or replace).
    pub rows_put: Vec<RecordRow>,
    /// Record rows to remove (deleted or erased records).
    pub rows_delete: Vec<(EntityKind, Uuid)>,
    /// The batch only writes rows that a later pull writes again if they are lost (a long pull's
    /// pages before its last): the repository may return before they are stored, so the next
    /// page is taken in meanwhile. If storing them fails, the next commit fails with that error
    /// and writes nothing; the caller then reloads from what is stored, as after any failure.
    pub settle_later: bool,
}

impl WriteBatch {
    /// True if the batch writes rows only (see [`settle_later`](Self::settle_later)).
    pub fn is_rows_only(&self) -> bool {
        self.meta.is_none()
            && self.outbox_put.is_empty()
            && self.outbox_delete.is_empty()
            && !self.outbox_clear
            && self.log_page.is_none()
            && self.snapshot.is_none()
            && !self.clear_records
    }

    /// True if nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.is_rows_only() && self.rows_put.is_empty() && self.rows_delete.is_empty()
    }

    /// True for a batch of local mutations: records put or deleted, outbox mutations added, the
    /// device record — nothing taken out of the outbox, no log, no clearing. Such batches can be
    /// written one after another in one transaction ([`Repository::commit_stream`]).
    pub fn is_plain(&self) -> bool {
        !self.settle_later
            && self.outbox_delete.is_empty()
            && !self.outbox_clear
            && !self.clear_records
            && self.log_page.is_none()
            && self.snapshot.is_none()
    }

    /// True if `later` can be appended to this batch and committed in the same transaction with
    /// the same result as two commits: both are plain mutation batches.
    pub fn can_absorb(&self, later: &WriteBatch) -> bool {
        self.is_plain() && later.is_plain()
    }

    /// Appends `later` (see [`can_absorb`](Self::can_absorb)) as if it were committed after
    /// this one: a record it deletes loses this batch's version of it, a record it puts is
    /// written after this batch's rows (a commit deletes before it puts), so the later version
    /// of a record wins; the device record is the later one.
    pub fn absorb(&mut self, later: WriteBatch) {
        if later.meta.is_some() {
            self.meta = later.meta;
        }
        self.outbox_put.extend(later.outbox_put);
        if !later.rows_delete.is_empty() {
            let gone: BTreeSet<(EntityKind, Uuid)> = later.rows_delete.iter().copied().collect();
            self.rows_put.retain(|r| !gone.contains(&(r.kind, r.id)));
            self.rows_delete.extend(later.rows_delete);
        }
        self.rows_put.extend(later.rows_put);
    }
}

/// What the device holds, read at start to rebuild the in-memory state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// The device record (none on a fresh device).
    pub meta: Option<DeviceMeta>,
    /// The latest snapshot, if any.
    pub snapshot: Option<Snapshot>,
    /// Log pages after the snapshot, in page order.
    pub log: Vec<LogPage>,
    /// The outbox, oldest first.
    pub outbox: Vec<Mutation>,
}

/// How much the browser lets this site keep, and whether it may evict it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StorageEstimate {
    /// Bytes used by this site.
    pub usage: Option<f64>,
    /// Bytes this site may use.
    pub quota: Option<f64>,
    /// The browser promised not to evict this site's data.
    pub persisted: Option<bool>,
}

/// Why the device store could not do something. Each variant names the failing operation; every
/// one has a sentence for the user ([`StoreError::msg`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The browser has no IndexedDB (private mode of some browsers, disabled storage).
    #[error("IndexedDB is not available: {0}")]
    Unavailable(String),
    /// Opening or upgrading the database failed.
    #[error("could not open the device store: {0}")]
    Open(String),
    /// Another tab opened a newer version of the store; this tab must reload.
    #[error("a newer version of the app is open in another tab")]
    VersionChanged,
    /// The device is full (QuotaExceededError): nothing was written.
    #[error("the device storage is full")]
    QuotaExceeded,
    /// Reading failed.
    #[error("could not read the device store: {0}")]
    Read(String),
    /// Writing failed (the transaction was aborted: nothing was written).
    #[error("could not write to the device store: {0}")]
    Write(String),
    /// Stored data could not be decoded (a bug or a damaged store).
    #[error("stored data could not be read back: {0}")]
    Corrupt(String),
    /// The change broke a rule of the core (permission, field check); carries the stable code.
    #[error("the change was refused: {code}")]
    Rejected {
        /// `ValidationError::code()`, e.g. `permission.denied`.
        code: &'static str,
        /// The error itself, for pages that show details.
        error: Box<orchid_core::ValidationError>,
    },
    /// Nobody is signed in on a paired device, so no one can make the change.
    #[error("sign in to make changes on this paired device")]
    SignInRequired,
    /// The store has not finished loading yet.
    #[error("the device store is still loading")]
    NotReady,
    /// A backup file that is not one of ours, or of a newer version.
    #[error("not a backup this version can restore: {0}")]
    BadBackup(String),
}

impl StoreError {
    /// What to tell the user, in their language.
    pub fn msg(&self) -> Msg {
        match self {
            Self::Unavailable(_) => Msg::StoreUnavailable,
            Self::Open(_) => Msg::StoreOpenFailed,
            Self::VersionChanged => Msg::StoreVersionChanged,
            Self::QuotaExceeded => Msg::StoreQuotaExceeded,
            Self::Read(_) | Self::Corrupt(_) => Msg::StoreReadFailed,
            Self::Write(_) => Msg::StoreWriteFailed,
            Self::Rejected { error, .. } => crate::i18n::errors::validation_msg(error),
            Self::SignInRequired => Msg::StoreSignInRequired,
            Self::NotReady => Msg::StoreNotReady,
            Self::BadBackup(_) => Msg::BackupInvalid,
        }
    }
}

impl From<orchid_core::ValidationError> for StoreError {
    fn from(error: orchid_core::ValidationError) -> Self {
        Self::Rejected {
            code: error.code(),
            error: Box::new(error),
        }
    }
}

/// The device's durable store. Not `Send`: browser storage lives on one thread.
///
/// Implementations must make [`commit`](Repository::commit) atomic (all or nothing) and keep the
/// outbox in mutation-id order.
#[async_trait(?Send)]
pub trait Repository {
    /// Reads everything needed to rebuild the device's state (meta, snapshot, log, outbox).
    async fn load(&self) -> Result<Loaded, StoreError>;
    /// Writes a batch atomically: all of it, or nothing (and the error says why).
    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError>;
    /// Writes the batches `next` makes, one after another, atomically as one: all of them, or
    /// nothing. Each must be a plain mutation batch (see [`WriteBatch::can_absorb`]); an `Err`
    /// from `next` (a change the core refused) writes nothing and is returned. IndexedDB starts
    /// storing each batch while `next` makes the following ones; here they are absorbed and
    /// committed once.
    async fn commit_stream(
        &self,
        next: &mut dyn FnMut() -> Option<Result<WriteBatch, StoreError>>,
    ) -> Result<(), StoreError> {
        let mut all: Option<WriteBatch> = None;
        while let Some(batch) = next() {
            let batch = batch?;
            if !batch.is_plain() {
                return Err(StoreError::Write("not a plain mutation batch".into()));
            }
            match all.as_mut() {
                None => all = Some(batch),
                Some(open) => open.absorb(batch),
            }
        }
        match all {
            Some(batch) => self.commit(batch).await,
            None => Ok(()),
        }
    }
    /// The outbox, oldest first (at most `limit`).
    async fn outbox(&self, limit: u32) -> Result<Vec<Mutation>, StoreError>;
    /// One record row.
    async fn row(&self, kind: EntityKind, id: Uuid) -> Result<Option<RecordRow>, StoreError>;
    /// Rows of a kind whose index `index` has a key starting with `prefix` (an empty prefix: all),
    /// in key order, at most `limit`.
    async fn rows_by_prefix(
        &self,
        kind: EntityKind,
        index: &str,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError>;
    /// Rows of a kind whose index `index` has exactly `key`, at most `limit`, read through the
    /// index (a key range), never by scanning the kind's rows.
    async fn rows_by_key(
        &self,
        kind: EntityKind,
        index: &str,
        key: &str,
        limit: u32,
    ) -> Result<Vec<RecordRow>, StoreError>;
    /// How many rows a kind has.
    async fn count(&self, kind: EntityKind) -> Result<u32, StoreError>;

    /// The appointments of a local day of the store, through the `day` index.
    async fn appointments_on(&self, day: chrono::NaiveDate) -> Result<Vec<RecordRow>, StoreError> {
        self.rows_by_key(EntityKind::Appointment, "day", &day.to_string(), u32::MAX)
            .await
    }
}
