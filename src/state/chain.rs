//! The chain for the pages: which stores the signed-in person may work in (remembered on the
//! device, so switching works offline), switching the store this device works in, the owner
//! opening a store, and the head office's figures.
//!
//! Each store's records live in their own database on the device (see `store::other_store_chosen`):
//! switching reloads the app on the other store's records; the changes waiting in the store left
//! behind stay on the device and are sent when someone works in that store again.
use chrono::NaiveDate;
use leptos::prelude::*;
use orchid_core::head_office::StoreDay;
use orchid_core::ids::StoreId;
use orchid_core::monthly_report::ChainMonth;

use super::AppState;
use super::team::token;
use crate::storage::settings::{self, KnownStore};
use crate::sync::chain::{self, BookingLink, NewStore, StoreRow};
use crate::sync::team::TeamError;

/// The stores this device knows the signed-in person may work in, shared by the header's menu
/// and the head office (one opens a store, the other offers it at once).
#[derive(Clone, Copy)]
pub struct KnownStores(pub RwSignal<Vec<KnownStore>>);

/// Provides [`KnownStores`] (once, in the app's root), from what the device remembers.
pub fn provide_known_stores() {
    provide_context(KnownStores(RwSignal::new(settings::known_stores())));
}

/// The stores this device knows of (see [`KnownStores`]).
pub fn use_known_stores() -> RwSignal<Vec<KnownStore>> {
    use_context::<KnownStores>()
        .map(|known| known.0)
        .unwrap_or_else(|| RwSignal::new(settings::known_stores()))
}

/// Asks the server for the stores the person may work in and remembers them in `known`.
pub async fn refresh_stores(
    state: &AppState,
    known: RwSignal<Vec<KnownStore>>,
) -> Result<(), TeamError> {
    let stores: Vec<KnownStore> = chain::list_stores(&token(state)?)
        .await?
        .into_iter()
        .map(|StoreRow { id, name }| KnownStore { id, name })
        .collect();
    settings::save_known_stores(&stores);
    known.set(stores);
    Ok(())
}

/// Works in `store` from now on: the app starts again on that store's records.
pub fn switch_to(store: StoreId) {
    let choice = (settings::home_store() != Some(store)).then_some(store);
    if let Err(err) = settings::save_working_store(choice) {
        leptos::logging::error!("could not switch the store: {err}");
        return;
    }
    if let Some(window) = web_sys::window()
        && let Err(err) = window.location().assign("/")
    {
        leptos::logging::error!("could not open the other store: {err:?}");
    }
}

/// Opens a store (the owner) and remembers it among the known ones.
pub async fn create_store(
    state: &AppState,
    known: RwSignal<Vec<KnownStore>>,
    new: &NewStore,
) -> Result<StoreId, TeamError> {
    let made = chain::create_store(&token(state)?, new).await?;
    let mut stores = known.get_untracked();
    if !stores.iter().any(|s| s.id == made.id) {
        stores.push(KnownStore {
            id: made.id,
            name: made.name,
        });
        settings::save_known_stores(&stores);
        known.set(stores);
    }
    Ok(made.id)
}

/// Every store's day, the most urgent first.
pub async fn head_office(
    state: &AppState,
    day: Option<NaiveDate>,
) -> Result<Vec<StoreDay>, TeamError> {
    chain::head_office(&token(state)?, day).await
}

/// The chain's monthly supervision report (the owner; needs the server).
pub async fn chain_monthly(state: &AppState, month: NaiveDate) -> Result<ChainMonth, TeamError> {
    chain::chain_monthly(&token(state)?, month).await
}

/// The store's public booking page and its QR code (needs the server).
pub async fn booking_link(state: &AppState) -> Result<BookingLink, TeamError> {
    chain::booking_link(&token(state)?).await
}

/// The address this app is served from (the store's server): the booking link is below it.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The booking page as Set-up shows it: the full address, the QR code's path, the setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingLinkView {
    pub url: String,
    pub qr: String,
    pub enabled: bool,
}
