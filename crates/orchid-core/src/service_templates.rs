//! A template catalog of common salon and spa services (服务模板), in 简体中文 and English: what a
//! new store picks from on first use instead of typing its catalog from nothing. Each template
//! has a duration, a price hint, SOP steps with standard times, contraindications and the
//! consultation questions to ask first; [`ServiceTemplate::change`] turns it into the
//! `CatalogUpsert` that creates the service in the chosen language, to be edited later in Set-up
//! like any other service.
use crate::catalog::{
    CatalogField, CatalogService, ConsultationQuestion, Money, QuestionKind, ServiceCategory,
    SopStep,
};
use crate::error::ValidationError;
use crate::ids::{ServiceId, StoreId};
use crate::record::FieldSet;
use crate::sync::Change;
use crate::text::{Label, Name, Note, Tag};

/// The language a template's service is created in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TemplateLanguage {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Both {
    /// 简体中文.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Both {
    /// The text in `lang`.
    pub fn text(&self, lang: TemplateLanguage) -> &'static str {
        match lang {
            TemplateLanguage::Zh => self.zh,
            TemplateLanguage::En => self.en,
        }
    }
}

const fn both(zh: &'static str, en: &'static str) -> Both {
    Both { zh, en }
}

/// A consultation question of a template.
#[derive(Clone, Copy, Debug)]
pub struct TemplateQuestion {
    /// The answer's stable key (the same in both languages, so answers compare across stores).
    pub key: &'static str,
    /// The question as asked.
    pub text: Both,
    /// A yes/no question whose "yes" means this contraindication; `None`: a free-text question.
    pub yes_means: Option<Both>,
}

/// One common service, ready to be created in a store's catalog.
#[derive(Clone, Copy, Debug)]
pub struct ServiceTemplate {
    /// A stable key (for the UI's checkboxes and the tests).
    pub key: &'static str,
    /// The service's name.
    pub name: Both,
    /// Its category.
    pub category: ServiceCategory,
    /// Planned minutes.
    pub duration_minutes: u32,
    /// A usual price in yuan, a hint to be changed in Set-up.
    pub price_yuan: i64,
    /// SOP steps and their standard minutes.
    pub steps: &'static [(Both, u32)],
    /// What stops the service (matched against the customer's contraindications).
    pub contraindications: &'static [Both],
    /// Questions to ask before it.
    pub questions: &'static [TemplateQuestion],
    /// Typical recall interval in days.
    pub recall_days: Option<u32>,
    /// A short description for customers.
    pub description: Both,
}

const PREGNANT: TemplateQuestion = TemplateQuestion {
    key: "pregnant",
    text: both("目前是否怀孕或备孕？", "Are you pregnant or trying to be?"),
    yes_means: Some(both("孕期", "pregnancy")),
};
const BROKEN_SKIN: TemplateQuestion = TemplateQuestion {
    key: "broken_skin",
    text: both(
        "护理部位是否有伤口、破损或炎症？",
        "Is there a wound, broken skin or inflammation where we will work?",
    ),
    yes_means: Some(both("皮肤破损", "broken skin")),
};
const RECENT_PROCEDURE: TemplateQuestion = TemplateQuestion {
    key: "recent_procedure",
    text: both(
        "近一个月内是否做过激光、刷酸或医美项目？",
        "Have you had a laser, peel or cosmetic procedure in the last month?",
    ),
    yes_means: Some(both("近期医美", "recent procedure")),
};
const ALLERGIES: TemplateQuestion = TemplateQuestion {
    key: "product_allergies",
    text: both(
        "对哪些护肤品、精油或成分过敏？",
        "Are you allergic to any skincare product, oil or ingredient?",
    ),
    yes_means: None,
};
const SKIN_GOAL: TemplateQuestion = TemplateQuestion {
    key: "skin_goal",
    text: both(
        "您最想改善哪方面的皮肤问题？",
        "What would you most like to improve about your skin?",
    ),
    yes_means: None,
};
const BLOOD_PRESSURE: TemplateQuestion = TemplateQuestion {
    key: "high_blood_pressure",
    text: both(
        "是否有未控制的高血压或心脏疾病？",
        "Do you have uncontrolled high blood pressure or a heart condition?",
    ),
    yes_means: Some(both("高血压未控制", "uncontrolled blood pressure")),
};
const PRESSURE: TemplateQuestion = TemplateQuestion {
    key: "pressure_preference",
    text: both(
        "您喜欢什么样的力度？有特别酸痛的部位吗？",
        "What pressure do you like, and where does it ache most?",
    ),
    yes_means: None,
};
const EYE_INFECTION: TemplateQuestion = TemplateQuestion {
    key: "eye_infection",
    text: both(
        "眼部是否有感染、红肿，或近期做过眼部手术？",
        "Do you have an eye infection or swelling, or recent eye surgery?",
    ),
    yes_means: Some(both("眼部感染", "eye infection")),
};
const VARICOSE: TemplateQuestion = TemplateQuestion {
    key: "varicose_veins",
    text: both(
        "护理部位是否有静脉曲张？",
        "Do you have varicose veins where we will work?",
    ),
    yes_means: Some(both("静脉曲张", "varicose veins")),
};
const SCALP: TemplateQuestion = TemplateQuestion {
    key: "scalp_condition",
    text: both(
        "头皮是否有伤口、湿疹或正在治疗的问题？",
        "Does your scalp have a wound, eczema or a condition being treated?",
    ),
    yes_means: Some(both("头皮问题", "scalp condition")),
};

/// The template catalog, in the order the guide shows it.
pub const TEMPLATES: &[ServiceTemplate] = &[
    ServiceTemplate {
        key: "basic_facial",
        name: both("基础面部护理", "Basic facial"),
        category: ServiceCategory::Facial,
        duration_minutes: 60,
        price_yuan: 298,
        steps: &[
            (both("卸妆清洁", "Cleanse"), 10),
            (both("去角质", "Exfoliate"), 10),
            (both("面部按摩", "Facial massage"), 20),
            (both("敷膜", "Mask"), 15),
            (both("护肤收尾", "Finish and protect"), 5),
        ],
        contraindications: &[both("皮肤破损", "broken skin")],
        questions: &[SKIN_GOAL, BROKEN_SKIN, ALLERGIES],
        recall_days: Some(28),
        description: both(
            "清洁、按摩与面膜，适合日常保养。",
            "Cleansing, massage and a mask for everyday care.",
        ),
    },
    ServiceTemplate {
        key: "deep_cleansing",
        name: both("深层清洁", "Deep cleansing facial"),
        category: ServiceCategory::Facial,
        duration_minutes: 75,
        price_yuan: 358,
        steps: &[
            (both("卸妆清洁", "Cleanse"), 10),
            (both("蒸面软化", "Steam"), 10),
            (both("清理黑头粉刺", "Extractions"), 25),
            (both("镇静面膜", "Calming mask"), 20),
            (both("护肤收尾", "Finish and protect"), 10),
        ],
        contraindications: &[
            both("皮肤破损", "broken skin"),
            both("近期医美", "recent procedure"),
        ],
        questions: &[SKIN_GOAL, BROKEN_SKIN, RECENT_PROCEDURE],
        recall_days: Some(30),
        description: both(
            "疏通毛孔、清理黑头，适合油性和混合性肌肤。",
            "Unclogs pores and clears blackheads; for oily and combination skin.",
        ),
    },
    ServiceTemplate {
        key: "hydrating",
        name: both("补水保湿护理", "Hydrating facial"),
        category: ServiceCategory::Facial,
        duration_minutes: 60,
        price_yuan: 398,
        steps: &[
            (both("卸妆清洁", "Cleanse"), 10),
            (both("导入精华", "Serum infusion"), 15),
            (both("面部按摩", "Facial massage"), 15),
            (both("补水面膜", "Hydrating mask"), 15),
            (both("护肤收尾", "Finish and protect"), 5),
        ],
        contraindications: &[both("皮肤破损", "broken skin")],
        questions: &[SKIN_GOAL, BROKEN_SKIN, ALLERGIES],
        recall_days: Some(21),
        description: both(
            "深层补水，改善干燥紧绷。",
            "Deep hydration for dry, tight skin.",
        ),
    },
    ServiceTemplate {
        key: "eye_care",
        name: both("眼部护理", "Eye care"),
        category: ServiceCategory::Facial,
        duration_minutes: 45,
        price_yuan: 328,
        steps: &[
            (both("眼部清洁", "Eye cleanse"), 10),
            (both("眼周按摩", "Eye-contour massage"), 20),
            (both("眼膜", "Eye mask"), 15),
        ],
        contraindications: &[
            both("眼部感染", "eye infection"),
            both("近期医美", "recent procedure"),
        ],
        questions: &[EYE_INFECTION, RECENT_PROCEDURE],
        recall_days: Some(30),
        description: both(
            "缓解眼周疲劳、浮肿与细纹。",
            "Eases tired, puffy eyes and fine lines.",
        ),
    },
    ServiceTemplate {
        key: "body_massage",
        name: both("全身精油按摩", "Full-body oil massage"),
        category: ServiceCategory::Massage,
        duration_minutes: 90,
        price_yuan: 488,
        steps: &[
            (both("足浴放松", "Foot bath"), 10),
            (both("背部按摩", "Back massage"), 30),
            (both("四肢按摩", "Arms and legs"), 35),
            (both("拉伸收尾", "Stretch and rest"), 15),
        ],
        contraindications: &[
            both("孕期", "pregnancy"),
            both("高血压未控制", "uncontrolled blood pressure"),
            both("静脉曲张", "varicose veins"),
        ],
        questions: &[PRESSURE, PREGNANT, BLOOD_PRESSURE, VARICOSE],
        recall_days: Some(14),
        description: both(
            "全身精油按摩，舒缓肌肉、放松身心。",
            "A full-body oil massage to ease muscles and relax.",
        ),
    },
    ServiceTemplate {
        key: "back_massage",
        name: both("肩颈背部按摩", "Neck, shoulder and back massage"),
        category: ServiceCategory::Massage,
        duration_minutes: 60,
        price_yuan: 268,
        steps: &[
            (both("热敷", "Warm compress"), 10),
            (both("肩颈按摩", "Neck and shoulders"), 25),
            (both("背部按摩", "Back"), 20),
            (both("拉伸放松", "Stretch"), 5),
        ],
        contraindications: &[
            both("颈椎术后", "neck surgery"),
            both("高血压未控制", "uncontrolled blood pressure"),
        ],
        questions: &[
            PRESSURE,
            BLOOD_PRESSURE,
            TemplateQuestion {
                key: "neck_surgery",
                text: both(
                    "是否做过颈椎或脊柱手术？",
                    "Have you had neck or spine surgery?",
                ),
                yes_means: Some(both("颈椎术后", "neck surgery")),
            },
        ],
        recall_days: Some(14),
        description: both(
            "针对久坐引起的肩颈酸痛。",
            "For the aches of long hours at a desk.",
        ),
    },
    ServiceTemplate {
        key: "head_spa",
        name: both("头部SPA", "Head spa"),
        category: ServiceCategory::Wellness,
        duration_minutes: 60,
        price_yuan: 238,
        steps: &[
            (both("头皮检测", "Scalp check"), 5),
            (both("头皮清洁", "Scalp cleanse"), 15),
            (both("头部按摩", "Head massage"), 25),
            (both("护发吹干", "Condition and dry"), 15),
        ],
        contraindications: &[both("头皮问题", "scalp condition")],
        questions: &[SCALP, PRESSURE],
        recall_days: Some(21),
        description: both(
            "清洁头皮、舒缓头部紧张。",
            "Cleanses the scalp and eases tension.",
        ),
    },
    ServiceTemplate {
        key: "foot_therapy",
        name: both("足疗养生", "Foot reflexology"),
        category: ServiceCategory::Wellness,
        duration_minutes: 60,
        price_yuan: 198,
        steps: &[
            (both("中药泡脚", "Herbal foot soak"), 15),
            (both("足底按摩", "Foot reflexology"), 35),
            (both("小腿放松", "Calves"), 10),
        ],
        contraindications: &[
            both("孕期", "pregnancy"),
            both("静脉曲张", "varicose veins"),
        ],
        questions: &[PRESSURE, PREGNANT, VARICOSE],
        recall_days: Some(14),
        description: both(
            "泡脚与足底按摩，促进放松与睡眠。",
            "A soak and reflexology for rest and sleep.",
        ),
    },
    ServiceTemplate {
        key: "body_scrub",
        name: both("身体磨砂去角质", "Body scrub"),
        category: ServiceCategory::Body,
        duration_minutes: 60,
        price_yuan: 328,
        steps: &[
            (both("淋浴预热", "Warm shower"), 10),
            (both("全身磨砂", "Full-body scrub"), 25),
            (both("冲洗", "Rinse"), 10),
            (both("身体乳滋润", "Moisturise"), 15),
        ],
        contraindications: &[both("皮肤破损", "broken skin"), both("孕期", "pregnancy")],
        questions: &[BROKEN_SKIN, PREGNANT],
        recall_days: Some(30),
        description: both(
            "去除老化角质，肌肤柔滑。",
            "Removes dead skin for smooth skin.",
        ),
    },
    ServiceTemplate {
        key: "waxing_legs",
        name: both("腿部蜜蜡脱毛", "Leg waxing"),
        category: ServiceCategory::HairRemoval,
        duration_minutes: 45,
        price_yuan: 258,
        steps: &[
            (both("清洁消毒", "Cleanse"), 5),
            (both("上蜡脱毛", "Wax"), 30),
            (both("舒缓护理", "Soothe"), 10),
        ],
        contraindications: &[
            both("皮肤破损", "broken skin"),
            both("静脉曲张", "varicose veins"),
            both("使用维A酸", "retinoids"),
        ],
        questions: &[
            BROKEN_SKIN,
            VARICOSE,
            TemplateQuestion {
                key: "retinoids",
                text: both(
                    "近期是否使用维A酸类药物或护肤品？",
                    "Are you using retinoids (medicine or skincare)?",
                ),
                yes_means: Some(both("使用维A酸", "retinoids")),
            },
        ],
        recall_days: Some(28),
        description: both(
            "小腿与大腿蜜蜡脱毛。",
            "Waxing of the lower and upper legs.",
        ),
    },
    ServiceTemplate {
        key: "waxing_underarm",
        name: both("腋下蜜蜡脱毛", "Underarm waxing"),
        category: ServiceCategory::HairRemoval,
        duration_minutes: 20,
        price_yuan: 98,
        steps: &[
            (both("清洁消毒", "Cleanse"), 5),
            (both("上蜡脱毛", "Wax"), 10),
            (both("舒缓护理", "Soothe"), 5),
        ],
        contraindications: &[both("皮肤破损", "broken skin")],
        questions: &[BROKEN_SKIN],
        recall_days: Some(28),
        description: both("腋下蜜蜡脱毛。", "Underarm waxing."),
    },
    ServiceTemplate {
        key: "manicure",
        name: both("美甲护理", "Manicure"),
        category: ServiceCategory::Nail,
        duration_minutes: 60,
        price_yuan: 168,
        steps: &[
            (both("修型", "Shape"), 15),
            (both("甘皮护理", "Cuticle care"), 15),
            (both("上色", "Polish"), 30),
        ],
        contraindications: &[both("甲沟炎", "nail infection")],
        questions: &[TemplateQuestion {
            key: "nail_infection",
            text: both(
                "指甲周围是否有红肿或感染？",
                "Is there swelling or infection around your nails?",
            ),
            yes_means: Some(both("甲沟炎", "nail infection")),
        }],
        recall_days: Some(21),
        description: both(
            "修型、甘皮护理与上色。",
            "Shaping, cuticle care and polish.",
        ),
    },
];

/// The template with this key.
pub fn template(key: &str) -> Option<&'static ServiceTemplate> {
    TEMPLATES.iter().find(|t| t.key == key)
}

impl ServiceTemplate {
    /// The catalog fields of this service in `lang`.
    pub fn fields(&self, lang: TemplateLanguage) -> Result<Vec<CatalogField>, ValidationError> {
        let steps = self
            .steps
            .iter()
            .map(|(step, minutes)| {
                Ok(SopStep {
                    name: Name::parse(step.text(lang))?,
                    standard_minutes: *minutes,
                    standard: Note::default(),
                })
            })
            .collect::<Result<Vec<_>, ValidationError>>()?;
        let contraindications = self
            .contraindications
            .iter()
            .map(|c| Ok(Tag::parse(c.text(lang))?))
            .collect::<Result<Vec<_>, ValidationError>>()?;
        let consultation = self
            .questions
            .iter()
            .map(|q| {
                Ok(ConsultationQuestion {
                    key: Tag::parse(q.key)?,
                    text: Label::parse(q.text.text(lang))?,
                    kind: match q.yes_means {
                        Some(tag) => QuestionKind::YesNo {
                            yes_means: Some(Tag::parse(tag.text(lang))?),
                        },
                        None => QuestionKind::Text,
                    },
                })
            })
            .collect::<Result<Vec<_>, ValidationError>>()?;
        let fields = vec![
            CatalogField::Name(Name::parse(self.name.text(lang))?),
            CatalogField::Category(self.category),
            CatalogField::DurationMinutes(self.duration_minutes),
            CatalogField::Price(Money::yuan(self.price_yuan, 0)),
            CatalogField::SopSteps(steps),
            CatalogField::Contraindications(contraindications),
            CatalogField::Allergens(Vec::new()),
            CatalogField::Consultation(consultation),
            CatalogField::RecallDays(self.recall_days),
            CatalogField::Description(Note::parse(self.description.text(lang))?),
            CatalogField::Active(true),
        ];
        for field in &fields {
            field.check()?;
        }
        Ok(fields)
    }

    /// The change that creates this service, as `id`, in `lang`.
    pub fn change(&self, id: ServiceId, lang: TemplateLanguage) -> Result<Change, ValidationError> {
        Ok(Change::CatalogUpsert {
            id,
            fields: self.fields(lang)?,
        })
    }

    /// The service as the catalog would hold it, checked whole by the catalog's own validation
    /// (the steps fit the duration, the questions have their form).
    pub fn service(
        &self,
        id: ServiceId,
        store: StoreId,
        lang: TemplateLanguage,
    ) -> Result<CatalogService, ValidationError> {
        let mut service = CatalogService::blank(id, store);
        for field in self.fields(lang)? {
            field.apply_to(&mut service);
        }
        service.validate()?;
        Ok(service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const LANGS: [TemplateLanguage; 2] = [TemplateLanguage::Zh, TemplateLanguage::En];

    #[test]
    fn every_template_is_a_valid_service_in_both_languages() {
        assert!((8..=12).contains(&TEMPLATES.len()));
        for (i, t) in TEMPLATES.iter().enumerate() {
            for lang in LANGS {
                let service = t
                    .service(
                        ServiceId::from_u128(i as u128 + 1),
                        StoreId::from_u128(1),
                        lang,
                    )
                    .unwrap_or_else(|e| panic!("{} in {lang:?}: {e:?}", t.key));
                assert_eq!(service.name.as_str(), t.name.text(lang));
                assert!(!service.sop_steps.is_empty(), "{}", t.key);
                assert!(!service.consultation.is_empty(), "{}", t.key);
                assert!(service.active);
                // Each "yes" that stops the service names one of its contraindications, so the
                // bedside's check stops it.
                for q in &service.consultation {
                    if let QuestionKind::YesNo {
                        yes_means: Some(tag),
                    } = &q.kind
                    {
                        assert!(
                            service.contraindications.contains(tag),
                            "{} {:?}",
                            t.key,
                            tag
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn chinese_services_have_chinese_words_and_english_ones_english() {
        let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for t in TEMPLATES {
            let zh = t.fields(TemplateLanguage::Zh).expect("valid zh");
            let en = t.fields(TemplateLanguage::En).expect("valid en");
            for (zh, en) in zh.iter().zip(&en) {
                match (zh, en) {
                    (CatalogField::Name(z), CatalogField::Name(e)) => {
                        assert!(has_han(z.as_str()) && !has_han(e.as_str()), "{}", t.key);
                    }
                    (CatalogField::Contraindications(z), CatalogField::Contraindications(e)) => {
                        assert!(z.iter().all(|t| has_han(t.as_str())), "{}", t.key);
                        assert!(e.iter().all(|t| !has_han(t.as_str())), "{}", t.key);
                    }
                    (CatalogField::Consultation(z), CatalogField::Consultation(e)) => {
                        for (qz, qe) in z.iter().zip(e) {
                            assert_eq!(qz.key, qe.key, "{}", t.key);
                            assert!(has_han(qz.text.as_str()), "{}", t.key);
                            assert!(!has_han(qe.text.as_str()), "{}", t.key);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn keys_and_names_are_unique_and_found() {
        let keys: HashSet<_> = TEMPLATES.iter().map(|t| t.key).collect();
        assert_eq!(keys.len(), TEMPLATES.len());
        for lang in LANGS {
            let names: HashSet<_> = TEMPLATES.iter().map(|t| t.name.text(lang)).collect();
            assert_eq!(names.len(), TEMPLATES.len());
        }
        assert_eq!(template("hydrating").map(|t| t.duration_minutes), Some(60));
        assert!(template("nope").is_none());
    }

    #[test]
    fn the_change_creates_the_service() {
        let id = ServiceId::from_u128(7);
        let Ok(Change::CatalogUpsert { id: made, fields }) =
            TEMPLATES[0].change(id, TemplateLanguage::En)
        else {
            panic!("a catalog upsert");
        };
        assert_eq!(made, id);
        assert!(fields.contains(&CatalogField::DurationMinutes(60)));
        assert!(fields.contains(&CatalogField::Active(true)));
    }
}
