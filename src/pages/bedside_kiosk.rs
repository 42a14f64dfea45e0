//! The feedback kiosk: after a visit the tablet turns to the customer. It covers the whole app
//! (header and navigation hidden), the browser's back button is undone, and only a staff PIN
//! leaves it. A low score opens a complaint draft for customer service (the core's rule).
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use orchid_core::feedback::{ButlerRating, Dimension, Feedback, PerDimension, asks_expectations};
use orchid_core::ids::ServiceRecordId;
use orchid_core::store::StoreSettings;
use orchid_core::sync::Change;
use orchid_core::text::Note;

use crate::components::PinPrompt;
use crate::components::store_error_text;
use crate::i18n::Lang;
use crate::i18n::bedside_words::{
    BedsideWord, dimension_question, dimension_word, expectation_question,
};
use crate::i18n::task_words::TaskWord;
use crate::state::bedside::{Screen, now_ms, use_bedside_ui};
use crate::state::store::{new_id, use_store};
use crate::state::{use_app_state, use_i18n};
use crate::storage::pins::{self, PinRecord};
use crate::storage::repo::StoreError;

/// Mounted once at the app's root; shows only while the bedside screen is the kiosk.
#[component]
pub fn Kiosk() -> impl IntoView {
    let ui = use_bedside_ui();
    let navigate = use_navigate();
    // Back (or forward) while the kiosk shows: go straight back to the bedside page underneath,
    // so the history cannot lead the customer out of it.
    let nav = navigate.clone();
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        if ui.kiosk_on() {
            nav("/bedside", Default::default());
        }
    });
    Effect::new(move || {
        if ui.kiosk_on() {
            let at_bedside = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .is_some_and(|p| p == "/bedside");
            if !at_bedside {
                navigate("/bedside", Default::default());
            }
        }
    });
    move || match ui.screen.get() {
        Screen::Kiosk(id) => Some(view! { <KioskScreen id=id/> }),
        _ => None,
    }
}

#[component]
fn KioskScreen(id: ServiceRecordId) -> impl IntoView {
    let store = use_store();
    let ui = use_bedside_ui();
    let state = use_app_state();
    let i18n = use_i18n();
    let ratings = RwSignal::new(PerDimension::<u8>::all(0));
    // Decided once as the kiosk opens: her feedbacks before this visit and the store's sample.
    let ask_expectations = {
        let every = store
            .store()
            .map_or(StoreSettings::default().expectations_every, |s| {
                s.settings.expectations_every
            });
        let earlier = store.service_record(id).map_or(0, |record| {
            store
                .feedback_of(record.customer_id)
                .iter()
                .filter(|f| f.service_record_id != Some(id))
                .count()
        });
        asks_expectations(earlier, every)
    };
    let expectations = RwSignal::new(PerDimension::<u8>::all(0));
    // Her butler, when she has one (seed 004: the customer rates her butler); asked once, optional.
    let butler = store
        .service_record(id)
        .and_then(|record| store.customer(record.customer_id))
        .and_then(|c| c.butler)
        .map(|staff| {
            let name = crate::state::complaints::staff_name(store, staff).unwrap_or_default();
            (staff, name)
        });
    let butler_score = RwSignal::new(0u8);
    let butler_rated = butler.as_ref().map(|(staff, _)| *staff);
    let recommend = RwSignal::new(None::<u8>);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let thanked = RwSignal::new(false);
    let staff_open = RwSignal::new(false);
    let submit = Action::new_local(move |_: &()| async move {
        let lang = i18n.lang();
        let given = ratings.get_untracked();
        let expected = expectations.get_untracked();
        if ask_expectations && Dimension::ALL.iter().any(|d| expected.get(*d) == 0) {
            return Err(BedsideWord::ExpectEach.text(lang).to_owned());
        }
        if Dimension::ALL.iter().any(|d| given.get(*d) == 0) {
            return Err(BedsideWord::RateEach.text(lang).to_owned());
        }
        let Some(recommend) = recommend.get_untracked() else {
            return Err(BedsideWord::RateRecommend.text(lang).to_owned());
        };
        let text = |e: StoreError| store_error_text(lang, &e).to_owned();
        let record = store
            .service_record(id)
            .ok_or(StoreError::NotReady)
            .map_err(text)?;
        let actor = store.actor().map_err(text)?;
        let store_record = store.store();
        let store_id = store.store_id().ok_or(StoreError::NotReady).map_err(text)?;
        let feedback = Feedback {
            id: new_id(),
            store_id,
            customer_id: Some(record.customer_id),
            appointment_id: record.appointment_id,
            service_record_id: Some(record.id),
            therapist_id: Some(record.therapist_id),
            services: record.services.clone(),
            submitted_at: Utc::now(),
            ratings: given,
            expectations: if ask_expectations {
                expected.map(Some)
            } else {
                PerDimension::default()
            },
            recommend,
            comment: Note::parse(&comment.get_untracked()).unwrap_or_default(),
            butler: butler_rated
                .filter(|_| butler_score.get_untracked() > 0)
                .map(|staff| ButlerRating {
                    butler: staff,
                    rating: butler_score.get_untracked(),
                }),
        };
        let settings = store_record.map(|s| s.settings).unwrap_or_default();
        let mut changes = vec![Change::FeedbackSubmit(feedback.clone())];
        if let Some(draft) = feedback.complaint_draft(
            &settings,
            new_id(),
            new_id(),
            Some(actor.staff_id),
            actor.role,
        ) {
            changes.push(Change::ComplaintEvent(draft));
        }
        store.mutate_all(changes).await.map(|_| ()).map_err(text)
    });
    Effect::new(move || match submit.value().get() {
        Some(Err(e)) => error.set(Some(e)),
        Some(Ok(())) => {
            error.set(None);
            thanked.set(true);
        }
        None => {}
    });
    let staff = Signal::derive(pins::load_pins);
    let on_staff = Callback::new(move |record: PinRecord| {
        store.act_as(&record, |session| state.signed_in(session));
        ui.unlocked_as.set(Some(record.staff_id));
        ui.last_activity_ms.set(now_ms());
        ui.screen.set(Screen::Day);
    });
    view! {
        <div class="kiosk" data-testid="kiosk">
            <div class="kiosk-staff">
                <button type="button" class="button--secondary" data-testid="kiosk-staff" on:click=move |_| staff_open.update(|o| *o = !*o)>
                    {move || i18n.bw(BedsideWord::StaffOnly)}
                </button>
            </div>
            <Show when=move || staff_open.get()>
                <div class="kiosk-exit card">
                    <PinPrompt candidates=staff heading=BedsideWord::StaffExit on_ok=on_staff testid="kiosk-pin"/>
                </div>
            </Show>
            <Show
                when=move || !thanked.get()
                fallback=move || view! {
                    <section class="kiosk-thanks" data-testid="kiosk-thanks">
                        <h1>{move || i18n.bw(BedsideWord::ThankYou)}</h1>
                        <p>{move || i18n.bw(BedsideWord::ThankYouText)}</p>
                    </section>
                }
            >
                <form class="kiosk-form" on:submit=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
                    <h1>{move || i18n.bw(BedsideWord::KioskTitle)}</h1>
                    <p class="page-intro">{move || i18n.bw(BedsideWord::KioskIntro)}</p>
                    {ask_expectations.then(|| view! {
                        <section class="kiosk-expectations" data-testid="kiosk-expectations">
                            <h2>{move || i18n.bw(BedsideWord::ExpectTitle)}</h2>
                            <p class="page-intro">{move || i18n.bw(BedsideWord::ExpectIntro)}</p>
                            {Dimension::ALL
                                .into_iter()
                                .map(|d| view! { <DimensionStars d=d scores=expectations group="expect" question=expectation_question testid="kiosk-expectation"/> })
                                .collect_view()}
                        </section>
                        <h2>{move || i18n.bw(BedsideWord::RateTitle)}</h2>
                    })}
                    {Dimension::ALL
                        .into_iter()
                        .map(|d| view! { <DimensionStars d=d scores=ratings group="dim" question=dimension_question testid="kiosk-dimension"/> })
                        .collect_view()}
                    {butler.clone().map(|(_, name)| view! {
                        <fieldset class="kiosk-dim stars stars--big" data-testid="kiosk-butler">
                            <legend>
                                <strong>{move || TaskWord::KioskButler.text(i18n.lang())}</strong>
                                <span>{name}</span>
                            </legend>
                            {(1u8..=5)
                                .map(|v| view! {
                                    <label class=move || star_class(butler_score.get() >= v)>
                                        <input type="radio" name="butler" prop:checked=move || butler_score.get() == v on:change=move |_| butler_score.set(v)/>
                                        <span aria-hidden="true">"★"</span>
                                        <span class="visually-hidden">{move || format!("{v} / 5")}</span>
                                    </label>
                                })
                                .collect_view()}
                        </fieldset>
                    })}
                    <fieldset class="kiosk-recommend" data-testid="kiosk-recommend">
                        <legend><strong>{move || i18n.bw(BedsideWord::Recommend)}</strong></legend>
                        <div class="recommend-scale">
                            {(0u8..=10)
                                .map(|v| {
                                    view! {
                                        <label class=move || recommend_class(recommend.get() == Some(v))>
                                            <input type="radio" name="recommend" prop:checked=move || recommend.get() == Some(v) on:change=move |_| recommend.set(Some(v))/>
                                            <span>{v.to_string()}</span>
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </div>
                        <p class="recommend-ends"><span>{move || i18n.bw(BedsideWord::NotLikely)}</span><span>{move || i18n.bw(BedsideWord::VeryLikely)}</span></p>
                    </fieldset>
                    <div class="field">
                        <label for="kiosk-comment">{move || i18n.bw(BedsideWord::Comment)}</label>
                        <textarea id="kiosk-comment" rows="3" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    <p class="form-error" role="alert" data-testid="kiosk-error">{move || error.get()}</p>
                    <button type="submit" class="button--large button--primary" data-testid="kiosk-submit" disabled=move || submit.pending().get()>
                        {move || i18n.bw(BedsideWord::SubmitFeedback)}
                    </button>
                </form>
            </Show>
        </div>
    }
}

/// One dimension's 1–5 stars, for a rating or an expectation.
#[component]
fn DimensionStars(
    d: Dimension,
    scores: RwSignal<PerDimension<u8>>,
    group: &'static str,
    question: fn(Lang, Dimension) -> &'static str,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{group}-{d:?}");
    view! {
        <fieldset class="kiosk-dim stars stars--big" data-testid=testid>
            <legend>
                <strong>{move || dimension_word(i18n.lang(), d)}</strong>
                <span>{move || question(i18n.lang(), d)}</span>
            </legend>
            {(1u8..=5)
                .map(|v| {
                    let name = name.clone();
                    view! {
                        <label class=move || star_class(scores.get().get(d) >= v)>
                            <input type="radio" name=name prop:checked=move || scores.get().get(d) == v on:change=move |_| scores.update(|r| r.set(d, v))/>
                            <span aria-hidden="true">"★"</span>
                            <span class="visually-hidden">{move || format!("{v} / 5")}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

pub fn star_class(on: bool) -> &'static str {
    if on { "star star--on" } else { "star" }
}

fn recommend_class(on: bool) -> &'static str {
    if on {
        "recommend-option recommend-option--on"
    } else {
        "recommend-option"
    }
}
