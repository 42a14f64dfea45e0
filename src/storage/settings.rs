//! Device settings kept in localStorage: small, synchronous, per device.
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

const LANG_KEY: &str = "orchid.lang";
const SESSION_KEY: &str = "orchid.session";

/// Who is signed in on this device, as the server told us at sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub staff_name: String,
    pub role: String,
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
