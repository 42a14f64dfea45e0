//! Consent to keep health information: the dialog the customer reads and decides in on the
//! tablet (the text of today's version in the language she picks, her typed name, Agree or
//! Refuse), the consent section of her file (now, history, withdraw, flagged writes), and the
//! notice that stands in for the health fields while she has not consented.
use leptos::prelude::*;
use orchid_core::consent::{
    self, ConsentDecision, ConsentLanguage, ConsentMethod, ConsentRecord, HEALTH_TEXT_VERSION,
};
use orchid_core::ids::{CustomerId, EntityKind};
use orchid_core::sync::{server_actor, server_client_of};

use crate::components::store_error_text;
use crate::format::local_text;
use crate::i18n::privacy_words::PrivacyWord;
use crate::i18n::{Lang, Msg};
use crate::state::consent::{
    flags_of, has_health_consent, health_consent, health_history, may_record,
    record_health_decision, this_device, witness_name,
};
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

fn language_of(lang: Lang) -> ConsentLanguage {
    match lang {
        Lang::Zh => ConsentLanguage::Zh,
        Lang::En => ConsentLanguage::En,
    }
}

/// The words for a decision.
pub fn decision_word(decision: ConsentDecision) -> PrivacyWord {
    match decision {
        ConsentDecision::Given => PrivacyWord::Given,
        ConsentDecision::Withdrawn => PrivacyWord::Withdrawn,
        ConsentDecision::Refused => PrivacyWord::Refused,
    }
}

fn method_word(method: ConsentMethod) -> PrivacyWord {
    match method {
        ConsentMethod::TabletSignature => PrivacyWord::MethodTablet,
        ConsentMethod::Paper => PrivacyWord::MethodPaper,
        ConsentMethod::Online => PrivacyWord::MethodOnline,
        ConsentMethod::Verbal => PrivacyWord::MethodVerbal,
    }
}

fn badge_class(decision: Option<ConsentDecision>) -> &'static str {
    match decision {
        Some(ConsentDecision::Given) => "badge",
        Some(_) => "badge badge--danger",
        None => "badge badge--warn",
    }
}

/// The customer-facing dialog: she reads today's text in her language, types her name and
/// agrees, or refuses. `on_decided` runs after her decision is stored.
#[component]
pub fn ConsentDialog(
    customer: CustomerId,
    open: RwSignal<bool>,
    #[prop(optional)] on_decided: Option<Callback<ConsentDecision>>,
) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    // Her language, starting from the app's; switching it here does not change the app's.
    let lang = RwSignal::new(i18n.lang());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let decide = Action::new_local(move |decision: &ConsentDecision| {
        let decision = *decision;
        let typed = name.get_untracked();
        let language = language_of(lang.get_untracked());
        async move {
            record_health_decision(store, customer, decision, &typed, language)
                .await
                .map(|()| decision)
        }
    });
    Effect::new(move || match decide.value().get() {
        Some(Ok(decision)) => {
            error.set(None);
            name.set(String::new());
            open.set(false);
            if let Some(done) = on_decided {
                done.run(decision);
            }
        }
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let text = consent::health_text(HEALTH_TEXT_VERSION);
    let paragraphs = move || {
        text.map(|t| match lang.get() {
            Lang::Zh => t.zh,
            Lang::En => t.en,
        })
        .unwrap_or_default()
        .iter()
        .map(|p| view! { <p>{*p}</p> })
        .collect_view()
    };
    let w = move |word: PrivacyWord| word.text(lang.get());
    let lang_button = move |choice: Lang, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                class="button--secondary"
                aria-pressed=move || (lang.get() == choice).to_string()
                lang=if choice == Lang::Zh { "zh-CN" } else { "en" }
                data-testid=testid
                on:click=move |_| lang.set(choice)
            >
                {label}
            </button>
        }
    };
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <section class="dialog dialog--consent card" role="dialog" aria-modal="true" aria-labelledby="consent-title" data-testid="consent-dialog">
                    <p class="consent-handover">{move || PrivacyWord::HandOver.text(i18n.lang())}</p>
                    <div class="consent-lang" role="group" aria-label=move || w(PrivacyWord::TextLanguage)>
                        {lang_button(Lang::Zh, "中文", "consent-lang-zh")}
                        {lang_button(Lang::En, "English", "consent-lang-en")}
                    </div>
                    <h2 id="consent-title">{move || w(PrivacyWord::DialogTitle)}</h2>
                    <div class="consent-text" data-testid="consent-text" lang=move || if lang.get() == Lang::Zh { "zh-CN" } else { "en" }>
                        {paragraphs}
                    </div>
                    <p class="muted">{move || w(PrivacyWord::TextVersion)} " " {HEALTH_TEXT_VERSION}</p>
                    <div class="field">
                        <label for="consent-name">{move || w(PrivacyWord::TypeName)}</label>
                        <input id="consent-name" type="text" autocomplete="off" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                    <p class="form-error" role="alert" data-testid="consent-error">{move || error.get()}</p>
                    <div class="form-actions">
                        <button type="button" class="button--secondary" data-testid="consent-close" on:click=move |_| open.set(false)>
                            {move || w(PrivacyWord::Cancel)}
                        </button>
                        <button type="button" class="button--secondary button--large" data-testid="consent-refuse" disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(ConsentDecision::Refused); }>
                            {move || w(PrivacyWord::Refuse)}
                        </button>
                        <button type="button" class="button--large" data-testid="consent-agree" disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(ConsentDecision::Given); }>
                            {move || w(PrivacyWord::Agree)}
                        </button>
                    </div>
                </section>
            </div>
        </Show>
    }
}

/// Stands in for the health fields while she has not consented: why, and the button that asks.
#[component]
pub fn HealthLocked(open: RwSignal<bool>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    view! {
        <div class="consent-locked" data-testid="health-locked">
            <p>{move || PrivacyWord::HealthLocked.text(i18n.lang())}</p>
            {may_record(store).then(|| view! {
                <button type="button" class="button--secondary" data-testid="ask-consent" on:click=move |_| open.set(true)>
                    {move || PrivacyWord::AskConsent.text(i18n.lang())}
                </button>
            })}
        </div>
    }
}

/// The consent section of her file: the decision now, ask or withdraw, the history (version,
/// decision, when, witnessed by whom, on which device) and, for the roles that read health data,
/// the health writes no consent covered.
#[component]
pub fn ConsentSection(customer: CustomerId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let offset = store_offset(store);
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let current = Memo::new(move |_| health_consent(store, customer));
    let given = Memo::new(move |_| has_health_consent(store, customer));
    let history = Memo::new(move |_| health_history(store, customer));
    let flags = Memo::new(move |_| flags_of(store, customer));
    let me = this_device(store);
    let withdraw = Action::new_local(move |_: &()| async move {
        record_health_decision(
            store,
            customer,
            ConsentDecision::Withdrawn,
            "",
            language_of(i18n.lang()),
        )
        .await
    });
    Effect::new(move || match withdraw.value().get() {
        Some(Ok(())) => {
            error.set(None);
            confirming.set(false);
        }
        Some(Err(e)) => error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });
    let may = may_record(store);
    let staff_name = move |c: &ConsentRecord| {
        // Given on the online booking page: nobody of the store witnessed it.
        if c.method == ConsentMethod::Online && c.recorded_by == server_actor().staff_id {
            return PrivacyWord::NoWitnessOnline.text(i18n.lang()).to_owned();
        }
        witness_name(store, c.recorded_by).unwrap_or_else(|| {
            // A device used without sign-in acts as its owner, who has no staff record.
            if store.actor().is_ok_and(|a| a.staff_id == c.recorded_by) {
                PrivacyWord::DeviceOwner.text(i18n.lang()).to_owned()
            } else {
                "—".to_owned()
            }
        })
    };
    let device_text = move |c: &ConsentRecord| match c.device {
        Some(d) if Some(d) == me => PrivacyWord::ThisDevice.text(i18n.lang()).to_owned(),
        Some(d) if store.store_id().is_some_and(|s| server_client_of(s) == d) => {
            PrivacyWord::TheServer.text(i18n.lang()).to_owned()
        }
        Some(d) => d.to_string().chars().take(8).collect(),
        None => "—".to_owned(),
    };
    let state_text = move || {
        current
            .get()
            .map_or(PrivacyWord::NotAsked, |c| decision_word(c.decision))
            .text(i18n.lang())
    };
    let field_word = move |field: Option<&str>, kind: EntityKind| -> String {
        let lang = i18n.lang();
        match (field, kind) {
            (Some("allergies"), _) => i18n.t(Msg::FieldAllergies).to_owned(),
            (Some("contraindications"), _) => i18n.t(Msg::FieldContraindications).to_owned(),
            (Some("health_notes"), _) => i18n.t(Msg::FieldHealthNotes).to_owned(),
            (Some("skin_type"), _) => i18n.t(Msg::FieldSkinType).to_owned(),
            (_, EntityKind::SkinAssessment) => {
                PrivacyWord::FlagSkinAssessment.text(lang).to_owned()
            }
            _ => PrivacyWord::FlagConsultation.text(lang).to_owned(),
        }
    };
    view! {
        <section class="card consent-section" aria-labelledby="file-consent" data-testid="consent-section">
            <h2 id="file-consent">{move || PrivacyWord::ConsentTitle.text(i18n.lang())}</h2>
            <p class="consent-now">
                {move || PrivacyWord::ConsentNow.text(i18n.lang())} " "
                <span class=move || badge_class(current.get().map(|c| c.decision)) data-testid="consent-state">{state_text}</span>
            </p>
            {may.then(|| view! {
                <div class="form-actions consent-actions">
                    <Show when=move || !given.get()>
                        <button type="button" data-testid="ask-consent" on:click=move |_| open.set(true)>
                            {move || PrivacyWord::AskConsent.text(i18n.lang())}
                        </button>
                    </Show>
                    <Show when=move || given.get() && !confirming.get()>
                        <button type="button" class="button--secondary" data-testid="withdraw-consent" on:click=move |_| confirming.set(true)>
                            {move || PrivacyWord::Withdraw.text(i18n.lang())}
                        </button>
                    </Show>
                </div>
            })}
            <Show when=move || confirming.get()>
                <div class="consent-confirm" role="alertdialog" aria-labelledby="withdraw-question" data-testid="withdraw-confirm">
                    <p id="withdraw-question">{move || PrivacyWord::WithdrawQuestion.text(i18n.lang())}</p>
                    <div class="form-actions">
                        <button type="button" class="button--secondary" on:click=move |_| confirming.set(false)>
                            {move || PrivacyWord::Cancel.text(i18n.lang())}
                        </button>
                        <button type="button" class="button--danger" data-testid="withdraw-yes" disabled=move || withdraw.pending().get() on:click=move |_| { withdraw.dispatch(()); }>
                            {move || PrivacyWord::WithdrawYes.text(i18n.lang())}
                        </button>
                    </div>
                </div>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <h3>{move || PrivacyWord::History.text(i18n.lang())}</h3>
            <Show
                when=move || history.with(|h| !h.is_empty())
                fallback=move || view! { <p class="empty-state">{move || PrivacyWord::NoHistory.text(i18n.lang())}</p> }
            >
                <div class="table-wrap">
                    <table class="consent-history" data-testid="consent-history">
                        <thead>
                            <tr>
                                <th scope="col">{move || PrivacyWord::When.text(i18n.lang())}</th>
                                <th scope="col">{move || PrivacyWord::Decision.text(i18n.lang())}</th>
                                <th scope="col">{move || PrivacyWord::Version.text(i18n.lang())}</th>
                                <th scope="col">{move || PrivacyWord::SignedAs.text(i18n.lang())}</th>
                                <th scope="col">{move || PrivacyWord::WitnessedBy.text(i18n.lang())}</th>
                                <th scope="col">{move || PrivacyWord::Device.text(i18n.lang())}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || history.get()
                                key=|c| c.id
                                children=move |c| {
                                    let who = staff_name(&c);
                                    let device = device_text(&c);
                                    let decision = c.decision;
                                    let method = c.method;
                                    let signed = c.signed_name.as_ref().map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned());
                                    view! {
                                        <tr data-testid="consent-row">
                                            <td>{local_text(offset, c.at)}</td>
                                            <td>
                                                <span class=badge_class(Some(decision))>{move || decision_word(decision).text(i18n.lang())}</span>
                                                " " <span class="muted">{move || method_word(method).text(i18n.lang())}</span>
                                            </td>
                                            <td>{c.version.to_string()}</td>
                                            <td>{signed}</td>
                                            <td>{who}</td>
                                            <td>{device}</td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || flags.with(|f| !f.is_empty())>
                <div class="consent-flags" data-testid="consent-flags">
                    <h3>{move || PrivacyWord::FlagsTitle.text(i18n.lang())}</h3>
                    <p class="hint">{move || PrivacyWord::FlagsHint.text(i18n.lang())}</p>
                    <ul class="plain-list">
                        {move || flags.get().into_iter().map(|f| {
                            let at = chrono::DateTime::from_timestamp_millis(i64::try_from(f.written.wall_ms).unwrap_or(i64::MAX)).unwrap_or_default();
                            let what = field_word(f.field.as_deref(), f.entity.kind);
                            view! { <li>{what} " · " {local_text(offset, at)}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <ConsentDialog customer=customer open=open/>
        </section>
    }
}
