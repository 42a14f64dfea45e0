//! Set-up → Logins (managers and the owner): who of the staff can sign in, and the ways to change
//! that — a login with a first password shown once, a password reset, a role, deactivating and
//! reactivating. Passwords live on the server, so this tab needs the network; a deactivated
//! person's records stay hers (only her sign-in ends).
use leptos::prelude::*;
use orchid_core::ids::StaffId;
use orchid_core::role::Role;
use orchid_core::staff::StaffField;
use orchid_core::sync::Change;

use super::{Outcome, outcome_view, save};
use crate::components::{LocalPins, team_error_text};
use crate::i18n::labels::role_name;
use crate::i18n::setup_words::SetupWord;
use crate::i18n::team_words::TeamWord;
use crate::i18n::{Msg, tr};
use crate::state::team::{self, Login, TeamError, first_password};
use crate::state::{use_app_state, use_i18n, use_store};
use crate::storage::repo::Pairing;

/// One person of the store as this tab shows her: her staff record and her login, if any.
#[derive(Clone, Debug, PartialEq)]
struct Person {
    id: StaffId,
    name: String,
    role: Role,
    /// Her staff record says she works here.
    active: bool,
    login: Option<Login>,
}

/// A first password just made, shown once.
#[derive(Clone, Debug, PartialEq)]
struct Handover {
    name: String,
    login: String,
    password: String,
}

#[component]
pub fn LoginsSection() -> impl IntoView {
    let state = use_app_state();
    let store = use_store();
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let logins = LocalResource::new(move || {
        refresh.track();
        let store_id = store.store_id();
        async move {
            let store_id = store_id.ok_or(TeamError::SignedOut)?;
            team::list_logins(&state, store_id).await
        }
    });
    let people = Memo::new(move |_| {
        let listed = logins.get().and_then(Result::ok).unwrap_or_default();
        let mut people: Vec<Person> = store
            .staff()
            .into_iter()
            .map(|s| Person {
                id: s.id,
                name: s.name.as_str().to_owned(),
                role: s.role,
                active: s.active,
                login: listed.iter().find(|l| l.id == s.id).cloned(),
            })
            .collect();
        // Accounts the device has no record of yet (made elsewhere, not pulled yet).
        let known: std::collections::BTreeSet<StaffId> = people.iter().map(|p| p.id).collect();
        for login in listed.iter().filter(|l| !known.contains(&l.id)) {
            people.push(Person {
                id: login.id,
                name: login.display_name.clone(),
                role: Role::from_code(&login.role).unwrap_or(Role::Reception),
                active: login.active,
                login: Some(login.clone()),
            });
        }
        people.sort_by(|a, b| a.name.cmp(&b.name));
        people
    });
    let handover = RwSignal::new(None::<Handover>);
    let error = RwSignal::new(None::<String>);
    let outcome: Outcome = RwSignal::new(None);
    let paired = move || matches!(store.pairing(), Some(Pairing::Paired { .. }));
    let me = move || state.session.get().and_then(|s| s.staff_id);

    let create = Action::new_local(move |(person, login_name): &(Person, String)| {
        let (person, login_name) = (person.clone(), login_name.trim().to_owned());
        async move {
            let lang = i18n.lang();
            let Some(store_id) = store.store_id() else {
                return Err(TeamWord::SignedOut.text(lang).to_owned());
            };
            let Some(password) = first_password() else {
                return Err(tr(lang, Msg::SignInUnreachable).to_owned());
            };
            let made = team::create_login(
                &state,
                store_id,
                person.id,
                &login_name,
                &person.name,
                person.role,
                &password,
            )
            .await
            .map_err(|e| team_error_text(lang, &e))?;
            Ok(Handover {
                name: person.name,
                login: made.login,
                password,
            })
        }
    });
    let reset = Action::new_local(move |person: &Person| {
        let person = person.clone();
        async move {
            let lang = i18n.lang();
            let Some(password) = first_password() else {
                return Err(tr(lang, Msg::SignInUnreachable).to_owned());
            };
            let changed = team::reset_password(&state, person.id, &password)
                .await
                .map_err(|e| team_error_text(lang, &e))?;
            Ok(Handover {
                name: person.name,
                login: changed.login,
                password,
            })
        }
    });
    let set_active = Action::new_local(move |(id, active): &(StaffId, bool)| {
        let (id, active) = (*id, *active);
        async move {
            team::set_active(&state, id, active)
                .await
                .map(|_| ())
                .map_err(|e| team_error_text(i18n.lang(), &e))
        }
    });
    let change_role = Action::new_local(move |(id, role): &(StaffId, Role)| {
        let change = Change::StaffUpsert {
            id: *id,
            fields: vec![StaffField::Role(*role)],
        };
        let lang = i18n.lang();
        async move { outcome.set(Some(save(vec![change], lang).await)) }
    });
    for action in [create.value(), reset.value()] {
        Effect::new(move || match action.get() {
            Some(Ok(made)) => {
                error.set(None);
                handover.set(Some(made));
                refresh.update(|n| *n += 1);
            }
            Some(Err(text)) => error.set(Some(text)),
            None => {}
        });
    }
    Effect::new(move || match set_active.value().get() {
        Some(Ok(())) => {
            error.set(None);
            refresh.update(|n| *n += 1);
        }
        Some(Err(text)) => error.set(Some(text)),
        None => {}
    });
    let busy =
        move || create.pending().get() || reset.pending().get() || set_active.pending().get();
    view! {
        <section aria-labelledby="setup-logins" data-testid="logins">
            <h2 id="setup-logins">{move || TeamWord::TabLogins.text(i18n.lang())}</h2>
            <p class="hint">{move || TeamWord::LoginsIntro.text(i18n.lang())}</p>
            <Show
                when=paired
                fallback=move || view! {
                    <p class="empty-state">{move || TeamWord::NotPaired.text(i18n.lang())}</p>
                    <LocalPins/>
                }
            >
                <Show when=move || !state.online.get()>
                    <p class="form-error" role="alert">{move || TeamWord::NeedsNetwork.text(i18n.lang())}</p>
                </Show>
                {move || handover.get().map(|h| view! {
                    <div class="card handover" role="status" data-testid="first-password">
                        <p>{move || TeamWord::FirstPassword.text(i18n.lang())}</p>
                        <p><strong>{h.name.clone()}</strong> " · " {move || TeamWord::LoginName.text(i18n.lang())} ": "
                            <code data-testid="first-password-login">{h.login.clone()}</code></p>
                        <p class="handover__password"><code data-testid="first-password-value">{h.password.clone()}</code></p>
                    </div>
                })}
                <p class="form-error" role="alert" data-testid="logins-error">{move || error.get()}</p>
                {outcome_view(outcome)}
                <table class="setup-table logins-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || SetupWord::Name.text(i18n.lang())}</th>
                            <th scope="col">{move || SetupWord::Role.text(i18n.lang())}</th>
                            <th scope="col">{move || TeamWord::LoginName.text(i18n.lang())}</th>
                            <th scope="col">{move || TeamWord::LoginState.text(i18n.lang())}</th>
                            <th scope="col"><span class="visually-hidden">{move || TeamWord::CreateLogin.text(i18n.lang())}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || people.get()
                            key=|p| (p.id, p.role, p.active, p.login.as_ref().map(|l| (l.login.clone(), l.active, l.must_change_password)))
                            let:person
                        >
                            <LoginRow
                                person=person
                                me=me
                                busy=Signal::derive(busy)
                                on_create=Callback::new(move |args| { create.dispatch(args); })
                                on_reset=Callback::new(move |p| { reset.dispatch(p); })
                                on_active=Callback::new(move |args| { set_active.dispatch(args); })
                                on_role=Callback::new(move |args| { change_role.dispatch(args); })
                            />
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[component]
fn LoginRow(
    person: Person,
    me: impl Fn() -> Option<StaffId> + Copy + Send + Sync + 'static,
    busy: Signal<bool>,
    on_create: Callback<(Person, String)>,
    on_reset: Callback<Person>,
    on_active: Callback<(StaffId, bool)>,
    on_role: Callback<(StaffId, Role)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let login_name = RwSignal::new(String::new());
    let id = person.id;
    let is_me = move || me() == Some(id);
    // Nobody changes her own role or an owner's here (the core and the server refuse it too).
    let role_fixed = person.role == Role::Owner;
    let role = person.role;
    let input_id = format!("login-name-{id}");
    let state_text = {
        let login = person.login.clone();
        move || {
            let lang = i18n.lang();
            match &login {
                None => TeamWord::NoLogin.text(lang),
                Some(l) if !l.active => TeamWord::LoginDeactivated.text(lang),
                Some(l) if l.must_change_password => TeamWord::MustChange.text(lang),
                Some(_) => TeamWord::LoginActive.text(lang),
            }
        }
    };
    let login_cell = person
        .login
        .as_ref()
        .map(|l| l.login.clone())
        .unwrap_or_default();
    let for_create = person.clone();
    let for_reset = person.clone();
    let login_active = person.login.as_ref().map(|l| l.active);
    let label_id = input_id.clone();
    view! {
        <tr data-testid="login-row" data-name=person.name.clone()>
            <th scope="row">
                {person.name.clone()}
                {move || is_me().then(|| format!(" {}", TeamWord::OwnAccount.text(i18n.lang())))}
            </th>
            <td>
                {if role_fixed {
                    view! { <span>{move || role_name(i18n.lang(), role)}</span> }.into_any()
                } else {
                    let select_label = format!("{} {}", SetupWord::Role.text(i18n.lang()), person.name);
                    view! {
                        <select
                            aria-label=select_label
                            data-testid="login-role"
                            disabled=move || is_me() || busy.get()
                            on:change=move |ev| {
                                if let Some(r) = Role::from_code(&event_target_value(&ev))
                                    && r != role
                                {
                                    on_role.run((id, r));
                                }
                            }
                        >
                            {Role::ALL
                                .into_iter()
                                .filter(|r| *r != Role::Owner)
                                .map(|r| {
                                    view! { <option value=r.code() selected=r == role>{move || role_name(i18n.lang(), r)}</option> }
                                })
                                .collect_view()}
                        </select>
                    }.into_any()
                }}
            </td>
            <td><code>{login_cell}</code></td>
            <td data-testid="login-state">{state_text}</td>
            <td class="logins-actions">
                {match login_active {
                    None => view! {
                        <form class="inline-form" on:submit=move |ev| {
                            ev.prevent_default();
                            on_create.run((for_create.clone(), login_name.get_untracked()));
                        }>
                            <label for=label_id class="visually-hidden">{move || TeamWord::LoginName.text(i18n.lang())}</label>
                            <input
                                id=input_id
                                data-testid="new-login-name"
                                autocomplete="off"
                                autocapitalize="none"
                                maxlength="64"
                                placeholder=move || TeamWord::LoginName.text(i18n.lang())
                                title=move || TeamWord::LoginNameHint.text(i18n.lang())
                                prop:value=login_name
                                on:input=move |ev| login_name.set(event_target_value(&ev))
                            />
                            <button type="submit" class="button--secondary" data-testid="create-login" disabled=move || busy.get()>
                                {move || TeamWord::CreateLogin.text(i18n.lang())}
                            </button>
                        </form>
                    }.into_any(),
                    Some(active) => view! {
                        <button type="button" class="button--secondary" data-testid="reset-password"
                            disabled=move || is_me() || busy.get()
                            on:click=move |_| on_reset.run(for_reset.clone())>
                            {move || TeamWord::ResetPassword.text(i18n.lang())}
                        </button>
                        <button type="button" class="button--secondary" data-testid="toggle-login"
                            disabled=move || is_me() || busy.get()
                            on:click=move |_| on_active.run((id, !active))>
                            {move || if active { TeamWord::DeactivateLogin.text(i18n.lang()) } else { TeamWord::ReactivateLogin.text(i18n.lang()) }}
                        </button>
                        <AlsoWorksIn id=id name=person.name.clone() role=role/>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// The other stores of the chain a person also works in, for the owner to change (shown when the
/// chain has more than one store; the person's own store is not offered).
#[component]
fn AlsoWorksIn(id: StaffId, name: String, role: Role) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let known = crate::state::chain::use_known_stores();
    let is_owner = move || {
        state
            .session
            .get()
            .is_some_and(|s| Role::from_code(&s.role) == Some(Role::Owner))
    };
    let wanted = move || is_owner() && role != Role::Owner && known.get().len() > 1;
    let refresh = RwSignal::new(0u32);
    let stores = LocalResource::new(move || {
        refresh.track();
        let ask = wanted();
        async move {
            if ask {
                team::staff_stores(&state, id).await.ok()
            } else {
                None
            }
        }
    });
    let error = RwSignal::new(None::<String>);
    let toggle = Action::new_local(
        move |(store, works_here): &(orchid_core::ids::StoreId, bool)| {
            let (store, works_here) = (*store, *works_here);
            async move {
                match team::set_staff_store(&state, id, store, works_here).await {
                    Ok(_) => error.set(None),
                    Err(e) => error.set(Some(team_error_text(i18n.lang(), &e))),
                }
                refresh.update(|n| *n += 1);
            }
        },
    );
    let legend = move || format!("{} — {name}", TeamWord::AlsoWorksIn.text(i18n.lang()));
    view! {
        {move || stores.get().flatten().map(|where_| {
            let others: Vec<_> = known
                .get()
                .into_iter()
                .filter(|s| s.id != where_.store_id)
                .collect();
            let legend = legend.clone();
            view! {
                <fieldset class="also-works-in" data-testid="also-works-in">
                    <legend>{legend}</legend>
                    {others
                        .into_iter()
                        .map(|s| {
                            let checked = where_.also_in.contains(&s.id);
                            let store_id = s.id;
                            view! {
                                <label>
                                    <input
                                        type="checkbox"
                                        data-testid="works-in-store"
                                        prop:checked=checked
                                        disabled=move || toggle.pending().get()
                                        on:change=move |ev| {
                                            toggle.dispatch((store_id, event_target_checked(&ev)));
                                        }
                                    />
                                    " "
                                    {s.name}
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="form-error" role="alert">{move || error.get()}</p>
                </fieldset>
            }
        })}
    }
}
