//! How IndexedDB stores the outbox: runs of mutations with consecutive ids in one row each.
//!
//! A put costs Chromium about as much for a 40 KB row as for a 400-byte one, so writing 10,000
//! queued mutations one per row was a tenth of an import's time (`cargo xtask bench store`). A row
//! is keyed by its first mutation id and holds at most [`OUTBOX_RUN`] mutations. Confirming or
//! refusing some mutations of a run rewrites the row with the rest. This module is the plan,
//! without IndexedDB, so it is tested natively.
//!
//! Since version 4 a run is stored as a [`StoredRun`]: what its mutations share (device, actor,
//! store, clock node) once, then each mutation's id, time and change. As whole mutations, the
//! shared part was about half of each one's JSON, and the outbox was written beside every record
//! row: the write of an import stored about 2.5 times the bytes of its rows. Since version 6 that
//! JSON is LZ4-compressed ([`compress`]): IndexedDB's storing thread, not our code, was the
//! slower side of an import, and a quarter of the bytes made the write 5–8% faster.
use std::collections::BTreeSet;

use orchid_core::hlc::Hlc;
use orchid_core::ids::{ClientId, StoreId};
use orchid_core::sync::{Actor, Change, Mutation};
use serde::{Deserialize, Serialize};

use super::repo::StoreError;

/// The most mutations one outbox row holds (about 40 KB of JSON).
pub const OUTBOX_RUN: usize = 100;

/// A run of mutations as one outbox row stores it. `C` is `&Change` to write, `Change` to read.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredRun<C> {
    client_id: ClientId,
    actor: Actor,
    store_id: StoreId,
    node: ClientId,
    items: Vec<StoredItem<C>>,
}

/// One mutation of a [`StoredRun`]: what is not shared.
#[derive(Debug, Serialize, Deserialize)]
struct StoredItem<C> {
    id: u64,
    ms: u64,
    c: u32,
    change: C,
}

impl<'a> StoredRun<&'a Change> {
    /// The run to store; `None` for no mutations. [`runs`] cuts runs where what is shared differs.
    pub fn of(run: &'a [Mutation]) -> Option<Self> {
        let first = run.first()?;
        Some(StoredRun {
            client_id: first.client_id,
            actor: first.actor,
            store_id: first.store_id,
            node: first.hlc.node,
            items: run
                .iter()
                .map(|m| StoredItem {
                    id: m.mutation_id,
                    ms: m.hlc.wall_ms,
                    c: m.hlc.counter,
                    change: &m.change,
                })
                .collect(),
        })
    }
}

impl StoredRun<Change> {
    /// The mutations, in the order stored.
    pub fn into_mutations(self) -> Vec<Mutation> {
        let StoredRun {
            client_id,
            actor,
            store_id,
            node,
            items,
        } = self;
        items
            .into_iter()
            .map(|item| Mutation {
                client_id,
                mutation_id: item.id,
                hlc: Hlc {
                    wall_ms: item.ms,
                    counter: item.c,
                    node,
                },
                actor,
                store_id,
                change: item.change,
            })
            .collect()
    }
}

/// A run's JSON as outbox rows store it since version 6: LZ4-compressed (block format), its
/// size first.
pub fn compress(json: &[u8]) -> Vec<u8> {
    lz4_flex::compress_prepend_size(json)
}

/// The JSON of a run stored by [`compress`]. The size it claims is checked against what LZ4 can
/// expand to first: a damaged row must be an error, not an allocation of gigabytes.
pub fn decompress(compressed: &[u8]) -> Result<Vec<u8>, StoreError> {
    let corrupt = |why: String| StoreError::Corrupt(format!("outbox run: {why}"));
    let size = compressed
        .first_chunk::<4>()
        .map(|b| u32::from_le_bytes(*b) as usize)
        .ok_or_else(|| corrupt("too short".into()))?;
    if size > compressed.len().saturating_mul(255) {
        return Err(corrupt(format!("claims {size} bytes")));
    }
    lz4_flex::decompress_size_prepended(compressed).map_err(|e| corrupt(e.to_string()))
}

/// True if `a` and `b` can share a [`StoredRun`].
fn same_run(a: &Mutation, b: &Mutation) -> bool {
    b.mutation_id == a.mutation_id + 1
        && a.client_id == b.client_id
        && a.actor == b.actor
        && a.store_id == b.store_id
        && a.hlc.node == b.hlc.node
}

/// `mutations` (in id order) split into runs of consecutive ids made by one actor on one device
/// for one store, each at most `max` long.
pub fn runs(mutations: &[Mutation], max: usize) -> Vec<&[Mutation]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=mutations.len() {
        let ends = i == mutations.len()
            || i - start >= max.max(1)
            || !same_run(&mutations[i - 1], &mutations[i]);
        if ends {
            out.push(&mutations[start..i]);
            start = i;
        }
    }
    out
}

/// What deleting some mutation ids does to one stored row holding ids `first..=last`.
#[derive(Debug, PartialEq)]
pub enum RowEdit {
    /// None of its mutations go: leave it.
    Keep,
    /// All of them go: delete the row (key `first`).
    Delete,
    /// Some go: delete the row (key `first`) unless `rest` starts with that id, and put `rest`.
    Rewrite(Vec<Mutation>),
}

/// The edit of the row `first..=last` when the ids in `deleted` leave the outbox. `members` reads the
/// row's mutations; it is only called when some but maybe not all of them go.
pub fn edit_row<E>(
    first: u64,
    last: u64,
    deleted: &BTreeSet<u64>,
    members: impl FnOnce() -> Result<Vec<Mutation>, E>,
) -> Result<RowEdit, E> {
    let hits = deleted.range(first..=last).count() as u64;
    if hits == 0 {
        return Ok(RowEdit::Keep);
    }
    if hits == last - first + 1 {
        return Ok(RowEdit::Delete);
    }
    let rest: Vec<Mutation> = members()?
        .into_iter()
        .filter(|m| !deleted.contains(&m.mutation_id))
        .collect();
    Ok(if rest.is_empty() {
        RowEdit::Delete
    } else {
        RowEdit::Rewrite(rest)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use orchid_core::hlc::Hlc;
    use orchid_core::ids::{ClientId, StaffId, StoreId};
    use orchid_core::role::Role;
    use orchid_core::sync::{Actor, Change};

    use super::*;

    fn m(id: u64) -> Mutation {
        Mutation {
            client_id: ClientId::from_u128(1),
            mutation_id: id,
            hlc: Hlc {
                wall_ms: id,
                counter: 0,
                node: ClientId::from_u128(1),
            },
            actor: Actor {
                staff_id: StaffId::from_u128(2),
                role: Role::Owner,
            },
            store_id: StoreId::from_u128(3),
            change: Change::CustomerErase {
                id: orchid_core::ids::CustomerId::from_u128(id.into()),
            },
        }
    }

    fn ids(runs: &[&[Mutation]]) -> Vec<Vec<u64>> {
        runs.iter()
            .map(|r| r.iter().map(|m| m.mutation_id).collect())
            .collect()
    }

    #[test]
    fn a_compressed_run_reads_back_and_a_damaged_one_is_an_error() {
        let ms: Vec<Mutation> = (1..=100).map(m).collect();
        let json = serde_json::to_vec(&StoredRun::of(&ms).unwrap()).unwrap();
        let compressed = compress(&json);
        assert!(
            compressed.len() * 3 < json.len(),
            "{} of {}",
            compressed.len(),
            json.len()
        );
        let back: StoredRun<Change> =
            serde_json::from_slice(&decompress(&compressed).unwrap()).unwrap();
        assert_eq!(back.into_mutations(), ms);

        // A size of 4 GiB in front of a few bytes, a cut-off block, no size at all.
        let mut huge = compressed.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let cut = &compressed[..compressed.len() / 2];
        for damaged in [&huge[..], cut, &compressed[..3]] {
            assert!(
                matches!(decompress(damaged), Err(StoreError::Corrupt(_))),
                "{} bytes",
                damaged.len()
            );
        }
    }

    #[test]
    fn runs_break_at_gaps_and_at_the_maximum() {
        let ms: Vec<Mutation> = [1, 2, 3, 4, 5, 7, 8, 10].into_iter().map(m).collect();
        assert_eq!(
            ids(&runs(&ms, 3)),
            vec![vec![1, 2, 3], vec![4, 5], vec![7, 8], vec![10]]
        );
        assert_eq!(ids(&runs(&ms[..1], 3)), vec![vec![1]]);
        assert!(runs(&[], 3).is_empty());
    }

    #[test]
    fn runs_break_where_the_actor_or_store_changes_and_round_trip() {
        let mut ms: Vec<Mutation> = (1..=6).map(m).collect();
        ms[2].actor.role = Role::Manager;
        ms[4].store_id = StoreId::from_u128(9);
        ms[4].hlc.counter = 7;
        ms[5].store_id = StoreId::from_u128(9);
        let cut = runs(&ms, 100);
        assert_eq!(ids(&cut), vec![vec![1, 2], vec![3], vec![4], vec![5, 6]]);
        for run in cut {
            let json = serde_json::to_string(&StoredRun::of(run).unwrap()).unwrap();
            let back: StoredRun<Change> = serde_json::from_str(&json).unwrap();
            assert_eq!(back.into_mutations(), run, "{json}");
        }
        assert!(StoredRun::of(&[]).is_none());
    }

    #[test]
    fn a_row_is_kept_deleted_or_rewritten_with_what_is_left() {
        let row: Vec<Mutation> = (10..=14).map(m).collect();
        let read = || Ok::<_, ()>(row.clone());
        let set = |xs: &[u64]| xs.iter().copied().collect::<BTreeSet<u64>>();
        assert_eq!(edit_row(10, 14, &set(&[9, 15]), read), Ok(RowEdit::Keep));
        assert_eq!(
            edit_row(10, 14, &set(&[10, 11, 12, 13, 14]), || Err(())),
            Ok(RowEdit::Delete),
            "a fully deleted row is not read"
        );
        let Ok(RowEdit::Rewrite(rest)) = edit_row(10, 14, &set(&[10, 12]), read) else {
            panic!("expected a rewrite");
        };
        assert_eq!(
            rest.iter().map(|m| m.mutation_id).collect::<Vec<_>>(),
            vec![11, 13, 14]
        );
        // A row whose ids have gaps (rewritten before) is deleted once its members are gone.
        let gappy = vec![m(11), m(14)];
        assert_eq!(
            edit_row(10, 14, &set(&[11, 14]), || Ok::<_, ()>(gappy)),
            Ok(RowEdit::Delete)
        );
    }
}
