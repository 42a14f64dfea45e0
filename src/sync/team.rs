//! The team's logins on the server: list, create, reset, role, deactivate and reactivate, and a
//! person's own new password. Passwords live only on the server, so these need the network; the
//! staff records themselves (names, roles, active) also travel as ordinary synced changes.
use orchid_core::ids::{StaffId, StoreId};
use orchid_core::role::Role;
use serde::{Deserialize, Serialize};

use super::http::{HttpError, get_json_auth, post_json_auth};

/// A login as the server lists it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Login {
    pub id: StaffId,
    pub store_id: StoreId,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    pub must_change_password: bool,
}

#[derive(Deserialize)]
struct LoginList {
    staff: Vec<Login>,
}

/// Why a team request did not work, as the person should hear it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamError {
    /// No answer: offline or the server is down.
    Offline,
    /// The session ended (expired, revoked): sign in again.
    SignedOut,
    /// The login is someone else's already (or the person has one).
    Taken,
    /// The server refused with this error code (`password.too_short`, `forbidden`, …).
    Refused(String),
}

impl From<HttpError> for TeamError {
    fn from(err: HttpError) -> Self {
        match err {
            HttpError::Unreachable => TeamError::Offline,
            HttpError::Status { status: 401, .. } => TeamError::SignedOut,
            HttpError::Status { status: 409, .. } => TeamError::Taken,
            HttpError::Status { code, .. } => {
                TeamError::Refused(code.unwrap_or_else(|| "forbidden".to_owned()))
            }
            HttpError::BadBody => TeamError::Refused("bad_request".to_owned()),
        }
    }
}

/// The logins of `store`.
pub async fn list_logins(token: &str, store: StoreId) -> Result<Vec<Login>, TeamError> {
    let list: LoginList = get_json_auth(&format!("/api/v1/staff?store_id={store}"), token).await?;
    Ok(list.staff)
}

#[derive(Serialize)]
struct NewLogin<'a> {
    store_id: StoreId,
    staff_id: StaffId,
    login: &'a str,
    display_name: &'a str,
    role: Role,
    password: &'a str,
}

/// Gives `staff` (already on the store's records) a login with a first password.
pub async fn create_login(
    token: &str,
    store: StoreId,
    staff: StaffId,
    login: &str,
    display_name: &str,
    role: Role,
    first_password: &str,
) -> Result<Login, TeamError> {
    Ok(post_json_auth(
        "/api/v1/staff",
        token,
        &NewLogin {
            store_id: store,
            staff_id: staff,
            login,
            display_name,
            role,
            password: first_password,
        },
    )
    .await?)
}

#[derive(Serialize)]
struct PasswordReset<'a> {
    password: &'a str,
}

/// Sets a new first password for `staff`; her sessions end.
pub async fn reset_password(
    token: &str,
    staff: StaffId,
    first_password: &str,
) -> Result<Login, TeamError> {
    Ok(post_json_auth(
        &format!("/api/v1/staff/{staff}/password"),
        token,
        &PasswordReset {
            password: first_password,
        },
    )
    .await?)
}

/// Ends `staff`'s sign-in (`active: false`) or allows it again.
pub async fn set_active(token: &str, staff: StaffId, active: bool) -> Result<Login, TeamError> {
    let action = if active { "reactivate" } else { "deactivate" };
    Ok(post_json_auth(
        &format!("/api/v1/staff/{staff}/{action}"),
        token,
        &serde_json::json!({}),
    )
    .await?)
}

#[derive(Serialize)]
struct PasswordChange<'a> {
    old_password: &'a str,
    new_password: &'a str,
}

#[derive(Deserialize)]
struct PasswordChanged {}

/// The signed-in person replaces her password.
pub async fn change_own_password(token: &str, old: &str, new: &str) -> Result<(), TeamError> {
    let _: PasswordChanged = post_json_auth(
        "/api/v1/auth/password",
        token,
        &PasswordChange {
            old_password: old,
            new_password: new,
        },
    )
    .await?;
    Ok(())
}

/// A first password to hand over: 12 characters from an alphabet without look-alikes (no 0/O,
/// 1/l/I), from the browser's CSPRNG, without modulo bias (bytes past the last whole multiple of
/// the alphabet's length are drawn again). `None` when the browser has no CSPRNG.
pub fn first_password() -> Option<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    const LENGTH: usize = 12;
    let fair = 256 - 256 % ALPHABET.len();
    let mut password = String::with_capacity(LENGTH);
    while password.len() < LENGTH {
        for byte in crate::storage::pins::random_salt()? {
            if usize::from(byte) < fair && password.len() < LENGTH {
                password.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            }
        }
    }
    Some(password)
}

/// The stores a person works in: her own and the others she also works in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StaffStores {
    pub store_id: StoreId,
    pub also_in: Vec<StoreId>,
}

/// Where `staff` works.
pub async fn staff_stores(token: &str, staff: StaffId) -> Result<StaffStores, TeamError> {
    Ok(get_json_auth(&format!("/api/v1/staff/{staff}/stores"), token).await?)
}

#[derive(Serialize)]
struct StoreMembership {
    store_id: StoreId,
    works_here: bool,
}

/// Lets `staff` work in `store` too, or no longer (the owner).
pub async fn set_staff_store(
    token: &str,
    staff: StaffId,
    store: StoreId,
    works_here: bool,
) -> Result<StaffStores, TeamError> {
    Ok(post_json_auth(
        &format!("/api/v1/staff/{staff}/stores"),
        token,
        &StoreMembership {
            store_id: store,
            works_here,
        },
    )
    .await?)
}
