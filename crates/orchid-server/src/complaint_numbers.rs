//! Complaint numbers (投诉编号): the server gives each complaint a human-readable number when it
//! accepts the complaint's intake, in the same transaction, as a change of its own
//! (`orchid_core::sync::complaint_number_mutation`) that every device pulls. Devices work
//! offline and cannot agree on a counter; the server is the one place that can.
use chrono::Datelike;
use orchid_core::complaint::ComplaintEventKind;
use orchid_core::ids::{ComplaintEventId, ComplaintId, StoreId};
use orchid_core::sync::{Change, Mutation, complaint_number, complaint_number_mutation};
use sqlx::AnyConnection;

use crate::error::AppError;

/// The complaint whose intake `m` is, if it is one.
pub fn intake_of(m: &Mutation) -> Option<ComplaintId> {
    match &m.change {
        Change::ComplaintEvent(e) if matches!(e.kind, ComplaintEventKind::Received { .. }) => {
            Some(e.complaint_id)
        }
        _ => None,
    }
}

/// Numbers `complaint` in `store` unless it already has a number; returns the server's mutation
/// to log (with `mutation_id`, which must increase per store) or `None` if it was numbered before.
pub async fn assign(
    tx: &mut AnyConnection,
    store: StoreId,
    complaint: ComplaintId,
    mutation_id: u64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Mutation>, AppError> {
    let known: Option<String> =
        sqlx::query_scalar("SELECT number FROM complaint_numbers WHERE complaint_id = $1")
            .bind(complaint.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    if known.is_some() {
        return Ok(None);
    }
    let year = now.year();
    // The counter row is locked until commit: two pushes never draw the same number.
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_counters (store_id, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (store_id, year) DO UPDATE SET last_number = complaint_counters.last_number + 1
         RETURNING last_number",
    )
    .bind(store.to_string())
    .bind(i64::from(year))
    .fetch_one(&mut *tx)
    .await?;
    let number = complaint_number(year, u64::try_from(n).unwrap_or(0));
    sqlx::query(
        "INSERT INTO complaint_numbers (complaint_id, store_id, number, assigned_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(complaint.to_string())
    .bind(store.to_string())
    .bind(&number)
    .bind(now.timestamp_millis())
    .execute(&mut *tx)
    .await?;
    Ok(Some(complaint_number_mutation(
        store,
        complaint,
        ComplaintEventId::from(uuid::Uuid::now_v7()),
        number,
        mutation_id,
        now,
    )))
}
