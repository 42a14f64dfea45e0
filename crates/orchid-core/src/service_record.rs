//! The service record (服务记录) and the checks before a service: consultation answers, the
//! contraindication check (a contraindication **stops** the service unless a role allowed to overrides it,
//! with a reason), the personalised plan, the SOP steps with their timing, products with batch, notes and
//! the effect evaluation.
//!
//! A record is an append-only list of [`RecordEntry`]s; [`ServiceRecord::from_entries`] builds the record
//! from them in any order.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::{CatalogService, QuestionKind};
use crate::customer::Customer;
use crate::ids::{
    AppointmentId, BatchId, CustomerId, ProductId, RecordEntryId, ServiceId, ServiceRecordId,
    StaffId,
};
use crate::permission::{self, Action, Sensitivity};
use crate::product::Product;
use crate::role::Role;
use crate::text::{Label, Name, Note, Tag};
use crate::time::Timestamp;

/// Refused service-record entries and overrides.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum ServiceRecordError {
    /// The service is blocked by a contraindication.
    #[serde(rename = "service.blocked")]
    #[error("the service is blocked: {count} contraindication(s) or allergy(ies)")]
    Blocked {
        /// How many reasons.
        count: usize,
        /// The reasons.
        reasons: Vec<BlockReason>,
    },
    /// This role may not override a contraindication.
    #[serde(rename = "service.override_not_allowed")]
    #[error("a {role} may not override a contraindication")]
    OverrideNotAllowed {
        /// Who tried.
        role: Role,
    },
    /// An override needs a written reason.
    #[serde(rename = "service.override_reason_required")]
    #[error("an override needs a reason")]
    OverrideReasonRequired,
    /// An effect evaluation outside 1–5.
    #[serde(rename = "service.evaluation_out_of_range")]
    #[error("effect evaluation {value} is outside 1–5")]
    EvaluationOutOfRange {
        /// The value.
        value: u8,
    },
    /// A product quantity of zero.
    #[serde(rename = "service.zero_quantity")]
    #[error("a product used needs a quantity")]
    ZeroQuantity,
    /// The entry's role may not write service records.
    #[serde(rename = "service.role_not_allowed")]
    #[error("a {role} may not write service records")]
    RoleNotAllowed {
        /// The role.
        role: Role,
    },
    /// An override whose supervisor's PIN the device did not verify.
    #[serde(rename = "service.override_pin_not_verified")]
    #[error("an override needs the supervisor's PIN, verified on the device")]
    OverridePinNotVerified,
    /// The therapist of the visit cannot override her own block.
    #[serde(rename = "service.override_by_therapist")]
    #[error("the therapist of the visit cannot override its contraindication stop")]
    OverrideByTherapist,
    /// A consultation that records a refused consent keeps no answers.
    #[serde(rename = "service.answers_without_consent")]
    #[error("a consultation without consent keeps no answers")]
    AnswersWithoutConsent,
    /// Answers "given ahead" come only from the online booking page, which the server writes: a
    /// device that wrote one would put words in the customer's mouth.
    #[serde(rename = "service.ahead_only_online")]
    #[error("answers given ahead come only from the online booking page")]
    AheadOnlyOnline,
}

impl ServiceRecordError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Blocked { .. } => "service.blocked",
            Self::OverrideNotAllowed { .. } => "service.override_not_allowed",
            Self::OverrideReasonRequired => "service.override_reason_required",
            Self::EvaluationOutOfRange { .. } => "service.evaluation_out_of_range",
            Self::ZeroQuantity => "service.zero_quantity",
            Self::RoleNotAllowed { .. } => "service.role_not_allowed",
            Self::OverridePinNotVerified => "service.override_pin_not_verified",
            Self::OverrideByTherapist => "service.override_by_therapist",
            Self::AnswersWithoutConsent => "service.answers_without_consent",
            Self::AheadOnlyOnline => "service.ahead_only_online",
        }
    }
}

/// An answer to a consultation question.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// Yes or no.
    YesNo(bool),
    /// Free text.
    Text(Note),
    /// A choice.
    Choice(Label),
}

/// An answer, by question key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Answer {
    /// The question's key.
    pub key: Tag,
    /// The answer.
    pub value: AnswerValue,
}

/// Why a service is blocked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockReason {
    /// The customer has a contraindication the service lists.
    Contraindication {
        /// The contraindication.
        tag: Tag,
    },
    /// The customer is allergic to something the service or a product contains.
    Allergy {
        /// The allergen.
        allergen: Tag,
        /// The product that contains it (none: the service itself).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product_id: Option<ProductId>,
    },
    /// A consultation answer revealed a contraindication.
    Answer {
        /// The question.
        key: Tag,
        /// The contraindication it means.
        means: Tag,
    },
}

/// The result of the contraindication check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ContraindicationCheck {
    /// Nothing stops the service.
    Allowed,
    /// The service is stopped, for these reasons.
    Blocked {
        /// Reasons, sorted.
        reasons: Vec<BlockReason>,
    },
}

impl ContraindicationCheck {
    /// True if allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed)
    }
}

/// Checks a customer against a service (and the products it will use, and the consultation answers).
pub fn check_contraindications(
    customer: &Customer,
    service: &CatalogService,
    products: &[&Product],
    answers: &[Answer],
) -> ContraindicationCheck {
    let mut reasons = Vec::new();
    for c in &service.contraindications {
        if customer.contraindications.contains(c) {
            reasons.push(BlockReason::Contraindication { tag: c.clone() });
        }
    }
    for a in &service.allergens {
        if customer.allergies.contains(a) {
            reasons.push(BlockReason::Allergy {
                allergen: a.clone(),
                product_id: None,
            });
        }
    }
    for p in products {
        for a in &p.allergens {
            if customer.allergies.contains(a) {
                reasons.push(BlockReason::Allergy {
                    allergen: a.clone(),
                    product_id: Some(p.id),
                });
            }
        }
    }
    for q in &service.consultation {
        if let QuestionKind::YesNo {
            yes_means: Some(means),
        } = &q.kind
            && answers
                .iter()
                .any(|a| a.key == q.key && a.value == AnswerValue::YesNo(true))
        {
            reasons.push(BlockReason::Answer {
                key: q.key.clone(),
                means: means.clone(),
            });
        }
    }
    reasons.sort();
    reasons.dedup();
    if reasons.is_empty() {
        ContraindicationCheck::Allowed
    } else {
        ContraindicationCheck::Blocked { reasons }
    }
}

/// May the service go ahead? Yes if allowed; if blocked, only with an override by a role allowed to
/// override (技术主管, 店长, owner) that gives a reason. The override must be logged (see
/// [`RecordEntryKind::Override`] and [`crate::audit`]).
pub fn may_proceed(
    check: &ContraindicationCheck,
    override_by: Option<(Role, &Note)>,
) -> Result<(), ServiceRecordError> {
    let ContraindicationCheck::Blocked { reasons } = check else {
        return Ok(());
    };
    let Some((role, reason)) = override_by else {
        return Err(ServiceRecordError::Blocked {
            count: reasons.len(),
            reasons: reasons.clone(),
        });
    };
    if !permission::allowed(
        role,
        Action::ContraindicationOverride,
        Sensitivity::Sensitive,
    ) {
        return Err(ServiceRecordError::OverrideNotAllowed { role });
    }
    if reason.is_empty() {
        return Err(ServiceRecordError::OverrideReasonRequired);
    }
    Ok(())
}

/// What one entry of a service record says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordEntryKind {
    /// The record is opened for a visit.
    Opened {
        /// Customer.
        customer_id: CustomerId,
        /// Therapist.
        therapist_id: StaffId,
        /// The appointment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appointment_id: Option<AppointmentId>,
        /// Services given.
        services: Vec<ServiceId>,
    },
    /// Consultation answers (sensitive).
    Consultation {
        /// Answers.
        answers: Vec<Answer>,
        /// She refused consent to keep health data: no answers are kept, and the therapist asked
        /// her aloud about contraindications instead (logged in the audit log).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        consent_refused: bool,
    },
    /// Consultation answers the customer gave ahead, on the store's online booking page, under
    /// the health-data consent she gave there (sensitive). Not yet confirmed: the therapist goes
    /// through them with her at the bedside, and what she confirms is the visit's own
    /// [`RecordEntryKind::Consultation`]. The server writes it in a record of its own, which has
    /// no `opened` entry (it is no visit), so it names her and her booking itself.
    ConsultationAhead {
        /// The customer who answered.
        customer_id: CustomerId,
        /// The booking she answered for.
        appointment_id: AppointmentId,
        /// Her answers.
        answers: Vec<Answer>,
    },
    /// The contraindication check's result (sensitive).
    Checked {
        /// Result.
        check: ContraindicationCheck,
    },
    /// A supervisor let the service go ahead despite a block (sensitive; logged).
    Override {
        /// The reasons overridden.
        reasons: Vec<BlockReason>,
        /// Why it is safe.
        justification: Note,
        /// The device checked the supervisor's PIN (or password) before writing this as her.
        #[serde(default)]
        pin_verified: bool,
    },
    /// The personalised plan (个性化方案).
    Plan {
        /// The plan.
        plan: Note,
    },
    /// An SOP step started.
    StepStarted {
        /// Position in the SOP (0-based).
        index: u32,
        /// Step name.
        name: Name,
    },
    /// An SOP step finished.
    StepFinished {
        /// Position in the SOP.
        index: u32,
    },
    /// A product used.
    ProductUsed {
        /// Product.
        product_id: ProductId,
        /// Batch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        batch_id: Option<BatchId>,
        /// Quantity, in the product's unit.
        quantity: u32,
    },
    /// A therapist note.
    Note {
        /// Note.
        note: Note,
    },
    /// Effect evaluation (效果评估), 1–5, and the customer's reaction.
    Evaluation {
        /// 1–5.
        effect: u8,
        /// Note.
        #[serde(default)]
        note: Note,
    },
    /// The service is finished.
    Completed,
}

impl RecordEntry {
    /// Blanks what the entry says about the customer once she is erased: her answers, what her
    /// health data blocked, the therapist's notes and the words of her evaluation; the facts stay
    /// (who, when, which steps and products, the score). Every field is named, so a field added
    /// later must be placed on one side or the other.
    pub fn erase_personal(&mut self) -> bool {
        use crate::record::erase;
        match &mut self.kind {
            RecordEntryKind::Opened {
                customer_id: _,
                therapist_id: _,
                appointment_id: _,
                services: _,
            }
            | RecordEntryKind::StepStarted { index: _, name: _ }
            | RecordEntryKind::StepFinished { index: _ }
            | RecordEntryKind::ProductUsed {
                product_id: _,
                batch_id: _,
                quantity: _,
            }
            | RecordEntryKind::Completed => false,
            RecordEntryKind::Consultation {
                answers,
                consent_refused: _,
            }
            | RecordEntryKind::ConsultationAhead {
                customer_id: _,
                appointment_id: _,
                answers,
            } => erase(answers),
            RecordEntryKind::Checked { check } => match check {
                ContraindicationCheck::Allowed => false,
                ContraindicationCheck::Blocked { reasons } => erase(reasons),
            },
            RecordEntryKind::Override {
                reasons,
                justification,
                pin_verified: _,
            } => erase(reasons) | erase(justification),
            RecordEntryKind::Plan { plan } => erase(plan),
            RecordEntryKind::Note { note } | RecordEntryKind::Evaluation { effect: _, note } => {
                erase(note)
            }
        }
    }
}

impl RecordEntryKind {
    /// Is this entry part of giving the service (a step, a product, finishing), which a
    /// contraindication stop holds back until a supervisor overrides it?
    pub fn delivers_service(&self) -> bool {
        matches!(
            self,
            Self::StepStarted { .. }
                | Self::StepFinished { .. }
                | Self::ProductUsed { .. }
                | Self::Completed
        )
    }

    /// The permission and data sensitivity this entry needs.
    pub fn requires(&self) -> (Action, Sensitivity) {
        match self {
            Self::Override { .. } => (Action::ContraindicationOverride, Sensitivity::Sensitive),
            Self::Consultation { .. } | Self::ConsultationAhead { .. } | Self::Checked { .. } => {
                (Action::ServiceRecordWrite, Sensitivity::Sensitive)
            }
            _ => (Action::ServiceRecordWrite, Sensitivity::Ordinary),
        }
    }
}

/// One entry of a service record. Never changed once written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordEntry {
    /// Id.
    pub id: RecordEntryId,
    /// The record.
    pub record_id: ServiceRecordId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: StaffId,
    /// In which role.
    pub role: Role,
    /// What.
    #[serde(flatten)]
    pub kind: RecordEntryKind,
}

impl RecordEntry {
    /// Checks the entry on its own.
    pub fn validate(&self) -> Result<(), ServiceRecordError> {
        let (action, sensitivity) = self.kind.requires();
        if !permission::allowed(self.role, action, sensitivity) {
            return Err(if action == Action::ContraindicationOverride {
                ServiceRecordError::OverrideNotAllowed { role: self.role }
            } else {
                ServiceRecordError::RoleNotAllowed { role: self.role }
            });
        }
        match &self.kind {
            RecordEntryKind::Override { justification, .. } if justification.is_empty() => {
                Err(ServiceRecordError::OverrideReasonRequired)
            }
            RecordEntryKind::Override {
                pin_verified: false,
                ..
            } => Err(ServiceRecordError::OverridePinNotVerified),
            RecordEntryKind::Evaluation { effect, .. } if !(1..=5).contains(effect) => {
                Err(ServiceRecordError::EvaluationOutOfRange { value: *effect })
            }
            RecordEntryKind::ProductUsed { quantity: 0, .. } => {
                Err(ServiceRecordError::ZeroQuantity)
            }
            RecordEntryKind::Consultation {
                answers,
                consent_refused: true,
            } if !answers.is_empty() => Err(ServiceRecordError::AnswersWithoutConsent),
            RecordEntryKind::ConsultationAhead { .. }
                if self.by != crate::sync::server_actor().staff_id =>
            {
                Err(ServiceRecordError::AheadOnlyOnline)
            }
            _ => Ok(()),
        }
    }
}

/// A step's timing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTiming {
    /// Position in the SOP.
    pub index: u32,
    /// Name.
    pub name: Name,
    /// Started.
    pub started_at: Timestamp,
    /// Finished.
    pub finished_at: Option<Timestamp>,
}

/// A product used, with batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductUse {
    /// Product.
    pub product_id: ProductId,
    /// Batch.
    pub batch_id: Option<BatchId>,
    /// Quantity.
    pub quantity: u32,
    /// When.
    pub at: Timestamp,
}

/// A service record, built from its entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// Id.
    pub id: ServiceRecordId,
    /// Customer.
    pub customer_id: CustomerId,
    /// Therapist.
    pub therapist_id: StaffId,
    /// Appointment.
    pub appointment_id: Option<AppointmentId>,
    /// Services.
    pub services: Vec<ServiceId>,
    /// When opened.
    pub opened_at: Timestamp,
    /// Consultation answers (latest per key).
    pub answers: Vec<Answer>,
    /// She refused consent to keep health data at this visit's consultation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consent_refused: bool,
    /// The latest contraindication check.
    pub check: Option<ContraindicationCheck>,
    /// The override, if any: who, in which role, why.
    pub override_by: Option<(StaffId, Role, Note)>,
    /// Plan.
    pub plan: Option<Note>,
    /// Steps.
    pub steps: Vec<StepTiming>,
    /// Products used.
    pub products: Vec<ProductUse>,
    /// Notes.
    pub notes: Vec<Note>,
    /// Effect evaluation 1–5.
    pub effect: Option<u8>,
    /// Evaluation note.
    pub evaluation_note: Option<Note>,
    /// When completed.
    pub completed_at: Option<Timestamp>,
    /// Entries left out by the contraindication stop: service given while the record was
    /// blocked without an override, or an override by the visit's own therapist. Kept in the
    /// log (nothing is lost) and shown to the manager.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<RecordEntryId>,
}

/// Where a service record stands for the contraindication stop, entry by entry. The same rule
/// holds back an entry on the device before it is written, on the server before it is accepted,
/// and in [`ServiceRecord::from_entries`] when entries from several devices meet.
#[derive(Clone, Debug, Default)]
pub struct StopState {
    therapist: Option<StaffId>,
    /// The reasons of the latest check, when it blocked.
    blocked: Option<Vec<BlockReason>>,
    overridden: bool,
}

impl StopState {
    /// The state after `entries`, taken in their order (time, then id); entries the stop
    /// refuses leave it as it was.
    pub fn after<'a>(entries: impl IntoIterator<Item = &'a RecordEntry>) -> Self {
        let mut sorted: Vec<&RecordEntry> = entries.into_iter().collect();
        sorted.sort_by_key(|e| (e.at, e.id));
        let mut state = Self::default();
        for e in sorted {
            let _refused = state.take(e);
        }
        state
    }

    /// Takes in the next entry if the stop allows it: service is given only while the latest
    /// check did not block, or after an override by someone other than the visit's therapist
    /// whose role may override and whose PIN the device verified.
    pub fn take(&mut self, e: &RecordEntry) -> Result<(), ServiceRecordError> {
        match &e.kind {
            RecordEntryKind::Opened { therapist_id, .. } => self.therapist = Some(*therapist_id),
            RecordEntryKind::Checked { check } => {
                self.blocked = match check {
                    ContraindicationCheck::Blocked { reasons } => Some(reasons.clone()),
                    ContraindicationCheck::Allowed => None,
                }
            }
            RecordEntryKind::Override {
                justification,
                pin_verified,
                ..
            } => {
                if self.therapist == Some(e.by) {
                    return Err(ServiceRecordError::OverrideByTherapist);
                }
                if !pin_verified {
                    return Err(ServiceRecordError::OverridePinNotVerified);
                }
                may_proceed(
                    &ContraindicationCheck::Blocked {
                        reasons: Vec::new(),
                    },
                    Some((e.role, justification)),
                )?;
                self.overridden = true;
            }
            kind if kind.delivers_service() => {
                if let Some(reasons) = &self.blocked
                    && !self.overridden
                {
                    return Err(ServiceRecordError::Blocked {
                        count: reasons.len(),
                        reasons: reasons.clone(),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// May `entry` be added to a record that already has `earlier`? See [`StopState::take`].
pub fn admits<'a>(
    earlier: impl IntoIterator<Item = &'a RecordEntry>,
    entry: &RecordEntry,
) -> Result<(), ServiceRecordError> {
    StopState::after(earlier).take(entry)
}

impl ServiceRecord {
    /// Builds the record from its entries, in any order (sorted by time, then id). `None` until the
    /// `opened` entry is known.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a RecordEntry>,
    ) -> Option<ServiceRecord> {
        let mut sorted: Vec<&RecordEntry> = entries.into_iter().collect();
        sorted.sort_by_key(|e| (e.at, e.id));
        let (open, opened_at) = sorted.iter().find_map(|e| match &e.kind {
            RecordEntryKind::Opened { .. } => Some((&e.kind, e.at)),
            _ => None,
        })?;
        let RecordEntryKind::Opened {
            customer_id,
            therapist_id,
            appointment_id,
            services,
        } = open
        else {
            return None;
        };
        let mut r = ServiceRecord {
            id: sorted.first()?.record_id,
            customer_id: *customer_id,
            therapist_id: *therapist_id,
            appointment_id: *appointment_id,
            services: services.clone(),
            opened_at,
            answers: Vec::new(),
            consent_refused: false,
            check: None,
            override_by: None,
            plan: None,
            steps: Vec::new(),
            products: Vec::new(),
            notes: Vec::new(),
            effect: None,
            evaluation_note: None,
            completed_at: None,
            ignored: Vec::new(),
        };
        let mut stop = StopState::default();
        for e in sorted {
            if stop.take(e).is_err() {
                r.ignored.push(e.id);
                continue;
            }
            match &e.kind {
                // Answers given ahead are not the visit's until the therapist confirms them.
                RecordEntryKind::Opened { .. } | RecordEntryKind::ConsultationAhead { .. } => {}
                RecordEntryKind::Consultation {
                    answers,
                    consent_refused,
                } => {
                    r.consent_refused |= *consent_refused;
                    for a in answers {
                        r.answers.retain(|x| x.key != a.key);
                        r.answers.push(a.clone());
                    }
                }
                RecordEntryKind::Checked { check } => r.check = Some(check.clone()),
                RecordEntryKind::Override { justification, .. } => {
                    r.override_by = Some((e.by, e.role, justification.clone()))
                }
                RecordEntryKind::Plan { plan } => r.plan = Some(plan.clone()),
                RecordEntryKind::StepStarted { index, name } => {
                    r.steps.retain(|s| s.index != *index);
                    r.steps.push(StepTiming {
                        index: *index,
                        name: name.clone(),
                        started_at: e.at,
                        finished_at: None,
                    });
                }
                RecordEntryKind::StepFinished { index } => {
                    if let Some(s) = r.steps.iter_mut().find(|s| s.index == *index) {
                        s.finished_at = Some(e.at);
                    }
                }
                RecordEntryKind::ProductUsed {
                    product_id,
                    batch_id,
                    quantity,
                } => r.products.push(ProductUse {
                    product_id: *product_id,
                    batch_id: *batch_id,
                    quantity: *quantity,
                    at: e.at,
                }),
                RecordEntryKind::Note { note } => r.notes.push(note.clone()),
                RecordEntryKind::Evaluation { effect, note } => {
                    r.effect = Some(*effect);
                    r.evaluation_note = Some(note.clone());
                }
                RecordEntryKind::Completed => r.completed_at = Some(e.at),
            }
        }
        r.steps.sort_by_key(|s| s.index);
        Some(r)
    }

    /// May the service proceed, given the latest check and any override?
    pub fn may_proceed(&self) -> bool {
        match &self.check {
            None => false,
            Some(c) => may_proceed(
                c,
                self.override_by.as_ref().map(|(_, role, why)| (*role, why)),
            )
            .is_ok(),
        }
    }

    /// Steps that took longer than their standard time (by the service's SOP), with the minutes over.
    pub fn steps_over_standard(&self, service: &CatalogService) -> Vec<(u32, i64)> {
        self.steps
            .iter()
            .filter_map(|s| {
                let standard = service
                    .sop_steps
                    .get(usize::try_from(s.index).ok()?)?
                    .standard_minutes;
                let took = (s.finished_at? - s.started_at).num_minutes();
                let over = took - i64::from(standard);
                (over > 0).then_some((s.index, over))
            })
            .collect()
    }
}

/// The answers a customer gave ahead for one booking (see
/// [`RecordEntryKind::ConsultationAhead`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswersAhead {
    /// The record the server wrote them in (not the visit's).
    pub record_id: ServiceRecordId,
    /// The customer.
    pub customer_id: CustomerId,
    /// The booking.
    pub appointment_id: AppointmentId,
    /// When she gave them.
    pub at: Timestamp,
    /// Her answers.
    pub answers: Vec<Answer>,
}

/// Where a visit's consultation starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsultationStart {
    /// Nothing to show yet: the therapist asks every question.
    Blank,
    /// The answers she gave ahead online, shown for the therapist to confirm or correct with her;
    /// none of them is the visit's until the therapist records the consultation.
    Ahead(Vec<Answer>),
    /// The visit's consultation is recorded (answered, or her refusal): these are its answers.
    Recorded(Vec<Answer>),
}

/// What the bedside's consultation of `record` starts from: once the visit's consultation is
/// recorded (its check ran, or she refused consent), its own answers; before, the answers she
/// gave ahead for the visit's booking, if any and if they still say anything (an erasure blanks
/// them); else nothing.
pub fn consultation_start(
    record: &ServiceRecord,
    ahead: Option<&AnswersAhead>,
) -> ConsultationStart {
    if record.check.is_some() || record.consent_refused {
        return ConsultationStart::Recorded(record.answers.clone());
    }
    match ahead {
        Some(a)
            if !a.answers.is_empty()
                && record.appointment_id == Some(a.appointment_id)
                && record.customer_id == a.customer_id =>
        {
            ConsultationStart::Ahead(a.answers.clone())
        }
        _ => ConsultationStart::Blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ConsultationQuestion, Money, ServiceCategory, SopStep};
    use crate::ids::StoreId;
    use crate::product::StockUnit;
    use crate::time::tests::cst;

    fn tag(s: &str) -> Tag {
        Tag::parse(s).unwrap()
    }

    fn service() -> CatalogService {
        let mut s = CatalogService::new(
            ServiceId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse("果酸焕肤").unwrap(),
            ServiceCategory::Facial,
            60,
            Money(0),
        );
        s.contraindications = vec![tag("孕期"), tag("皮肤破损")];
        s.allergens = vec![tag("果酸")];
        s.consultation = vec![ConsultationQuestion {
            key: tag("recent_laser"),
            text: Label::parse("近两周做过激光吗?").unwrap(),
            kind: QuestionKind::YesNo {
                yes_means: Some(tag("近期激光")),
            },
        }];
        s.sop_steps = vec![SopStep {
            name: Name::parse("清洁").unwrap(),
            standard_minutes: 10,
            standard: Note::default(),
        }];
        s
    }

    fn customer() -> Customer {
        Customer::new(
            CustomerId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse("王芳").unwrap(),
        )
    }

    #[test]
    fn allowed_when_nothing_matches() {
        assert!(check_contraindications(&customer(), &service(), &[], &[]).is_allowed());
        assert!(may_proceed(&ContraindicationCheck::Allowed, None).is_ok());
    }

    #[test]
    fn blocked_with_every_reason() {
        let mut c = customer();
        c.contraindications = vec![tag("孕期")];
        c.allergies = vec![tag("果酸"), tag("酒精")];
        let mut p = Product::new(
            ProductId::from_u128(3),
            StoreId::from_u128(1),
            Name::parse("爽肤水").unwrap(),
            StockUnit::Ml,
        );
        p.allergens = vec![tag("酒精")];
        let answers = [Answer {
            key: tag("recent_laser"),
            value: AnswerValue::YesNo(true),
        }];
        let check = check_contraindications(&c, &service(), &[&p], &answers);
        let ContraindicationCheck::Blocked { reasons } = &check else {
            panic!("should block")
        };
        assert_eq!(reasons.len(), 4);
        assert!(reasons.contains(&BlockReason::Allergy {
            allergen: tag("酒精"),
            product_id: Some(p.id)
        }));
        assert!(reasons.contains(&BlockReason::Answer {
            key: tag("recent_laser"),
            means: tag("近期激光")
        }));
        // A "no" answer does not block.
        let no = [Answer {
            key: tag("recent_laser"),
            value: AnswerValue::YesNo(false),
        }];
        let mut c2 = customer();
        c2.allergies = vec![];
        assert!(check_contraindications(&c2, &service(), &[], &no).is_allowed());

        // Overrides.
        let why = Note::parse("医生证明已可接受").unwrap();
        assert_eq!(
            may_proceed(&check, None).unwrap_err().code(),
            "service.blocked"
        );
        assert_eq!(
            may_proceed(&check, Some((Role::Therapist, &why)))
                .unwrap_err()
                .code(),
            "service.override_not_allowed"
        );
        assert_eq!(
            may_proceed(&check, Some((Role::Reception, &why)))
                .unwrap_err()
                .code(),
            "service.override_not_allowed"
        );
        assert_eq!(
            may_proceed(&check, Some((Role::TechnicalSupervisor, &Note::default())))
                .unwrap_err()
                .code(),
            "service.override_reason_required"
        );
        assert!(may_proceed(&check, Some((Role::TechnicalSupervisor, &why))).is_ok());
        assert!(may_proceed(&check, Some((Role::Manager, &why))).is_ok());
    }

    fn entry(id: u128, minute: u32, role: Role, kind: RecordEntryKind) -> RecordEntry {
        RecordEntry {
            id: RecordEntryId::from_u128(id),
            record_id: ServiceRecordId::from_u128(1),
            at: cst(2025, 3, 10, 10, minute),
            by: StaffId::from_u128(2),
            role,
            kind,
        }
    }

    #[test]
    fn record_from_entries_in_any_order() {
        let t = Role::Therapist;
        let mut es = vec![
            entry(
                1,
                0,
                t,
                RecordEntryKind::Opened {
                    customer_id: CustomerId::from_u128(1),
                    therapist_id: StaffId::from_u128(2),
                    appointment_id: None,
                    services: vec![ServiceId::from_u128(1)],
                },
            ),
            entry(
                2,
                1,
                t,
                RecordEntryKind::Consultation {
                    answers: vec![Answer {
                        key: tag("recent_laser"),
                        value: AnswerValue::YesNo(true),
                    }],
                    consent_refused: false,
                },
            ),
            entry(
                3,
                2,
                t,
                RecordEntryKind::Checked {
                    check: ContraindicationCheck::Blocked {
                        reasons: vec![BlockReason::Contraindication { tag: tag("孕期") }],
                    },
                },
            ),
            RecordEntry {
                by: StaffId::from_u128(3),
                ..entry(
                    4,
                    3,
                    Role::TechnicalSupervisor,
                    RecordEntryKind::Override {
                        reasons: vec![],
                        justification: Note::parse("已确认").unwrap(),
                        pin_verified: true,
                    },
                )
            },
            entry(
                5,
                5,
                t,
                RecordEntryKind::StepStarted {
                    index: 0,
                    name: Name::parse("清洁").unwrap(),
                },
            ),
            entry(6, 17, t, RecordEntryKind::StepFinished { index: 0 }),
            entry(
                7,
                18,
                t,
                RecordEntryKind::ProductUsed {
                    product_id: ProductId::from_u128(3),
                    batch_id: Some(BatchId::from_u128(4)),
                    quantity: 5,
                },
            ),
            entry(
                8,
                50,
                t,
                RecordEntryKind::Evaluation {
                    effect: 4,
                    note: Note::default(),
                },
            ),
            entry(9, 55, t, RecordEntryKind::Completed),
        ];
        let r = ServiceRecord::from_entries(&es).unwrap();
        es.reverse();
        assert_eq!(ServiceRecord::from_entries(&es).unwrap(), r);
        assert!(r.may_proceed());
        assert_eq!(r.steps_over_standard(&service()), vec![(0, 2)]);
        assert_eq!(r.products[0].batch_id, Some(BatchId::from_u128(4)));
        assert_eq!(r.completed_at, Some(cst(2025, 3, 10, 10, 55)));
        assert!(ServiceRecord::from_entries(&es[..1]).is_none()); // only "completed": not opened yet
    }

    fn blocked_visit() -> Vec<RecordEntry> {
        vec![
            entry(
                1,
                0,
                Role::Therapist,
                RecordEntryKind::Opened {
                    customer_id: CustomerId::from_u128(1),
                    therapist_id: StaffId::from_u128(2),
                    appointment_id: None,
                    services: vec![ServiceId::from_u128(1)],
                },
            ),
            entry(
                2,
                1,
                Role::Therapist,
                RecordEntryKind::Checked {
                    check: ContraindicationCheck::Blocked {
                        reasons: vec![BlockReason::Contraindication { tag: tag("孕期") }],
                    },
                },
            ),
        ]
    }

    fn step(id: u128, minute: u32) -> RecordEntry {
        entry(
            id,
            minute,
            Role::Therapist,
            RecordEntryKind::StepStarted {
                index: 0,
                name: Name::parse("清洁").unwrap(),
            },
        )
    }

    fn override_by(id: u128, minute: u32, by: u128, role: Role, verified: bool) -> RecordEntry {
        RecordEntry {
            by: StaffId::from_u128(by),
            ..entry(
                id,
                minute,
                role,
                RecordEntryKind::Override {
                    reasons: vec![],
                    justification: Note::parse("医生证明").unwrap(),
                    pin_verified: verified,
                },
            )
        }
    }

    #[test]
    fn a_blocked_record_takes_no_service_step_without_an_override() {
        let visit = blocked_visit();
        assert_eq!(
            admits(&visit, &step(3, 2)).unwrap_err().code(),
            "service.blocked"
        );
        // Notes and the evaluation are not service given: they still go in.
        let note = entry(
            4,
            2,
            Role::Therapist,
            RecordEntryKind::Note {
                note: Note::parse("顾客改约").unwrap(),
            },
        );
        assert!(admits(&visit, &note).is_ok());
        // Replayed from entries that met on the server: the step is left out and listed.
        let mut all = visit.clone();
        all.push(step(3, 2));
        let r = ServiceRecord::from_entries(&all).unwrap();
        assert!(r.steps.is_empty());
        assert_eq!(r.ignored, vec![RecordEntryId::from_u128(3)]);
        // A later clear check lets the service go ahead.
        let clear = entry(
            5,
            3,
            Role::Therapist,
            RecordEntryKind::Checked {
                check: ContraindicationCheck::Allowed,
            },
        );
        all.push(clear);
        assert!(admits(&all, &step(6, 4)).is_ok());
    }

    #[test]
    fn only_a_verified_override_by_someone_else_lifts_the_stop() {
        let visit = blocked_visit();
        // The visit's own therapist (staff 2), even as a manager on another session: refused.
        let own = override_by(3, 2, 2, Role::Manager, true);
        assert_eq!(
            admits(&visit, &own).unwrap_err().code(),
            "service.override_by_therapist"
        );
        // No PIN verified on the device: refused by the entry's own check and by the stop.
        let unverified = override_by(3, 2, 9, Role::TechnicalSupervisor, false);
        assert_eq!(
            unverified.validate().unwrap_err().code(),
            "service.override_pin_not_verified"
        );
        assert!(admits(&visit, &unverified).is_err());
        // A role that may not override: refused.
        let reception = override_by(3, 2, 9, Role::Reception, true);
        assert!(admits(&visit, &reception).is_err());
        // The technical supervisor, verified: the steps go in.
        let supervisor = override_by(3, 2, 9, Role::TechnicalSupervisor, true);
        assert!(admits(&visit, &supervisor).is_ok());
        let mut all = visit.clone();
        all.extend([own.clone(), step(4, 3)]);
        let r = ServiceRecord::from_entries(&all).unwrap();
        assert!(
            r.override_by.is_none(),
            "the therapist's own override is ignored"
        );
        assert_eq!(r.ignored.len(), 2);
        all.push(supervisor);
        all.push(step(5, 4));
        assert!(admits(&all, &step(6, 5)).is_ok());
        let r = ServiceRecord::from_entries(&all).unwrap();
        assert_eq!(r.steps.len(), 1);
        assert!(r.may_proceed());
    }

    #[test]
    fn entry_validation() {
        let e = entry(
            1,
            0,
            Role::Therapist,
            RecordEntryKind::Override {
                reasons: vec![],
                justification: Note::parse("x").unwrap(),
                pin_verified: true,
            },
        );
        assert_eq!(
            e.validate().unwrap_err().code(),
            "service.override_not_allowed"
        );
        let e = entry(
            1,
            0,
            Role::Manager,
            RecordEntryKind::Override {
                reasons: vec![],
                justification: Note::default(),
                pin_verified: true,
            },
        );
        assert_eq!(
            e.validate().unwrap_err().code(),
            "service.override_reason_required"
        );
        let e = entry(
            1,
            0,
            Role::Therapist,
            RecordEntryKind::Evaluation {
                effect: 0,
                note: Note::default(),
            },
        );
        assert_eq!(
            e.validate().unwrap_err().code(),
            "service.evaluation_out_of_range"
        );
        let e = entry(
            1,
            0,
            Role::Reception,
            RecordEntryKind::Note {
                note: Note::default(),
            },
        );
        assert_eq!(e.validate().unwrap_err().code(), "service.role_not_allowed");
        let e = entry(
            1,
            0,
            Role::Therapist,
            RecordEntryKind::ProductUsed {
                product_id: ProductId::from_u128(1),
                batch_id: None,
                quantity: 0,
            },
        );
        assert_eq!(e.validate().unwrap_err().code(), "service.zero_quantity");
    }

    #[test]
    fn answers_given_ahead_wait_for_the_therapist() {
        let t = Role::Therapist;
        let her = CustomerId::from_u128(1);
        let booking = AppointmentId::from_u128(9);
        let no = Answer {
            key: tag("recent_laser"),
            value: AnswerValue::YesNo(false),
        };
        let opened = entry(
            1,
            0,
            t,
            RecordEntryKind::Opened {
                customer_id: her,
                therapist_id: StaffId::from_u128(2),
                appointment_id: Some(booking),
                services: vec![ServiceId::from_u128(1)],
            },
        );
        let ahead = AnswersAhead {
            record_id: ServiceRecordId::from_u128(7),
            customer_id: her,
            appointment_id: booking,
            at: cst(2025, 3, 9, 20, 0),
            answers: vec![no.clone()],
        };
        // The entry is sensitive, and an entry of the ahead kind in a visit is not its answer.
        let written = entry(
            2,
            1,
            Role::Manager,
            RecordEntryKind::ConsultationAhead {
                customer_id: her,
                appointment_id: booking,
                answers: vec![no.clone()],
            },
        );
        assert_eq!(
            written.kind.requires(),
            (Action::ServiceRecordWrite, Sensitivity::Sensitive)
        );
        // Only the server, for the booking page, writes one: a device's is refused.
        assert_eq!(
            written.validate().unwrap_err().code(),
            "service.ahead_only_online"
        );
        let from_the_page = RecordEntry {
            by: crate::sync::server_actor().staff_id,
            role: crate::sync::server_actor().role,
            ..written.clone()
        };
        assert!(from_the_page.validate().is_ok());
        let visit = ServiceRecord::from_entries([&opened, &written]).unwrap();
        assert!(visit.answers.is_empty());
        // Before the visit's consultation: her answers ahead, to confirm.
        assert_eq!(
            consultation_start(&visit, Some(&ahead)),
            ConsultationStart::Ahead(vec![no.clone()])
        );
        assert_eq!(consultation_start(&visit, None), ConsultationStart::Blank);
        // Another booking's answers, or answers an erasure blanked, are not offered.
        let other = AnswersAhead {
            appointment_id: AppointmentId::from_u128(10),
            ..ahead.clone()
        };
        assert_eq!(
            consultation_start(&visit, Some(&other)),
            ConsultationStart::Blank
        );
        let blanked = AnswersAhead {
            answers: Vec::new(),
            ..ahead.clone()
        };
        assert_eq!(
            consultation_start(&visit, Some(&blanked)),
            ConsultationStart::Blank
        );
        // Confirmed (corrected: she did have laser treatment): the visit's own answers.
        let yes = Answer {
            key: tag("recent_laser"),
            value: AnswerValue::YesNo(true),
        };
        let confirmed = entry(
            3,
            5,
            t,
            RecordEntryKind::Consultation {
                answers: vec![yes.clone()],
                consent_refused: false,
            },
        );
        let checked = entry(
            4,
            5,
            t,
            RecordEntryKind::Checked {
                check: ContraindicationCheck::Allowed,
            },
        );
        let visit = ServiceRecord::from_entries([&opened, &written, &confirmed, &checked]).unwrap();
        assert_eq!(
            consultation_start(&visit, Some(&ahead)),
            ConsultationStart::Recorded(vec![yes])
        );
        // Erased, the entry keeps no answer.
        let mut erased = written.clone();
        assert!(erased.erase_personal());
        assert!(matches!(
            erased.kind,
            RecordEntryKind::ConsultationAhead { ref answers, .. } if answers.is_empty()
        ));
    }
}
