//! A person's own password (/password): shown instead of every page while her password is one
//! someone else chose (a new login, a reset), and reachable from Settings at any time. The server
//! refuses everything else from such a session (403 `password.must_change`), so this is the way in.
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::errors::error_text;
use crate::i18n::team_words::TeamWord;
use crate::i18n::{Lang, Msg};
use crate::state::team::{self, TeamError};
use crate::state::{use_app_state, use_i18n};

fn team_error_text(lang: Lang, err: &TeamError) -> String {
    match err {
        TeamError::Offline => crate::i18n::tr(lang, Msg::SignInUnreachable).to_owned(),
        TeamError::SignedOut => TeamWord::SignedOut.text(lang).to_owned(),
        TeamError::Taken => TeamWord::LoginTaken.text(lang).to_owned(),
        TeamError::Refused(code) => error_text(lang, code).to_owned(),
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let save = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let lang = i18n.lang();
            let (old, first, second) = (
                current.get_untracked(),
                new.get_untracked(),
                again.get_untracked(),
            );
            if old.is_empty() || first.is_empty() {
                return Err(crate::i18n::tr(lang, Msg::FieldRequired).to_owned());
            }
            // The core's length rule, said before anything is sent; the common-password list stays
            // the server's.
            if let Err(refusal) = orchid_core::password::check_length(&first) {
                return Err(error_text(lang, refusal.code()).to_owned());
            }
            if first != second {
                return Err(TeamWord::PasswordsDiffer.text(lang).to_owned());
            }
            team::change_own_password(&state, &old, &first)
                .await
                .map_err(|e| team_error_text(lang, &e))?;
            // Here, not in the effect below: a first password's page is gone the moment the session
            // no longer needs it, and its effects with it.
            navigate("/", Default::default());
            Ok(())
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(())) => {
            current.set(String::new());
            new.set(String::new());
            again.set(String::new());
            message.set(Some((
                true,
                TeamWord::PasswordSaved.text(i18n.lang()).to_owned(),
            )));
        }
        Some(Err(text)) => message.set(Some((false, text))),
        None => {}
    });
    let signed_in = move || state.session.get().is_some();
    view! {
        <h1>{move || TeamWord::ChangePasswordTitle.text(i18n.lang())}</h1>
        <Show
            when=signed_in
            fallback=move || view! { <p>{move || TeamWord::SignedOut.text(i18n.lang())}</p> }
        >
            <p class="page-intro">{move || TeamWord::ChangePasswordIntro.text(i18n.lang())}</p>
            <form class="card form" data-testid="change-password" novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
                <label for="password-current">{move || TeamWord::CurrentPassword.text(i18n.lang())}</label>
                <input id="password-current" type="password" autocomplete="current-password"
                    prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
                <label for="password-new">{move || TeamWord::NewPassword.text(i18n.lang())}</label>
                <input id="password-new" type="password" autocomplete="new-password" minlength="10"
                    prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
                <label for="password-again">{move || TeamWord::RepeatPassword.text(i18n.lang())}</label>
                <input id="password-again" type="password" autocomplete="new-password" minlength="10"
                    prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                <p role="status" data-testid="change-password-message"
                    class=move || match message.get() { Some((false, _)) => "form-error", _ => "form-ok" }>
                    {move || message.get().map(|(_, t)| t)}
                </p>
                <button type="submit" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { TeamWord::Saving.text(i18n.lang()) } else { TeamWord::SavePassword.text(i18n.lang()) }}
                </button>
            </form>
        </Show>
    }
}
