//! Complaints from intake to archive (\[complaints\]): the inboxes by role, with a live countdown to
//! each deadline. The intake form, the complaint's page and the case library are in the
//! `complaint_*` modules; the words shared by all of them are here.
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use orchid_core::complaint::{
    ComplaintChannel, ComplaintStatus, ComplaintView, ContactChannel, Deadline, DeadlineState,
    RootCause, Severity,
};
use orchid_core::permission::{self, Action, Sensitivity};
use orchid_core::role::Role;
use orchid_core::time::Timestamp;

use crate::i18n::complaint_words::ComplaintWord;
use crate::i18n::{Lang, Msg};
use crate::state::store::{StoreHandle, use_store};
use crate::state::{I18n, use_i18n};

pub use crate::pages::complaint_detail::ComplaintPage;
pub use crate::pages::complaint_intake::NewComplaintPage;
pub use crate::pages::complaint_library::ComplaintLibraryPage;

/// A word of the complaint catalogue in the user's language.
pub fn cw(i18n: I18n, word: ComplaintWord) -> &'static str {
    word.text(i18n.lang())
}

pub const CHANNELS: [ComplaintChannel; 8] = [
    ComplaintChannel::InPerson,
    ComplaintChannel::Phone,
    ComplaintChannel::SuggestionBox,
    ComplaintChannel::Online,
    ComplaintChannel::Email,
    ComplaintChannel::Wechat,
    ComplaintChannel::Feedback,
    ComplaintChannel::Other,
];

pub fn channel_word(c: ComplaintChannel) -> ComplaintWord {
    match c {
        ComplaintChannel::SuggestionBox => ComplaintWord::ChannelBox,
        ComplaintChannel::Phone => ComplaintWord::ChannelPhone,
        ComplaintChannel::Online => ComplaintWord::ChannelOnline,
        ComplaintChannel::Wechat => ComplaintWord::ChannelWechat,
        ComplaintChannel::Email => ComplaintWord::ChannelEmail,
        ComplaintChannel::InPerson => ComplaintWord::ChannelInPerson,
        ComplaintChannel::Feedback => ComplaintWord::ChannelFeedback,
        ComplaintChannel::Other => ComplaintWord::ChannelOther,
    }
}

pub const CONTACT_CHANNELS: [ContactChannel; 5] = [
    ContactChannel::Phone,
    ContactChannel::Wechat,
    ContactChannel::Sms,
    ContactChannel::Email,
    ContactChannel::InPerson,
];

pub fn contact_word(c: ContactChannel) -> ComplaintWord {
    match c {
        ContactChannel::Phone => ComplaintWord::ChannelPhone,
        ContactChannel::Sms => ComplaintWord::ContactSms,
        ContactChannel::Wechat => ComplaintWord::ChannelWechat,
        ContactChannel::Email => ComplaintWord::ChannelEmail,
        ContactChannel::InPerson => ComplaintWord::ChannelInPerson,
    }
}

pub fn status_word(s: ComplaintStatus) -> ComplaintWord {
    match s {
        ComplaintStatus::Received => ComplaintWord::StatusReceived,
        ComplaintStatus::Triaged => ComplaintWord::StatusTriaged,
        ComplaintStatus::Assigned => ComplaintWord::StatusAssigned,
        ComplaintStatus::InProgress => ComplaintWord::StatusInProgress,
        ComplaintStatus::AwaitingCustomer => ComplaintWord::StatusAwaiting,
        ComplaintStatus::Resolved => ComplaintWord::StatusResolved,
        ComplaintStatus::Confirmed => ComplaintWord::StatusConfirmed,
        ComplaintStatus::Closed => ComplaintWord::StatusClosed,
        ComplaintStatus::Archived => ComplaintWord::StatusArchived,
    }
}

pub fn role_word(r: Role) -> ComplaintWord {
    match r {
        Role::Owner => ComplaintWord::RoleOwner,
        Role::Manager => ComplaintWord::RoleManager,
        Role::Reception => ComplaintWord::RoleReception,
        Role::Therapist => ComplaintWord::RoleTherapist,
        Role::CustomerServiceSupervisor => ComplaintWord::RoleCustomerService,
        Role::TechnicalSupervisor => ComplaintWord::RoleTechnical,
        Role::FinanceSupervisor => ComplaintWord::RoleFinance,
    }
}

pub const ROOT_CAUSES: [RootCause; 9] = [
    RootCause::Attitude,
    RootCause::Skill,
    RootCause::Process,
    RootCause::ProductQuality,
    RootCause::Pricing,
    RootCause::Communication,
    RootCause::Environment,
    RootCause::NoFault,
    RootCause::Other,
];

pub use crate::i18n::complaint_words::{nature_word, root_cause_word, severity_word};

/// The complaint's number from the server, or a short local reference until it has one.
pub fn reference(c: &ComplaintView) -> String {
    c.number.clone().unwrap_or_else(|| {
        // The tail of the id: its head is a timestamp, the same for complaints taken in together.
        let id = c.id.to_string();
        let tail: Vec<char> = id.chars().rev().take(6).collect();
        format!(
            "#{}",
            tail.into_iter().rev().collect::<String>().to_uppercase()
        )
    })
}

/// The first `n` characters of a text, with an ellipsis if cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// The customer's name: from the file, or as given at intake.
pub fn customer_name(store: StoreHandle, c: &ComplaintView) -> String {
    c.customer_id
        .and_then(|id| store.customer(id))
        .map(|cu| cu.name.as_str().to_owned())
        .or_else(|| c.customer_name.as_ref().map(|n| n.as_str().to_owned()))
        .unwrap_or_default()
}

/// "now", ticking every 30 s while the calling component lives, so countdowns and deadline
/// states move without a reload.
pub fn use_clock() -> RwSignal<Timestamp> {
    let now = RwSignal::new(Utc::now());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(Utc::now()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

fn span_text(lang: Lang, minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (lang, h) {
        (Lang::Zh, 0) => format!("{m} 分钟"),
        (Lang::Zh, _) => format!("{h} 小时 {m} 分"),
        (Lang::En, 0) => format!("{m} min"),
        (Lang::En, _) => format!("{h} h {m} min"),
    }
}

/// The countdown to a deadline in words: "还剩 42 分钟" / "42 min left", "超时 5 分钟" / "5 min
/// overdue", paused or met.
pub fn countdown_text(lang: Lang, d: &Deadline, now: Timestamp) -> String {
    match (d.state, d.due_at) {
        (DeadlineState::MetOnTime | DeadlineState::MetLate, _) => {
            ComplaintWord::DeadlineMet.text(lang).to_owned()
        }
        (DeadlineState::Paused, _) => {
            let left = (d.limit_minutes - d.used_minutes).max(0);
            format!(
                "{} · {}",
                ComplaintWord::Paused.text(lang),
                left_text(lang, left)
            )
        }
        (_, Some(due)) => {
            // Round up, so "0 min left" never shows while time remains.
            let seconds = (due - now).num_seconds();
            if seconds > 0 {
                left_text(lang, (seconds + 59) / 60)
            } else {
                let over = span_text(lang, (-seconds) / 60);
                match lang {
                    Lang::Zh => format!("已超时 {over}"),
                    Lang::En => format!("{over} overdue"),
                }
            }
        }
        (_, None) => String::new(),
    }
}

fn left_text(lang: Lang, minutes: i64) -> String {
    let span = span_text(lang, minutes);
    match lang {
        Lang::Zh => format!("还剩 {span}"),
        Lang::En => format!("{span} left"),
    }
}

/// The deadline state at `now` from the deadline computed earlier: the countdown ticks between
/// store revisions, so the warning and breach show without waiting for a write.
pub fn live_state(d: &Deadline, now: Timestamp) -> DeadlineState {
    match (d.state, d.due_at, d.warn_at) {
        (DeadlineState::OnTrack | DeadlineState::Warning, Some(due), _) if now >= due => {
            DeadlineState::Breached
        }
        (DeadlineState::OnTrack, _, Some(warn)) if now >= warn => DeadlineState::Warning,
        (state, _, _) => state,
    }
}

pub fn deadline_class(state: DeadlineState) -> &'static str {
    match state {
        DeadlineState::OnTrack => "deadline deadline--on-track",
        DeadlineState::Warning => "deadline deadline--warning",
        DeadlineState::Breached => "deadline deadline--breached",
        DeadlineState::Paused => "deadline deadline--paused",
        DeadlineState::MetOnTime | DeadlineState::MetLate => "deadline deadline--met",
    }
}

/// The countdown of one complaint, ticking with `now`.
#[component]
pub fn Countdown(deadline: Deadline, now: RwSignal<Timestamp>) -> impl IntoView {
    let i18n = use_i18n();
    let d = StoredValue::new(deadline);
    let state = move || d.with_value(|d| live_state(d, now.get()));
    view! {
        <span class=move || deadline_class(state()) data-testid="countdown" role="timer" aria-live="off">
            {move || match state() {
                DeadlineState::Warning => Some(view! { <span class="deadline__flag">{cw(i18n, ComplaintWord::DeadlineWarning)}</span> }),
                DeadlineState::Breached => Some(view! { <span class="deadline__flag">{cw(i18n, ComplaintWord::DeadlineBreached)}</span> }),
                _ => None,
            }}
            {move || d.with_value(|d| countdown_text(i18n.lang(), d, now.get()))}
        </span>
    }
}

/// The inboxes: which complaints a role works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inbox {
    CustomerService,
    Technical,
    Finance,
    Manager,
    All,
}

impl Inbox {
    const ALL: [Inbox; 5] = [
        Inbox::CustomerService,
        Inbox::Technical,
        Inbox::Finance,
        Inbox::Manager,
        Inbox::All,
    ];

    fn word(self) -> ComplaintWord {
        match self {
            Inbox::CustomerService => ComplaintWord::RoleCustomerService,
            Inbox::Technical => ComplaintWord::RoleTechnical,
            Inbox::Finance => ComplaintWord::RoleFinance,
            Inbox::Manager => ComplaintWord::RoleManager,
            Inbox::All => ComplaintWord::InboxAll,
        }
    }

    /// The inbox a role opens on: its own; management sees everything.
    pub fn of(role: Role) -> Inbox {
        match role {
            Role::CustomerServiceSupervisor => Inbox::CustomerService,
            Role::TechnicalSupervisor => Inbox::Technical,
            Role::FinanceSupervisor => Inbox::Finance,
            _ => Inbox::All,
        }
    }

    /// Whether a complaint belongs in this inbox: routed to its role, or escalated to it.
    pub fn holds(self, c: &ComplaintView) -> bool {
        let role = match self {
            Inbox::All => return true,
            Inbox::CustomerService => Role::CustomerServiceSupervisor,
            Inbox::Technical => Role::TechnicalSupervisor,
            Inbox::Finance => Role::FinanceSupervisor,
            Inbox::Manager => Role::Manager,
        };
        c.assignee_role.unwrap_or(c.responsible_role) == role
            || c.escalation.as_ref().is_some_and(|e| e.to == role)
    }
}

pub fn may(store: StoreHandle, action: Action) -> bool {
    permission::allowed(store.role(), action, Sensitivity::Ordinary)
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let now = use_clock();
    let inbox = RwSignal::new(Inbox::of(store.role()));
    let open_only = RwSignal::new(true);
    let list = Memo::new(move |_| {
        let mut list: Vec<ComplaintView> = store
            .complaints(now.get())
            .into_iter()
            .filter(|c| inbox.get().holds(c) && (!open_only.get() || c.is_open()))
            .collect();
        // Most urgent first: breached, then by due time; answered ones last, newest first.
        list.sort_by_key(|c| {
            (
                c.deadline.due_at.is_none() || c.deadline.met_at.is_some(),
                c.deadline.due_at,
                std::cmp::Reverse(c.received_at),
            )
        });
        list
    });
    let may_read = move || may(store, Action::ComplaintRead);
    view! {
        <div class="page-head">
            <h1>{move || i18n.t(Msg::NavComplaints)}</h1>
            <div class="page-head__actions">
                <A href="/complaints/new" attr:class="button">{move || cw(i18n, ComplaintWord::NewComplaint)}</A>
                <Show when=may_read>
                    <A href="/complaints/library" attr:class="button button--secondary">{move || cw(i18n, ComplaintWord::Library)}</A>
                </Show>
            </div>
        </div>
        <p class="page-intro">{move || i18n.t(Msg::ComplaintsIntro)}</p>
        <Show
            when=may_read
            fallback=move || view! { <p class="empty-state" data-testid="complaints-no-access">{move || cw(i18n, ComplaintWord::NoInboxAccess)}</p> }
        >
            <div class="toolbar complaint-inboxes" role="group" aria-label=move || cw(i18n, ComplaintWord::InboxLabel)>
                {Inbox::ALL
                    .into_iter()
                    .map(|b| view! {
                        <button
                            type="button"
                            class="button--secondary"
                            aria-pressed=move || (inbox.get() == b).to_string()
                            on:click=move |_| inbox.set(b)
                        >
                            {move || cw(i18n, b.word())}
                        </button>
                    })
                    .collect_view()}
                <label class="inline-check">
                    <input type="checkbox" prop:checked=open_only on:change=move |ev| open_only.set(event_target_checked(&ev))/>
                    {move || cw(i18n, ComplaintWord::OpenOnly)}
                </label>
            </div>
            <p class="list-count" role="status">{move || format!("{} {}", list.with(Vec::len), cw(i18n, ComplaintWord::CountSuffix))}</p>
            <Show when=move || list.with(|l| !l.is_empty()) fallback=move || view! { <p class="empty-state">{move || cw(i18n, ComplaintWord::InboxEmpty)}</p> }>
                <ul class="complaint-list" data-testid="complaint-list">
                    <For
                        each=move || list.get()
                        key=|c| (c.id, c.status, c.deadline.due_at, c.deadline.state, c.severity, c.nature, c.escalation.as_ref().map(|e| e.to), c.number.clone(), c.assignee_role)
                        children=move |c| view! { <ComplaintRow c=c now=now/> }
                    />
                </ul>
            </Show>
        </Show>
    }
}

#[component]
fn ComplaintRow(c: ComplaintView, now: RwSignal<Timestamp>) -> impl IntoView {
    let store = use_store();
    let i18n = use_i18n();
    let href = format!("/complaints/{}", c.id);
    let who = customer_name(store, &c);
    let severity = c.severity;
    let nature = c.nature;
    let status = c.status;
    let escalated_to = c.escalation.as_ref().map(|e| e.to);
    let paused = c.status == ComplaintStatus::AwaitingCustomer;
    let responsible = c.responsible_role;
    let reference = reference(&c);
    let text = excerpt(c.description.as_str(), 60);
    let deadline = c.deadline.clone();
    view! {
        <li class="complaint-row" class:complaint-row--critical=severity == Severity::Critical data-testid="complaint-row">
            <A href=href attr:class="complaint-row__link">
                <span class="complaint-row__ref">{reference}</span>
                <span class=format!("badge severity severity--{severity:?}").to_lowercase()>{move || cw(i18n, severity_word(severity))}</span>
                <span class="complaint-row__nature">{move || nature.map(|n| cw(i18n, nature_word(n))).unwrap_or_else(|| cw(i18n, ComplaintWord::Untriaged))}</span>
                <span class="complaint-row__who">{who}</span>
                <span class="complaint-row__text">{text}</span>
            </A>
            <span class="complaint-row__meta">
                <span class="badge">{move || cw(i18n, status_word(status))}</span>
                <span class="complaint-row__role">{move || cw(i18n, role_word(responsible))}</span>
                {escalated_to.map(|to| view! {
                    <span class="badge badge--danger" data-testid="escalated">{move || format!("{} {}", cw(i18n, ComplaintWord::EscalatedTo), cw(i18n, role_word(to)))}</span>
                })}
                {paused.then(|| view! { <span class="badge badge--paused" data-testid="paused">{move || cw(i18n, ComplaintWord::Paused)}</span> })}
                <Countdown deadline=deadline now=now/>
            </span>
        </li>
    }
}
