//! Device settings kept in localStorage: small, synchronous, per device.
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use orchid_core::ids::{StaffId, StoreId};
use orchid_core::role::Role;
use orchid_core::sync::Actor;

use crate::i18n::Lang;

const LANG_KEY: &str = "orchid.lang";
const SESSION_KEY: &str = "orchid.session";
const TOKENS_KEY: &str = "orchid.tokens";
const DEVICE_KEY_KEY: &str = "orchid.device_key";
const LOCAL_PERSON_KEY: &str = "orchid.local_person";

/// Who is signed in on this device, as the server told us at sign-in. Kept across reloads so the
/// same person keeps working offline; the token is sent with every sync request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub staff_name: String,
    /// The role's code (`manager`, `therapist`, …), as on the wire.
    pub role: String,
    /// The staff member (older sessions did not keep it: they act as nobody until signed in again).
    #[serde(default)]
    pub staff_id: Option<StaffId>,
    /// The store the server signed them into.
    #[serde(default)]
    pub store_id: Option<StoreId>,
    /// When the token expires (RFC 3339), as the server said.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Someone else chose her password (a new login, a reset): the server accepts nothing from
    /// this session but her own new password.
    #[serde(default)]
    pub must_change_password: bool,
    /// Signed in to a server for trying Orchid (`--demo`), where the demo store may be loaded.
    #[serde(default)]
    pub demo_server: bool,
}

impl Session {
    /// The staff member and role changes are made as; `None` if the session lacks them.
    pub fn actor(&self) -> Option<Actor> {
        Some(Actor {
            staff_id: self.staff_id?,
            role: Role::from_code(&self.role)?,
        })
    }
}

/// The language the user chose on this device, if any.
pub fn load_lang() -> Option<Lang> {
    LocalStorage::get(LANG_KEY).ok()
}

/// Remembers the chosen language. A full or disabled localStorage only means the choice is not
/// remembered next time, so the error is returned for the caller to log, not to show.
pub fn save_lang(lang: Lang) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(LANG_KEY, lang)
}

pub fn load_session() -> Option<Session> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(session: &Session) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(SESSION_KEY, session)
}

pub fn clear_session() {
    LocalStorage::delete(SESSION_KEY);
}

/// Tokens of the staff members who signed in on this device, by staff id. Changes wait in the
/// outbox under the name of whoever made them and the server accepts them only with that person's
/// token, so a token is kept (until it expires or is refused) while that person's changes wait.
pub fn load_tokens() -> std::collections::BTreeMap<StaffId, String> {
    LocalStorage::get(TOKENS_KEY).unwrap_or_default()
}

/// Remembers `token` for `staff`.
pub fn save_token(staff: StaffId, token: &str) -> Result<(), gloo_storage::errors::StorageError> {
    let mut tokens = load_tokens();
    tokens.insert(staff, token.to_owned());
    LocalStorage::set(TOKENS_KEY, tokens)
}

/// Forgets the token of `staff` (expired, refused, or no longer needed).
pub fn forget_token(staff: StaffId) {
    let mut tokens = load_tokens();
    if tokens.remove(&staff).is_some()
        && let Err(err) = LocalStorage::set(TOKENS_KEY, tokens)
    {
        leptos::logging::warn!("could not forget a token: {err}");
    }
}

/// This device's key: random, made once, sent with every sync request so that the server knows
/// the device id is used by this device and not by someone who learned it (see the server's
/// `device_binding`). `None` when the browser has no CSPRNG or no localStorage.
pub fn device_key() -> Option<String> {
    if let Ok(key) = LocalStorage::get::<String>(DEVICE_KEY_KEY) {
        return Some(key);
    }
    let bytes = crate::storage::pins::random_salt()?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    LocalStorage::set(DEVICE_KEY_KEY, &key).ok()?;
    Some(key)
}

const DEVICE_LOCK_KEY: &str = "orchid.device_lock";

/// What a shared device shows before anything else, kept across reloads, new tabs and deep links:
/// a locked device stays locked and the customer's feedback kiosk stays the kiosk whatever the
/// page is reloaded to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeviceLock {
    /// The active person works.
    #[default]
    Open,
    /// "Who is working?": only a PIN (or a sign-in) opens the device.
    Locked,
    /// The customer-facing feedback screen of this visit; only a staff PIN leaves it.
    Kiosk {
        record: orchid_core::ids::ServiceRecordId,
    },
}

pub fn load_device_lock() -> DeviceLock {
    LocalStorage::get(DEVICE_LOCK_KEY).unwrap_or_default()
}

/// Remembers the lock. A device that cannot remember it (storage disabled) must not open at the
/// next load, so the failure is logged loudly; the lock in memory still holds for this page.
pub fn save_device_lock(lock: DeviceLock) {
    if let Err(err) = LocalStorage::set(DEVICE_LOCK_KEY, lock) {
        leptos::logging::error!("the device's lock could not be remembered: {err}");
    }
}

const WORKING_STORE_KEY: &str = "orchid.working_store";
const HOME_STORE_KEY: &str = "orchid.home_store";
const KNOWN_STORES_KEY: &str = "orchid.known_stores";

/// The store of the chain this device works in, when someone chose one other than the device's
/// first (its home). Each store's records live in their own IndexedDB database, so switching
/// keeps every store's records and waiting changes on the device.
pub fn working_store() -> Option<StoreId> {
    LocalStorage::get(WORKING_STORE_KEY).ok()
}

/// Chooses the store to work in (`None`: the device's home store).
pub fn save_working_store(
    store: Option<StoreId>,
) -> Result<(), gloo_storage::errors::StorageError> {
    match store {
        Some(store) => LocalStorage::set(WORKING_STORE_KEY, store),
        None => {
            LocalStorage::delete(WORKING_STORE_KEY);
            Ok(())
        }
    }
}

/// The store the device's first database holds, once it is known.
pub fn home_store() -> Option<StoreId> {
    LocalStorage::get(HOME_STORE_KEY).ok()
}

/// Remembers the store the device's first database holds.
const DEMO_LOADED_KEY: &str = "orchid.demo_loaded";

/// The demo store was loaded into this device's records (its invented customers must stay
/// behind when the device is signed in to a real store's server).
pub fn demo_loaded() -> bool {
    LocalStorage::get::<bool>(DEMO_LOADED_KEY).unwrap_or(false)
}

/// Notes (or forgets) that the demo store was loaded on this device.
pub fn save_demo_loaded(loaded: bool) {
    if !loaded {
        LocalStorage::delete(DEMO_LOADED_KEY);
    } else if let Err(err) = LocalStorage::set(DEMO_LOADED_KEY, true) {
        leptos::logging::warn!("could not note the demo store: {err}");
    }
}

pub fn save_home_store(store: StoreId) {
    if let Err(err) = LocalStorage::set(HOME_STORE_KEY, store) {
        leptos::logging::warn!("could not remember the device's store: {err}");
    }
}

/// A store of the chain as the device last heard of it: enough to switch to it offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownStore {
    pub id: StoreId,
    pub name: String,
}

/// The stores the signed-in person may work in, as the server last listed them.
pub fn known_stores() -> Vec<KnownStore> {
    LocalStorage::get(KNOWN_STORES_KEY).unwrap_or_default()
}

/// Remembers the stores the server listed.
pub fn save_known_stores(stores: &[KnownStore]) {
    if let Err(err) = LocalStorage::set(KNOWN_STORES_KEY, stores) {
        leptos::logging::warn!("could not remember the chain's stores: {err}");
    }
}

/// Who opened a standalone device last with her PIN (see `state::local_people`); `None` is its
/// owner.
pub fn load_local_person() -> Option<StaffId> {
    // Native unit tests make store handles too; gloo's storage exists only in a browser.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    LocalStorage::get(LOCAL_PERSON_KEY).ok()
}

pub fn save_local_person(staff: Option<StaffId>) {
    if cfg!(not(target_arch = "wasm32")) {
        return;
    }
    let saved = match staff {
        Some(staff) => LocalStorage::set(LOCAL_PERSON_KEY, staff),
        None => {
            LocalStorage::delete(LOCAL_PERSON_KEY);
            Ok(())
        }
    };
    if let Err(err) = saved {
        leptos::logging::warn!("who is working could not be remembered: {err}");
    }
}
