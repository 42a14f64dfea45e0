//! Set-up's online booking section: the store's setting (on/off, who waits for confirmation,
//! notice, days ahead, slot step), saved as the store's settings like every other, and — from the
//! server, when online — the public page's link and its QR code to print or post in WeChat.
use leptos::prelude::*;
use orchid_core::store::{StoreError, StoreField};
use orchid_core::sync::Change;

use super::{Outcome, out_of_range, outcome_view, parse_number, save};
use crate::i18n::booking_words::BedsideWord;
use crate::state::chain::{BookingLinkView, booking_link, origin};
use crate::state::team::TeamError;
use crate::state::{use_app_state, use_i18n, use_store};

/// One number of the setting: its input's id, the core's name for it, its label, text, error.
type NumberInput = (
    &'static str,
    &'static str,
    BedsideWord,
    RwSignal<String>,
    RwSignal<Option<String>>,
);

#[component]
pub fn OnlineBookingSection() -> impl IntoView {
    let store = use_store();
    let state = use_app_state();
    let i18n = use_i18n();
    let bw = move |word: BedsideWord| move || word.text(i18n.lang());
    let settings = store.store().map(|s| s.settings).unwrap_or_default();
    let online = settings.online_booking.clone();
    let enabled = RwSignal::new(online.enabled);
    let confirm_unknown = RwSignal::new(online.confirm_unknown_phones);
    let text = |n: u32| RwSignal::new(n.to_string());
    let numbers: Vec<NumberInput> = vec![
        (
            "booking-notice",
            "online_booking.notice_hours",
            BedsideWord::NoticeHours,
            text(online.notice_hours),
            RwSignal::new(None),
        ),
        (
            "booking-days-ahead",
            "online_booking.days_ahead",
            BedsideWord::DaysAhead,
            text(online.days_ahead),
            RwSignal::new(None),
        ),
        (
            "booking-slot-minutes",
            "online_booking.slot_minutes",
            BedsideWord::SlotMinutes,
            text(online.slot_minutes),
            RwSignal::new(None),
        ),
    ];
    let outcome: Outcome = RwSignal::new(None);
    // The link, asked of the server when the section opens and after each save.
    let link = RwSignal::new(None::<Result<BookingLinkView, TeamError>>);
    let load_link = Action::new_local(move |_: &()| async move {
        link.set(Some(booking_link(&state).await.map(|l| BookingLinkView {
            url: format!("{}{}", origin(), l.path),
            qr: l.qr_path,
            enabled: l.enabled,
        })));
    });
    load_link.dispatch(());
    let numbers_for_save = numbers.clone();
    let save_booking = Action::new_local(move |_: &()| {
        let lang = i18n.lang();
        let mut next = store.store().map(|s| s.settings).unwrap_or_default();
        let mut ok = true;
        let mut values = [0u32; 3];
        for (slot, (_, _, _, value, error)) in values.iter_mut().zip(&numbers_for_save) {
            match parse_number(&value.get_untracked(), *error, lang) {
                Some(v) => *slot = v,
                None => ok = false,
            }
        }
        next.online_booking.enabled = enabled.get_untracked();
        next.online_booking.confirm_unknown_phones = confirm_unknown.get_untracked();
        let [notice, days, step] = values;
        next.online_booking.notice_hours = notice;
        next.online_booking.days_ahead = days;
        next.online_booking.slot_minutes = step;
        // The core's range check, under the number it is about (the server checks again).
        if let (
            true,
            Err(StoreError::SettingOutOfRange {
                setting, min, max, ..
            }),
        ) = (ok, next.validate())
            && let Some((_, _, _, _, error)) = numbers_for_save.iter().find(|n| n.1 == setting)
        {
            error.set(Some(out_of_range(min, max, lang)));
            ok = false;
        }
        let id = store.store_id();
        async move {
            let Some(id) = id else { return };
            if !ok {
                return;
            }
            let change = Change::StoreUpsert {
                id,
                fields: vec![StoreField::Settings(next)],
            };
            outcome.set(Some(save(vec![change], lang).await));
            load_link.dispatch(());
        }
    });
    let link_view = move || {
        let lang = i18n.lang();
        match link.get() {
            None => view! { <p role="status">{BedsideWord::Loading.text(lang)}</p> }.into_any(),
            Some(Err(_)) => {
                view! { <p class="empty-state" data-testid="booking-needs-server">{BedsideWord::NeedsServer.text(lang)}</p> }
                    .into_any()
            }
            Some(Ok(l)) => {
                let off = !l.enabled;
                view! {
                    <p>{BedsideWord::LinkIntro.text(lang)}</p>
                    <p class="booking-link">
                        <a href=l.url.clone() target="_blank" rel="noopener" data-testid="booking-link">
                            {l.url.clone()}
                        </a>
                    </p>
                    <figure class="booking-qr">
                        <img src=l.qr.clone() alt=BedsideWord::QrAlt.text(lang) width="240" height="240" data-testid="booking-qr"/>
                    </figure>
                    <p>
                        <a href=l.qr.clone() download="booking-qr.svg" class="button button--secondary">
                            {BedsideWord::Print.text(lang)}
                        </a>
                    </p>
                    {off.then(|| view! { <p class="hint" role="status">{BedsideWord::Off.text(lang)}</p> })}
                }
                .into_any()
            }
        }
    };
    view! {
        <section aria-labelledby="setup-booking">
            <h2 id="setup-booking">{bw(BedsideWord::Tab)}</h2>
            <p>{bw(BedsideWord::Intro)}</p>
            <form
                class="setup-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save_booking.dispatch(());
                }
            >
                <div class="field field--check">
                    <input
                        id="booking-enabled"
                        type="checkbox"
                        prop:checked=enabled
                        on:change=move |ev| enabled.set(event_target_checked(&ev))
                    />
                    <label for="booking-enabled">{bw(BedsideWord::Enabled)}</label>
                </div>
                <div class="field field--check">
                    <input
                        id="booking-confirm-unknown"
                        type="checkbox"
                        prop:checked=confirm_unknown
                        on:change=move |ev| confirm_unknown.set(event_target_checked(&ev))
                    />
                    <label for="booking-confirm-unknown">{bw(BedsideWord::ConfirmUnknown)}</label>
                </div>
                <div class="field-grid">
                    {numbers
                        .into_iter()
                        .map(|(id, _, label, value, error)| {
                            let error_id = format!("{id}-error");
                            view! {
                                <div class="field">
                                    <label for=id>{bw(label)}</label>
                                    <input
                                        id=id
                                        type="number"
                                        aria-invalid=move || error.with(Option::is_some).to_string()
                                        aria-describedby=error_id.clone()
                                        prop:value=value
                                        on:input=move |ev| value.set(event_target_value(&ev))
                                    />
                                    <p class="field-error" id=error_id>{move || error.get()}</p>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                <button type="submit" class="button" data-testid="booking-save">{bw(BedsideWord::Save)}</button>
                {outcome_view(outcome)}
            </form>
            <section aria-labelledby="setup-booking-link" class="booking-share">
                <h3 id="setup-booking-link">{bw(BedsideWord::LinkTitle)}</h3>
                {link_view}
            </section>
        </section>
    }
}
