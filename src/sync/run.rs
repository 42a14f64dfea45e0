//! The sync loop: when the device is paired and online, push the outbox in batches (each batch one
//! person's changes, with their token), pull the store's changes since the cursor, store them
//! (re-applying still-pending local changes on top), and bump `revision` so screens refresh.
//! Failures back off exponentially with jitter; "Sync now", a local change and the browser coming
//! back online wake it. Every step is stored before the next one starts, so a crash at any point
//! resumes where it stopped: an unconfirmed push is simply sent again (the server answers
//! `duplicate`), an unstored pull is pulled again from the stored cursor.
use std::cell::RefCell;
use std::collections::BTreeMap;

use async_trait::async_trait;
use orchid_core::ValidationError;
use orchid_core::hlc::HlcError;
use orchid_core::ids::StaffId;
use orchid_core::sync::{
    PullRequest, PullResponse, PushOutcome, PushRequest, PushResponse, SyncError,
};

use leptos::prelude::*;

use super::http::HttpError;
use crate::i18n::Msg;
use crate::state::store::{StoreHandle, SyncPhase};
use crate::storage::repo::StoreError;

/// At most this many mutations per push (the server takes up to 500).
pub const PUSH_BATCH: usize = 200;
/// At most this many changes per pull (the server sends up to 1,000).
pub const PULL_LIMIT: u32 = 1000;

/// How sync reaches the server. The app uses [`HttpTransport`]; tests use the core's reference
/// server.
#[async_trait(?Send)]
pub trait Transport {
    /// `POST /api/v1/sync/push` as the owner of `token`.
    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, HttpError>;
    /// `POST /api/v1/sync/pull` as the owner of `token`.
    async fn pull(&self, token: &str, req: &PullRequest) -> Result<PullResponse, HttpError>;
}

/// The server that served the app (same origin).
pub struct HttpTransport;

#[async_trait(?Send)]
impl Transport for HttpTransport {
    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, HttpError> {
        super::http::post_json_auth("/api/v1/sync/push", token, req).await
    }
    async fn pull(&self, token: &str, req: &PullRequest) -> Result<PullResponse, HttpError> {
        super::http::post_json_auth("/api/v1/sync/pull", token, req).await
    }
}

/// Why a sync run stopped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncFailure {
    /// No answer: offline or the server is down.
    #[error("the server cannot be reached")]
    Unreachable,
    /// The token of this person was refused (expired or revoked): they must sign in again.
    #[error("the token of {0} was refused")]
    SignInAgain(StaffId),
    /// Changes of someone deactivated since she made them wait: a manager or the owner signed
    /// in on this device carries them (the server accepts them from her as that person's).
    #[error("the changes of {0}, deactivated, wait for a manager")]
    WaitsForManager(StaffId),
    /// Nobody who signed in on this device has a token (the device needs a sign-in to sync).
    #[error("no one is signed in to sync with")]
    NoToken,
    /// The server answered with an error status.
    #[error("the server answered {0}")]
    Server(u16),
    /// The server speaks another format version, or sent something this code cannot read.
    #[error("the server's answer could not be understood: {0}")]
    Protocol(String),
    /// The server keeps refusing this device's changes for now because its clock is ahead of the
    /// server's by more than the allowed drift: they wait in the outbox (nothing is dropped).
    #[error("this device's clock is {ahead_ms} ms ahead of the server's")]
    ClockAhead {
        /// How far ahead, as the server measured it.
        ahead_ms: u64,
    },
    /// The server says this device id is used by another device (a copy of this browser's
    /// records, or someone who learned the id): changes wait until a manager signs the other
    /// device out in Devices.
    #[error("this device id belongs to another device")]
    DeviceTaken,
    /// The person's password is one someone else chose: the server takes nothing from her
    /// session until she chooses her own.
    #[error("the password must be changed first")]
    MustChangePassword,
    /// Storing what came back failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<SyncError> for SyncFailure {
    fn from(e: SyncError) -> Self {
        Self::Protocol(e.code().to_owned())
    }
}

impl SyncFailure {
    /// What to tell the user.
    pub fn msg(&self) -> Msg {
        match self {
            Self::Unreachable => Msg::SyncUnreachable,
            Self::SignInAgain(_) | Self::NoToken => Msg::SyncSignInAgain,
            Self::WaitsForManager(_) => Msg::SyncWaitsForManager,
            Self::Server(_) => Msg::SyncServerError,
            Self::Protocol(_) => Msg::SyncProtocolError,
            Self::ClockAhead { .. } => Msg::SyncClockAhead,
            Self::DeviceTaken => Msg::SyncDeviceTaken,
            Self::MustChangePassword => Msg::SyncChoosePassword,
            Self::Store(e) => e.msg(),
        }
    }
}

fn http_failure(e: HttpError, staff: StaffId) -> SyncFailure {
    match e {
        HttpError::Unreachable => SyncFailure::Unreachable,
        HttpError::Status { status: 401, .. } => SyncFailure::SignInAgain(staff),
        HttpError::Status {
            status: 403,
            code: Some(code),
        } if code == "sync.device_taken" => SyncFailure::DeviceTaken,
        HttpError::Status {
            status: 403,
            code: Some(code),
        } if code == "password.must_change" => SyncFailure::MustChangePassword,
        HttpError::Status { status, .. } => SyncFailure::Server(status),
        HttpError::BadBody => SyncFailure::Protocol("bad body".into()),
    }
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncRun {
    /// Mutations the server accepted (or had already).
    pub pushed: usize,
    /// Mutations the server refused for good: (mutation id, reason code).
    pub rejected: Vec<(u64, String)>,
    /// Changes received.
    pub pulled: usize,
}

/// The token that carries the changes of `staff` once she has been deactivated (her own
/// sessions ended with it): a manager's or the owner's signed in on this device. The server
/// takes them only if she made them here before her deactivation.
fn carrier_token(
    store: StoreHandle,
    tokens: &BTreeMap<StaffId, String>,
    staff: StaffId,
) -> Option<&String> {
    if store.staff_member(staff).is_none_or(|s| s.active) {
        return None;
    }
    let session = store.session.get_untracked();
    tokens
        .iter()
        .find(|(id, _)| {
            let role = store
                .staff_member(**id)
                .filter(|s| s.active)
                .map(|s| s.role)
                .or_else(|| {
                    session
                        .as_ref()
                        .and_then(|s| s.actor())
                        .filter(|a| a.staff_id == **id)
                        .map(|a| a.role)
                });
            role.is_some_and(|r| r.is_management())
        })
        .map(|(_, token)| token)
}

/// One sync run: push everything that can be pushed, then pull until up to date.
/// The tokens of the others on this device besides `puller` — those whose changes wait here and
/// those who open it with their PIN — so that a pull brings what the next person to open the
/// tablet may read (her own spot checks, a manager's complaints), and nothing none of them may.
/// The server checks each token and leaves out any no longer good.
fn colleague_tokens(
    tokens: &BTreeMap<StaffId, String>,
    puller: StaffId,
) -> BTreeMap<StaffId, String> {
    let mut others: BTreeMap<StaffId, String> = tokens
        .iter()
        .filter(|(staff, _)| **staff != puller)
        .map(|(staff, token)| (*staff, token.clone()))
        .collect();
    // localStorage is the browser's; native tests have no PINs.
    #[cfg(target_arch = "wasm32")]
    let pinned = crate::storage::pins::load_pins();
    #[cfg(not(target_arch = "wasm32"))]
    let pinned: Vec<crate::storage::pins::PinRecord> = Vec::new();
    for pin in pinned {
        if let Some(session) = pin.session
            && pin.staff_id != puller
        {
            others.entry(pin.staff_id).or_insert(session.token);
        }
    }
    others
        .into_iter()
        .take(orchid_core::sync::MAX_PULL_COLLEAGUES)
        .collect()
}

/// The people a pull is for — `puller` and her `colleagues` on this device — each with whether
/// her role reads every record (`permission::reads_everything`), by the role this device knows her in: her
/// session's, her PIN's, or the store's staff list's.
fn device_readers(
    store: StoreHandle,
    puller: StaffId,
    colleagues: &BTreeMap<StaffId, String>,
) -> Vec<(StaffId, bool)> {
    use orchid_core::role::Role;
    let session = store.session.get_untracked();
    #[cfg(target_arch = "wasm32")]
    let pinned = crate::storage::pins::load_pins();
    #[cfg(not(target_arch = "wasm32"))]
    let pinned: Vec<crate::storage::pins::PinRecord> = Vec::new();
    let role_of = |staff: StaffId| -> Option<Role> {
        session
            .as_ref()
            .filter(|s| s.staff_id == Some(staff))
            .and_then(|s| Role::from_code(&s.role))
            .or_else(|| {
                pinned
                    .iter()
                    .find(|p| p.staff_id == staff)
                    .and_then(|p| Role::from_code(&p.role))
            })
            .or_else(|| {
                store
                    .read(|d| d.view().staff_member(staff).map(|m| m.role))
                    .flatten()
            })
    };
    std::iter::once(puller)
        .chain(colleagues.keys().copied())
        .map(|staff| {
            let everything = role_of(staff).is_some_and(orchid_core::permission::reads_everything);
            (staff, everything)
        })
        .collect()
}

/// `tokens` gives the token of each staff member who signed in on this device.
pub async fn sync_once(
    store: StoreHandle,
    transport: &dyn Transport,
    tokens: &BTreeMap<StaffId, String>,
) -> Result<SyncRun, SyncFailure> {
    let mut run = SyncRun::default();
    let total = store.pending_count();
    let mut after = 0;
    let mut blocked: Option<SyncFailure> = None;
    // Push: one person's changes per request, oldest first, until the outbox is sent or the next
    // change belongs to someone without a token (later changes must wait: ids go in order).
    while let Some((actor, req)) = store.push_request_after(after, PUSH_BATCH) {
        let Some(token) = tokens
            .get(&actor.staff_id)
            .or_else(|| carrier_token(store, tokens, actor.staff_id))
        else {
            blocked = Some(
                if store
                    .staff_member(actor.staff_id)
                    .is_some_and(|s| !s.active)
                {
                    SyncFailure::WaitsForManager(actor.staff_id)
                } else {
                    SyncFailure::SignInAgain(actor.staff_id)
                },
            );
            break;
        };
        store.sync.update(|s| {
            s.phase = SyncPhase::Pushing {
                done: run.pushed,
                total,
            }
        });
        let resp = match transport.push(token, &req).await {
            Ok(resp) => resp,
            Err(HttpError::Status { status: 401, .. }) => {
                blocked = Some(SyncFailure::SignInAgain(actor.staff_id));
                break;
            }
            Err(e) => return Err(http_failure(e, actor.staff_id)),
        };
        let retry = resp
            .results
            .iter()
            .any(|r| matches!(r.outcome, PushOutcome::Retry { .. }));
        if let Some(ahead_ms) = resp.results.iter().find_map(|r| match &r.outcome {
            PushOutcome::Retry {
                error: ValidationError::Hlc(HlcError::TooFarAhead { ahead_ms, .. }),
            } => Some(*ahead_ms),
            _ => None,
        }) {
            blocked = Some(SyncFailure::ClockAhead { ahead_ms });
        }
        let report = store.apply_push(&resp).await?;
        run.pushed += report.accepted.len();
        run.rejected.extend(
            report
                .rejected
                .iter()
                .map(|(m, e)| (m.mutation_id, e.code().to_owned())),
        );
        after = req.mutations.last().map_or(after, |m| m.mutation_id);
        if retry {
            // The server is missing an earlier mutation of ours: the pull below tells which
            // it processed; the next run starts again from the oldest pending one.
            break;
        }
    }
    // Pull with the signed-in person's token, or anyone's.
    let session_staff = store
        .session
        .get_untracked()
        .and_then(|s| s.staff_id)
        .filter(|s| tokens.contains_key(s));
    let Some((staff, token)) = session_staff
        .and_then(|s| tokens.get_key_value(&s))
        .or_else(|| tokens.iter().next())
    else {
        return Err(blocked.unwrap_or(SyncFailure::NoToken));
    };
    let colleagues = colleague_tokens(tokens, *staff);
    store
        .pull_for(&device_readers(store, *staff, &colleagues))
        .await?;
    let Some(mut first) = store.pull_request(PULL_LIMIT) else {
        return Err(StoreError::NotReady.into());
    };
    first.colleagues = colleagues.into_values().collect();
    let mut resp = transport
        .pull(token, &first)
        .await
        .map_err(|e| http_failure(e, *staff))?;
    loop {
        store.sync.update(|s| {
            s.phase = SyncPhase::Pulling {
                received: run.pulled,
            }
        });
        // The next page is asked for while this one is stored (an initial sync is thousands of
        // changes). If storing fails, the fetched page is dropped and the next run pulls again
        // from the stored cursor.
        let next_req = resp.has_more.then(|| PullRequest {
            cursor: Some(resp.cursor),
            ..first.clone()
        });
        let fetch_next = async {
            match &next_req {
                Some(req) => Some(transport.pull(token, req).await),
                None => None,
            }
        };
        let (stored, next) = futures::join!(store.apply_pull(&resp), fetch_next);
        let report = stored?;
        run.pulled += report.applied + report.duplicates;
        match next {
            Some(fetched) if report.has_more => {
                resp = fetched.map_err(|e| http_failure(e, *staff))?;
            }
            _ => break,
        }
    }
    match blocked {
        // The pull has just told the device that the person whose changes waited was
        // deactivated, and a manager here can carry them: once more, now.
        Some(SyncFailure::SignInAgain(staff)) if carrier_token(store, tokens, staff).is_some() => {
            // Without her refused token, so that this run cannot come back here.
            let mut others = tokens.clone();
            others.remove(&staff);
            let again = Box::pin(sync_once(store, transport, &others)).await?;
            Ok(SyncRun {
                pushed: run.pushed + again.pushed,
                rejected: run.rejected.into_iter().chain(again.rejected).collect(),
                pulled: run.pulled + again.pulled,
            })
        }
        Some(b) => Err(b),
        None => Ok(run),
    }
}

/// The delay before attempt `failures + 1` after `failures` failures in a row: 2 s doubled each
/// time up to 5 minutes, times a random factor in [0.5, 1.0) (`random` in [0, 1)) so that many
/// devices coming back at once do not hit the server together.
pub fn backoff_ms(failures: u32, random: f64) -> u64 {
    let base = 2_000u64.saturating_mul(1u64 << failures.min(20));
    let capped = base.min(5 * 60 * 1000);
    let factor = 0.5 + random.clamp(0.0, 1.0) / 2.0;
    (capped as f64 * factor) as u64
}

thread_local! {
    static WAKE: RefCell<Option<futures::channel::mpsc::UnboundedSender<()>>> =
        const { RefCell::new(None) };
}

/// Wakes the sync loop (after a local change, "Sync now", the network coming back).
pub fn kick() {
    WAKE.with(|w| {
        if let Some(tx) = w.borrow().as_ref() {
            let _ = tx.unbounded_send(());
        }
    });
}

/// Waits `ms` milliseconds (browser timer).
#[cfg(target_arch = "wasm32")]
async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Starts the loop (once, in the browser). It runs for the life of the page.
#[cfg(target_arch = "wasm32")]
pub fn start(store: StoreHandle) {
    use futures::StreamExt;
    let (tx, mut rx) = futures::channel::mpsc::unbounded::<()>();
    WAKE.with(|w| *w.borrow_mut() = Some(tx));
    // The handle lives as long as the page.
    let _ = leptos::prelude::window_event_listener(leptos::ev::online, |_| kick());
    leptos::task::spawn_local(async move {
        let mut failures = 0u32;
        loop {
            let wait_ms = step(store, &mut failures).await;
            // Sleep until woken or the time is up; then let a burst of local writes settle.
            let timer = Box::pin(sleep(wait_ms));
            let woken = Box::pin(rx.next());
            if let futures::future::Either::Right((None, _)) =
                futures::future::select(timer, woken).await
            {
                return;
            }
            sleep(300).await;
            while rx.try_recv().is_ok() {}
        }
    });
}

/// Live changes: while the device is paired and online, one request at a time waits on the
/// server for the store's next change (`POST /sync/wait`, a long poll) and wakes the loop above
/// when it comes, so another device's change shows here in about a second rather than at the
/// next 30-second turn. It only ever wakes the loop: pulling stays the loop's job, and without it
/// (an old server, a proxy that cuts long requests) the device simply syncs as before.
#[cfg(target_arch = "wasm32")]
pub fn start_live(store: StoreHandle) {
    leptos::task::spawn_local(async move {
        let mut failures = 0u32;
        loop {
            let wait_ms = live_step(store, &mut failures).await;
            if wait_ms > 0 {
                sleep(wait_ms).await;
            }
        }
    });
}

/// One wait; returns how long to pause before the next.
#[cfg(target_arch = "wasm32")]
async fn live_step(store: StoreHandle, failures: &mut u32) -> u64 {
    use crate::storage::repo::Pairing;
    use orchid_core::sync::{FORMAT_VERSION, MAX_WAIT_MS, WaitAnswer, WaitRequest};
    if !store.ready.get_untracked() {
        return 1_000;
    }
    // A standalone device may be paired later; an offline one waits for the network.
    if !matches!(store.pairing(), Some(Pairing::Paired { .. })) {
        return 10_000;
    }
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    let first_password = store
        .session
        .get_untracked()
        .is_some_and(|s| s.must_change_password);
    if !online || first_password {
        return 3_000;
    }
    let tokens = crate::storage::settings::load_tokens();
    let session_staff = store.session.get_untracked().and_then(|s| s.staff_id);
    let Some(token) = session_staff
        .and_then(|s| tokens.get(&s))
        .or_else(|| tokens.values().next())
    else {
        return 10_000;
    };
    let Some(pull) = store.pull_request(1) else {
        return 1_000;
    };
    let request = WaitRequest {
        format_version: FORMAT_VERSION,
        store_id: pull.store_id,
        cursor: pull.cursor,
        timeout_ms: MAX_WAIT_MS,
    };
    match super::http::post_json_auth::<_, WaitAnswer>("/api/v1/sync/wait", token, &request).await {
        Ok(answer) => {
            *failures = 0;
            if answer.changed {
                kick();
                // Asking again before the pull has moved the cursor would be answered at once:
                // give the loop up to five seconds to catch up.
                for _ in 0..50 {
                    let caught_up = store
                        .pull_request(1)
                        .and_then(|p| p.cursor)
                        .is_some_and(|c| c >= answer.cursor);
                    if caught_up {
                        break;
                    }
                    sleep(100).await;
                }
            }
            0
        }
        // Errors (the server away, an old server without the route, a session ended) back off;
        // the sync loop reports them.
        Err(_) => {
            *failures = failures.saturating_add(1);
            (1_000u64 << (*failures).min(5)).min(30_000)
        }
    }
}

/// One turn of the loop; returns how long to wait before the next.
#[cfg(target_arch = "wasm32")]
async fn step(store: StoreHandle, failures: &mut u32) -> u64 {
    use crate::storage::repo::Pairing;
    use chrono::Utc;
    const IDLE_MS: u64 = 30_000;
    if !store.ready.get_untracked() {
        return 500;
    }
    if !matches!(store.pairing(), Some(Pairing::Paired { .. })) {
        store.sync.update(|s| s.phase = SyncPhase::Standalone);
        return IDLE_MS;
    }
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        store.sync.update(|s| s.phase = SyncPhase::Offline);
        return IDLE_MS;
    }
    // A first password's session opens nothing on the server but its replacement: asking would
    // only earn a 403. Sync resumes the moment she has chosen her own.
    if store
        .session
        .get_untracked()
        .is_some_and(|s| s.must_change_password)
    {
        return 1_000;
    }
    let tokens = crate::storage::settings::load_tokens();
    match sync_once(store, &HttpTransport, &tokens).await {
        Ok(run) => {
            *failures = 0;
            store.sync.update(|s| {
                s.phase = SyncPhase::Idle;
                s.last_synced = Some(Utc::now());
                s.last_error = None;
                if !run.rejected.is_empty() {
                    s.rejected = run.rejected;
                }
            });
            prune_tokens(store, &tokens);
            evict_once(store).await;
            IDLE_MS
        }
        Err(e) => {
            if let SyncFailure::SignInAgain(staff) = &e {
                crate::storage::settings::forget_token(*staff);
            }
            let wait = if matches!(
                e,
                SyncFailure::SignInAgain(_)
                    | SyncFailure::NoToken
                    | SyncFailure::WaitsForManager(_)
            ) {
                store.sync.update(|s| s.phase = SyncPhase::SignInNeeded);
                IDLE_MS
            } else {
                *failures = failures.saturating_add(1);
                store.sync.update(|s| s.phase = SyncPhase::Waiting);
                backoff_ms(*failures, js_sys::Math::random())
            };
            store.sync.update(|s| s.last_error = Some(e.msg()));
            wait
        }
    }
}

/// After the first successful sync of the page (the server has what it has confirmed), old
/// records past the store's horizon leave the device (see `Device::evictable`). Settings can run
/// it again.
#[cfg(target_arch = "wasm32")]
async fn evict_once(store: StoreHandle) {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    if let Err(e) = store.evict_old_records().await {
        leptos::logging::warn!("evicting old records failed: {e}");
    }
}

/// Forgets tokens nobody needs any more: not the signed-in person's, and no change of theirs waits.
#[cfg(target_arch = "wasm32")]
fn prune_tokens(store: StoreHandle, tokens: &BTreeMap<StaffId, String>) {
    let current = store.session.get_untracked().and_then(|s| s.staff_id);
    let waiting: std::collections::BTreeSet<StaffId> = store
        .read(|d| d.pending().iter().map(|m| m.actor.staff_id).collect())
        .unwrap_or_default();
    for staff in tokens.keys() {
        if Some(*staff) != current && !waiting.contains(staff) {
            crate::storage::settings::forget_token(*staff);
        }
    }
}

#[cfg(test)]
mod tests;
