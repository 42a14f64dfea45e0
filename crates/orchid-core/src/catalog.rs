//! The service catalog (服务项目): what the store offers, how long it takes, what it costs, its standard
//! operating procedure, its contraindications and the consultation questions to ask first.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::ids::{ProductId, ServiceId, StoreId};
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
    /// A standard-use line whose quantity is 0 or above [`MAX_STANDARD_QUANTITY`].
    #[serde(rename = "catalog.standard_use_quantity")]
    #[error("standard use line {line} has a quantity of {quantity}, outside 1–{max}")]
    StandardUseQuantity {
        /// The line's position (1-based).
        line: usize,
        /// The quantity given.
        quantity: u32,
        /// The largest allowed.
        max: u32,
    },
    /// The same product on two standard-use lines.
    #[serde(rename = "catalog.standard_use_duplicate")]
    #[error("standard use line {line} names a product already listed")]
    StandardUseDuplicate {
        /// The second line's position (1-based).
        line: usize,
    },
    /// More standard-use lines than [`MAX_STANDARD_LINES`].
    #[serde(rename = "catalog.standard_use_too_many")]
    #[error("a service's standard use lists at most {max} products")]
    StandardUseTooMany {
        /// The most allowed.
        max: usize,
    },
    /// A standard-use line naming a product the store does not have.
    #[serde(rename = "catalog.standard_use_unknown_product")]
    #[error("standard use line {line} names a product this store does not have")]
    StandardUseUnknownProduct {
        /// The line's position (1-based).
        line: usize,
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
            Self::StandardUseQuantity { .. } => "catalog.standard_use_quantity",
            Self::StandardUseDuplicate { .. } => "catalog.standard_use_duplicate",
            Self::StandardUseTooMany { .. } => "catalog.standard_use_too_many",
            Self::StandardUseUnknownProduct { .. } => "catalog.standard_use_unknown_product",
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

/// The most of one product a service's standard use may name, in the product's unit: ten litres
/// or kilograms, or ten thousand pieces, is no service's use; a longer number is a typing slip.
pub const MAX_STANDARD_QUANTITY: u32 = 10_000;
/// The most products one service's standard use may list.
pub const MAX_STANDARD_LINES: usize = 50;

/// How much of a product a service uses by its standard (标准用量), in the product's unit (ml,
/// g or pieces): what the sales and stock report sets beside what the visits actually used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StandardUse {
    /// The product.
    pub product_id: ProductId,
    /// Units per service, 1–[`MAX_STANDARD_QUANTITY`].
    pub quantity: u32,
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
    /// Products the service uses by its standard (none: no standard set). Services stored
    /// before the standard existed read as none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standard_use: Vec<StandardUse>,
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
            standard_use: Vec::new(),
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
    /// Checks durations, steps, price, recall, questions and standard use, and that the steps
    /// fit the duration.
    pub fn validate(&self) -> Result<(), CatalogError> {
        check_standard_use(&self.standard_use)?;
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

/// Checks a standard use on its own: at most [`MAX_STANDARD_LINES`] lines, each quantity
/// 1–[`MAX_STANDARD_QUANTITY`], no product twice.
pub fn check_standard_use(lines: &[StandardUse]) -> Result<(), CatalogError> {
    if lines.len() > MAX_STANDARD_LINES {
        return Err(CatalogError::StandardUseTooMany {
            max: MAX_STANDARD_LINES,
        });
    }
    for (i, l) in lines.iter().enumerate() {
        if !(1..=MAX_STANDARD_QUANTITY).contains(&l.quantity) {
            return Err(CatalogError::StandardUseQuantity {
                line: i + 1,
                quantity: l.quantity,
                max: MAX_STANDARD_QUANTITY,
            });
        }
        if lines[..i].iter().any(|o| o.product_id == l.product_id) {
            return Err(CatalogError::StandardUseDuplicate { line: i + 1 });
        }
    }
    Ok(())
}

/// Checks that every line of a standard use names a product `known` says the store has (a
/// device and the server each know their store's products; the field's own check cannot).
pub fn check_standard_products(
    lines: &[StandardUse],
    known: impl Fn(ProductId) -> bool,
) -> Result<(), CatalogError> {
    match lines.iter().position(|l| !known(l.product_id)) {
        Some(i) => Err(CatalogError::StandardUseUnknownProduct { line: i + 1 }),
        None => Ok(()),
    }
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
        /// Standard product use.
        StandardUse(Vec<StandardUse>) => standard_use, Ordinary, Keep;
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
            Self::StandardUse(lines) => check_standard_use(lines),
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

    fn line(product: u128, quantity: u32) -> StandardUse {
        StandardUse {
            product_id: ProductId::from_u128(product),
            quantity,
        }
    }

    #[test]
    fn standard_use_is_bounded_and_lists_a_product_once() {
        let mut s = facial();
        s.standard_use = vec![line(1, 5), line(2, MAX_STANDARD_QUANTITY)];
        assert_eq!(s.validate(), Ok(()));
        s.standard_use[1].quantity = MAX_STANDARD_QUANTITY + 1;
        assert_eq!(
            s.validate(),
            Err(CatalogError::StandardUseQuantity {
                line: 2,
                quantity: MAX_STANDARD_QUANTITY + 1,
                max: MAX_STANDARD_QUANTITY
            })
        );
        s.standard_use[1] = line(1, 3);
        assert_eq!(
            s.validate(),
            Err(CatalogError::StandardUseDuplicate { line: 2 })
        );
        // The field alone, as a change carries it, meets the same rule.
        assert_eq!(
            CatalogField::StandardUse(vec![line(1, 0)])
                .check()
                .unwrap_err()
                .code(),
            "catalog.standard_use_quantity"
        );
        assert_eq!(
            CatalogField::StandardUse(vec![line(1, 2), line(1, 2)])
                .check()
                .unwrap_err()
                .code(),
            "catalog.standard_use_duplicate"
        );
        let many: Vec<StandardUse> = (0..=MAX_STANDARD_LINES as u128)
            .map(|n| line(n, 1))
            .collect();
        assert_eq!(
            CatalogField::StandardUse(many).check().unwrap_err().code(),
            "catalog.standard_use_too_many"
        );
        assert!(CatalogField::StandardUse(Vec::new()).check().is_ok());
    }

    #[test]
    fn standard_use_names_known_products() {
        let lines = [line(1, 5), line(9, 2)];
        let known = |p: ProductId| p == ProductId::from_u128(1);
        assert_eq!(
            check_standard_products(&lines, known),
            Err(CatalogError::StandardUseUnknownProduct { line: 2 })
        );
        assert_eq!(check_standard_products(&lines[..1], known), Ok(()));
    }

    #[test]
    fn a_service_stored_before_the_standard_reads_without_one() {
        // Written as a service without a standard is, and as one stored before it existed was.
        let stored = serde_json::to_value(facial()).unwrap();
        assert!(stored.get("standard_use").is_none());
        let read: CatalogService = serde_json::from_value(stored).unwrap();
        assert!(read.standard_use.is_empty());
        let mut with = facial();
        with.standard_use = vec![line(1, 5)];
        let back: CatalogService =
            serde_json::from_str(&serde_json::to_string(&with).unwrap()).unwrap();
        assert_eq!(back.standard_use, with.standard_use);
    }
}
