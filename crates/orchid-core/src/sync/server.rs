//! The reference server: push with idempotency and clock checks, a log with cursors, pull. The real server
//! keeps the same state in its database; this in-memory one defines the behaviour and drives the tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::hlc::HlcClock;
use crate::ids::{ClientId, StoreId};
use crate::time::Timestamp;

use super::{
    Actor, Cursor, FORMAT_VERSION, Mutation, PullRequest, PullResponse, PulledChange, PushOutcome,
    PushRequest, PushResponse, PushResult, Replica, SyncError, check_version,
};

/// One accepted mutation in the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Its position (increasing).
    pub cursor: Cursor,
    /// The mutation.
    pub mutation: Mutation,
}

/// The server's sync state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerState {
    /// The server's clock.
    pub clock: HlcClock,
    /// Every store's records.
    pub replica: Replica,
    /// Accepted mutations, in order.
    pub log: Vec<LogEntry>,
    /// The last mutation id processed per client (accepted or rejected).
    pub last_mutation_ids: BTreeMap<ClientId, u64>,
}

impl ServerState {
    /// A fresh server whose clock is `node`.
    pub fn new(node: ClientId) -> Self {
        Self {
            clock: HlcClock::new(node),
            replica: Replica::new(),
            log: Vec::new(),
            last_mutation_ids: BTreeMap::new(),
        }
    }

    /// The outcome of one pushed mutation, and whether it was accepted. `auth` is the signed-in staff
    /// member and role; `may_act_in` says whether they may act in a store.
    pub fn decide(
        &mut self,
        client_id: ClientId,
        m: &Mutation,
        auth: &Actor,
        may_act_in: &dyn Fn(StoreId) -> bool,
        now: Timestamp,
    ) -> PushOutcome {
        let last = self.last_mutation_ids.get(&client_id).copied().unwrap_or(0);
        let reject = |e: ValidationError| PushOutcome::Rejected { error: e };
        if m.client_id != client_id {
            return reject(SyncError::WrongClient.into());
        }
        if m.mutation_id <= last {
            return PushOutcome::Duplicate;
        }
        if m.mutation_id != last + 1 {
            return PushOutcome::Retry {
                error: SyncError::MutationIdGap {
                    expected: last + 1,
                    got: m.mutation_id,
                }
                .into(),
            };
        }
        // A device whose clock runs ahead keeps its change: it is sent again once the server's
        // clock has caught up (or the device's clock is set right), never thrown away. The id
        // is not consumed, so the device's later changes wait behind it, in order.
        if let Err(e) = self.clock.observe(m.hlc, now) {
            return PushOutcome::Retry { error: e.into() };
        }
        // From here on the id is consumed, whatever the outcome.
        self.last_mutation_ids.insert(client_id, m.mutation_id);
        if m.actor != *auth {
            return reject(SyncError::ActorMismatch.into());
        }
        if !may_act_in(m.store_id) {
            return reject(
                SyncError::WrongStore {
                    store_id: m.store_id,
                }
                .into(),
            );
        }
        if let Some(owner) = self.replica.store_of(m.change.entity())
            && owner != m.store_id
        {
            return reject(SyncError::EntityInOtherStore.into());
        }
        if let Err(e) = self.replica.check_pushed(m) {
            return reject(e);
        }
        match self.replica.apply(m) {
            Ok(_) => {
                let cursor = Cursor(self.log.len() as u64 + 1);
                self.log.push(LogEntry {
                    cursor,
                    mutation: m.clone(),
                });
                PushOutcome::Accepted
            }
            Err(e) => reject(e),
        }
    }

    /// Handles a push. The whole request fails only on a format version it does not speak.
    pub fn push(
        &mut self,
        req: &PushRequest,
        auth: &Actor,
        may_act_in: &dyn Fn(StoreId) -> bool,
        now: Timestamp,
    ) -> Result<PushResponse, SyncError> {
        check_version(req.format_version)?;
        let results = req
            .mutations
            .iter()
            .map(|m| PushResult {
                mutation_id: m.mutation_id,
                outcome: self.decide(req.client_id, m, auth, may_act_in, now),
            })
            .collect();
        Ok(PushResponse {
            format_version: FORMAT_VERSION,
            results,
            last_mutation_id: self
                .last_mutation_ids
                .get(&req.client_id)
                .copied()
                .unwrap_or(0),
        })
    }

    /// Handles a pull: the store's changes after the cursor, at most `limit`.
    pub fn pull(&self, req: &PullRequest) -> Result<PullResponse, SyncError> {
        check_version(req.format_version)?;
        let after = req.cursor.unwrap_or_default();
        // The log is in cursor order and cursors are positions: skip straight to the first one after.
        let start = usize::try_from(after.0)
            .unwrap_or(usize::MAX)
            .min(self.log.len());
        let limit = usize::try_from(req.limit.max(1)).unwrap_or(usize::MAX);
        let mut changes = Vec::new();
        let mut cursor = after;
        let mut has_more = false;
        for e in self.log.iter().skip(start) {
            if e.mutation.store_id != req.store_id {
                cursor = e.cursor;
                continue;
            }
            if changes.len() == limit {
                has_more = true;
                break;
            }
            cursor = e.cursor;
            changes.push(PulledChange {
                cursor: e.cursor,
                mutation: e.mutation.clone(),
            });
        }
        Ok(PullResponse {
            format_version: FORMAT_VERSION,
            store_id: req.store_id,
            changes,
            cursor,
            has_more,
            last_mutation_id: self
                .last_mutation_ids
                .get(&req.client_id)
                .copied()
                .unwrap_or(0),
        })
    }
}

/// The changes the server makes itself (today: complaint numbers) are filed under a client id of
/// their own per store — the store's id, which no device ever uses (devices' ids are random) —
/// so every device merges them, idempotently, like any other mutation.
pub fn server_client_of(store: StoreId) -> ClientId {
    ClientId::from_uuid(store.as_uuid())
}

/// Who the server's own changes are by: no member of staff, in the role that may assign numbers.
pub fn server_actor() -> Actor {
    Actor {
        staff_id: crate::ids::StaffId::from_u128(0),
        role: crate::role::Role::Manager,
    }
}

/// A complaint's human-readable number (投诉编号): `TS-<year>-<n>`, `n` counting the store's
/// complaints of that year from 1, at least four digits so the numbers sort in a list.
pub fn complaint_number(year: i32, n: u64) -> String {
    format!("TS-{year}-{n:04}")
}

/// The server's mutation that gives complaint `complaint` its number. `mutation_id` must increase
/// per store (the server uses the change's cursor); `event_id` is fresh.
pub fn complaint_number_mutation(
    store: StoreId,
    complaint: crate::ids::ComplaintId,
    event_id: crate::ids::ComplaintEventId,
    number: String,
    mutation_id: u64,
    at: Timestamp,
) -> Mutation {
    let client_id = server_client_of(store);
    let actor = server_actor();
    Mutation {
        client_id,
        mutation_id,
        hlc: crate::hlc::Hlc {
            wall_ms: u64::try_from(at.timestamp_millis()).unwrap_or(0),
            counter: 0,
            node: client_id,
        },
        actor,
        store_id: store,
        change: super::Change::ComplaintEvent(crate::complaint::ComplaintEvent {
            id: event_id,
            complaint_id: complaint,
            at,
            by: None,
            role: actor.role,
            kind: crate::complaint::ComplaintEventKind::NumberAssigned { number },
        }),
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;
    use crate::ids::{ComplaintEventId, ComplaintId};
    use crate::sync::Replica;

    #[test]
    fn numbers_sort_and_name_the_year() {
        assert_eq!(complaint_number(2026, 7), "TS-2026-0007");
        assert_eq!(complaint_number(2026, 12345), "TS-2026-12345");
        assert!(complaint_number(2026, 9) < complaint_number(2026, 10));
    }

    #[test]
    fn a_device_accepts_the_servers_number_once() {
        let store = StoreId::from_u128(5);
        let m = complaint_number_mutation(
            store,
            ComplaintId::from_u128(6),
            ComplaintEventId::from_u128(7),
            complaint_number(2026, 1),
            42,
            chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        );
        assert_eq!(m.validate(), Ok(()));
        let mut replica = Replica::new();
        assert!(matches!(
            replica.apply(&m),
            Ok(crate::sync::Applied::Merged { .. })
        ));
        assert_eq!(replica.apply(&m), Ok(crate::sync::Applied::Duplicate));
    }
}
