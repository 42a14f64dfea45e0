//! The head office (the owner): every store of the chain on one day, the one that needs her most
//! first, each row leading into that store; and opening a new store. The figures come from the
//! server, which replays each store's records (`orchid_core::head_office`), so this page needs the
//! network; switching stores does not.
use chrono::NaiveDate;
use leptos::prelude::*;
use orchid_core::head_office::StoreDay;

use crate::components::team_error_text;
use crate::i18n::Lang;
use crate::i18n::team_words::TeamWord;
use crate::state::chain;
use crate::state::store::{store_offset, store_record};
use crate::state::{use_app_state, use_i18n, use_store};
use crate::sync::chain::NewStore;

fn satisfaction_text(lang: Lang, row: &StoreDay) -> String {
    match row.satisfaction_month.overall {
        Some(average) => format!(
            "{average:.1} · {} {}",
            row.satisfaction_month.count,
            TeamWord::Answers.text(lang)
        ),
        None => "—".to_owned(),
    }
}

/// `UTC+08:00` for 480 minutes.
fn offset_label(minutes: i32) -> String {
    let sign = if minutes < 0 { '−' } else { '+' };
    let abs = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 60, abs % 60)
}

/// The time zones a store may be in: every half hour from UTC−12 to UTC+14, and the quarter-hour
/// ones in use (Nepal, Chatham).
fn offsets() -> Vec<i32> {
    let mut all: Vec<i32> = (-24..=28).map(|half| half * 30).collect();
    all.extend([345, 765]);
    all.sort_unstable();
    all
}

#[component]
pub fn HeadOfficePage() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let today = move || store_offset(store).local_date(chrono::Utc::now());
    let day = RwSignal::new(None::<NaiveDate>);
    let refresh = RwSignal::new(0u32);
    let figures = LocalResource::new(move || {
        refresh.track();
        state.online.track();
        let wanted = day.get();
        async move { chain::head_office(&state, wanted).await }
    });
    let on_day = move |ev: leptos::ev::Event| {
        day.set(NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok());
    };
    let current = move || store.store_id();
    let waiting = move || store.sync.get().pending > 0;

    view! {
        <section class="head-office" data-testid="head-office">
            <h1>{move || TeamWord::HeadOffice.text(i18n.lang())}</h1>
            <p class="page-intro">{move || TeamWord::HeadOfficeIntro.text(i18n.lang())}</p>
            <div class="toolbar">
                <label>
                    {move || TeamWord::Day.text(i18n.lang())}
                    " "
                    <input
                        type="date"
                        data-testid="head-office-day"
                        prop:value=move || day.get().unwrap_or_else(today).format("%Y-%m-%d").to_string()
                        on:change=on_day
                    />
                </label>
            </div>
            <Show when=waiting>
                <p class="hint">{move || TeamWord::PendingStay.text(i18n.lang())}</p>
            </Show>
            {move || {
                let lang = i18n.lang();
                match figures.get() {
                    None => view! { <p class="muted" aria-busy="true">"…"</p> }.into_any(),
                    Some(Err(err)) => view! {
                        <p class="form-error" role="alert" data-testid="head-office-error">
                            {team_error_text(lang, &err)}
                        </p>
                    }
                    .into_any(),
                    Some(Ok(rows)) if rows.is_empty() => {
                        view! { <p class="muted">{TeamWord::NoStores.text(lang)}</p> }.into_any()
                    }
                    Some(Ok(rows)) => view! {
                        <div class="table-scroll">
                            <table class="setup-table head-office__table">
                                <thead>
                                    <tr>
                                        <th scope="col">{TeamWord::StoreColumn.text(lang)}</th>
                                        <th scope="col">{TeamWord::Bookings.text(lang)}</th>
                                        <th scope="col">{TeamWord::Arrivals.text(lang)}</th>
                                        <th scope="col">{TeamWord::NoShows.text(lang)}</th>
                                        <th scope="col">{TeamWord::OpenComplaints.text(lang)}</th>
                                        <th scope="col">{TeamWord::Critical.text(lang)}</th>
                                        <th scope="col">{TeamWord::SatisfactionMonth.text(lang)}</th>
                                        <th scope="col">{TeamWord::FollowUpsOverdue.text(lang)}</th>
                                        <th scope="col"><span class="visually-hidden">{TeamWord::WorkHere.text(lang)}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|row| {
                                            let id = row.store_id;
                                            let urgent = row.complaints_critical > 0 || row.complaints_overdue > 0;
                                            let here = current() == Some(id);
                                            view! {
                                                <tr
                                                    class:head-office__row--urgent=urgent
                                                    data-testid="head-office-row"
                                                    data-store=id.to_string()
                                                >
                                                    <th scope="row">{row.name.clone()}</th>
                                                    <td data-testid="ho-bookings" data-label=TeamWord::Bookings.text(lang)>{row.bookings}</td>
                                                    <td data-testid="ho-arrivals" data-label=TeamWord::Arrivals.text(lang)>{row.arrivals}</td>
                                                    <td data-testid="ho-no-shows" data-label=TeamWord::NoShows.text(lang)>{row.no_shows}</td>
                                                    <td data-testid="ho-complaints" data-label=TeamWord::OpenComplaints.text(lang)>
                                                        <strong>{row.complaints_open}</strong>
                                                        <span class="head-office__states">
                                                            {format!(
                                                                " ({} {} · {} {} · {} {})",
                                                                row.complaints_overdue,
                                                                TeamWord::Overdue.text(lang),
                                                                row.complaints_due_soon,
                                                                TeamWord::DueSoon.text(lang),
                                                                row.complaints_on_track,
                                                                TeamWord::OnTrack.text(lang),
                                                            )}
                                                        </span>
                                                    </td>
                                                    <td data-testid="ho-critical" data-label=TeamWord::Critical.text(lang)>{row.complaints_critical}</td>
                                                    <td data-label=TeamWord::SatisfactionMonth.text(lang)>{satisfaction_text(lang, &row)}</td>
                                                    <td data-testid="ho-follow-ups" data-label=TeamWord::FollowUpsOverdue.text(lang)>{row.follow_ups_overdue}</td>
                                                    <td>
                                                        {if here {
                                                            view! { <span class="chip">{TeamWord::CurrentStore.text(lang)}</span> }.into_any()
                                                        } else {
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    class="button--secondary"
                                                                    data-testid="work-here"
                                                                    on:click=move |_| chain::switch_to(id)
                                                                >
                                                                    {TeamWord::WorkHere.text(lang)}
                                                                </button>
                                                            }
                                                            .into_any()
                                                        }}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                }
            }}
            <OpenStore on_opened=move || refresh.update(|n| *n += 1)/>
        </section>
    }
}

/// The owner opens a store: its name, address and time zone, and the store it starts from.
#[component]
fn OpenStore(on_opened: impl Fn() + Copy + 'static) -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let offset = RwSignal::new(store_offset(store).minutes());
    // Start from the store this device works in, unless the owner chooses otherwise.
    let copy_from = RwSignal::new(
        store
            .store_id()
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let message = RwSignal::new(None::<Result<(String, orchid_core::ids::StoreId), String>>);
    let known = chain::use_known_stores();
    let stores = move || known.get();
    let open = Action::new_local(move |new: &NewStore| {
        let new = new.clone();
        async move {
            let lang = i18n.lang();
            match chain::create_store(&state, known, &new).await {
                Ok(id) => {
                    message.set(Some(Ok((new.name.clone(), id))));
                    name.set(String::new());
                    address.set(String::new());
                    on_opened();
                }
                Err(err) => message.set(Some(Err(team_error_text(lang, &err)))),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang();
        let chosen_name = name.get_untracked().trim().to_owned();
        if chosen_name.is_empty() {
            message.set(Some(Err(TeamWord::StoreNameMissing.text(lang).to_owned())));
            return;
        }
        let address = address.get_untracked().trim().to_owned();
        open.dispatch(NewStore {
            name: chosen_name,
            address: (!address.is_empty()).then_some(address),
            utc_offset_minutes: Some(offset.get_untracked()),
            copy_from: copy_from
                .get_untracked()
                .parse::<uuid::Uuid>()
                .ok()
                .map(orchid_core::ids::StoreId),
        });
    };
    view! {
        <form class="setup-form open-store" on:submit=on_submit data-testid="open-store" novalidate>
            <h2>{move || TeamWord::OpenStoreTitle.text(i18n.lang())}</h2>
            <p class="hint">{move || TeamWord::OpenStoreIntro.text(i18n.lang())}</p>
            <div class="field-grid">
            <label>
                {move || TeamWord::StoreName.text(i18n.lang())}
                <input
                    type="text"
                    maxlength="100"
                    data-testid="new-store-name"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <label>
                {move || TeamWord::StoreAddress.text(i18n.lang())}
                <input
                    type="text"
                    maxlength="200"
                    data-testid="new-store-address"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                />
            </label>
            <label>
                {move || TeamWord::TimeZone.text(i18n.lang())}
                <select
                    data-testid="new-store-offset"
                    on:change=move |ev| {
                        if let Ok(minutes) = event_target_value(&ev).parse() {
                            offset.set(minutes);
                        }
                    }
                >
                    {offsets()
                        .into_iter()
                        .map(|minutes| {
                            view! {
                                <option value=minutes.to_string() selected=move || offset.get() == minutes>
                                    {offset_label(minutes)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {move || TeamWord::CopyFrom.text(i18n.lang())}
                <select
                    data-testid="new-store-copy"
                    on:change=move |ev| copy_from.set(event_target_value(&ev))
                >
                    <option value="" selected=move || copy_from.get().is_empty()>
                        {move || TeamWord::CopyNothing.text(i18n.lang())}
                    </option>
                    {move || {
                        let mut listed = stores();
                        // Before the list is known, the store of this device is still offered.
                        if let (Some(id), Some(record)) = (store.store_id(), store_record(store))
                            && !listed.iter().any(|s| s.id == id)
                        {
                            listed.push(crate::storage::settings::KnownStore {
                                id,
                                name: record.name.as_str().to_owned(),
                            });
                        }
                        listed
                            .into_iter()
                            .map(|s| {
                                let value = s.id.to_string();
                                let selected = value.clone();
                                view! {
                                    <option value=value selected=move || copy_from.get() == selected>{s.name}</option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            </div>
            <button type="submit" data-testid="open-store-submit" disabled=move || open.pending().get()>
                {move || TeamWord::OpenStore.text(i18n.lang())}
            </button>
            {move || match message.get() {
                None => ().into_any(),
                Some(Ok((opened, id))) => view! {
                    <p class="form-ok" role="status" data-testid="store-opened">
                        {format!("{} {opened}", TeamWord::StoreOpened.text(i18n.lang()))}
                        " "
                        <button type="button" class="button--secondary" on:click=move |_| chain::switch_to(id)>
                            {TeamWord::WorkHere.text(i18n.lang())}
                        </button>
                    </p>
                }
                .into_any(),
                Some(Err(text)) => view! {
                    <p class="form-error" role="alert" data-testid="open-store-error">{text}</p>
                }
                .into_any(),
            }}
        </form>
    }
}

/// Keeps the offsets' labels honest: the default China offset is in the list.
#[cfg(test)]
mod tests {
    use super::*;
    use orchid_core::time::UtcOffset;

    #[test]
    fn the_time_zones_include_china_and_read_as_utc_offsets() {
        assert!(offsets().contains(&UtcOffset::CHINA.minutes()));
        assert_eq!(offset_label(480), "UTC+08:00");
        assert_eq!(offset_label(-210), "UTC−03:30");
        assert!(offsets().windows(2).all(|w| w[0] < w[1]));
    }
}
