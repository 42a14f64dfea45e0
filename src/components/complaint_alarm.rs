//! The alarm of an unacknowledged critical complaint, on every page of every device of the
//! store until someone acknowledges it ([complaints]).
use leptos::prelude::*;

#[component]
pub fn ComplaintAlarm() -> impl IntoView {}
