//! A customer's visits — her service records, newest first: when, which services, by whom, the
//! steps with their minutes, the products used, the plan, the notes and the effect evaluation —
//! what the next visit and a complaint investigation need. The consultation's contraindication
//! check is health data: only the roles the core lets read it see it (the server leaves it out of
//! the others' pulls as well).
use leptos::prelude::*;
use orchid_core::catalog::CatalogService;
use orchid_core::ids::CustomerId;
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::product::{Product, StockUnit};
use orchid_core::service_record::{BlockReason, ContraindicationCheck, ServiceRecord};
use orchid_core::time::UtcOffset;

use crate::format::local_text;
use crate::i18n::Lang;
use crate::i18n::bedside_words::BedsideWord;
use crate::i18n::desk_words::DeskWord;
use crate::state::store::{StoreHandle, store_offset, use_store};
use crate::state::use_i18n;

/// One visit, in words ready to show (so the view holds no lookups).
#[derive(Clone, PartialEq)]
struct Visit {
    key: String,
    when: String,
    services: String,
    therapist: String,
    done: bool,
    steps: String,
    products: String,
    plan: String,
    notes: Vec<String>,
    effect: Option<(u8, String)>,
    check: Option<String>,
}

fn unit_word(unit: StockUnit) -> &'static str {
    match unit {
        StockUnit::Piece => "×",
        StockUnit::Ml => "ml",
        StockUnit::Gram => "g",
    }
}

fn reason_text(reason: &BlockReason) -> &str {
    // The tag or allergen the core matched names the reason in the salon's own words.
    match reason {
        BlockReason::Contraindication { tag } => tag.as_str(),
        BlockReason::Allergy { allergen, .. } => allergen.as_str(),
        BlockReason::Answer { means, .. } => means.as_str(),
    }
}

/// What every visit's words are looked up in, read once for the whole list.
struct Lookups {
    offset: UtcOffset,
    catalog: Vec<CatalogService>,
    products: Vec<Product>,
}

fn visit(
    store: StoreHandle,
    look: &Lookups,
    r: &ServiceRecord,
    lang: Lang,
    may_see_health: bool,
) -> Visit {
    let Lookups {
        offset,
        catalog,
        products,
    } = look;
    let services = r
        .services
        .iter()
        .filter_map(|s| catalog.iter().find(|c| c.id == *s))
        .map(|c| c.name.as_str().to_owned())
        .collect::<Vec<_>>()
        .join("、");
    let therapist = store
        .staff_member(r.therapist_id)
        .map(|s| s.name.as_str().to_owned())
        .unwrap_or_default();
    let steps = r
        .steps
        .iter()
        .map(|s| match s.finished_at {
            Some(end) => format!(
                "{} {} {}",
                s.name.as_str(),
                (end - s.started_at).num_minutes(),
                DeskWord::VisitMinutes.text(lang)
            ),
            None => s.name.as_str().to_owned(),
        })
        .collect::<Vec<_>>()
        .join("、");
    let used = r
        .products
        .iter()
        .map(|u| match products.iter().find(|p| p.id == u.product_id) {
            Some(p) => format!("{} {} {}", p.name.as_str(), u.quantity, unit_word(p.unit)),
            None => u.quantity.to_string(),
        })
        .collect::<Vec<_>>()
        .join("、");
    let check = may_see_health
        .then(|| {
            r.check.as_ref().map(|c| match c {
                ContraindicationCheck::Allowed => DeskWord::VisitCheckAllowed.text(lang).to_owned(),
                ContraindicationCheck::Blocked { reasons } => {
                    let mut text = format!(
                        "{} {}",
                        DeskWord::VisitCheckBlocked.text(lang),
                        reasons
                            .iter()
                            .map(reason_text)
                            .collect::<Vec<_>>()
                            .join("、")
                    );
                    if let Some((by, _, why)) = &r.override_by {
                        let name = store
                            .staff_member(*by)
                            .map(|s| s.name.as_str().to_owned())
                            .unwrap_or_default();
                        text.push_str(&format!(
                            " · {} {name} {}",
                            DeskWord::VisitOverride.text(lang),
                            why.as_str()
                        ));
                    }
                    text
                }
            })
        })
        .flatten();
    Visit {
        key: r.id.to_string(),
        when: local_text(*offset, r.opened_at),
        services,
        therapist,
        done: r.completed_at.is_some(),
        steps,
        products: used,
        plan: r
            .plan
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        notes: r.notes.iter().map(|n| n.as_str().to_owned()).collect(),
        effect: r.effect.map(|e| {
            (
                e,
                r.evaluation_note
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
            )
        }),
        check,
    }
}

/// The visits section of a customer file.
#[component]
pub fn VisitHistory(customer: CustomerId) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let may_see_health = permission::allowed(
        store.role(),
        Action::ServiceRecordRead,
        Sensitivity::Sensitive,
    );
    let visits = Memo::new(move |_| {
        let lang = i18n.lang();
        let look = Lookups {
            offset: store_offset(store),
            catalog: store.catalog(),
            products: store.products(),
        };
        let mut records = store.service_records_of(customer);
        records.reverse();
        records
            .iter()
            .map(|r| visit(store, &look, r, lang, may_see_health))
            .collect::<Vec<_>>()
    });
    let item = move |label: &'static str, value: String| {
        (!value.is_empty()).then(|| {
            view! { <div class="item"><dt>{label}</dt><dd>{value}</dd></div> }
        })
    };
    view! {
        <section class="card visits" aria-labelledby="file-visits">
            <h2 id="file-visits">{move || DeskWord::Visits.text(i18n.lang())}</h2>
            <Show
                when=move || visits.with(|v| !v.is_empty())
                fallback=move || view! { <p class="empty-state">{move || DeskWord::NoVisits.text(i18n.lang())}</p> }
            >
                <ol class="visits__list" data-testid="visits">
                    <For
                        each=move || visits.get()
                        key=|v| v.key.clone()
                        children=move |v| {
                            let lang = i18n.lang();
                            view! {
                                <li class="visits__item" data-testid="visit">
                                    <h3 class="visits__head">
                                        <time>{v.when.clone()}</time> " · " {v.services.clone()} " · " {v.therapist.clone()}
                                        {(!v.done).then(|| view! { <span class="badge">{DeskWord::VisitInProgress.text(lang)}</span> })}
                                    </h3>
                                    <dl>
                                        {item(BedsideWord::ServiceSteps.text(lang), v.steps.clone())}
                                        {item(BedsideWord::ProductsUsed.text(lang), v.products.clone())}
                                        {item(BedsideWord::PersonalPlan.text(lang), v.plan.clone())}
                                        {item(BedsideWord::Notes.text(lang), v.notes.join(" / "))}
                                        {item(
                                            BedsideWord::EffectEvaluation.text(lang),
                                            v.effect.clone().map(|(e, note)| format!("{} {e}/5 {note}", "★".repeat(usize::from(e)))).unwrap_or_default(),
                                        )}
                                    </dl>
                                    {v.check.clone().map(|c| view! { <p class="visits__check">{c}</p> })}
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </section>
    }
}
