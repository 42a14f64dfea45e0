//! Property tests of the sync merge: (a) replicas converge whatever the order, duplication and delay of
//! delivery — peer to peer and through the reference server with lost responses; (b) applying a mutation
//! twice equals applying it once; (d) no accepted set of bookings has an unflagged collision.

mod common;

use std::collections::BTreeSet;

use common::{Op, STORE, actor, base, mutations};
use orchid_core::appointment::{Conflict, all_conflicts};
use orchid_core::ids::ClientId;
use orchid_core::sync::{Mutation, PushOutcome, Replica, ServerState, SyncClient};
use proptest::prelude::*;

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

fn apply_all<'a>(r: &mut Replica, ms: impl IntoIterator<Item = &'a Mutation>) {
    for m in ms {
        let _ = r.apply(m);
    }
}

/// A delivery schedule: each replica gets every mutation at least once, in its own shuffled order, with
/// some delivered twice (duplicates) and late (delay = later in the order).
fn deliveries(n: usize, replicas: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    proptest::collection::vec(
        (
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            proptest::collection::vec(0..n.max(1), 0..=n / 2),
        ),
        replicas,
    )
    .prop_map(move |per| {
        per.into_iter()
            .map(|(mut order, dups)| {
                if n > 0 {
                    for (i, d) in dups.into_iter().enumerate() {
                        let at = (i * 7 + d) % (order.len() + 1);
                        order.insert(at, d);
                    }
                }
                order
            })
            .collect()
    })
}

fn schedule() -> impl Strategy<Value = (Vec<Mutation>, Vec<Vec<usize>>)> {
    proptest::collection::vec(op(), 1..24).prop_flat_map(|ops| {
        let ms = mutations(&ops, 3);
        let n = ms.len();
        (Just(ms), deliveries(n, 3))
    })
}

proptest! {
    // 10,000 cases: three replicas each, every mutation kind, random order, duplicates and delays.
    #![proptest_config(ProptestConfig { cases: 10_000, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_peer_to_peer((ms, orders) in schedule()) {
        let mut reference = Replica::new();
        apply_all(&mut reference, &ms);
        for order in &orders {
            let mut r = Replica::new();
            apply_all(&mut r, order.iter().map(|&i| &ms[i]));
            prop_assert_eq!(&r, &reference);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// (b) Applying a mutation twice equals applying it once, at any point of any history.
    #[test]
    fn applying_twice_equals_once(ops in proptest::collection::vec(op(), 1..30), twice in any::<prop::sample::Index>()) {
        let ms = mutations(&ops, 3);
        let k = twice.index(ms.len());
        let mut once = Replica::new();
        let mut double = Replica::new();
        for (i, m) in ms.iter().enumerate() {
            let a = once.apply(m);
            let b = double.apply(m);
            prop_assert_eq!(a.is_ok(), b.is_ok());
            if i == k {
                let again = double.apply(m);
                if a.is_ok() {
                    prop_assert_eq!(again, Ok(orchid_core::sync::Applied::Duplicate));
                }
            }
            prop_assert_eq!(&once, &double);
        }
    }

    /// (d) Every collision among bookings that hold time is flagged.
    #[test]
    fn no_unflagged_collision(ops in proptest::collection::vec((any::<u8>(), prop::sample::select(vec![6u8, 7, 8, 18]), any::<u8>(), any::<u8>(), Just(2u8), any::<u8>()), 1..40), buffer in 0u32..30) {
        // Role index 2 = reception: allowed to book and to move most statuses.
        let ms = mutations(&ops, 3);
        let mut r = Replica::new();
        apply_all(&mut r, &ms);
        let flagged: BTreeSet<Conflict> = r.booking_conflicts(STORE, buffer).into_iter().collect();
        let views = r.appointments(STORE);
        let active: Vec<_> = views.iter().filter(|v| v.status.status.holds_time()).collect();
        for (i, x) in active.iter().enumerate() {
            for y in active.iter().skip(i + 1) {
                let (xa, ya) = (&x.appointment, &y.appointment);
                let (a, b) = if xa.id < ya.id { (xa.id, ya.id) } else { (ya.id, xa.id) };
                let buffered = xa.time.extended_by(buffer).overlaps(&ya.time.extended_by(buffer));
                if buffered && xa.therapist_id.is_some() && xa.therapist_id == ya.therapist_id {
                    prop_assert!(flagged.iter().any(|c| c.a == a && c.b == b), "therapist collision {:?}/{:?} not flagged", a, b);
                }
                if buffered && xa.room_id.is_some() && xa.room_id == ya.room_id {
                    prop_assert!(flagged.iter().any(|c| c.a == a && c.b == b), "room collision not flagged");
                }
                if xa.time.overlaps(&ya.time) && xa.customer_id == ya.customer_id {
                    prop_assert!(flagged.iter().any(|c| c.a == a && c.b == b), "customer collision not flagged");
                }
            }
        }
        // And nothing is flagged that is not a collision.
        let again: BTreeSet<Conflict> = all_conflicts(active.iter().map(|v| (&v.appointment, v.status.status)), buffer).into_iter().collect();
        prop_assert_eq!(flagged, again);
    }
}

/// One step of a client/server schedule.
#[derive(Clone, Debug)]
enum Step {
    /// Client `c` makes the change of op.
    Make(u8, Op),
    /// Client `c` pushes up to `n`; the response is lost if `lose`.
    Push(u8, u8, bool),
    /// Client `c` pulls up to `n`; the response is lost if `lose`.
    Pull(u8, u8, bool),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<u8>(), op()).prop_map(|(c, o)| Step::Make(c, o)),
        1 => (any::<u8>(), 1u8..6, prop::bool::weighted(0.3)).prop_map(|(c, n, l)| Step::Push(c, n, l)),
        1 => (any::<u8>(), 1u8..6, prop::bool::weighted(0.3)).prop_map(|(c, n, l)| Step::Pull(c, n, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// (a, through the server) Three devices make changes offline, push and pull in random order, with
    /// responses lost (so pushes are retried and pulls repeated); once everyone has pushed and pulled,
    /// every device shows exactly the server's state and has an empty outbox.
    #[test]
    fn devices_converge_through_the_server(steps in proptest::collection::vec(step(), 1..40)) {
        const N: u8 = 3;
        let mut server = ServerState::new(ClientId::from_u128(999));
        let mut clients: Vec<SyncClient> = (0..N).map(|i| SyncClient::new(ClientId::from_u128(u128::from(i) + 1), STORE)).collect();
        let now = base();
        let anywhere = |_| true;
        for s in &steps {
            match s {
                Step::Make(c, (_, kind, a, b, r, _)) => {
                    let role = common::role(*r);
                    let change = common::change(*kind, *a, *b, role);
                    let _ = clients[usize::from(c % N)].mutate(actor(role), change, now);
                }
                Step::Push(c, n, lose) => {
                    let cl = &mut clients[usize::from(c % N)];
                    if let Some(req) = cl.push_request(usize::from(*n)) {
                        let role = req.mutations[0].actor;
                        // Each device's mutations in one request share an actor only if made so; push one
                        // actor's run at a time, as a real session would.
                        let run: Vec<Mutation> = req.mutations.iter().take_while(|m| m.actor == role).cloned().collect();
                        let req = orchid_core::sync::PushRequest { mutations: run, ..req };
                        let resp = server.push(&req, &role, &anywhere, now).unwrap();
                        prop_assert!(resp.results.iter().all(|r| !matches!(r.outcome, PushOutcome::Rejected { .. })), "{:?}", resp);
                        if !lose {
                            cl.on_push_response(&resp).unwrap();
                        }
                    }
                }
                Step::Pull(c, n, lose) => {
                    let cl = &mut clients[usize::from(c % N)];
                    let resp = server.pull(&cl.pull_request(u32::from(*n))).unwrap();
                    if !lose {
                        cl.on_pull_response(&resp, now).unwrap();
                    }
                }
            }
        }
        // Quiesce: everyone pushes everything, then pulls everything.
        for cl in clients.iter_mut() {
            while let Some(req) = cl.push_request(usize::MAX) {
                let role = req.mutations[0].actor;
                let run: Vec<Mutation> = req.mutations.iter().take_while(|m| m.actor == role).cloned().collect();
                let req = orchid_core::sync::PushRequest { mutations: run, ..req };
                let resp = server.push(&req, &role, &anywhere, now).unwrap();
                cl.on_push_response(&resp).unwrap();
                let pulled = server.pull(&cl.pull_request(u32::MAX)).unwrap();
                cl.on_pull_response(&pulled, now).unwrap();
            }
        }
        for cl in clients.iter_mut() {
            let pulled = server.pull(&cl.pull_request(u32::MAX)).unwrap();
            cl.on_pull_response(&pulled, now).unwrap();
            prop_assert!(cl.pending().is_empty());
        }
        // Server-side bookkeeping aside (which clients' ids it saw is the same set), the devices'
        // confirmed state equals the server's.
        for cl in &clients {
            prop_assert_eq!(cl.view(), cl.confirmed());
            prop_assert_eq!(cl.confirmed(), &server.replica);
        }
    }
}
