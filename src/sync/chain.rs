//! The chain on the server: the stores the signed-in person may work in, the owner opening a new
//! one, and the head office's figures of every store. All need the network; the store list is
//! kept on the device (`storage::settings::known_stores`) so switching works offline.
use chrono::NaiveDate;
use orchid_core::head_office::StoreDay;
use orchid_core::ids::StoreId;
use orchid_core::monthly_report::ChainMonth;
use serde::{Deserialize, Serialize};

use super::http::{get_json_auth, post_json_auth};
use super::team::TeamError;

/// A store as the server lists it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoreRow {
    pub id: StoreId,
    pub name: String,
}

#[derive(Deserialize)]
struct StoreList {
    stores: Vec<StoreRow>,
}

/// The stores the session may work in (the owner: every store of the chain).
pub async fn list_stores(token: &str) -> Result<Vec<StoreRow>, TeamError> {
    let list: StoreList = get_json_auth("/api/v1/stores", token).await?;
    Ok(list.stores)
}

/// A new store, as the owner fills it in.
#[derive(Clone, Debug, Serialize)]
pub struct NewStore {
    pub name: String,
    pub address: Option<String>,
    pub utc_offset_minutes: Option<i32>,
    /// Opening hours, settings and services copied from this store.
    pub copy_from: Option<StoreId>,
}

/// Opens a store of the chain (owner).
pub async fn create_store(token: &str, new: &NewStore) -> Result<StoreRow, TeamError> {
    Ok(post_json_auth("/api/v1/stores", token, new).await?)
}

#[derive(Deserialize)]
struct HeadOffice {
    stores: Vec<StoreDay>,
}

/// Every store's figures for `day` (each store's today if `None`), the most urgent first.
pub async fn head_office(token: &str, day: Option<NaiveDate>) -> Result<Vec<StoreDay>, TeamError> {
    let url = match day {
        Some(day) => format!("/api/v1/head-office?day={day}"),
        None => "/api/v1/head-office".to_owned(),
    };
    let answer: HeadOffice = get_json_auth(&url, token).await?;
    Ok(answer.stores)
}

/// The chain's monthly supervision report for the month of `month` (the owner).
pub async fn chain_monthly(token: &str, month: NaiveDate) -> Result<ChainMonth, TeamError> {
    Ok(get_json_auth(&format!("/api/v1/head-office/monthly?month={month}"), token).await?)
}

/// The store's public booking page, as the server gives it (`GET /api/v1/online-booking`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BookingLink {
    /// The page, below the server's origin: `/book/<code>`.
    pub path: String,
    /// Its QR code (SVG).
    pub qr_path: String,
    /// Whether the store's setting takes bookings (as the server has it).
    pub enabled: bool,
}

/// The signed-in store's booking page address and QR code.
pub async fn booking_link(token: &str) -> Result<BookingLink, TeamError> {
    Ok(get_json_auth("/api/v1/online-booking", token).await?)
}
