use leptos::prelude::*;
use leptos_router::components::A;

use orchid_core::permission::{Area, may_open};

use crate::i18n::labels::role_name;
use crate::i18n::team_words::TeamWord;
use crate::i18n::{Lang, Msg};
use crate::state::device_lock::use_device_lock;
use crate::state::{use_app_state, use_i18n, use_store};

/// The bar on every page: the name, the areas, online/offline, the language, who is signed in.
#[component]
pub fn AppHeader() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let lock = use_device_lock();
    let i18n = use_i18n();
    let nav = [
        ("/", Msg::NavToday, Area::Today),
        ("/customers", Msg::NavCustomers, Area::Customers),
        ("/calendar", Msg::NavCalendar, Area::Calendar),
        ("/bedside", Msg::NavBedside, Area::Bedside),
        ("/complaints", Msg::NavComplaints, Area::Complaints),
        ("/follow-ups", Msg::NavFollowUps, Area::FollowUps),
        ("/stock", Msg::NavStock, Area::Stock),
        ("/checkout", Msg::NavCheckout, Area::Checkout),
        ("/checks", Msg::NavChecks, Area::Checks),
        ("/reports", Msg::NavReports, Area::Reports),
        ("/settings", Msg::NavSettings, Area::Settings),
    ];
    // The areas of the active person's role (all of them until it is known).
    let opens = move |area: Area| store.active_role().is_none_or(|role| may_open(role, area));
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
                <span class="who" data-testid="active-person">
                    {move || match state.session.get().map(|s| s.staff_name).or_else(|| store.local_person_name()) {
                        Some(name) => view! {
                            <span class="who__name">{name}</span>
                            <span class="who__role">
                                {move || store.active_role().map(|r| role_name(i18n.lang(), r)).unwrap_or_default()}
                            </span>
                        }.into_any(),
                        None => view! { <A href="/sign-in">{move || i18n.t(Msg::SignIn)}</A> }.into_any(),
                    }}
                </span>
                <crate::components::StoreSwitch/>
                <Show when=move || lock.shared()>
                    <button type="button" class="button--secondary switch-person" data-testid="switch-person" on:click=move |_| lock.lock()>
                        {move || TeamWord::SwitchPerson.text(i18n.lang())}
                    </button>
                </Show>
            </div>
            <nav class="app-nav" aria-label=move || i18n.t(Msg::MainNavigation)>
                <ul>
                    {nav
                        .into_iter()
                        .map(|(href, msg, area)| {
                            view! {
                                <Show when=move || opens(area)>
                                    <li>
                                        <A href=href exact=true>{move || i18n.t(msg)}</A>
                                    </li>
                                </Show>
                            }
                        })
                        .collect_view()}
                    <Show when=move || opens(Area::HeadOffice) && state.session.get().is_some()>
                        <li>
                            <A href="/head-office" exact=true>{move || TeamWord::HeadOffice.text(i18n.lang())}</A>
                        </li>
                    </Show>
                </ul>
            </nav>
            <Show when=move || !state.online.get()>
                <p class="offline-hint">{move || i18n.t(Msg::OfflineHint)}</p>
            </Show>
        </header>
    }
}
