//! The team's logins for the pages: the active person's token put on each request to
//! [`crate::sync::team`], and a sync started after a change so that the device learns the
//! server's staff record at once.
use leptos::prelude::*;
use orchid_core::ids::{StaffId, StoreId};
use orchid_core::role::Role;

use super::AppState;
use crate::sync::team;
pub use crate::sync::team::{Login, TeamError, first_password};

/// The signed-in person's token for a request to the server about the team or the chain.
pub(crate) fn token(state: &AppState) -> Result<String, TeamError> {
    state
        .session
        .get_untracked()
        .map(|s| s.token)
        .ok_or(TeamError::SignedOut)
}

pub async fn list_logins(state: &AppState, store: StoreId) -> Result<Vec<Login>, TeamError> {
    team::list_logins(&token(state)?, store).await
}

pub async fn create_login(
    state: &AppState,
    store: StoreId,
    staff: StaffId,
    login: &str,
    display_name: &str,
    role: Role,
    first_password: &str,
) -> Result<Login, TeamError> {
    let made = team::create_login(
        &token(state)?,
        store,
        staff,
        login,
        display_name,
        role,
        first_password,
    )
    .await?;
    crate::sync::run::kick();
    Ok(made)
}

pub async fn reset_password(
    state: &AppState,
    staff: StaffId,
    first_password: &str,
) -> Result<Login, TeamError> {
    team::reset_password(&token(state)?, staff, first_password).await
}

pub async fn set_active(
    state: &AppState,
    staff: StaffId,
    active: bool,
) -> Result<Login, TeamError> {
    let changed = team::set_active(&token(state)?, staff, active).await?;
    crate::sync::run::kick();
    Ok(changed)
}

/// The active person replaces her password; her session no longer needs to.
pub async fn change_own_password(state: &AppState, old: &str, new: &str) -> Result<(), TeamError> {
    team::change_own_password(&token(state)?, old, new).await?;
    if let Some(mut session) = state.session.get_untracked() {
        session.must_change_password = false;
        state.signed_in(session);
    }
    Ok(())
}

pub use crate::sync::team::StaffStores;

pub async fn staff_stores(state: &AppState, staff: StaffId) -> Result<StaffStores, TeamError> {
    team::staff_stores(&token(state)?, staff).await
}

pub async fn set_staff_store(
    state: &AppState,
    staff: StaffId,
    store: StoreId,
    works_here: bool,
) -> Result<StaffStores, TeamError> {
    let changed = team::set_staff_store(&token(state)?, staff, store, works_here).await?;
    crate::sync::run::kick();
    Ok(changed)
}
