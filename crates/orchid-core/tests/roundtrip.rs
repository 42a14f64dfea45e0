//! (e) Every record round-trips through JSON: every kind of mutation (which carries every record type),
//! the replica itself, and the views built from it.

mod common;

use common::{Op, STORE, base, mutations};
use orchid_core::ids::{AppointmentId, ComplaintId, CustomerId, ServiceRecordId};
use orchid_core::sync::{Mutation, Replica};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    v: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(v).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, v);
    Ok(())
}

fn op() -> impl Strategy<Value = Op> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn every_record_round_trips(ops in proptest::collection::vec(op(), 1..40)) {
        let ms: Vec<Mutation> = mutations(&ops, 3);
        let mut r = Replica::new();
        for m in &ms {
            round_trip(m)?;
            let _ = r.apply(m);
        }
        round_trip(&r)?;
        for s in r.stores() { round_trip(&s)?; }
        for c in r.customers(STORE) {
            round_trip(&c)?;
            round_trip(&r.skin_assessments(c.id))?;
            round_trip(&r.consents(c.id))?;
            round_trip(&r.loyalty(c.id))?;
            if let Some(e) = r.export_customer(c.id) { round_trip(&e)?; }
        }
        for i in 0..9u128 {
            if let Some(a) = r.appointment(AppointmentId::from_u128(i)) { round_trip(&a)?; }
            if let Some(s) = r.service_record(ServiceRecordId::from_u128(i)) { round_trip(&s)?; }
            if let Some(c) = r.complaint(ComplaintId::from_u128(i), base()) { round_trip(&c)?; }
            round_trip(&r.loyalty(CustomerId::from_u128(i)))?;
        }
        round_trip(&r.staff(STORE))?;
        round_trip(&r.catalog(STORE))?;
        round_trip(&r.rooms(STORE))?;
        round_trip(&r.waitlist(STORE))?;
        round_trip(&r.feedback(STORE))?;
        round_trip(&r.follow_ups(STORE))?;
        round_trip(&r.products(STORE))?;
        round_trip(&r.batches(STORE))?;
        round_trip(&r.stock_movements(STORE))?;
        round_trip(&r.stock_levels(STORE))?;
        round_trip(&r.audit(STORE))?;
        round_trip(&r.booking_conflicts(STORE, 10))?;
    }
}
