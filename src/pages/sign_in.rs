use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::Msg;
use crate::state::device_lock::use_device_lock;
use crate::state::{use_app_state, use_i18n};
use crate::sync::auth::{SignInError, sign_in};

#[component]
pub fn SignInPage() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let navigate = use_navigate();
    let lock = use_device_lock();

    let submit = Action::new_local(move |(login, password): &(String, String)| {
        let (login, password) = (login.clone(), password.clone());
        async move { sign_in(&login, &password).await }
    });
    Effect::new(move || {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(session) => {
                    let must_change = session.must_change_password;
                    state.signed_in(session);
                    // Whoever signs in with her password has the device from now on.
                    lock.opened();
                    let next = if must_change { "/password" } else { "/" };
                    navigate(next, Default::default());
                }
                Err(SignInError::WrongCredentials) => error.set(Some(Msg::SignInFailed)),
                Err(SignInError::Throttled) => error.set(Some(Msg::SignInThrottled)),
                Err(SignInError::Unreachable) => error.set(Some(Msg::SignInUnreachable)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (l, p) = (login.get_untracked(), password.get_untracked());
        if l.trim().is_empty() || p.is_empty() {
            error.set(Some(Msg::FieldRequired));
            return;
        }
        error.set(None);
        submit.dispatch((l.trim().to_owned(), p));
    };

    view! {
        <h1>{move || i18n.t(Msg::SignIn)}</h1>
        <form class="card form" on:submit=on_submit novalidate>
            <label for="sign-in-login">{move || i18n.t(Msg::Login)}</label>
            <input
                id="sign-in-login"
                name="login"
                autocomplete="username"
                prop:value=login
                on:input=move |ev| login.set(event_target_value(&ev))
            />
            <label for="sign-in-password">{move || i18n.t(Msg::Password)}</label>
            <input
                id="sign-in-password"
                name="password"
                type="password"
                autocomplete="current-password"
                prop:value=password
                on:input=move |ev| password.set(event_target_value(&ev))
            />
            <p class="form-error" role="alert" data-testid="sign-in-error">
                {move || error.get().map(|msg| i18n.t(msg))}
            </p>
            <button type="submit" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { i18n.t(Msg::SigningIn) } else { i18n.t(Msg::SignIn) }}
            </button>
        </form>
    }
}
