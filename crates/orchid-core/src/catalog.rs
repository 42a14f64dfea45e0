//! The service catalog (服务项目): what the store offers, how long it takes, what it costs, its standard
//! operating procedure, its contraindications and the consultation questions to ask first.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::ids::{ServiceId, StoreId};
use crate::record::record_fields;
use crate::text::{Label, Name, Note, Tag};

/// Invalid catalog data.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum CatalogError {
    /// A duration outside 5–600 minutes.
    #[serde(rename = "catalog.duration_out_of_range")]
    #[error("duration of {minutes} minutes is outside 5–600")]
    DurationOutOfRange {
        /// The duration given.
        minutes: u32,
    },
    /// An SOP step with a standard time outside 1–480 minutes.
    #[serde(rename = "catalog.step_minutes_out_of_range")]
    #[error("step {step} has a standard time of {minutes} minutes, outside 1–480")]
    StepMinutesOutOfRange {
        /// The step's position (1-based).
        step: usize,
        /// The time given.
        minutes: u32,
    },
    /// The SOP steps add up to more than the service's duration.
    #[serde(rename = "catalog.steps_longer_than_service")]
    #[error("the steps take {steps_minutes} minutes, longer than the service's {duration_minutes}")]
    StepsLongerThanService {
        /// Sum of the steps.
        steps_minutes: u32,
        /// The service's duration.
        duration_minutes: u32,
    },
    /// A negative price.
    #[serde(rename = "catalog.negative_price")]
    #[error("a price cannot be negative")]
    NegativePrice,
    /// A recall interval outside 1–365 days.
    #[serde(rename = "catalog.recall_out_of_range")]
    #[error("recall interval of {days} days is outside 1–365")]
    RecallOutOfRange {
        /// The interval given.
        days: u32,
    },
    /// A choice question without choices.
    #[serde(rename = "catalog.question_without_choices")]
    #[error("question {key} offers no choices")]
    QuestionWithoutChoices {
        /// The question's key.
        key: String,
    },
}

impl CatalogError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DurationOutOfRange { .. } => "catalog.duration_out_of_range",
            Self::StepMinutesOutOfRange { .. } => "catalog.step_minutes_out_of_range",
            Self::StepsLongerThanService { .. } => "catalog.steps_longer_than_service",
            Self::NegativePrice => "catalog.negative_price",
            Self::RecallOutOfRange { .. } => "catalog.recall_out_of_range",
            Self::QuestionWithoutChoices { .. } => "catalog.question_without_choices",
        }
    }
}

/// An amount of money in minor units (分 for CNY): exact, no floats.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// From yuan and fen.
    pub const fn yuan(yuan: i64, fen: i64) -> Self {
        Self(yuan * 100 + fen)
    }

    /// What a person types for an amount in yuan — "380", "380.5", "380.50" — in fen; `None`
    /// for anything else (negative, three decimals, letters).
    pub fn parse_yuan(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (yuan, fen) = raw.split_once('.').unwrap_or((raw, ""));
        if yuan.starts_with(['-', '+']) {
            return None;
        }
        let yuan: i64 = yuan.parse().ok()?;
        let fen: i64 = match fen.len() {
            0 => 0,
            1 => fen.parse::<i64>().ok()? * 10,
            2 => fen.parse().ok()?,
            _ => return None,
        };
        if fen < 0 {
            return None;
        }
        yuan.checked_mul(100)?.checked_add(fen).map(Self)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

/// Service categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    /// 面部护理.
    Facial,
    /// 身体护理.
    Body,
    /// 按摩 / 推拿.
    Massage,
    /// 养生 (wellness: moxibustion, foot therapy…).
    Wellness,
    /// 脱毛.
    HairRemoval,
    /// 美甲.
    Nail,
    /// 美睫 / 化妆.
    Makeup,
    /// 仪器项目 (devices: RF, ultrasound, light).
    Device,
    /// Other.
    Other,
}

/// One step of a service's standard operating procedure, with its standard time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SopStep {
    /// Name (清洁, 去角质, 按摩, 敷膜…).
    pub name: Name,
    /// Standard minutes, 1–480.
    pub standard_minutes: u32,
    /// How to do it well.
    #[serde(default)]
    pub standard: Note,
}

/// The form of a consultation question's answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Yes or no. A "yes" may mean a contraindication (e.g. "are you pregnant?" → `pregnancy`).
    YesNo {
        /// The contraindication a "yes" means.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        yes_means: Option<Tag>,
    },
    /// Free text.
    Text,
    /// One of some choices.
    Choice {
        /// The choices.
        choices: Vec<Label>,
    },
}

/// A consultation question asked before the service (健康检查与咨询).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConsultationQuestion {
    /// A stable key, used to store the answer.
    pub key: Tag,
    /// The question, as asked.
    pub text: Label,
    /// Its form.
    pub kind: QuestionKind,
}

/// An entry of the service catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogService {
    /// Id.
    pub id: ServiceId,
    /// Store.
    pub store_id: StoreId,
    /// Name.
    pub name: Name,
    /// Category.
    pub category: ServiceCategory,
    /// Planned duration in minutes.
    pub duration_minutes: u32,
    /// Price.
    pub price: Money,
    /// Standard operating procedure.
    pub sop_steps: Vec<SopStep>,
    /// Contraindications that stop this service (matched against the customer's).
    pub contraindications: Vec<Tag>,
    /// Allergens in what the service uses (matched against the customer's allergies).
    pub allergens: Vec<Tag>,
    /// Questions to ask before.
    pub consultation: Vec<ConsultationQuestion>,
    /// Typical recall interval in days (复购/回访周期), if any.
    pub recall_days: Option<u32>,
    /// Description for customers.
    pub description: Note,
    /// Offered now.
    pub active: bool,
}

impl CatalogService {
    /// A new active service with nothing but the essentials.
    pub fn new(
        id: ServiceId,
        store_id: StoreId,
        name: Name,
        category: ServiceCategory,
        duration_minutes: u32,
        price: Money,
    ) -> Self {
        Self {
            id,
            store_id,
            name,
            category,
            duration_minutes,
            price,
            sop_steps: Vec::new(),
            contraindications: Vec::new(),
            allergens: Vec::new(),
            consultation: Vec::new(),
            recall_days: None,
            description: Note::default(),
            active: true,
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: ServiceId, store_id: StoreId) -> Self {
        Self::new(
            id,
            store_id,
            Name::placeholder(),
            ServiceCategory::Other,
            60,
            Money(0),
        )
    }
    /// Checks durations, steps, price, recall and questions, and that the steps fit the duration.
    pub fn validate(&self) -> Result<(), CatalogError> {
        check_duration(self.duration_minutes)?;
        check_steps(&self.sop_steps)?;
        let steps_minutes: u32 = self.sop_steps.iter().map(|s| s.standard_minutes).sum();
        if steps_minutes > self.duration_minutes {
            return Err(CatalogError::StepsLongerThanService {
                steps_minutes,
                duration_minutes: self.duration_minutes,
            });
        }
        check_price(self.price)?;
        check_recall(self.recall_days)?;
        check_questions(&self.consultation)
    }
}

fn check_duration(minutes: u32) -> Result<(), CatalogError> {
    if (5..=600).contains(&minutes) {
        Ok(())
    } else {
        Err(CatalogError::DurationOutOfRange { minutes })
    }
}

fn check_steps(steps: &[SopStep]) -> Result<(), CatalogError> {
    for (i, s) in steps.iter().enumerate() {
        if !(1..=480).contains(&s.standard_minutes) {
            return Err(CatalogError::StepMinutesOutOfRange {
                step: i + 1,
                minutes: s.standard_minutes,
            });
        }
    }
    Ok(())
}

fn check_price(price: Money) -> Result<(), CatalogError> {
    if price.0 < 0 {
        Err(CatalogError::NegativePrice)
    } else {
        Ok(())
    }
}

fn check_recall(days: Option<u32>) -> Result<(), CatalogError> {
    match days {
        Some(days) if !(1..=365).contains(&days) => Err(CatalogError::RecallOutOfRange { days }),
        _ => Ok(()),
    }
}

fn check_questions(questions: &[ConsultationQuestion]) -> Result<(), CatalogError> {
    for q in questions {
        if let QuestionKind::Choice { choices } = &q.kind
            && choices.is_empty()
        {
            return Err(CatalogError::QuestionWithoutChoices {
                key: q.key.to_string(),
            });
        }
    }
    Ok(())
}

record_fields! {
    /// The editable fields of a [`CatalogService`].
    pub enum CatalogField for CatalogService [checked] {
        /// Name.
        Name(Name) => name, Ordinary, Keep;
        /// Category.
        Category(ServiceCategory) => category, Ordinary, Keep;
        /// Duration.
        DurationMinutes(u32) => duration_minutes, Ordinary, Keep;
        /// Price.
        Price(Money) => price, Ordinary, Keep;
        /// SOP.
        SopSteps(Vec<SopStep>) => sop_steps, Ordinary, Keep;
        /// Contraindications.
        Contraindications(Vec<Tag>) => contraindications, Ordinary, Keep;
        /// Allergens.
        Allergens(Vec<Tag>) => allergens, Ordinary, Keep;
        /// Consultation questions.
        Consultation(Vec<ConsultationQuestion>) => consultation, Ordinary, Keep;
        /// Recall interval.
        RecallDays(Option<u32>) => recall_days, Ordinary, Keep;
        /// Description.
        Description(Note) => description, Ordinary, Keep;
        /// Active.
        Active(bool) => active, Ordinary, Keep;
    }
}

impl CatalogField {
    fn check_field(&self) -> Result<(), ValidationError> {
        let r = match self {
            Self::DurationMinutes(m) => check_duration(*m),
            Self::Price(p) => check_price(*p),
            Self::SopSteps(s) => check_steps(s),
            Self::RecallDays(d) => check_recall(*d),
            Self::Consultation(q) => check_questions(q),
            _ => Ok(()),
        };
        r.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_typed_in_yuan() {
        use super::Money;
        assert_eq!(Money::parse_yuan(" 380 "), Some(Money::yuan(380, 0)));
        assert_eq!(Money::parse_yuan("380.5"), Some(Money::yuan(380, 50)));
        assert_eq!(Money::parse_yuan("0.05"), Some(Money(5)));
        for bad in ["", "-1", "1.234", "abc", "1.-5", "+3"] {
            assert_eq!(Money::parse_yuan(bad), None, "{bad}");
        }
    }

    use super::*;
    use crate::record::FieldSet;

    fn facial() -> CatalogService {
        let mut s = CatalogService::new(
            ServiceId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse("深层补水护理").unwrap(),
            ServiceCategory::Facial,
            60,
            Money::yuan(398, 0),
        );
        s.sop_steps = vec![
            SopStep {
                name: Name::parse("清洁").unwrap(),
                standard_minutes: 10,
                standard: Note::default(),
            },
            SopStep {
                name: Name::parse("敷膜").unwrap(),
                standard_minutes: 20,
                standard: Note::default(),
            },
        ];
        s
    }

    #[test]
    fn valid_service() {
        assert_eq!(facial().validate(), Ok(()));
        assert_eq!(Money::yuan(398, 5).to_string(), "398.05");
        assert_eq!(Money(-150).to_string(), "-1.50");
    }

    #[test]
    fn boundaries() {
        let mut s = facial();
        s.duration_minutes = 4;
        assert_eq!(
            s.validate().unwrap_err().code(),
            "catalog.duration_out_of_range"
        );
        s.duration_minutes = 29;
        assert_eq!(
            s.validate().unwrap_err(),
            CatalogError::StepsLongerThanService {
                steps_minutes: 30,
                duration_minutes: 29
            }
        );
        s.duration_minutes = 30;
        assert!(s.validate().is_ok());
        s.recall_days = Some(366);
        assert_eq!(
            s.validate().unwrap_err().code(),
            "catalog.recall_out_of_range"
        );
        s.recall_days = Some(365);
        s.price = Money(-1);
        assert_eq!(s.validate().unwrap_err().code(), "catalog.negative_price");
        s.price = Money(0);
        s.sop_steps[0].standard_minutes = 0;
        assert_eq!(
            s.validate().unwrap_err(),
            CatalogError::StepMinutesOutOfRange {
                step: 1,
                minutes: 0
            }
        );
    }

    #[test]
    fn fields_are_checked() {
        assert!(CatalogField::DurationMinutes(601).check().is_err());
        assert!(CatalogField::DurationMinutes(600).check().is_ok());
        let q = ConsultationQuestion {
            key: Tag::parse("skin_goal").unwrap(),
            text: Label::parse("您最想改善什么?").unwrap(),
            kind: QuestionKind::Choice { choices: vec![] },
        };
        assert_eq!(
            CatalogField::Consultation(vec![q])
                .check()
                .unwrap_err()
                .code(),
            "catalog.question_without_choices"
        );
    }
}
