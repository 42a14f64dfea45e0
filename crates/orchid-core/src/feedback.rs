//! Feedback and satisfaction (顾客反馈/满意度调查): the five service-quality dimensions (SERVQUAL: tangibles,
//! reliability, responsiveness, assurance, empathy) rated 1–5, an optional expectation per dimension, a
//! recommend score 0–10 and a comment. A low score raises a complaint draft.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::complaint::{ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks};
use crate::ids::{
    AppointmentId, ComplaintEventId, ComplaintId, CustomerId, FeedbackId, ServiceId,
    ServiceRecordId, StaffId, StoreId,
};
use crate::role::Role;
use crate::store::StoreSettings;
use crate::text::Note;
use crate::time::Timestamp;

/// Invalid feedback.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum FeedbackError {
    /// A rating or expectation outside 1–5.
    #[serde(rename = "feedback.rating_out_of_range")]
    #[error("{dimension:?} rated {value}, outside 1–5")]
    RatingOutOfRange {
        /// Which dimension.
        dimension: Dimension,
        /// The value.
        value: u8,
    },
    /// A recommend score above 10.
    #[serde(rename = "feedback.recommend_out_of_range")]
    #[error("recommend score {value} is outside 0–10")]
    RecommendOutOfRange {
        /// The value.
        value: u8,
    },
    /// A butler rating outside 1–5.
    #[serde(rename = "feedback.butler_rating_out_of_range")]
    #[error("butler rated {value}, outside 1–5")]
    ButlerRatingOutOfRange {
        /// The value.
        value: u8,
    },
}

impl FeedbackError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RatingOutOfRange { .. } => "feedback.rating_out_of_range",
            Self::RecommendOutOfRange { .. } => "feedback.recommend_out_of_range",
            Self::ButlerRatingOutOfRange { .. } => "feedback.butler_rating_out_of_range",
        }
    }
}

/// The five service-quality dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 有形性: environment, equipment, appearance.
    Tangibles,
    /// 可靠性: doing what was promised, accurately.
    Reliability,
    /// 响应性: willingness and speed.
    Responsiveness,
    /// 保证性: competence, courtesy, trust.
    Assurance,
    /// 移情性: individual care.
    Empathy,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 5] = [
        Self::Tangibles,
        Self::Reliability,
        Self::Responsiveness,
        Self::Assurance,
        Self::Empathy,
    ];
}

/// A score per dimension (ratings: all five; expectations: optional each).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PerDimension<T> {
    /// Tangibles.
    pub tangibles: T,
    /// Reliability.
    pub reliability: T,
    /// Responsiveness.
    pub responsiveness: T,
    /// Assurance.
    pub assurance: T,
    /// Empathy.
    pub empathy: T,
}

impl<T: Copy> PerDimension<T> {
    /// The value of one dimension.
    pub fn get(&self, d: Dimension) -> T {
        match d {
            Dimension::Tangibles => self.tangibles,
            Dimension::Reliability => self.reliability,
            Dimension::Responsiveness => self.responsiveness,
            Dimension::Assurance => self.assurance,
            Dimension::Empathy => self.empathy,
        }
    }
    /// Sets one dimension's value.
    pub fn set(&mut self, d: Dimension, v: T) {
        match d {
            Dimension::Tangibles => self.tangibles = v,
            Dimension::Reliability => self.reliability = v,
            Dimension::Responsiveness => self.responsiveness = v,
            Dimension::Assurance => self.assurance = v,
            Dimension::Empathy => self.empathy = v,
        }
    }

    /// The same value for all.
    pub fn all(v: T) -> Self {
        Self {
            tangibles: v,
            reliability: v,
            responsiveness: v,
            assurance: v,
            empathy: v,
        }
    }

    /// Each value through `f`.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> PerDimension<U> {
        PerDimension {
            tangibles: f(self.tangibles),
            reliability: f(self.reliability),
            responsiveness: f(self.responsiveness),
            assurance: f(self.assurance),
            empathy: f(self.empathy),
        }
    }
}

/// A customer's feedback after a service. Insert-once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// Id.
    pub id: FeedbackId,
    /// Store.
    pub store_id: StoreId,
    /// Customer (none if anonymous).
    pub customer_id: Option<CustomerId>,
    /// The visit.
    pub appointment_id: Option<AppointmentId>,
    /// The service record.
    pub service_record_id: Option<ServiceRecordId>,
    /// The therapist rated.
    pub therapist_id: Option<StaffId>,
    /// The services rated.
    pub services: Vec<ServiceId>,
    /// When.
    pub submitted_at: Timestamp,
    /// Ratings 1–5.
    pub ratings: PerDimension<u8>,
    /// Expectations 1–5, if asked.
    #[serde(default)]
    pub expectations: PerDimension<Option<u8>>,
    /// Would recommend, 0–10.
    pub recommend: u8,
    /// Comment.
    #[serde(default)]
    pub comment: Note,
    /// Her rating of her service butler, if she has one and answered (seed 004: 客户评价).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub butler: Option<ButlerRating>,
}

/// The customer's rating of her service butler at a visit: who was her butler then (a butler
/// may change later) and the score 1–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButlerRating {
    /// The butler rated.
    pub butler: StaffId,
    /// 1–5.
    pub rating: u8,
}

/// Whether the kiosk asks the customer's expectations this time, given how many feedbacks she
/// gave before: at her first, then at every `every`-th (0: only the first). The gap report needs
/// an expectation beside a perception, and asking it at every visit would tire her, so the store
/// samples. Deterministic, so every tablet asks the same customer at the same visit.
pub fn asks_expectations(earlier: usize, every: u32) -> bool {
    let every = usize::try_from(every).unwrap_or(usize::MAX);
    // `is_multiple_of(0)` holds only for 0: a sample of 0 asks at the first feedback alone.
    earlier.is_multiple_of(every)
}

impl Feedback {
    /// Blanks her words once she is erased; the scores stay for the statistics.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            store_id: _,
            customer_id: _,
            appointment_id: _,
            service_record_id: _,
            therapist_id: _,
            services: _,
            submitted_at: _,
            ratings: _,
            expectations: _,
            recommend: _,
            comment,
            butler: _,
        } = self;
        crate::record::erase(comment)
    }
    /// Checks the scales.
    pub fn validate(&self) -> Result<(), FeedbackError> {
        for d in Dimension::ALL {
            let value = self.ratings.get(d);
            if !(1..=5).contains(&value) {
                return Err(FeedbackError::RatingOutOfRange {
                    dimension: d,
                    value,
                });
            }
            if let Some(value) = self.expectations.get(d)
                && !(1..=5).contains(&value)
            {
                return Err(FeedbackError::RatingOutOfRange {
                    dimension: d,
                    value,
                });
            }
        }
        if self.recommend > 10 {
            return Err(FeedbackError::RecommendOutOfRange {
                value: self.recommend,
            });
        }
        if let Some(b) = self.butler
            && !(1..=5).contains(&b.rating)
        {
            return Err(FeedbackError::ButlerRatingOutOfRange { value: b.rating });
        }
        Ok(())
    }
    /// The lowest rating.
    pub fn lowest(&self) -> u8 {
        Dimension::ALL
            .iter()
            .map(|d| self.ratings.get(*d))
            .min()
            .unwrap_or(0)
    }
    /// Is this feedback low by the store's thresholds (any rating or the recommend score at or below)?
    pub fn is_low(&self, settings: &StoreSettings) -> bool {
        self.lowest() <= settings.low_rating_threshold
            || self.recommend <= settings.low_recommend_threshold
    }
    /// The intake event of a complaint draft, if the feedback is low: channel `feedback`, linked to the
    /// visit, the record, the therapist and the feedback. The ids and time come from the caller.
    pub fn complaint_draft(
        &self,
        settings: &StoreSettings,
        complaint_id: ComplaintId,
        event_id: ComplaintEventId,
        by: Option<StaffId>,
        role: Role,
    ) -> Option<ComplaintEvent> {
        if !self.is_low(settings) {
            return None;
        }
        let description = if self.comment.is_empty() {
            Note::parse(&format!(
                "满意度评价偏低：最低分 {}/5，推荐度 {}/10",
                self.lowest(),
                self.recommend
            ))
            .unwrap_or_default()
        } else {
            self.comment.clone()
        };
        Some(ComplaintEvent {
            id: event_id,
            complaint_id,
            at: self.submitted_at,
            by,
            role,
            kind: ComplaintEventKind::Received {
                channel: ComplaintChannel::Feedback,
                customer_id: self.customer_id,
                customer_name: None,
                contact: None,
                occurred_at: Some(self.submitted_at),
                description,
                expected_solution: Note::default(),
                nature: None,
                severity: None,
                links: ComplaintLinks {
                    appointment_id: self.appointment_id,
                    service_record_id: self.service_record_id,
                    staff_ids: self.therapist_id.into_iter().collect(),
                    batch_ids: Vec::new(),
                    feedback_id: Some(self.id),
                },
            },
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::time::tests::cst;

    pub(crate) fn feedback(id: u128, rating: u8, recommend: u8) -> Feedback {
        Feedback {
            id: FeedbackId::from_u128(id),
            store_id: StoreId::from_u128(1),
            customer_id: Some(CustomerId::from_u128(1)),
            appointment_id: None,
            service_record_id: None,
            therapist_id: Some(StaffId::from_u128(2)),
            services: vec![ServiceId::from_u128(1)],
            submitted_at: cst(2025, 3, 10, 12, 0),
            ratings: PerDimension::all(rating),
            expectations: PerDimension::default(),
            recommend,
            comment: Note::default(),
            butler: None,
        }
    }

    #[test]
    fn set_then_get_each_dimension() {
        let mut p = PerDimension::all(0u8);
        for (i, d) in Dimension::ALL.iter().enumerate() {
            p.set(*d, i as u8 + 1);
        }
        for (i, d) in Dimension::ALL.iter().enumerate() {
            assert_eq!(p.get(*d), i as u8 + 1);
        }
    }

    #[test]
    fn the_butler_rating_is_optional_and_on_the_same_1_to_5_scale() {
        let mut f = feedback(1, 5, 10);
        f.butler = Some(ButlerRating {
            butler: StaffId::from_u128(3),
            rating: 5,
        });
        assert!(f.validate().is_ok());
        f.butler = Some(ButlerRating {
            butler: StaffId::from_u128(3),
            rating: 0,
        });
        assert_eq!(
            f.validate(),
            Err(FeedbackError::ButlerRatingOutOfRange { value: 0 })
        );
        // Feedback written before butlers existed reads as unrated.
        let mut json = serde_json::to_value(feedback(2, 4, 9)).unwrap_or_default();
        assert!(json.get("butler").is_none());
        json["comment"] = serde_json::json!("");
        let old: Feedback = serde_json::from_value(json).unwrap_or_else(|_| feedback(0, 0, 0));
        assert_eq!(old.butler, None);
        assert_eq!(old.recommend, 9);
    }

    #[test]
    fn scales() {
        assert!(feedback(1, 5, 10).validate().is_ok());
        assert_eq!(
            feedback(1, 0, 10).validate().unwrap_err().code(),
            "feedback.rating_out_of_range"
        );
        assert_eq!(
            feedback(1, 6, 10).validate().unwrap_err().code(),
            "feedback.rating_out_of_range"
        );
        assert_eq!(
            feedback(1, 5, 11).validate().unwrap_err().code(),
            "feedback.recommend_out_of_range"
        );
        let mut f = feedback(1, 5, 10);
        f.expectations.empathy = Some(6);
        assert!(f.validate().is_err());
    }

    #[test]
    fn low_feedback_raises_a_draft_at_the_threshold() {
        let s = StoreSettings::default(); // rating ≤ 2 or recommend ≤ 6
        let ok = feedback(1, 3, 7);
        assert!(!ok.is_low(&s));
        assert!(
            ok.complaint_draft(
                &s,
                ComplaintId::from_u128(1),
                ComplaintEventId::from_u128(1),
                None,
                Role::Reception
            )
            .is_none()
        );
        let mut low = feedback(1, 5, 9);
        low.ratings.empathy = 2;
        assert!(low.is_low(&s));
        assert!(feedback(1, 5, 6).is_low(&s));
        let draft = low
            .complaint_draft(
                &s,
                ComplaintId::from_u128(1),
                ComplaintEventId::from_u128(1),
                None,
                Role::Reception,
            )
            .unwrap();
        assert!(draft.validate().is_ok());
        let ComplaintEventKind::Received {
            channel,
            links,
            description,
            ..
        } = draft.kind
        else {
            panic!()
        };
        assert_eq!(channel, ComplaintChannel::Feedback);
        assert_eq!(links.feedback_id, Some(low.id));
        assert_eq!(links.staff_ids, vec![StaffId::from_u128(2)]);
        assert!(description.as_str().contains("2/5"));
    }

    #[test]
    fn expectations_are_asked_first_then_on_the_stores_sample() {
        let asked = |every| {
            (0..12)
                .filter(|earlier| asks_expectations(*earlier, every))
                .collect::<Vec<_>>()
        };
        assert_eq!(asked(5), vec![0, 5, 10]);
        assert_eq!(asked(1), (0..12).collect::<Vec<_>>());
        assert_eq!(asked(0), vec![0]);
    }
}
