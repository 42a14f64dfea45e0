//! The device side of sync: make mutations, keep the outbox, build push and pull requests, take in the
//! responses. No IO: the client code sends the requests and persists the state.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::hlc::HlcClock;
use crate::ids::{ClientId, StoreId};
use crate::time::Timestamp;

use super::{
    Actor, Applied, Change, Cursor, FORMAT_VERSION, Mutation, PullRequest, PullResponse,
    PushOutcome, PushRequest, PushResponse, Replica, SyncError, check_version,
};

/// What a push response did to the outbox.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PushReport {
    /// Mutations the server accepted (or had already).
    pub accepted: Vec<u64>,
    /// Mutations the server refused for good, with the reason — show them to the user. They were
    /// removed from the outbox and undone in the view.
    pub rejected: Vec<(Mutation, ValidationError)>,
    /// Mutations to send again later.
    pub retry: Vec<u64>,
}

/// What a pull response did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PullReport {
    /// Changes applied.
    pub applied: usize,
    /// Changes that were already here (our own, or repeated).
    pub duplicates: usize,
    /// Changes this code could not apply (a newer server?), with the reason.
    pub skipped: Vec<(u64, ValidationError)>,
    /// Pending mutations now confirmed by the server.
    pub confirmed: usize,
    /// More changes are waiting: pull again.
    pub has_more: bool,
}

/// One device's sync state: its clock, its next mutation id, its cursor, its outbox of pending mutations,
/// the replica as the server confirmed it, and the view (confirmed + pending) the UI shows.
///
/// Because every merge commutes, pulled changes are applied to both replicas directly; the view is only
/// rebuilt (confirmed + pending) when the server rejects a mutation, which must then be undone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncClient {
    client_id: ClientId,
    store_id: StoreId,
    clock: HlcClock,
    next_mutation_id: u64,
    cursor: Option<Cursor>,
    pending: Vec<Mutation>,
    confirmed: Replica,
    view: Replica,
}

impl SyncClient {
    /// A fresh device for `store`.
    pub fn new(client_id: ClientId, store_id: StoreId) -> Self {
        Self {
            client_id,
            store_id,
            clock: HlcClock::new(client_id),
            next_mutation_id: 1,
            cursor: None,
            pending: Vec::new(),
            confirmed: Replica::new(),
            view: Replica::new(),
        }
    }
    /// This device.
    pub fn client_id(&self) -> ClientId {
        self.client_id
    }
    /// Its store.
    pub fn store_id(&self) -> StoreId {
        self.store_id
    }
    /// What the UI shows: confirmed state plus pending mutations.
    pub fn view(&self) -> &Replica {
        &self.view
    }
    /// The state as the server confirmed it.
    pub fn confirmed(&self) -> &Replica {
        &self.confirmed
    }
    /// The outbox, oldest first.
    pub fn pending(&self) -> &[Mutation] {
        &self.pending
    }
    /// The last cursor pulled.
    pub fn cursor(&self) -> Option<Cursor> {
        self.cursor
    }
    /// The clock (persist it).
    pub fn clock(&self) -> &HlcClock {
        &self.clock
    }

    /// Makes a change as `actor` at wall time `now`: validates it, applies it to the view and puts it in
    /// the outbox. Returns the mutation, to be written to the outbox store in the same transaction as the
    /// records it touches. Nothing changes if it is refused.
    pub fn mutate(
        &mut self,
        actor: Actor,
        change: Change,
        now: Timestamp,
    ) -> Result<Mutation, ValidationError> {
        let mut clock = self.clock.clone();
        let hlc = clock.tick(now)?;
        let m = Mutation {
            client_id: self.client_id,
            mutation_id: self.next_mutation_id,
            hlc,
            actor,
            store_id: self.store_id,
            change,
        };
        self.view.check_write(&m)?;
        self.view.apply(&m)?;
        self.clock = clock;
        self.next_mutation_id += 1;
        self.pending.push(m.clone());
        Ok(m)
    }

    /// The next push: up to `max` pending mutations, oldest first. `None` if the outbox is empty.
    pub fn push_request(&self, max: usize) -> Option<PushRequest> {
        if self.pending.is_empty() {
            return None;
        }
        Some(PushRequest {
            format_version: FORMAT_VERSION,
            client_id: self.client_id,
            mutations: self.pending.iter().take(max.max(1)).cloned().collect(),
        })
    }

    /// Takes in a push response. Rejected mutations leave the outbox and are undone in the view; accepted
    /// ones stay pending until a pull brings them back confirmed.
    pub fn on_push_response(&mut self, resp: &PushResponse) -> Result<PushReport, SyncError> {
        check_version(resp.format_version)?;
        let mut report = PushReport::default();
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
                        report.rejected.push((m, error.clone()));
                    }
                }
            }
        }
        if !report.rejected.is_empty() {
            self.rebuild_view();
        }
        Ok(report)
    }

    /// The next pull.
    pub fn pull_request(&self, limit: u32) -> PullRequest {
        PullRequest {
            format_version: FORMAT_VERSION,
            client_id: self.client_id,
            store_id: self.store_id,
            cursor: self.cursor,
            limit,
            colleagues: Vec::new(),
        }
    }

    /// Takes in a pull response at wall time `now`: applies the changes to the confirmed state and the
    /// view, advances the cursor and the clock, and drops pending mutations the server has processed.
    pub fn on_pull_response(
        &mut self,
        resp: &PullResponse,
        now: Timestamp,
    ) -> Result<PullReport, SyncError> {
        check_version(resp.format_version)?;
        let mut report = PullReport {
            has_more: resp.has_more,
            ..Default::default()
        };
        for c in &resp.changes {
            // A remote clock far ahead is not followed (the server already checked it against its own);
            // the change itself is authoritative and applied anyway.
            let _ = self.clock.observe(c.mutation.hlc, now);
            match self.confirmed.apply(&c.mutation) {
                Ok(Applied::Duplicate) => report.duplicates += 1,
                Ok(Applied::Merged { .. }) => report.applied += 1,
                Err(e) => {
                    report.skipped.push((c.cursor.0, e));
                    continue;
                }
            }
            // The view may already hold it (our own mutation, applied optimistically).
            let _ = self.view.apply(&c.mutation);
        }
        if self.cursor.is_none_or(|c| resp.cursor > c) {
            self.cursor = Some(resp.cursor);
        }
        let before = self.pending.len();
        let mut dropped_unconfirmed = false;
        let confirmed = &self.confirmed;
        self.pending.retain(|m| {
            if confirmed.has_applied(m.client_id, m.mutation_id) {
                return false;
            }
            // Processed by the server but not in the log (rejected, its response lost): undo it. While
            // more pages wait, it may still come.
            if m.mutation_id <= resp.last_mutation_id && !resp.has_more {
                dropped_unconfirmed = true;
                return false;
            }
            true
        });
        report.confirmed = before - self.pending.len();
        if dropped_unconfirmed {
            self.rebuild_view();
        }
        Ok(report)
    }

    /// Rebuilds the view from the confirmed state and the outbox.
    fn rebuild_view(&mut self) {
        let mut view = self.confirmed.clone();
        for m in &self.pending {
            let _ = view.apply(m);
        }
        self.view = view;
    }
}
