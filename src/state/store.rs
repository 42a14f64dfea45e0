//! The device's store, as components use it: [`use_store`] → [`StoreHandle`].
//!
//! # Reading
//! Reads are **synchronous** and come from the in-memory view (the confirmed replica plus pending
//! changes) that was rebuilt from IndexedDB at start and is kept in step with it. Each read tracks
//! [`StoreHandle::revision`], so a closure or `Memo` that reads re-runs after any write, any pull and
//! any change made in another tab:
//!
//! ```text
//! let store = use_store();
//! let query = RwSignal::new(String::new());
//! let hits = Memo::new(move |_| store.search_customers(&query.get(), 50));
//! view! { <For each=move || hits.get() key=|c| c.id let:c> … </For> }
//! ```
//!
//! Before the store has loaded ([`StoreHandle::ready`] is false) reads return nothing (empty lists,
//! `None`); show a loading state with `ready`. If loading failed, [`StoreHandle::open_error`] says
//! why (a [`Msg`] to show).
//!
//! # Writing
//! [`StoreHandle::mutate`] takes an [`orchid_core::sync::Change`]. It checks it with the core's
//! rules as the acting staff member ([`StoreHandle::actor`]), writes the changed record(s) and the
//! outbox mutation in **one** IndexedDB transaction, then bumps `revision`. Use it from
//! `Action::new_local`:
//!
//! ```text
//! let save = Action::new_local(move |change: &Change| {
//!     let change = change.clone();
//!     async move { store.mutate(change).await }
//! });
//! // save.value(): Some(Err(e)) → show i18n.t(e.msg()) (or the core's code for field errors)
//! ```
//!
//! Ids of new records are made with [`new_id`] (UUIDv7).
//!
//! # Who acts
//! * Signed in (the session from sign-in, kept on the device): that staff member in their role,
//!   also offline. Pushed changes carry their token.
//! * Nobody signed in on a **standalone** device (never paired with a server): the **device
//!   owner**, an owner-role actor made on first start with its own store, so the app works fully
//!   alone. When a manager later signs in, the device is paired and what was made alone moves to
//!   the server's store (see `sync::device::Device::pair`).
//! * Nobody signed in on a paired device: writes fail with [`StoreError::SignInRequired`].
//!
//! Customer reads are filtered for the acting role (`Customer::visible_to`): sensitive fields are
//! empty for roles that may not read them.
use std::cell::RefCell;
use std::rc::Rc;

use chrono::{NaiveDate, Utc};
use futures::lock::Mutex;
use leptos::prelude::*;
use orchid_core::appointment::Conflict;
use orchid_core::catalog::CatalogService;
use orchid_core::complaint::ComplaintView;
use orchid_core::customer::{Customer, SkinAssessment};
use orchid_core::feedback::Feedback;
use orchid_core::followup::FollowUp;
use orchid_core::ids::{AppointmentId, ClientId, ComplaintId, CustomerId, StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::room::Room;
use orchid_core::service_record::ServiceRecord;
use orchid_core::staff::Staff;
use orchid_core::store::Store;
use orchid_core::sync::{Actor, AppointmentView, Change, Mutation, Replica};
use orchid_core::text::Name;
use orchid_core::time::{Timestamp, UtcOffset};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::storage::repo::{DeviceMeta, Pairing, Repository, StoreError};
use crate::storage::search::fold_query;
use crate::storage::settings::Session;
use crate::sync::device::Device;

/// Ids of new records (UUIDv7), made in `storage` so that the layers below `state` can make them
/// too.
pub use crate::storage::new_id;

/// The store's UTC offset (China's while the store is not known yet).
pub fn store_offset(store: StoreHandle) -> UtcOffset {
    store
        .store()
        .map(|s| s.utc_offset)
        .unwrap_or(UtcOffset::CHINA)
}

/// The store record, or the defaults of a store that has none yet (a fresh device).
pub fn store_record(store: StoreHandle) -> Option<Store> {
    store.store().or_else(|| {
        let id = store.store_id()?;
        let name = Name::parse("Orchid").ok()?;
        Some(Store::new(id, name))
    })
}

/// Where sync stands, for the status shown on every page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum SyncPhase {
    /// The store is loading from the device.
    #[default]
    Loading,
    /// Standalone: no server to sync with.
    Standalone,
    /// Paired, but the network is down.
    Offline,
    /// Paired, nothing to do right now.
    Idle,
    /// Sending changes: `done` of `total` pending mutations sent so far in this run.
    Pushing {
        /// Sent so far.
        done: usize,
        /// Pending when the run started.
        total: usize,
    },
    /// Receiving changes made elsewhere (`received` so far in this run).
    Pulling {
        /// Received so far.
        received: usize,
    },
    /// Waiting before the next attempt after a failure.
    Waiting,
    /// A person whose changes wait in the outbox must sign in again (their token expired).
    SignInNeeded,
}

/// Sync status, always visible (see `components::SyncStatus`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// What sync is doing.
    pub phase: SyncPhase,
    /// Changes waiting in the outbox.
    pub pending: usize,
    /// When the last complete sync (push + pull) ended.
    pub last_synced: Option<Timestamp>,
    /// The last failure, in words.
    pub last_error: Option<Msg>,
    /// Changes the server refused in the last sync, with the core's reason code (shown once).
    pub rejected: Vec<(u64, String)>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) repo: RefCell<Option<Rc<dyn Repository>>>,
    pub(crate) device: RefCell<Option<Device>>,
    /// Serializes writes: mutation ids are handed out in commit order, without gaps.
    pub(crate) lock: Mutex<()>,
}

/// The handle to the device's store. `Copy`; get it with [`use_store`].
#[derive(Clone, Copy)]
pub struct StoreHandle {
    inner: StoredValue<Rc<Inner>, LocalStorage>,
    /// Bumped after every write, pull, restore or change seen from another tab. Reads track it.
    pub revision: RwSignal<u64>,
    /// True once the store has loaded from the device.
    pub ready: RwSignal<bool>,
    /// Why the store could not be opened or must be reloaded (another tab upgraded it), if so.
    pub open_error: RwSignal<Option<Msg>>,
    /// Sync status.
    pub sync: RwSignal<SyncStatus>,
    /// The signed-in session (the same signal as `AppState::session`).
    pub session: RwSignal<Option<Session>>,
    /// On a standalone device, the colleague who opened it last with her PIN (`None`: its owner).
    pub local_person: RwSignal<Option<StaffId>>,
}

impl StoreHandle {
    /// A handle with nothing loaded yet. `session` is `AppState::session`.
    pub fn new(session: RwSignal<Option<Session>>) -> Self {
        Self {
            inner: StoredValue::new_local(Rc::new(Inner::default())),
            revision: RwSignal::new(0),
            ready: RwSignal::new(false),
            open_error: RwSignal::new(None),
            sync: RwSignal::new(SyncStatus::default()),
            session,
            local_person: RwSignal::new(crate::storage::settings::load_local_person()),
        }
    }

    pub(crate) fn inner(&self) -> Rc<Inner> {
        self.inner.get_value()
    }

    /// Loads (or creates) the device's state from `repo` and makes it this handle's store.
    pub async fn open(&self, repo: Rc<dyn Repository>) -> Result<(), StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        *inner.repo.borrow_mut() = Some(repo.clone());
        let loaded = repo.load().await?;
        let device = match Device::restore(loaded)? {
            Some((device, _report)) => device,
            None => {
                let mut meta = DeviceMeta::fresh(new_id::<ClientId>(), new_id(), new_id());
                // Another store of the chain, chosen by someone signed in who may work there:
                // this database is that store's, synced with her session from the start.
                if let Some((store_id, session)) =
                    other_store_chosen().zip(self.session.get_untracked())
                    && let Some(actor) = session.actor()
                {
                    meta.store_id = store_id;
                    meta.owner = actor;
                    meta.pairing = Pairing::Paired {
                        by: actor.staff_id,
                        by_name: session.staff_name,
                        at: Utc::now().to_rfc3339(),
                    };
                }
                let (device, batch) = Device::fresh(meta);
                repo.commit(batch).await?;
                device
            }
        };
        *inner.device.borrow_mut() = Some(device);
        self.ready.set(true);
        self.open_error.set(None);
        self.after_change();
        Ok(())
    }

    /// Rebuilds the in-memory state from the repository (after a failed write, a restore, or a
    /// change made in another tab). The caller holds the write lock.
    pub(crate) async fn reload_locked(&self) -> Result<(), StoreError> {
        let inner = self.inner();
        let Some(repo) = inner.repo.borrow().clone() else {
            return Err(StoreError::NotReady);
        };
        let loaded = repo.load().await?;
        if let Some((device, _)) = Device::restore(loaded)? {
            *inner.device.borrow_mut() = Some(device);
        }
        self.after_change();
        Ok(())
    }

    /// Reloads from the repository (another tab changed it).
    pub async fn reload(&self) -> Result<(), StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        self.reload_locked().await
    }

    /// Updates `revision` and the pending count after any change.
    pub(crate) fn after_change(&self) {
        let pending = self
            .inner()
            .device
            .borrow()
            .as_ref()
            .map_or(0, |d| d.pending().len());
        self.sync.update(|s| s.pending = pending);
        self.revision.update(|r| *r += 1);
    }

    /// Commits a batch made by the device; on failure reloads from storage so memory never runs
    /// ahead of what is stored. The caller holds the write lock.
    pub(crate) async fn commit_locked(
        &self,
        batch: crate::storage::repo::WriteBatch,
    ) -> Result<(), StoreError> {
        let repo = self
            .inner()
            .repo
            .borrow()
            .clone()
            .ok_or(StoreError::NotReady)?;
        match repo.commit(batch).await {
            Ok(()) => {
                self.after_change();
                Ok(())
            }
            Err(e) => {
                if let Err(reload) = self.reload_locked().await {
                    leptos::logging::warn!("reloading after a failed write failed: {reload}");
                }
                Err(e)
            }
        }
    }

    /// Subscribes the running effect or memo (if any) to `revision`; outside one (an event
    /// handler, a test) reading is simply untracked.
    fn track(&self) {
        if leptos::reactive::graph::Observer::get().is_some() {
            self.revision.track();
        }
    }

    /// Who makes changes now (see the module documentation).
    pub fn actor(&self) -> Result<Actor, StoreError> {
        let session = self.session.get_untracked();
        if let Some(actor) = session.as_ref().and_then(Session::actor) {
            return Ok(actor);
        }
        let inner = self.inner();
        let device = inner.device.borrow();
        let device = device.as_ref().ok_or(StoreError::NotReady)?;
        match device.meta().pairing {
            Pairing::Standalone => {
                let owner = device.meta().owner;
                Ok(self.local_actor(owner).unwrap_or(owner))
            }
            Pairing::Paired { .. } => Err(StoreError::SignInRequired),
        }
    }

    /// The active person's role, reactive (follows a sign-in, a PIN switch, the store opening);
    /// `None` until the store is open or while nobody may act (a paired device signed out).
    pub fn active_role(&self) -> Option<Role> {
        self.session.track();
        self.local_person.track();
        if !self.ready.get() {
            return None;
        }
        self.actor().ok().map(|a| a.role)
    }

    /// The role whose view of the data is shown (the actor's; reception's if nobody may act).
    pub fn role(&self) -> Role {
        self.actor().map_or(Role::Reception, |a| a.role)
    }

    /// Makes a change: checks it with the core's rules as [`actor`](Self::actor), writes the
    /// record(s) and the outbox mutation in one transaction, then bumps `revision` and tells other
    /// tabs. On error nothing was written; `StoreError::msg()` says why in words.
    pub async fn mutate(&self, change: Change) -> Result<Mutation, StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let actor = self.actor()?;
        let (m, batch) = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.mutate(actor, change, Utc::now())?
        };
        self.commit_locked(batch).await?;
        crate::state::tabs::announce_change();
        crate::sync::run::kick();
        Ok(m)
    }

    /// Several changes, checked one after the other and committed together (one transaction,
    /// split only where a change deletes records). At the first refused change nothing of this
    /// call that was not yet committed is kept, and the error says why.
    pub async fn mutate_all(&self, changes: Vec<Change>) -> Result<Vec<Mutation>, StoreError> {
        // Many changes (a demo store, an import) are written in one transaction, all or
        // nothing: one IndexedDB transaction per change would take minutes for thousands of
        // them. The repository stores each change's rows while the core checks the next.
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let actor = self.actor()?;
        let repo = inner.repo.borrow().clone().ok_or(StoreError::NotReady)?;
        let mut done = Vec::with_capacity(changes.len());
        let mut changes = changes.into_iter();
        // One moment for all of them, as they are one act (reading the clock from JS for each
        // was 1% of an import's time); the clock's counter still orders them.
        let now = Utc::now();
        let mut next = || {
            let change = changes.next()?;
            let mut device = inner.device.borrow_mut();
            let made = match device.as_mut() {
                Some(device) => device.mutate(actor, change, now).map_err(StoreError::from),
                None => Err(StoreError::NotReady),
            };
            Some(made.map(|(m, batch)| {
                done.push(m);
                batch
            }))
        };
        if let Err(e) = repo.commit_stream(&mut next).await {
            // Memory ran ahead of storage for the changes made: rebuild it from what is stored.
            if let Err(reload) = self.reload_locked().await {
                leptos::logging::warn!(
                    "reloading after a refused or failed write failed: {reload}"
                );
            }
            return Err(e);
        }
        self.after_change();
        crate::state::tabs::announce_change();
        crate::sync::run::kick();
        Ok(done)
    }

    // ---- reads (synchronous, tracking `revision`) ----

    /// Runs `f` on the device state (view, confirmed replica, outbox, meta), tracking `revision`.
    /// `None` before the store has loaded. For anything the named reads below do not cover.
    pub fn read<R>(&self, f: impl FnOnce(&Device) -> R) -> Option<R> {
        self.track();
        let inner = self.inner();
        let device = inner.device.borrow();
        device.as_ref().map(f)
    }

    /// Runs `f` on the view (what the UI shows) and this device's store id.
    pub fn with_view<R>(&self, f: impl FnOnce(&Replica, StoreId) -> R) -> Option<R> {
        self.read(|d| f(d.view(), d.store_id()))
    }

    /// The store this device holds.
    pub fn store_id(&self) -> Option<StoreId> {
        self.read(Device::store_id)
    }

    /// The store's record (name, hours, settings), if it has one yet.
    pub fn store(&self) -> Option<Store> {
        self.with_view(|v, s| v.store(s)).flatten()
    }

    /// Customers matching what was typed, best first: exact, then prefixes (name, pinyin initials,
    /// phone, member number), the phone's last four digits, then anywhere in the name. An empty
    /// query lists customers by name. At most `limit`.
    pub fn search_customers(&self, query: &str, limit: usize) -> Vec<Customer> {
        let q = fold_query(query);
        let role = self.role();
        self.read(|d| {
            d.search_customers(&q, limit)
                .into_iter()
                .filter_map(|id| d.view().customer(id))
                .map(|c| c.visible_to(role))
                .collect()
        })
        .unwrap_or_default()
    }

    /// How many customers the store has.
    pub fn customer_count(&self) -> usize {
        self.read(|d| d.customer_keys().count()).unwrap_or(0)
    }

    /// A customer file, as the acting role may see it.
    pub fn customer(&self, id: CustomerId) -> Option<Customer> {
        let role = self.role();
        self.read(|d| d.view().customer(id))
            .flatten()
            .map(|c| c.visible_to(role))
    }

    /// A customer's skin assessments, oldest first (empty for roles that may not read them).
    pub fn skin_assessments(&self, id: CustomerId) -> Vec<SkinAssessment> {
        use orchid_core::permission::{Action, Sensitivity, allowed};
        if !allowed(self.role(), Action::CustomerRead, Sensitivity::Sensitive) {
            self.track();
            return Vec::new();
        }
        self.with_view(|v, _| v.skin_assessments(id))
            .unwrap_or_default()
    }

    /// An appointment with its status.
    pub fn appointment(&self, id: AppointmentId) -> Option<AppointmentView> {
        self.with_view(|v, _| v.appointment(id)).flatten()
    }

    /// Appointments starting on `day` (in the store's time zone), by start time.
    pub fn appointments_on(&self, day: NaiveDate) -> Vec<AppointmentView> {
        self.read(|d| {
            let offset = d.utc_offset();
            d.view()
                .appointments(d.store_id())
                .into_iter()
                .filter(|a| offset.local_date(a.appointment.time.start) == day)
                .collect()
        })
        .unwrap_or_default()
    }

    /// Appointments starting in `from..=to` (store's days), by start time.
    pub fn appointments_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<AppointmentView> {
        self.read(|d| {
            let offset = d.utc_offset();
            d.view()
                .appointments(d.store_id())
                .into_iter()
                .filter(|a| {
                    let day = offset.local_date(a.appointment.time.start);
                    from <= day && day <= to
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// A customer's appointments, by start time.
    pub fn appointments_of(&self, customer: CustomerId) -> Vec<AppointmentView> {
        self.with_view(|v, s| {
            v.appointments(s)
                .into_iter()
                .filter(|a| a.appointment.customer_id == customer)
                .collect()
        })
        .unwrap_or_default()
    }

    /// Colliding bookings (kept and flagged for a person to resolve), with the store's buffer.
    pub fn booking_conflicts(&self) -> Vec<Conflict> {
        self.with_view(|v, s| {
            let buffer = v
                .store(s)
                .map_or(10, |st| st.settings.booking_buffer_minutes);
            v.booking_conflicts(s, buffer)
        })
        .unwrap_or_default()
    }

    /// The bookings `id` collides with.
    pub fn collision_partners(&self, id: AppointmentId) -> Vec<AppointmentView> {
        self.booking_conflicts()
            .into_iter()
            .filter_map(|c| match (c.a == id, c.b == id) {
                (true, _) => Some(c.b),
                (_, true) => Some(c.a),
                _ => None,
            })
            .filter_map(|other| self.appointment(other))
            .collect()
    }

    /// The bookings that collide with another (either side of any conflict), for the views that
    /// list bookings to flag them.
    pub fn conflicted_bookings(&self) -> Vec<AppointmentId> {
        let mut ids: Vec<AppointmentId> = self
            .booking_conflicts()
            .into_iter()
            .flat_map(|c| [c.a, c.b])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Rooms and beds.
    pub fn rooms(&self) -> Vec<Room> {
        self.with_view(|v, s| v.rooms(s)).unwrap_or_default()
    }

    /// Staff of the store.
    pub fn staff(&self) -> Vec<Staff> {
        self.with_view(|v, s| v.staff(s)).unwrap_or_default()
    }

    /// One member of staff.
    pub fn staff_member(&self, id: StaffId) -> Option<Staff> {
        self.with_view(|v, _| v.staff_member(id)).flatten()
    }

    /// The service catalog.
    pub fn catalog(&self) -> Vec<CatalogService> {
        self.with_view(|v, s| v.catalog(s)).unwrap_or_default()
    }

    /// Complaints as they stand at `now` (deadlines depend on it).
    pub fn complaints(&self, now: Timestamp) -> Vec<ComplaintView> {
        self.with_view(|v, s| v.complaints(s, now))
            .unwrap_or_default()
    }

    /// One complaint at `now`.
    pub fn complaint(&self, id: ComplaintId, now: Timestamp) -> Option<ComplaintView> {
        self.with_view(|v, _| v.complaint(id, now)).flatten()
    }

    /// Follow-ups by due time, with the day's care calls nobody wrote yet
    /// (see `state::customer_care`).
    pub fn follow_ups(&self) -> Vec<FollowUp> {
        let mut all = self.with_view(|v, s| v.follow_ups(s)).unwrap_or_default();
        all.extend(self.care_due());
        all.sort_by_key(|f| (f.due, f.id));
        all
    }

    /// A customer's follow-ups by due time.
    pub fn follow_ups_of(&self, customer: CustomerId) -> Vec<FollowUp> {
        let mut all = self.follow_ups();
        all.retain(|f| f.customer_id == customer);
        all
    }

    /// A customer's service records, oldest first.
    pub fn service_records_of(&self, customer: CustomerId) -> Vec<ServiceRecord> {
        self.with_view(|v, s| {
            let mut r: Vec<ServiceRecord> = v
                .service_records(s)
                .into_iter()
                .filter(|r| r.customer_id == customer)
                .collect();
            r.sort_by_key(|r| (r.opened_at, r.id));
            r
        })
        .unwrap_or_default()
    }

    /// A customer's feedback, oldest first.
    pub fn feedback_of(&self, customer: CustomerId) -> Vec<Feedback> {
        self.with_view(|v, s| {
            let mut f: Vec<Feedback> = v
                .feedback(s)
                .into_iter()
                .filter(|f| f.customer_id == Some(customer))
                .collect();
            f.sort_by_key(|f| (f.submitted_at, f.id));
            f
        })
        .unwrap_or_default()
    }

    /// Changes waiting to be sent.
    pub fn pending_count(&self) -> usize {
        self.read(|d| d.pending().len()).unwrap_or(0)
    }

    /// Standalone or paired.
    pub fn pairing(&self) -> Option<Pairing> {
        self.read(|d| d.meta().pairing.clone())
    }

    /// Registers this device with the server's store `store_id`, by `by` (a manager or owner who
    /// just signed in; `by_name` is shown in Settings). A standalone device's records move to that
    /// store (see `Device::pair`); changes the new actor may not make are dropped and returned with
    /// the reason code.
    pub async fn pair(
        &self,
        store_id: StoreId,
        by: Actor,
        by_name: String,
    ) -> Result<Vec<(u64, &'static str)>, StoreError> {
        self.pair_keeping(store_id, by, by_name, true).await
    }

    /// Registers this device with the server's store like [`Self::pair`], leaving the device's
    /// own records behind (the demo store's, which must not reach a real store).
    pub async fn pair_leaving_records(
        &self,
        store_id: StoreId,
        by: Actor,
        by_name: String,
    ) -> Result<(), StoreError> {
        self.pair_keeping(store_id, by, by_name, false)
            .await
            .map(|_| ())
    }

    async fn pair_keeping(
        &self,
        store_id: StoreId,
        by: Actor,
        by_name: String,
        keep_records: bool,
    ) -> Result<Vec<(u64, &'static str)>, StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let (batch, dropped) = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.pair(store_id, by, by_name, Utc::now(), new_id(), keep_records)
        };
        self.commit_locked(batch).await?;
        crate::state::tabs::announce_change();
        Ok(dropped
            .iter()
            .map(|(m, e)| (m.mutation_id, e.code()))
            .collect())
    }

    /// The next push after mutation id `after` (see `Device::push_request`), untracked.
    pub(crate) fn push_request_after(
        &self,
        after: u64,
        max: usize,
    ) -> Option<(Actor, orchid_core::sync::PushRequest)> {
        let inner = self.inner();
        let device = inner.device.borrow();
        device.as_ref()?.push_request_after(after, max)
    }

    /// The next pull, untracked.
    pub(crate) fn pull_request(&self, limit: u32) -> Option<orchid_core::sync::PullRequest> {
        let inner = self.inner();
        let device = inner.device.borrow();
        device.as_ref().map(|d| d.pull_request(limit))
    }

    /// Takes in a push response and stores what it changed (rejected mutations leave the outbox).
    pub(crate) async fn apply_push(
        &self,
        resp: &orchid_core::sync::PushResponse,
    ) -> Result<orchid_core::sync::PushReport, crate::sync::SyncFailure> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let (report, batch) = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.on_push_response(resp, Utc::now())?
        };
        self.commit_locked(batch).await?;
        Ok(report)
    }

    /// Before a pull for `readers` (see `Device::pull_for`): stores a new reader, and a pull
    /// that starts again from the beginning for her.
    pub(crate) async fn pull_for(
        &self,
        readers: &[(orchid_core::ids::StaffId, bool)],
    ) -> Result<(), crate::sync::SyncFailure> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let batch = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.pull_for(readers)
        };
        if let Some(batch) = batch {
            self.commit_locked(batch).await?;
        }
        Ok(())
    }

    /// Takes in a pull response and stores it (log page, records, outbox, cursor) atomically.
    pub(crate) async fn apply_pull(
        &self,
        resp: &orchid_core::sync::PullResponse,
    ) -> Result<orchid_core::sync::PullReport, crate::sync::SyncFailure> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let (report, batch) = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.on_pull_response(resp, Utc::now())?
        };
        self.commit_locked(batch).await?;
        Ok(report)
    }

    /// The whole device store as a backup file (JSON). Sign-in tokens are not in it.
    pub async fn export_backup(&self) -> Result<String, StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let repo = inner.repo.borrow().clone().ok_or(StoreError::NotReady)?;
        let loaded = repo.load().await?;
        crate::storage::backup::Backup::of(loaded, Utc::now().to_rfc3339())
            .ok_or(StoreError::NotReady)?
            .to_json()
    }

    /// Replaces everything on this device with a backup (one transaction): its records, its
    /// queued changes and its identity (a replacement tablet carries on as the old one; do not
    /// use the old one again).
    pub async fn restore_backup(&self, text: &str) -> Result<(), StoreError> {
        let backup = crate::storage::backup::Backup::parse(text)?;
        let (mut device, _) =
            Device::restore(backup.into_loaded())?.ok_or(StoreError::BadBackup("empty".into()))?;
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let now = Utc::now();
        let batch = crate::storage::repo::WriteBatch {
            clear_records: true,
            outbox_clear: true,
            meta: Some(device.meta().clone()),
            snapshot: Some(device.snapshot()),
            outbox_put: device.pending().to_vec(),
            rows_put: device.all_rows(now),
            ..Default::default()
        };
        self.commit_locked(batch).await?;
        self.reload_locked().await?;
        crate::state::tabs::announce_change();
        Ok(())
    }

    /// Back to standalone: records and outbox stay; nothing is sent until paired again.
    pub async fn unpair(&self) -> Result<(), StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let batch = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.unpair()
        };
        self.commit_locked(batch).await?;
        // Said at once: the sync loop may be resting for half a minute before it looks again.
        self.sync.update(|s| s.phase = SyncPhase::Standalone);
        crate::state::tabs::announce_change();
        Ok(())
    }
}

/// The store of the app, provided once in `App`.
pub fn use_store() -> StoreHandle {
    // Provided at the root before any page renders; a missing context is a programming error that
    // the first test shows. A handle that never loads keeps the app alive instead of panicking.
    use_context::<StoreHandle>().unwrap_or_else(|| StoreHandle::new(RwSignal::new(None)))
}

/// Creates the app's store, provides it as context, and opens the device's store in the
/// background (`ready` turns true when loaded). Call once in `App`, after providing `AppState`.
pub fn provide_store(session: RwSignal<Option<Session>>) -> StoreHandle {
    let store = StoreHandle::new(session);
    provide_context(store);
    leptos::task::spawn_local(async move {
        let repo = match open_device_repo(store).await {
            Ok(repo) => repo,
            Err(err) => {
                // No IndexedDB (private mode, disabled storage): work in memory and say so.
                leptos::logging::warn!("the device store could not be opened: {err}");
                store.open_error.set(Some(err.msg()));
                if err == StoreError::VersionChanged {
                    return;
                }
                Rc::new(crate::storage::memory::MemoryRepo::new())
            }
        };
        if let Err(err) = store.open(repo).await {
            leptos::logging::warn!("the device store could not be loaded: {err}");
            store.open_error.set(Some(err.msg()));
            return;
        }
        remember_home_store(store);
        // Ask the browser not to evict the records (Chromium decides without asking the user;
        // Settings shows the answer and can ask again).
        let _ = request_persistent_storage().await;
    });
    crate::state::tabs::listen(store);
    pair_on_sign_in(store);
    #[cfg(target_arch = "wasm32")]
    crate::sync::run::start(store);
    #[cfg(target_arch = "wasm32")]
    crate::sync::run::start_live(store);
    store
}

/// Pairs a standalone device when a manager or owner signs in, or anyone of the team on a device
/// with no changes of its own (the server is the one that served the app); wakes sync after any
/// sign-in.
///
/// Only a sign-in made while the app runs pairs, and only once: the session the app starts with
/// (restored from the device) does not. Otherwise a device unpaired in Settings ("Stop syncing on
/// this device") was paired again by the next page load or reload while the manager who unpaired
/// it was still signed in. Signing in again pairs it.
fn pair_on_sign_in(store: StoreHandle) {
    let at_start = store.session.get_untracked().map(|s| s.token);
    // The effect's value: the token of the last sign-in whose pairing was handled.
    Effect::new(move |handled: Option<Option<String>>| {
        let handled = handled.unwrap_or_else(|| at_start.clone());
        let (Some(session), true) = (store.session.get(), store.ready.get()) else {
            return handled;
        };
        let (Some(actor), Some(store_id)) = (session.actor(), session.store_id) else {
            return handled;
        };
        let new_sign_in = handled.as_deref() != Some(session.token.as_str());
        let pairing = untrack(|| store.pairing());
        // A device with changes of its own moves them into the store: a manager's decision. An
        // empty one (a new tablet) is registered by whoever of the team signs in first.
        let may_pair = actor.role.is_management() || untrack(|| store.pending_count()) == 0;
        match pairing {
            Some(Pairing::Standalone) if may_pair && !new_sign_in => {}
            Some(Pairing::Standalone) if may_pair => {
                let name = session.staff_name.clone();
                // The demo store's invented records stay behind when a real store's server pairs
                // the device (a server for trying Orchid takes them, as it would anything).
                let leave_demo = demo_loaded() && !session.demo_server;
                leptos::task::spawn_local(async move {
                    let paired = if leave_demo {
                        let left = store.pair_leaving_records(store_id, actor, name).await;
                        if left.is_ok() {
                            forget_demo();
                            store
                                .sync
                                .update(|s| s.last_error = Some(Msg::DemoLeftBehind));
                        }
                        left.map(|()| Vec::new())
                    } else {
                        store.pair(store_id, actor, name).await
                    };
                    remember_home_store(store);
                    match paired {
                        Ok(dropped) if !dropped.is_empty() => store.sync.update(|s| {
                            s.rejected = dropped
                                .iter()
                                .map(|(id, c)| (*id, (*c).to_owned()))
                                .collect();
                        }),
                        Ok(_) => {}
                        Err(e) => store.sync.update(|s| s.last_error = Some(e.msg())),
                    }
                    crate::sync::run::kick();
                });
            }
            Some(Pairing::Standalone) => {
                store
                    .sync
                    .update(|s| s.last_error = Some(Msg::PairNeedsManager));
            }
            // The owner works in any store of the chain; anyone else in her own.
            // The device works in another store of the chain than the person's own: one she
            // chose (the owner, or someone who also works there; the server decides what she
            // may send) goes on; when someone new signs in on a device left in a store someone
            // else chose, it goes back to her own store's records (the owner stays, she works
            // everywhere). A device paired with another store is not hers to use.
            Some(Pairing::Paired { .. }) if untrack(|| store.store_id()) != Some(store_id) => {
                let chosen_here = other_store_chosen().is_some()
                    && other_store_chosen() == untrack(|| store.store_id());
                if chosen_here && (!new_sign_in || actor.role == Role::Owner) {
                    crate::sync::run::kick();
                } else if chosen_here {
                    crate::state::chain::switch_to(store_id);
                } else {
                    store
                        .sync
                        .update(|s| s.last_error = Some(Msg::PairOtherStore));
                }
            }
            _ => crate::sync::run::kick(),
        }
        Some(session.token)
    });
}

/// Whether the demo store was loaded on this device (never natively: no localStorage there).
pub fn demo_loaded() -> bool {
    cfg!(target_arch = "wasm32") && demo_loaded_here()
}

#[cfg(target_arch = "wasm32")]
fn demo_loaded_here() -> bool {
    crate::storage::settings::demo_loaded()
}

#[cfg(not(target_arch = "wasm32"))]
fn demo_loaded_here() -> bool {
    false
}

/// Notes that the demo store was loaded on this device.
pub fn remember_demo() {
    #[cfg(target_arch = "wasm32")]
    crate::storage::settings::save_demo_loaded(true);
}

fn forget_demo() {
    #[cfg(target_arch = "wasm32")]
    crate::storage::settings::save_demo_loaded(false);
}

/// Is this device used alone (never paired with a server): its people are added on the device,
/// not as the server's logins.
pub fn standalone(store: StoreHandle) -> bool {
    matches!(store.pairing(), Some(Pairing::Standalone))
}

/// May this device offer the demo store: a standalone device, or one signed in to a server for
/// trying Orchid (`--demo`); never one of a salon's real store, whose devices would all receive
/// its 2,000 invented customers.
pub fn demo_allowed(store: StoreHandle) -> bool {
    match store.pairing() {
        Some(Pairing::Standalone) => true,
        Some(Pairing::Paired { .. }) => store
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.demo_server)),
        None => false,
    }
}

/// Notes which store the device's first database holds, once it is paired (so that choosing that
/// store again opens that database, not a new one).
fn remember_home_store(store: StoreHandle) {
    if cfg!(target_arch = "wasm32")
        && other_store_chosen().is_none()
        && let (Some(Pairing::Paired { .. }), Some(id)) = (store.pairing(), store.store_id())
    {
        crate::storage::settings::save_home_store(id);
    }
}

/// The store of the chain someone chose to work in on this device, when it is not the store the
/// device's first database holds. Its records live in a database of their own.
pub fn other_store_chosen() -> Option<StoreId> {
    // Only a browser keeps the choice (localStorage); elsewhere the store is always the home one.
    #[cfg(target_arch = "wasm32")]
    {
        let working = crate::storage::settings::working_store()?;
        (crate::storage::settings::home_store() != Some(working)).then_some(working)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// The app's durable store: IndexedDB in the browser (telling `open_error` when another tab
/// upgrades it), memory elsewhere.
async fn open_device_repo(store: StoreHandle) -> Result<Rc<dyn Repository>, StoreError> {
    #[cfg(target_arch = "wasm32")]
    {
        use crate::storage::idb::{DB_NAME, IdbRepo, on_version_change};
        on_version_change(
            move || store.open_error.set(Some(Msg::StoreVersionChanged)),
            move || store.open_error.set(Some(Msg::StoreBlocked)),
        );
        let name = match other_store_chosen() {
            Some(other) => format!("{DB_NAME}-store-{other}"),
            None => DB_NAME.to_owned(),
        };
        let repo = IdbRepo::open(&name).await?;
        Ok(Rc::new(repo))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = store;
        Ok(Rc::new(crate::storage::memory::MemoryRepo::new()))
    }
}

/// The browser's storage figures for this app (usage, quota, persistent or not).
pub async fn storage_estimate() -> crate::storage::repo::StorageEstimate {
    #[cfg(target_arch = "wasm32")]
    {
        crate::storage::quota::estimate().await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        crate::storage::repo::StorageEstimate::default()
    }
}

/// Asks the browser to keep the records even when space runs low (`Some(true)`: granted).
pub async fn request_persistent_storage() -> Option<bool> {
    #[cfg(target_arch = "wasm32")]
    {
        crate::storage::quota::request_persistence().await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
