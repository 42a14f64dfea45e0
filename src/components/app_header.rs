use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Lang, Msg};
use crate::state::{use_app_state, use_i18n};

/// The bar on every page: the name, the areas, online/offline, the language, who is signed in.
#[component]
pub fn AppHeader() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let nav = [
        ("/", Msg::NavToday),
        ("/customers", Msg::NavCustomers),
        ("/calendar", Msg::NavCalendar),
        ("/bedside", Msg::NavBedside),
        ("/complaints", Msg::NavComplaints),
        ("/follow-ups", Msg::NavFollowUps),
        ("/reports", Msg::NavReports),
        ("/settings", Msg::NavSettings),
    ];
    let on_lang = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            state.set_lang(lang);
        }
    };
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{move || i18n.t(Msg::SkipToContent)}</a>
            <div class="app-header__top">
                <span class="brand">
                    <img src="/icons/icon.svg" alt="" width="32" height="32"/>
                    <span>{move || i18n.t(Msg::AppName)}</span>
                </span>
                <span
                    class="net-status"
                    class:net-status--offline=move || !state.online.get()
                    role="status"
                    data-testid="net-status"
                >
                    {move || if state.online.get() { i18n.t(Msg::Online) } else { i18n.t(Msg::Offline) }}
                </span>
                <label class="lang-picker">
                    <span class="visually-hidden">{move || i18n.t(Msg::Language)}</span>
                    <select on:change=on_lang data-testid="lang-select">
                        {Lang::ALL
                            .into_iter()
                            .map(|lang| {
                                view! {
                                    <option value=lang.tag() selected=move || state.lang.get() == lang>
                                        {lang.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <span class="who">
                    {move || match state.session.get() {
                        Some(session) => view! { <span>{session.staff_name}</span> }.into_any(),
                        None => view! { <A href="/sign-in">{move || i18n.t(Msg::SignIn)}</A> }.into_any(),
                    }}
                </span>
            </div>
            <nav class="app-nav" aria-label=move || i18n.t(Msg::MainNavigation)>
                <ul>
                    {nav
                        .into_iter()
                        .map(|(href, msg)| {
                            view! {
                                <li>
                                    <A href=href exact=true>{move || i18n.t(msg)}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <Show when=move || !state.online.get()>
                <p class="offline-hint">{move || i18n.t(Msg::OfflineHint)}</p>
            </Show>
        </header>
    }
}
