//! Creating and editing a customer file, with each error next to its field.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use orchid_core::customer::{
    Customer, CustomerField, Email, Gender, MembershipNo, Phone, SkinType, validate_birthday,
};
use orchid_core::error::ValidationError;
use orchid_core::ids::{CustomerId, StaffId};
use orchid_core::permission::{self, Sensitivity};
use orchid_core::sync::Change;
use orchid_core::text::{Label, Name, Note, Tag};

use crate::components::consent::{ConsentDialog, HealthLocked};
use crate::i18n::errors::error_text;
use crate::i18n::task_words::TaskWord;
use crate::i18n::{Msg, labels};
use crate::state::consent::has_health_consent;
use crate::state::store::{new_id, use_store};
use crate::state::use_i18n;
use crate::storage::repo::StoreError;

/// What the form's inputs hold, as typed.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    name: String,
    phone: String,
    email: String,
    wechat: String,
    gender: String,
    birthday: String,
    member_no: String,
    tags: String,
    preferences: String,
    notes: String,
    skin_type: String,
    allergies: String,
    contraindications: String,
    health_notes: String,
    /// Her butler's staff id, or empty.
    butler: String,
}

fn join_tags(tags: &[Tag]) -> String {
    tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(", ")
}

impl Draft {
    fn of(c: &Customer) -> Self {
        Self {
            name: c.name.as_str().to_owned(),
            phone: c.phone.as_ref().map(|p| p.readable()).unwrap_or_default(),
            email: c
                .email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            wechat: c
                .wechat
                .as_ref()
                .map(|w| w.as_str().to_owned())
                .unwrap_or_default(),
            gender: serde_json::to_string(&c.gender).unwrap_or_default(),
            birthday: c
                .birthday
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            member_no: c
                .membership_no
                .as_ref()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            tags: join_tags(&c.tags),
            preferences: c.preferences.as_str().to_owned(),
            notes: c.notes.as_str().to_owned(),
            skin_type: c
                .skin_type
                .map(|s| serde_json::to_string(&s).unwrap_or_default())
                .unwrap_or_default(),
            allergies: join_tags(&c.allergies),
            contraindications: join_tags(&c.contraindications),
            health_notes: c.health_notes.as_str().to_owned(),
            butler: c.butler.map(|s| s.to_string()).unwrap_or_default(),
        }
    }
}

type FieldErrors = HashMap<&'static str, &'static str>;

fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// Tags typed in one field, separated by commas (either width), 、 or semicolons.
pub fn tag_list(raw: &str) -> Result<Vec<Tag>, ValidationError> {
    raw.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Tag::parse(t).map_err(ValidationError::from))
        .collect()
}

fn enum_choice<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_str(raw).ok()
}

/// Parses every field; the fields that changed from `before` (all of them for a new file), or
/// the errors by field.
fn parse(
    draft: &Draft,
    before: Option<&Draft>,
    with_health: bool,
) -> Result<Vec<CustomerField>, FieldErrors> {
    let today = Utc::now().date_naive();
    let mut fields = Vec::new();
    let mut errors = FieldErrors::new();
    let changed = |pick: fn(&Draft) -> &String| before.is_none_or(|b| pick(b) != pick(draft));
    let mut take = |key: &'static str,
                    result: Result<CustomerField, ValidationError>,
                    changed: bool| match result {
        Ok(field) if changed => fields.push(field),
        Ok(_) => {}
        Err(e) => {
            errors.insert(key, e.code());
        }
    };
    take(
        "name",
        Name::parse(draft.name.trim())
            .map(CustomerField::Name)
            .map_err(Into::into),
        changed(|d| &d.name),
    );
    take(
        "phone",
        optional(&draft.phone, |p| Phone::parse(p).map_err(Into::into)).map(CustomerField::Phone),
        changed(|d| &d.phone),
    );
    take(
        "email",
        optional(&draft.email, |e| Email::parse(e).map_err(Into::into)).map(CustomerField::Email),
        changed(|d| &d.email),
    );
    take(
        "wechat",
        optional(&draft.wechat, |w| Label::parse(w).map_err(Into::into)).map(CustomerField::Wechat),
        changed(|d| &d.wechat),
    );
    take(
        "gender",
        Ok(CustomerField::Gender(
            enum_choice(&draft.gender).unwrap_or(Gender::Undisclosed),
        )),
        changed(|d| &d.gender),
    );
    take(
        "birthday",
        optional(&draft.birthday, |b| {
            let date = NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(|_| {
                ValidationError::from(orchid_core::customer::CustomerError::BirthdayOutOfRange {
                    date: NaiveDate::MIN,
                })
            })?;
            validate_birthday(date, today)?;
            Ok(date)
        })
        .map(CustomerField::Birthday),
        changed(|d| &d.birthday),
    );
    take(
        "member_no",
        optional(&draft.member_no, |m| {
            MembershipNo::parse(m).map_err(Into::into)
        })
        .map(CustomerField::MembershipNo),
        changed(|d| &d.member_no),
    );
    take(
        "tags",
        tag_list(&draft.tags).map(CustomerField::Tags),
        changed(|d| &d.tags),
    );
    take(
        "preferences",
        Note::parse(draft.preferences.trim())
            .map(CustomerField::Preferences)
            .map_err(Into::into),
        changed(|d| &d.preferences),
    );
    take(
        "notes",
        Note::parse(draft.notes.trim())
            .map(CustomerField::Notes)
            .map_err(Into::into),
        changed(|d| &d.notes),
    );
    if with_health {
        take(
            "skin_type",
            Ok(CustomerField::SkinType(enum_choice::<SkinType>(
                &draft.skin_type,
            ))),
            changed(|d| &d.skin_type),
        );
        take(
            "allergies",
            tag_list(&draft.allergies).map(CustomerField::Allergies),
            changed(|d| &d.allergies),
        );
        take(
            "contraindications",
            tag_list(&draft.contraindications).map(CustomerField::Contraindications),
            changed(|d| &d.contraindications),
        );
        take(
            "health_notes",
            Note::parse(draft.health_notes.trim())
                .map(CustomerField::HealthNotes)
                .map_err(Into::into),
            changed(|d| &d.health_notes),
        );
    }
    if changed(|d| &d.butler) {
        // An id the form offered, or none: a value it cannot read leaves her butler as it was.
        let raw = draft.butler.trim();
        if raw.is_empty() {
            fields.push(CustomerField::Butler(None));
        } else if let Ok(id) = uuid::Uuid::parse_str(raw) {
            fields.push(CustomerField::Butler(Some(StaffId::from_uuid(id))));
        }
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// The sentence for a failed write, in the user's language.
pub fn store_error_text(lang: crate::i18n::Lang, error: &StoreError) -> &'static str {
    match error {
        StoreError::Rejected { code, .. } => error_text(lang, code),
        other => crate::i18n::tr(lang, other.msg()),
    }
}

#[component]
fn TextField(
    key: &'static str,
    label: Msg,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("customer-{key}");
    let error_id = format!("customer-{key}-error");
    let error = move || errors.with(|e| e.get(key).map(|code| error_text(i18n.lang(), code)));
    let invalid = move || error().is_some().to_string();
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="2"
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=kind
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            {input}
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// The form. With `existing`, it edits that file and sends only the fields that changed, so an
/// edit made elsewhere to another field is not overwritten.
#[component]
pub fn CustomerForm(existing: Option<Customer>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let before = existing.as_ref().map(Draft::of);
    let start = before.clone().unwrap_or_else(|| Draft {
        gender: serde_json::to_string(&Gender::Female).unwrap_or_default(),
        ..Draft::default()
    });
    // Follows the active person: a form opened by a deep link before the store has loaded, or
    // kept open while someone else takes the device, shows what the present role may write.
    let with_health = Memo::new(move |_| {
        store.active_role().is_some_and(|role| {
            permission::allowed(
                role,
                permission::Action::CustomerWrite,
                Sensitivity::Sensitive,
            )
        })
    });
    let id: CustomerId = existing.as_ref().map(|c| c.id).unwrap_or_else(new_id);
    // Health fields are filled only under her current consent (the core refuses the write
    // otherwise); a new file can take her consent before it is saved.
    let consented = Memo::new(move |_| has_health_consent(store, id));
    let consent_open = RwSignal::new(false);

    let name = RwSignal::new(start.name);
    let phone = RwSignal::new(start.phone);
    let email = RwSignal::new(start.email);
    let wechat = RwSignal::new(start.wechat);
    let gender = RwSignal::new(start.gender);
    let birthday = RwSignal::new(start.birthday);
    let member_no = RwSignal::new(start.member_no);
    let tags = RwSignal::new(start.tags);
    let preferences = RwSignal::new(start.preferences);
    let notes = RwSignal::new(start.notes);
    let skin_type = RwSignal::new(start.skin_type);
    let allergies = RwSignal::new(start.allergies);
    let contraindications = RwSignal::new(start.contraindications);
    let health_notes = RwSignal::new(start.health_notes);
    let butler = RwSignal::new(start.butler);
    let staff = Memo::new(move |_| {
        let mut list: Vec<_> = store.staff().into_iter().filter(|s| s.active).collect();
        list.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        list
    });
    let errors = RwSignal::new(FieldErrors::new());
    let form_error = RwSignal::new(None::<&'static str>);

    let save = Action::new_local(move |fields: &Vec<CustomerField>| {
        let change = Change::CustomerUpsert {
            id,
            fields: fields.clone(),
        };
        async move { store.mutate(change).await }
    });
    let navigate_after = navigate.clone();
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => navigate_after(&format!("/customers/{id}"), Default::default()),
        Some(Err(e)) => form_error.set(Some(store_error_text(i18n.lang(), &e))),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = Draft {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            wechat: wechat.get_untracked(),
            gender: gender.get_untracked(),
            birthday: birthday.get_untracked(),
            member_no: member_no.get_untracked(),
            tags: tags.get_untracked(),
            preferences: preferences.get_untracked(),
            notes: notes.get_untracked(),
            skin_type: skin_type.get_untracked(),
            allergies: allergies.get_untracked(),
            contraindications: contraindications.get_untracked(),
            health_notes: health_notes.get_untracked(),
            butler: butler.get_untracked(),
        };
        let health = with_health.get_untracked() && consented.get_untracked();
        match parse(&draft, before.as_ref(), health) {
            Ok(fields) if fields.is_empty() => {
                navigate(&format!("/customers/{id}"), Default::default());
            }
            Ok(fields) => {
                errors.set(FieldErrors::new());
                form_error.set(None);
                save.dispatch(fields);
            }
            Err(found) => {
                errors.set(found);
                form_error.set(Some(i18n.t(Msg::FixErrors)));
            }
        }
    };

    let genders = [
        Gender::Female,
        Gender::Male,
        Gender::Other,
        Gender::Undisclosed,
    ];
    let skins = [
        SkinType::Dry,
        SkinType::Oily,
        SkinType::Combination,
        SkinType::Normal,
        SkinType::Sensitive,
    ];
    view! {
        <form class="card form customer-form" on:submit=on_submit novalidate data-testid="customer-form">
            <fieldset>
                <legend>{move || i18n.t(Msg::SectionContact)}</legend>
                <TextField key="name" label=Msg::FieldName value=name errors=errors/>
                <TextField key="phone" label=Msg::FieldPhone value=phone errors=errors kind="tel"/>
                <TextField key="email" label=Msg::FieldEmail value=email errors=errors kind="email"/>
                <TextField key="wechat" label=Msg::FieldWechat value=wechat errors=errors/>
                <div class="field">
                    <label for="customer-gender">{move || i18n.t(Msg::FieldGender)}</label>
                    <select id="customer-gender" on:change=move |ev| gender.set(event_target_value(&ev))>
                        {genders
                            .into_iter()
                            .map(|g| {
                                let value = serde_json::to_string(&g).unwrap_or_default();
                                let selected = value == gender.get_untracked();
                                view! { <option value=value selected=selected>{move || i18n.t(labels::gender(g))}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <TextField key="birthday" label=Msg::FieldBirthday value=birthday errors=errors kind="date"/>
                <TextField key="member_no" label=Msg::FieldMemberNo value=member_no errors=errors/>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t(Msg::SectionCare)}</legend>
                <TextField key="tags" label=Msg::FieldTags value=tags errors=errors/>
                <TextField key="preferences" label=Msg::FieldPreferences value=preferences errors=errors multiline=true/>
                <TextField key="notes" label=Msg::FieldNotes value=notes errors=errors multiline=true/>
                <div class="field">
                    <label for="customer-butler">{move || TaskWord::Butler.text(i18n.lang())}</label>
                    <select id="customer-butler" data-testid="customer-butler" on:change=move |ev| butler.set(event_target_value(&ev))>
                        <option value="" selected=move || butler.get().is_empty()>{move || TaskWord::NoButler.text(i18n.lang())}</option>
                        {move || staff.get().into_iter().map(|s| {
                            let value = s.id.to_string();
                            let is = value.clone();
                            view! { <option value=value selected=move || butler.get() == is>{s.name.to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <Show when=move || with_health.get()>
                <fieldset class="sensitive">
                    <legend>{move || i18n.t(Msg::SectionHealth)}</legend>
                    <Show when=move || !consented.get()>
                        <HealthLocked open=consent_open/>
                    </Show>
                    <fieldset class="health-fields" prop:disabled=move || !consented.get() data-testid="health-fields">
                    <div class="field">
                        <label for="customer-skin_type">{move || i18n.t(Msg::FieldSkinType)}</label>
                        <select id="customer-skin_type" on:change=move |ev| skin_type.set(event_target_value(&ev))>
                            <option value="" selected=skin_type.get_untracked().is_empty()>{move || i18n.t(Msg::NotGiven)}</option>
                            {skins
                                .into_iter()
                                .map(|s| {
                                    let value = serde_json::to_string(&s).unwrap_or_default();
                                    let selected = value == skin_type.get_untracked();
                                    view! { <option value=value selected=selected>{move || i18n.t(labels::skin_type(s))}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <TextField key="allergies" label=Msg::FieldAllergies value=allergies errors=errors/>
                    <TextField key="contraindications" label=Msg::FieldContraindications value=contraindications errors=errors/>
                    <TextField key="health_notes" label=Msg::FieldHealthNotes value=health_notes errors=errors multiline=true/>
                    </fieldset>
                </fieldset>
            </Show>
            <p class="form-error" role="alert" data-testid="form-error">{move || form_error.get()}</p>
            <div class="form-actions">
                <button type="submit" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                </button>
            </div>
        </form>
        <ConsentDialog customer=id open=consent_open/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, phone: &str) -> Draft {
        Draft {
            name: name.into(),
            phone: phone.into(),
            ..Draft::default()
        }
    }

    #[test]
    fn errors_are_reported_by_field() {
        let errors = parse(&draft("", "12345"), None, false).unwrap_err();
        assert_eq!(errors.get("name"), Some(&"text.empty"));
        assert!(errors.get("phone").is_some_and(|c| c.starts_with("phone.")));
        assert!(!errors.contains_key("email"));
    }

    #[test]
    fn an_edit_sends_only_the_fields_that_changed() {
        let before = draft("王丽", "13800138000");
        let mut after = before.clone();
        after.phone = "13900139000".into();
        let fields = parse(&after, Some(&before), true).unwrap();
        assert_eq!(fields.len(), 1);
        assert!(matches!(fields[0], CustomerField::Phone(Some(_))));
    }

    #[test]
    fn tags_split_on_chinese_and_latin_commas() {
        let tags = tag_list("VIP，敏感肌, 学生、").unwrap();
        assert_eq!(
            tags.iter().map(Tag::as_str).collect::<Vec<_>>(),
            // Tags fold case, so "VIP" and "vip" are one tag.
            ["vip", "敏感肌", "学生"]
        );
    }

    #[test]
    fn health_fields_are_left_out_for_roles_that_may_not_write_them() {
        let mut d = draft("王丽", "");
        d.allergies = "果酸".into();
        let fields = parse(&d, None, false).unwrap();
        assert!(
            !fields
                .iter()
                .any(|f| matches!(f, CustomerField::Allergies(_)))
        );
        let fields = parse(&d, None, true).unwrap();
        assert!(
            fields
                .iter()
                .any(|f| matches!(f, CustomerField::Allergies(_)))
        );
    }
}
