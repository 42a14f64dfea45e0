//! Reusable pieces, one component per file.
pub mod app_header;
pub mod page_intro;
pub mod sync_status;
pub mod update_banner;

pub use app_header::AppHeader;
pub use page_intro::PageIntro;
pub use sync_status::SyncStatus;
pub use update_banner::UpdateBanner;
