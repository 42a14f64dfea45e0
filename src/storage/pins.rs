//! PINs that unlock a bedside tablet offline, one per staff member, kept in localStorage.
//!
//! A signed-in staff member sets her PIN once (the server hashes it with Argon2id and hands the
//! hash back; a standalone device hashes it itself with the same parameters). The device keeps the
//! hash with her session, so a later unlock checks the PIN here, without a network, and acts as her.
//! Wrong PINs are throttled on the device: after five, each further try waits longer.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use orchid_core::ids::StaffId;

use super::settings::Session;

const PINS_KEY: &str = "orchid.pins";
const THROTTLE_KEY: &str = "orchid.pin_throttle";

/// Wrong PINs allowed before the device makes the next try wait.
pub const FREE_FAILURES: u32 = 5;
/// The first wait, doubled for every further wrong PIN, up to [`MAX_WAIT_SECS`].
pub const FIRST_WAIT_SECS: u64 = 30;
pub const MAX_WAIT_SECS: u64 = 3600;

/// A staff member who can unlock this device with her PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub staff_id: StaffId,
    pub staff_name: String,
    /// The role's code, as in [`Session::role`].
    pub role: String,
    /// Argon2id PHC string of the PIN.
    pub pin_hash: String,
    /// Her session on a paired device (so her changes go out with her token); none standalone.
    #[serde(default)]
    pub session: Option<Session>,
}

pub fn load_pins() -> Vec<PinRecord> {
    LocalStorage::get(PINS_KEY).unwrap_or_default()
}

/// Remembers `record`, replacing that staff member's earlier PIN.
pub fn save_pin(record: PinRecord) -> Result<(), gloo_storage::errors::StorageError> {
    let mut pins = load_pins();
    pins.retain(|p| p.staff_id != record.staff_id);
    pins.push(record);
    pins.sort_by(|a, b| a.staff_name.cmp(&b.staff_name));
    LocalStorage::set(PINS_KEY, pins)
}

/// Forgets `staff`'s PIN: she may no longer open this device (deactivated, removed).
pub fn forget_pin(staff: StaffId) {
    let mut pins = load_pins();
    let before = pins.len();
    pins.retain(|p| p.staff_id != staff);
    if pins.len() != before
        && let Err(err) = LocalStorage::set(PINS_KEY, pins)
    {
        leptos::logging::warn!("could not forget a PIN: {err}");
    }
}

/// Keeps a remembered session fresh (a new sign-in gives a new token).
pub fn refresh_session(session: &Session) {
    let Some(staff) = session.staff_id else {
        return;
    };
    let mut pins = load_pins();
    let mut changed = false;
    for p in pins.iter_mut().filter(|p| p.staff_id == staff) {
        if p.session.as_ref() != Some(session) {
            p.session = Some(session.clone());
            changed = true;
        }
    }
    if changed && let Err(err) = LocalStorage::set(PINS_KEY, pins) {
        leptos::logging::warn!("could not refresh a remembered session: {err}");
    }
}

/// Is `pin` an acceptable PIN: the core's rule ([`orchid_core::pin::check_pin`]: 6–12 digits,
/// not one digit repeated, not a straight run), the one the server applies too.
pub fn pin_shape_ok(pin: &str) -> bool {
    orchid_core::pin::check_pin(pin).is_ok()
}

/// The server's parameters for passwords and PINs (OWASP's minimum for Argon2id).
fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(19 * 1024, 2, 1, None)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `pin` with a fresh `salt` (16 random bytes).
pub fn hash_pin(pin: &str, salt: &[u8; 16]) -> Option<String> {
    let salt = SaltString::encode_b64(salt).ok()?;
    let hash = argon2().ok()?.hash_password(pin.as_bytes(), &salt).ok()?;
    Some(hash.to_string())
}

/// 16 random bytes from the browser's CSPRNG; `None` if it is not available.
pub fn random_salt() -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// Does `pin` match the stored hash?
pub fn verify_pin(pin: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    argon2()
        .map(|a| a.verify_password(pin.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Wrong PINs on this device, kept across reloads so reloading does not reset the wait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Throttle {
    pub failures: u32,
    /// Until when (ms since the epoch) no PIN is checked.
    pub locked_until_ms: f64,
}

impl Throttle {
    pub fn load() -> Self {
        LocalStorage::get(THROTTLE_KEY).unwrap_or_default()
    }

    fn save(&self) {
        if let Err(err) = LocalStorage::set(THROTTLE_KEY, self) {
            leptos::logging::warn!("could not remember the PIN throttle: {err}");
        }
    }

    /// Seconds to wait before the next try at `now_ms` (0: go ahead).
    pub fn wait_secs(&self, now_ms: f64) -> u64 {
        if now_ms >= self.locked_until_ms {
            0
        } else {
            // Whole seconds, rounded up; the difference is positive and at most an hour here.
            ((self.locked_until_ms - now_ms) / 1000.0).ceil() as u64
        }
    }

    /// The wait after `failures` wrong PINs.
    pub fn wait_after(failures: u32) -> u64 {
        if failures < FREE_FAILURES {
            return 0;
        }
        let doublings = (failures - FREE_FAILURES).min(10);
        (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
    }

    /// Counts a wrong PIN at `now_ms`; returns the seconds to wait now.
    pub fn failed(&mut self, now_ms: f64) -> u64 {
        self.failures = self.failures.saturating_add(1);
        let wait = Self::wait_after(self.failures);
        self.locked_until_ms = now_ms + (wait as f64) * 1000.0;
        self.save();
        wait
    }

    /// A right PIN clears the count.
    pub fn succeeded(&mut self) {
        *self = Self::default();
        self.save();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shape() {
        assert!(pin_shape_ok("135790"));
        assert!(!pin_shape_ok("12345"));
        assert!(!pin_shape_ok("1234567890123"));
        assert!(!pin_shape_ok("111111"));
        assert!(!pin_shape_ok("123456"));
        assert!(!pin_shape_ok("654321"));
        assert!(!pin_shape_ok("12a456"));
    }

    #[test]
    fn hash_then_verify_with_the_servers_parameters() {
        let hash = hash_pin("246810", &[7u8; 16]).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_pin("246810", &hash));
        assert!(!verify_pin("246811", &hash));
        assert!(!verify_pin("246810", "garbage"));
    }

    #[test]
    fn waits_grow_after_five_wrong_pins() {
        assert_eq!(Throttle::wait_after(4), 0);
        assert_eq!(Throttle::wait_after(5), 30);
        assert_eq!(Throttle::wait_after(6), 60);
        assert_eq!(Throttle::wait_after(7), 120);
        assert_eq!(Throttle::wait_after(40), MAX_WAIT_SECS);
        let t = Throttle {
            failures: 5,
            locked_until_ms: 10_500.0,
        };
        assert_eq!(t.wait_secs(10_000.0), 1);
        assert_eq!(t.wait_secs(10_500.0), 0);
    }
}
