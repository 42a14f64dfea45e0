//! Staff scorecards ([supervision], seed 004's monthly assessment): each person's month from the
//! core's `scorecard`, every figure with the records it comes from. A person sees her own card;
//! the supervisors and the manager see the team's (the core's `scorecard::may_read`).
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::internal_check::Outcome;
use orchid_core::permission::{Area, may_open};
use orchid_core::scorecard::{
    Evidence, EvidenceItem, Figure, RecordPart, Scorecard, ScorecardWeights,
};
use orchid_core::staff::Staff;

use crate::components::figure_table::MonthSelect;
use crate::format::local_text;
use crate::i18n::Lang;
use crate::i18n::bedside_words::flow_step_word;
use crate::i18n::complaint_words::root_cause_word;
use crate::i18n::labels::role_name;
use crate::i18n::scorecard_words::ScorecardWord as Word;
use crate::state::store::{store_offset, use_store};
use crate::state::use_i18n;

fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.0}"))
}

#[component]
pub fn ScorecardsPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let month = RwSignal::new(store.this_month());
    let cards = Memo::new(move |_| store.scorecards(month.get()));
    let weights = move || {
        store
            .store()
            .map(|s| s.settings.scorecard_weights)
            .unwrap_or_default()
    };
    // The team's cards in full for those with a figure this month; a person alone sees hers.
    let people = Memo::new(move |_| {
        cards.with(|list| {
            let alone = list.len() == 1;
            list.iter()
                .filter(|(_, card)| alone || card.total.is_some())
                .map(|(person, _)| person.clone())
                .collect::<Vec<Staff>>()
        })
    });
    view! {
        <div class="scorecards">
            <h1>{move || Word::Title.text(i18n.lang())}</h1>
            <p class="page-intro">{move || Word::Intro.text(i18n.lang())}</p>
            <div class="scorecard-month">
                <MonthSelect month=month id="scorecard-month"/>
            </div>
            <Show
                when=move || !cards.with(Vec::is_empty)
                fallback=move || view! { <p class="empty-state">{move || Word::Nobody.text(i18n.lang())}</p> }
            >
                {move || {
                    // The summary's words are read once when drawn: a language change redraws it.
                    i18n.lang();
                    let list = cards.get();
                    (list.len() > 1).then(|| view! { <TeamSummary cards=list/> })
                }}
                // Keyed by person, each card's figures drawn inside it: a sync or a colleague's
                // change redraws the figures, not the card, so the evidence a reader opened stays
                // open.
                <div class="scorecard-list">
                    <For each=move || people.get() key=|person| person.id let:person>
                        {
                            let id = person.id;
                            let card = Signal::derive(move || {
                                cards.with(|list| list.iter().find(|(p, _)| p.id == id).map(|(_, card)| card.clone()))
                            });
                            let open = cards.with_untracked(|list| list.len() == 1);
                            view! { <PersonCard person=person card=card weights=Signal::derive(weights) open=open/> }
                        }
                    </For>
                </div>
                // Said to the one who sees only hers because of her role, not to an owner whose
                // store has no one else yet.
                {move || (!store.may_read_team_scorecards()).then(|| view! { <p class="hint">{Word::NotYours.text(i18n.lang())}</p> })}
            </Show>
        </div>
    }
}

/// The team at a glance: one line per person, the total and each figure.
#[component]
fn TeamSummary(cards: Vec<(Staff, Scorecard)>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    view! {
        <section class="card">
            <table class="report-table scorecard-table" data-testid="scorecard-summary">
                <caption>{Word::Team.text(lang)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{Word::Person.text(lang)}</th>
                        <th scope="col">{Word::Total.text(lang)}</th>
                        <th scope="col">{Word::Satisfaction.text(lang)}</th>
                        <th scope="col">{Word::Timeliness.text(lang)}</th>
                        <th scope="col">{Word::Accuracy.text(lang)}</th>
                        <th scope="col">{Word::Complaints.text(lang)}</th>
                        <th scope="col">{Word::Butler.text(lang)}</th>
                        <th scope="col">{Word::Teamwork.text(lang)}</th>
                        <th scope="col">{Word::Discipline.text(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {cards
                        .into_iter()
                        .map(|(person, card)| view! {
                            <tr data-staff=person.name.to_string()>
                                <th scope="row">{person.name.to_string()} " " <span class="badge">{role_name(lang, person.role)}</span></th>
                                <td><strong>{score_text(card.total)}</strong></td>
                                <td>{score_text(card.satisfaction.score)}</td>
                                <td>{score_text(card.timeliness.score)}</td>
                                <td>{score_text(card.accuracy.score)}</td>
                                <td>{score_text(card.complaints.score)}</td>
                                <td>{score_text(card.butler.score)}</td>
                                <td>{score_text(card.teamwork.score)}</td>
                                <td>{score_text(card.discipline.score)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn PersonCard(
    person: Staff,
    card: Signal<Option<Scorecard>>,
    weights: Signal<ScorecardWeights>,
    open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = person.role;
    let evidence = Signal::derive(move || {
        card.with(|card| card.as_ref().map(evidence_of).unwrap_or_default())
    });
    let figures = move || {
        let lang = i18n.lang();
        let card = card.get()?;
        let rows = figure_rows(&card, weights.get());
        Some(view! {
            <table class="report-table scorecard-table">
                <thead>
                    <tr>
                        <th scope="col">{Word::Figure.text(lang)}</th>
                        <th scope="col">{Word::Score.text(lang)}</th>
                        <th scope="col">{Word::Counted.text(lang)}</th>
                        <th scope="col">{Word::Lowered.text(lang)}</th>
                        <th scope="col">{Word::Weight.text(lang)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(word, figure, weight, key)| figure_row(lang, word, &figure, weight, key, &card))
                        .collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <section class="card scorecard" data-testid="scorecard" data-staff=person.name.to_string()>
            <header class="scorecard-head">
                <h2>{person.name.to_string()} " " <span class="badge">{move || role_name(i18n.lang(), role)}</span></h2>
                <p class="scorecard-total">
                    <span>{move || Word::Total.text(i18n.lang())}</span>
                    <strong data-testid="scorecard-total">{move || score_text(card.with(|c| c.as_ref().and_then(|c| c.total)))}</strong>
                </p>
            </header>
            {figures}
            // The element stays while its lines are drawn again, so it stays as the reader left it.
            <details class="scorecard-evidence" open=open hidden=move || evidence.with(Vec::is_empty)>
                <summary>{move || Word::Evidence.text(i18n.lang())}</summary>
                <ul data-testid="scorecard-evidence">
                    {move || {
                        // The lines' words are read once when drawn: a language change redraws them.
                        i18n.lang();
                        evidence.get().into_iter().map(|(word, e)| view! { <EvidenceLine figure=word evidence=e/> }).collect_view()
                    }}
                </ul>
            </details>
        </section>
    }
}

/// A card's figures in the order they are shown, each with its word, weight and test key.
fn figure_rows(
    card: &Scorecard,
    weights: ScorecardWeights,
) -> [(Word, Figure, u32, &'static str); 7] {
    [
        (
            Word::Satisfaction,
            card.satisfaction.clone(),
            weights.satisfaction,
            "satisfaction",
        ),
        (
            Word::Timeliness,
            card.timeliness.clone(),
            weights.timeliness,
            "timeliness",
        ),
        (
            Word::Accuracy,
            card.accuracy.clone(),
            weights.accuracy,
            "accuracy",
        ),
        (
            Word::Complaints,
            card.complaints.clone(),
            weights.complaints,
            "complaints",
        ),
        (Word::Butler, card.butler.clone(), weights.butler, "butler"),
        (
            Word::Teamwork,
            card.teamwork.clone(),
            weights.teamwork,
            "teamwork",
        ),
        (
            Word::Discipline,
            card.discipline.clone(),
            weights.discipline,
            "discipline",
        ),
    ]
}

/// Every record behind a card's figures, figure by figure.
fn evidence_of(card: &Scorecard) -> Vec<(Word, Evidence)> {
    figure_rows(card, ScorecardWeights::default())
        .into_iter()
        .flat_map(|(word, figure, _, _)| figure.evidence.into_iter().map(move |e| (word, e)))
        .collect()
}

fn figure_row(
    lang: Lang,
    word: Word,
    figure: &Figure,
    weight: u32,
    key: &'static str,
    card: &Scorecard,
) -> impl IntoView + use<> {
    let against = figure.evidence.iter().filter(|e| e.against).count();
    let score = match figure.score {
        Some(s) => format!("{s:.0}"),
        // A therapist's device holds no complaints: her supervisors see that figure.
        None if key == "complaints" && card.total.is_some() => {
            Word::ComplaintsHidden.text(lang).to_owned()
        }
        None => Word::NoData.text(lang).to_owned(),
    };
    view! {
        <tr data-testid=format!("figure-{key}")>
            <th scope="row">{word.text(lang)}</th>
            <td class="figure-score">{score}</td>
            <td>{figure.evidence.len()}</td>
            <td>{against}</td>
            <td>{weight}</td>
        </tr>
    }
}

/// One record behind a figure, linked to the customer's file or the complaint where the reader
/// may open them.
#[component]
fn EvidenceLine(figure: Word, evidence: Evidence) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let lang = i18n.lang();
    let offset = store_offset(store);
    let role = store.role();
    let (what, detail) = match &evidence.item {
        EvidenceItem::Feedback { overall, .. } => (
            Word::FeedbackLine.text(lang).to_owned(),
            format!("{overall:.1} / 5"),
        ),
        EvidenceItem::Step {
            step,
            late,
            minutes_over,
            ..
        } => (
            flow_step_word(*step).text(lang).to_owned(),
            match (late, minutes_over) {
                (true, Some(minutes)) => late_text(lang, *minutes),
                (true, None) => Word::Late.text(lang).to_owned(),
                (false, _) => Word::OnTime.text(lang).to_owned(),
            },
        ),
        EvidenceItem::FollowUp { minutes_late, .. } => (
            Word::FollowUpLine.text(lang).to_owned(),
            late_text(lang, *minutes_late),
        ),
        EvidenceItem::Record { missing, .. } => (
            Word::RecordLine.text(lang).to_owned(),
            if missing.is_empty() {
                Word::Complete.text(lang).to_owned()
            } else {
                format!(
                    "{} {}",
                    Word::Lacks.text(lang),
                    missing
                        .iter()
                        .map(|p| part_word(*p).text(lang))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        ),
        EvidenceItem::Complaint { root_cause, .. } => (
            Word::ComplaintLine.text(lang).to_owned(),
            root_cause_word(*root_cause).text(lang).to_owned(),
        ),
        EvidenceItem::Task {
            title,
            minutes_late,
            ..
        } => (
            format!("{} · {title}", Word::TaskLine.text(lang)),
            late_text(lang, *minutes_late),
        ),
        EvidenceItem::Butler { rating, .. } => (
            Word::ButlerLine.text(lang).to_owned(),
            format!("{rating} / 5"),
        ),
        EvidenceItem::SpotCheck {
            by,
            text,
            outcome,
            note,
            ..
        } => {
            let who = store
                .staff_member(*by)
                .map(|s| s.name.to_string())
                .unwrap_or_default();
            let result = match outcome {
                Outcome::Fail => Word::Failed,
                _ => Word::Passed,
            };
            let mut detail = format!("{} · {}", text.get(lang == Lang::Zh), result.text(lang));
            if !note.is_empty() {
                detail.push_str(&format!(" ({note})"));
            }
            if !who.is_empty() {
                detail.push_str(&format!(" · {} {who}", Word::CheckedBy.text(lang)));
            }
            (Word::SpotCheckLine.text(lang).to_owned(), detail)
        }
    };
    let customer = evidence
        .customer_id
        .filter(|_| may_open(role, Area::Customers))
        .and_then(|id| store.customer(id).map(|c| (id, c.name.to_string())));
    let complaint = match evidence.item {
        EvidenceItem::Complaint { id, .. } if may_open(role, Area::Complaints) => Some(id),
        _ => None,
    };
    let class = if evidence.against {
        "evidence evidence--against"
    } else {
        "evidence"
    };
    view! {
        <li class=class>
            <span class="evidence-figure">{figure.text(lang)}</span>
            <span>{local_text(offset, evidence.at)}</span>
            <span>{what} " · " {detail} {evidence.against.then(|| Word::Lowering.text(lang))}</span>
            {customer.map(|(id, name)| view! { <A href=format!("/customers/{id}")>{name}</A> })}
            {complaint.map(|id| view! { <A href=format!("/complaints/{id}")>{Word::ComplaintLine.text(lang)}</A> })}
        </li>
    }
}

fn late_text(lang: Lang, minutes: i64) -> String {
    if minutes > 0 {
        format!("{minutes} {}", Word::MinutesLate.text(lang))
    } else {
        Word::OnTime.text(lang).to_owned()
    }
}

fn part_word(part: RecordPart) -> Word {
    match part {
        RecordPart::Check => Word::PartCheck,
        RecordPart::Steps => Word::PartSteps,
        RecordPart::Evaluation => Word::PartEvaluation,
    }
}
