//! (c) A complaint's computed state does not depend on the order its events arrived in (nor on
//! duplicates), at any `now`, with deadlines counted around the clock or in opening hours.

mod common;

use chrono::Duration;
use common::{base, complaint_event, role};
use orchid_core::complaint::{ComplaintEvent, ComplaintView};
use orchid_core::ids::{StaffId, StoreId};
use orchid_core::store::Store;
use orchid_core::text::Name;
use proptest::prelude::*;

fn events() -> impl Strategy<Value = Vec<ComplaintEvent>> {
    proptest::collection::vec((any::<u8>(), 0u32..4000, 0u8..3), 1..20).prop_map(|raw| {
        raw.into_iter()
            .map(|(b, minute, r)| {
                // Mostly the complaint team, sometimes the manager.
                let role = [role(4), role(1), role(5)][usize::from(r)];
                complaint_event(
                    1,
                    b,
                    base() + Duration::minutes(i64::from(minute)),
                    role,
                    StaffId::from_u128(1),
                )
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn state_is_independent_of_arrival_order(
        evs in events(),
        perm in Just(()).prop_perturb(|_, mut rng| rng.random::<u64>()),
        now_minute in 0i64..6000,
        business_hours in any::<bool>(),
    ) {
        let mut store = Store::new(StoreId::from_u128(1), Name::parse("兰心").unwrap());
        store.settings.deadlines_in_business_hours = business_hours;
        let now = base() + Duration::minutes(now_minute);
        let expected = ComplaintView::compute(&evs, &store, now);
        // A deterministic shuffle driven by `perm`, plus a duplicate of the first event.
        let mut shuffled = evs.clone();
        let mut x = perm | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, usize::try_from(x % (i as u64 + 1)).unwrap());
        }
        shuffled.push(evs[0].clone());
        let got = ComplaintView::compute(&shuffled, &store, now);
        prop_assert_eq!(got, expected);
    }
}
