//! A realistic demo store, as the changes a person would have made: staff, rooms and beds, the
//! service catalog, customers with Chinese and latin names, a month of appointments around
//! `today`, and a few complaints. Deterministic for a seed (ids included), so loading it twice
//! merges into the same records, and benchmarks see the same data every run.
use chrono::{Duration, NaiveDate, NaiveTime};
use uuid::Uuid;

use crate::appointment::{AppointmentField, AppointmentStatus, BookingChannel, StatusChange};
use crate::catalog::{
    CatalogField, ConsultationQuestion, Money, QuestionKind, ServiceCategory, SopStep,
};
use crate::complaint::{
    ComplaintChannel, ComplaintEvent, ComplaintEventKind, ComplaintLinks, ComplaintNature, Severity,
};
use crate::consent::{
    ConsentDecision, ConsentMethod, ConsentPurpose, ConsentRecord, HEALTH_TEXT_VERSION,
};
use crate::customer::{CustomerField, CustomerSource, Gender, MembershipNo, Phone, SkinType};
use crate::error::ValidationError;
use crate::ids::{
    AppointmentId, ComplaintEventId, ComplaintId, ConsentId, CustomerId, RoomId, ServiceId,
    StaffId, StoreId, TransitionId,
};
use crate::role::Role;
use crate::room::{RoomField, RoomKind};
use crate::staff::StaffField;
use crate::sync::{Actor, Change};
use crate::text::{Label, Name, Note, Tag};
use crate::time::{Interval, Timestamp, UtcOffset};

/// How big a demo store to make.
#[derive(Clone, Copy, Debug)]
pub struct DemoSize {
    pub customers: usize,
    /// Days of appointments before and after `today`.
    pub days_each_side: i64,
}

impl Default for DemoSize {
    /// What [front desk] asks for: 2,000 customers and a month of appointments.
    fn default() -> Self {
        Self {
            customers: 2_000,
            days_each_side: 15,
        }
    }
}

/// A small, fast, deterministic generator (SplitMix64): demo data needs repeatability, not
/// cryptographic quality, and the core takes no dependency for it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A stable id for the `index`-th record of a kind in the demo of `store`.
fn demo_uuid(store: StoreId, kind: u8, index: usize) -> Uuid {
    let base = store.as_uuid().as_u128();
    let mixed = base ^ (u128::from(kind) << 120) ^ ((index as u128 + 1) << 64);
    Uuid::from_u128(mixed)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "丽", "静", "敏", "婷", "雪", "芳", "娜", "燕", "玲", "欣怡", "梓涵", "雨桐", "诗琪", "佳怡",
    "晓雯", "思彤", "梦瑶", "海燕", "秀英", "慧",
];
const LATIN_FIRST: &[&str] = &[
    "Emma", "Olivia", "Sophie", "Chloe", "Grace", "Lily", "Mia", "Anna", "Lucy", "Zoe",
];
const LATIN_LAST: &[&str] = &[
    "Smith", "Brown", "Wilson", "Taylor", "Martin", "Lee", "Walker", "Young", "King", "Scott",
];
const TAGS: &[&str] = &[
    "VIP",
    "敏感肌",
    "学生",
    "新客",
    "老客",
    "怕痛",
    "喜欢安静",
    "孕期",
];
const ALLERGIES: &[&str] = &["果酸", "酒精", "香精", "坚果油", "乳胶"];
const PREFERENCES: &[&str] = &[
    "喜欢力度轻一些，房间温度偏暖。",
    "不喜欢聊天，希望安静休息。",
    "偏好无香精产品。",
    "Prefers firm pressure and no music.",
    "喜欢薰衣草精油。",
];
const NEEDS: &[&str] = &[
    "最近皮肤干燥起皮，想做补水。",
    "肩颈酸痛，久坐办公。",
    "下周参加婚礼，想提亮肤色。",
    "First visit; wants to try a gentle facial.",
    "眼周细纹，想了解抗衰项目。",
    "",
];

struct ServiceSpec {
    name: &'static str,
    category: ServiceCategory,
    minutes: u32,
    yuan: i64,
    steps: &'static [(&'static str, u32)],
    contraindications: &'static [&'static str],
    allergens: &'static [&'static str],
    recall_days: u32,
}

const SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        name: "深层补水护理 Hydrating facial",
        category: ServiceCategory::Facial,
        minutes: 60,
        yuan: 398,
        steps: &[
            ("卸妆清洁", 10),
            ("去角质", 10),
            ("导入精华", 15),
            ("面部按摩", 15),
            ("敷膜", 10),
        ],
        contraindications: &["皮肤破损"],
        allergens: &["香精"],
        recall_days: 28,
    },
    ServiceSpec {
        name: "果酸焕肤 Fruit-acid peel",
        category: ServiceCategory::Facial,
        minutes: 45,
        yuan: 580,
        steps: &[
            ("清洁", 10),
            ("果酸涂抹", 15),
            ("中和", 10),
            ("修复面膜", 10),
        ],
        contraindications: &["孕期", "近期激光", "皮肤破损"],
        allergens: &["果酸"],
        recall_days: 30,
    },
    ServiceSpec {
        name: "肩颈舒缓按摩 Neck & shoulder massage",
        category: ServiceCategory::Massage,
        minutes: 60,
        yuan: 268,
        steps: &[("热敷", 10), ("肩颈按摩", 35), ("拉伸放松", 15)],
        contraindications: &["颈椎术后"],
        allergens: &["坚果油"],
        recall_days: 14,
    },
    ServiceSpec {
        name: "全身精油SPA Aromatherapy body spa",
        category: ServiceCategory::Body,
        minutes: 90,
        yuan: 688,
        steps: &[("足浴", 10), ("全身按摩", 60), ("热石", 20)],
        contraindications: &["孕期", "高血压未控制"],
        allergens: &["坚果油", "香精"],
        recall_days: 21,
    },
    ServiceSpec {
        name: "眼部抗衰护理 Eye-contour care",
        category: ServiceCategory::Facial,
        minutes: 45,
        yuan: 458,
        steps: &[("眼部清洁", 10), ("眼周按摩", 20), ("眼膜", 15)],
        contraindications: &["眼部感染"],
        allergens: &[],
        recall_days: 30,
    },
    ServiceSpec {
        name: "美甲护理 Manicure",
        category: ServiceCategory::Nail,
        minutes: 60,
        yuan: 168,
        steps: &[("修型", 15), ("甘皮护理", 15), ("上色", 30)],
        contraindications: &["甲沟炎"],
        allergens: &[],
        recall_days: 21,
    },
];

const THERAPISTS: &[&str] = &["李娜", "王芳", "陈静", "赵敏", "Lucy Chen", "周婷"];
const OTHER_STAFF: &[(&str, Role)] = &[
    ("刘店长", Role::Manager),
    ("前台 小杨", Role::Reception),
    ("客服主管 孙丽", Role::CustomerServiceSupervisor),
    ("技术主管 何慧", Role::TechnicalSupervisor),
    ("财务主管 高燕", Role::FinanceSupervisor),
];

/// The appointment start times of a therapist's day (local time).
const SLOTS: &[(u32, u32)] = &[(10, 0), (11, 45), (13, 30), (15, 15), (17, 0), (18, 45)];

fn name(text: &str) -> Result<Name, ValidationError> {
    Ok(Name::parse(text)?)
}

fn note(text: &str) -> Result<Note, ValidationError> {
    Ok(Note::parse(text)?)
}

fn tag(text: &str) -> Result<Tag, ValidationError> {
    Ok(Tag::parse(text)?)
}

fn tags(texts: &[&str]) -> Result<Vec<Tag>, ValidationError> {
    texts.iter().map(|t| tag(t)).collect()
}

/// The demo store's changes, in an order a device can apply them (staff and catalog before the
/// bookings that name them). `actor` is who is recorded as having made them: the status moves
/// and complaint events carry the actor's role, as the core requires.
pub fn demo_store(
    store: StoreId,
    actor: Actor,
    offset: UtcOffset,
    today: NaiveDate,
    now: Timestamp,
    size: DemoSize,
    seed: u64,
) -> Result<Vec<Change>, ValidationError> {
    let by = actor.staff_id;
    let mut rng = Rng(seed ^ store.as_uuid().as_u128() as u64);
    let mut changes = Vec::new();

    let mut therapists = Vec::new();
    for (i, therapist) in THERAPISTS.iter().enumerate() {
        let id = StaffId::from_uuid(demo_uuid(store, 1, i));
        therapists.push(id);
        changes.push(Change::StaffUpsert {
            id,
            fields: vec![
                StaffField::Name(name(therapist)?),
                StaffField::Role(Role::Therapist),
                StaffField::Active(true),
            ],
        });
    }
    for (i, (staff_name, role)) in OTHER_STAFF.iter().enumerate() {
        changes.push(Change::StaffUpsert {
            id: StaffId::from_uuid(demo_uuid(store, 1, 100 + i)),
            fields: vec![
                StaffField::Name(name(staff_name)?),
                StaffField::Role(*role),
                StaffField::Active(true),
            ],
        });
    }

    // One room per therapist, each with a bed: a therapist's bookings never share a room, so the
    // demo has no collisions unless a person makes one.
    let mut rooms = Vec::new();
    for i in 0..THERAPISTS.len() {
        let room = RoomId::from_uuid(demo_uuid(store, 2, i));
        let bed = RoomId::from_uuid(demo_uuid(store, 2, 100 + i));
        changes.push(Change::RoomUpsert {
            id: room,
            fields: vec![
                RoomField::Name(name(&format!("{}号房 Room {}", i + 1, i + 1))?),
                RoomField::Kind(RoomKind::Room),
                RoomField::Active(true),
            ],
        });
        changes.push(Change::RoomUpsert {
            id: bed,
            fields: vec![
                RoomField::Name(name(&format!("{}号床 Bed {}", i + 1, i + 1))?),
                RoomField::Kind(RoomKind::Bed),
                RoomField::Parent(Some(room)),
                RoomField::Active(true),
            ],
        });
        rooms.push(bed);
    }

    let mut services = Vec::new();
    for (i, spec) in SERVICES.iter().enumerate() {
        let id = ServiceId::from_uuid(demo_uuid(store, 3, i));
        services.push((id, spec.minutes));
        let steps = spec
            .steps
            .iter()
            .map(|(step, minutes)| {
                Ok(SopStep {
                    name: name(step)?,
                    standard_minutes: *minutes,
                    standard: Note::default(),
                })
            })
            .collect::<Result<Vec<_>, ValidationError>>()?;
        changes.push(Change::CatalogUpsert {
            id,
            fields: vec![
                CatalogField::Name(name(spec.name)?),
                CatalogField::Category(spec.category),
                CatalogField::DurationMinutes(spec.minutes),
                CatalogField::Price(Money::yuan(spec.yuan, 0)),
                CatalogField::SopSteps(steps),
                CatalogField::Contraindications(tags(spec.contraindications)?),
                CatalogField::Allergens(tags(spec.allergens)?),
                CatalogField::Consultation(vec![ConsultationQuestion {
                    key: tag("pregnant")?,
                    text: Label::parse("目前是否怀孕或备孕？Are you pregnant?")?,
                    kind: QuestionKind::YesNo {
                        yes_means: Some(tag("孕期")?),
                    },
                }]),
                CatalogField::RecallDays(Some(spec.recall_days)),
                CatalogField::Active(true),
            ],
        });
    }

    let mut customers = Vec::new();
    for i in 0..size.customers {
        let id = CustomerId::from_uuid(demo_uuid(store, 4, i));
        customers.push(id);
        let latin = rng.chance(12);
        let full_name = if latin {
            format!("{} {}", rng.pick(LATIN_FIRST), rng.pick(LATIN_LAST))
        } else {
            format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
        };
        let phone = format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000);
        let mut fields = vec![
            CustomerField::Name(name(&full_name)?),
            CustomerField::Phone(Some(Phone::parse(&phone)?)),
            CustomerField::Gender(if rng.chance(92) {
                Gender::Female
            } else {
                Gender::Male
            }),
            CustomerField::Source(rng.pick(&[
                CustomerSource::WalkIn,
                CustomerSource::Referral,
                CustomerSource::Wechat,
                CustomerSource::Website,
                CustomerSource::Phone,
            ])),
            CustomerField::MembershipNo(Some(MembershipNo::parse(&format!(
                "M{:06}",
                100_001 + i
            ))?)),
        ];
        let year = 1965 + rng.below(40) as i32;
        if let Some(birthday) =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
        {
            fields.push(CustomerField::Birthday(Some(birthday)));
        }
        if rng.chance(40) {
            fields.push(CustomerField::Tags(vec![tag(rng.pick(TAGS))?]));
        }
        if rng.chance(30) {
            fields.push(CustomerField::Preferences(note(rng.pick(PREFERENCES))?));
        }
        fields.push(CustomerField::SkinType(Some(rng.pick(&[
            SkinType::Dry,
            SkinType::Oily,
            SkinType::Combination,
            SkinType::Normal,
            SkinType::Sensitive,
        ]))));
        if rng.chance(8) {
            fields.push(CustomerField::Allergies(vec![tag(rng.pick(ALLERGIES))?]));
        }
        // Her file holds health data (a skin type at least): she agreed to keep it, on paper
        // (the demo has no tablet signature to show), under today's text.
        changes.push(Change::ConsentRecord(ConsentRecord {
            id: ConsentId::from_uuid(demo_uuid(store, 9, i)),
            customer_id: id,
            purpose: ConsentPurpose::HealthData,
            version: Label::parse(HEALTH_TEXT_VERSION)?,
            decision: ConsentDecision::Given,
            at: now,
            recorded_by: by,
            method: ConsentMethod::Paper,
            signed_name: None,
            language: None,
            device: None,
        }));
        changes.push(Change::CustomerUpsert { id, fields });
    }
    if customers.is_empty() {
        return Ok(changes);
    }

    let mut appointment_index = 0;
    for day_offset in -size.days_each_side..=size.days_each_side {
        let day = today + Duration::days(day_offset);
        for (t, therapist) in therapists.iter().enumerate() {
            for &(hour, minute) in SLOTS {
                if rng.chance(35) {
                    continue;
                }
                let Some(local_start) = NaiveTime::from_hms_opt(hour, minute, 0) else {
                    continue;
                };
                let (service, minutes) = rng.pick(&services);
                let start = offset.to_utc(day.and_time(local_start));
                let end = start + Duration::minutes(i64::from(minutes));
                // A customer is booked at most once a day: the index walks through them by day.
                let customer = customers[(appointment_index * 7 + t) % customers.len()];
                let id = AppointmentId::from_uuid(demo_uuid(store, 5, appointment_index));
                appointment_index += 1;
                changes.push(Change::AppointmentUpsert {
                    id,
                    fields: vec![
                        AppointmentField::CustomerId(customer),
                        AppointmentField::TherapistId(Some(*therapist)),
                        AppointmentField::RoomId(Some(rooms[t])),
                        AppointmentField::Services(vec![service]),
                        AppointmentField::Time(Interval { start, end }),
                        AppointmentField::Channel(rng.pick(&[
                            BookingChannel::Phone,
                            BookingChannel::Wechat,
                            BookingChannel::Wechat,
                            BookingChannel::Website,
                            BookingChannel::WalkIn,
                        ])),
                        AppointmentField::Needs(note(rng.pick(NEEDS))?),
                        AppointmentField::BookedAt(start - Duration::days(3)),
                        AppointmentField::BookedBy(Some(by)),
                    ],
                });
                if end < now {
                    let path: &[AppointmentStatus] = if rng.chance(6) {
                        &[AppointmentStatus::NoShow]
                    } else {
                        &[
                            AppointmentStatus::Confirmed,
                            AppointmentStatus::Arrived,
                            AppointmentStatus::InService,
                            AppointmentStatus::Completed,
                        ]
                    };
                    for (k, to) in path.iter().enumerate() {
                        let at = match to {
                            AppointmentStatus::Confirmed => start - Duration::days(1),
                            AppointmentStatus::Arrived => start - Duration::minutes(5),
                            AppointmentStatus::InService => start + Duration::minutes(5),
                            _ => end,
                        };
                        changes.push(Change::AppointmentStatus {
                            appointment_id: id,
                            change: StatusChange {
                                id: TransitionId::from_uuid(demo_uuid(
                                    store,
                                    6,
                                    appointment_index * 8 + k,
                                )),
                                to: *to,
                                at,
                                by,
                                role: actor.role,
                                reason: None,
                                note: Note::default(),
                            },
                        });
                    }
                }
            }
        }
    }

    let complaints: &[(&str, ComplaintChannel, ComplaintNature, Severity, i64)] = &[
        (
            "做完果酸焕肤后脸颊发红刺痛，持续两天。",
            ComplaintChannel::Phone,
            ComplaintNature::Technical,
            Severity::Major,
            20,
        ),
        (
            "前台结账时多收了一次项目费用。",
            ComplaintChannel::InPerson,
            ComplaintNature::FeeDispute,
            Severity::General,
            30,
        ),
        (
            "美容师服务时一直推销产品，态度不耐烦。",
            ComplaintChannel::Wechat,
            ComplaintNature::ServiceAttitude,
            Severity::General,
            200,
        ),
        (
            "The towel in room 3 was not clean.",
            ComplaintChannel::Online,
            ComplaintNature::Environment,
            Severity::General,
            600,
        ),
    ];
    for (i, (what, channel, nature, severity, minutes_ago)) in complaints.iter().enumerate() {
        let complaint_id = ComplaintId::from_uuid(demo_uuid(store, 7, i));
        changes.push(Change::ComplaintEvent(ComplaintEvent {
            id: ComplaintEventId::from_uuid(demo_uuid(store, 8, i)),
            complaint_id,
            at: now - Duration::minutes(*minutes_ago),
            by: Some(by),
            role: actor.role,
            kind: ComplaintEventKind::Received {
                channel: *channel,
                customer_id: Some(customers[(i * 37) % customers.len()]),
                customer_name: None,
                contact: None,
                occurred_at: Some(now - Duration::minutes(*minutes_ago + 60)),
                description: note(what)?,
                expected_solution: note("希望得到解释和合理的补偿。")?,
                nature: Some(*nature),
                severity: Some(*severity),
                links: ComplaintLinks::default(),
            },
        }));
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    const CHINA: UtcOffset = UtcOffset::CHINA;

    fn make(seed: u64) -> Vec<Change> {
        let store = StoreId::from_u128(7);
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let size = DemoSize {
            customers: 300,
            days_each_side: 3,
        };
        let actor = Actor {
            staff_id: StaffId::from_u128(9),
            role: Role::Owner,
        };
        demo_store(store, actor, CHINA, today, now, size, seed).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_store() {
        assert_eq!(make(1), make(1));
        assert_ne!(make(1), make(2));
    }

    #[test]
    fn it_has_everything_the_screens_show() {
        let changes = make(1);
        let count = |pred: fn(&Change) -> bool| changes.iter().filter(|c| pred(c)).count();
        assert_eq!(count(|c| matches!(c, Change::CustomerUpsert { .. })), 300);
        assert!(count(|c| matches!(c, Change::AppointmentUpsert { .. })) > 50);
        assert!(count(|c| matches!(c, Change::AppointmentStatus { .. })) > 20);
        assert_eq!(count(|c| matches!(c, Change::ComplaintEvent(_))), 4);
        assert_eq!(
            count(|c| matches!(c, Change::CatalogUpsert { .. })),
            SERVICES.len()
        );
    }

    #[test]
    fn every_change_passes_the_core_checks_and_no_booking_collides() {
        use crate::sync::{Actor, Replica};
        let store = StoreId::from_u128(7);
        let actor = Actor {
            staff_id: StaffId::from_u128(9),
            role: Role::Owner,
        };
        let mut replica = Replica::default();
        let mut client = crate::sync::SyncClient::new(crate::ids::ClientId::from_u128(1), store);
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        for change in make(1) {
            client.mutate(actor, change, now).unwrap();
        }
        for m in client.pending() {
            replica.apply(m).unwrap();
        }
        assert!(replica.booking_conflicts(store, 0).is_empty());
    }
}
