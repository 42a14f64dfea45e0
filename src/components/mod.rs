//! Reusable pieces, one component per file.
pub mod app_header;
pub mod complaint_alarm;
pub mod customer_form;
pub mod customer_picker;
pub mod page_intro;
pub mod pin_prompt;
pub mod role_gate;
pub mod search_shortcut;
pub mod sync_status;
pub mod update_banner;
pub mod virtual_list;
pub mod who_is_working;

pub use app_header::AppHeader;
pub use complaint_alarm::ComplaintAlarm;
pub use customer_form::{CustomerForm, store_error_text};
pub use customer_picker::CustomerPicker;
pub use page_intro::PageIntro;
pub use pin_prompt::PinPrompt;
pub use role_gate::RoleGate;
pub use search_shortcut::SearchShortcut;
pub use sync_status::SyncStatus;
pub use update_banner::UpdateBanner;
pub use virtual_list::VirtualList;
pub use who_is_working::WhoIsWorking;
