//! The words of the managers' set-up page ([front desk]): staff, rooms and beds, the service
//! catalog, opening hours and the store's limits.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use chrono::Weekday;
use orchid_core::catalog::ServiceCategory;
use orchid_core::room::RoomKind;

use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sw {
    Title,
    Intro,
    NotAllowed,
    TabStaff,
    TabRooms,
    TabCatalog,
    TabStore,
    Name,
    Role,
    Active,
    Inactive,
    Deactivate,
    Activate,
    AddStaff,
    StaffHint,
    Kind,
    AddRoom,
    Category,
    Duration,
    Price,
    RecallDays,
    Steps,
    StepsHint,
    Contraindications,
    ContraindicationsHint,
    Questions,
    QuestionsHint,
    Description,
    AddService,
    EditService,
    SaveService,
    NewService,
    Edit,
    Minutes,
    Yuan,
    StoreName,
    OpeningHours,
    Closed,
    Opens,
    Closes,
    BookingBuffer,
    FlowLimits,
    ConfirmBooking,
    Reception,
    Introduction,
    ServiceOverrun,
    FeedbackLimit,
    FollowUpHours,
    LowRating,
    LowRecommend,
    DeadlineWarning,
    CareCallDays,
    DeviceHistoryMonths,
    RetentionMonths,
    ExpiryWarningDays,
    ExpectationsEvery,
    WeightSatisfaction,
    WeightTimeliness,
    WeightAccuracy,
    WeightComplaints,
    PointsPerYuan,
    DiscountStandard,
    DiscountSilver,
    DiscountGold,
    DiscountDiamond,
    TopUpOffers,
    TopUpOffersHint,
    TopUpOffersBad,
    SaveStore,
    Saved,
    NumberNeeded,
    LineNeedsMinutes,
}

impl Sw {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Sw::Title => ("门店设置", "Store set-up"),
            Sw::Intro => (
                "员工与角色、房间与床位、服务项目、营业时间与时限。修改离线保存，联网后同步到所有设备。",
                "Staff and roles, rooms and beds, the service catalog, opening hours and time limits. Changes are kept offline and reach every device when the network returns.",
            ),
            Sw::NotAllowed => (
                "只有店长可以修改门店设置。",
                "Only a manager can change the store's set-up.",
            ),
            Sw::TabStaff => ("员工", "Staff"),
            Sw::TabRooms => ("房间与床位", "Rooms and beds"),
            Sw::TabCatalog => ("服务项目", "Service catalog"),
            Sw::TabStore => ("营业时间与时限", "Hours and limits"),
            Sw::Name => ("名称", "Name"),
            Sw::Role => ("角色", "Role"),
            Sw::Active => ("在职", "Active"),
            Sw::Inactive => ("停用", "Inactive"),
            Sw::Deactivate => ("停用", "Deactivate"),
            Sw::Activate => ("启用", "Activate"),
            Sw::AddStaff => ("添加员工", "Add staff member"),
            Sw::StaffHint => (
                "登录账号在连接服务器后由店长在服务器上创建；这里的员工用于排班和日历。",
                "Sign-in accounts are created on the server once the device is paired; staff listed here appear in the calendar and the rota.",
            ),
            Sw::Kind => ("类型", "Kind"),
            Sw::AddRoom => ("添加房间或床位", "Add room or bed"),
            Sw::Category => ("类别", "Category"),
            Sw::Duration => ("时长（分钟）", "Duration (minutes)"),
            Sw::Price => ("价格（元）", "Price (yuan)"),
            Sw::RecallDays => ("回访周期（天，可空）", "Recall after (days, optional)"),
            Sw::Steps => ("标准操作步骤", "Standard steps (SOP)"),
            Sw::StepsHint => (
                "每行一步：步骤名称, 标准分钟，例如 “清洁, 10”。",
                "One step per line: name, standard minutes — e.g. “Cleanse, 10”.",
            ),
            Sw::Contraindications => ("禁忌", "Contraindications"),
            Sw::ContraindicationsHint => (
                "用逗号分隔，例如：孕期，皮肤破损。",
                "Separated by commas, e.g. pregnancy, broken skin.",
            ),
            Sw::Questions => ("咨询问题", "Consultation questions"),
            Sw::QuestionsHint => (
                "每行一个是/否问题；回答“是”即为禁忌时写成 “问题 | 禁忌标签”。",
                "One yes/no question per line; when “yes” means a contraindication write “question | tag”.",
            ),
            Sw::Description => ("说明", "Description"),
            Sw::AddService => ("添加服务项目", "Add service"),
            Sw::EditService => ("编辑服务项目", "Edit service"),
            Sw::SaveService => ("保存服务项目", "Save service"),
            Sw::NewService => ("新服务项目", "New service"),
            Sw::Edit => ("编辑", "Edit"),
            Sw::Minutes => ("分钟", "min"),
            Sw::Yuan => ("元", "yuan"),
            Sw::StoreName => ("门店名称", "Store name"),
            Sw::OpeningHours => ("营业时间", "Opening hours"),
            Sw::Closed => ("休息", "Closed"),
            Sw::Opens => ("开门", "Opens"),
            Sw::Closes => ("关门", "Closes"),
            Sw::BookingBuffer => ("预约间隔（分钟）", "Buffer after each booking (minutes)"),
            Sw::FlowLimits => ("服务流程时限", "Service-flow time limits"),
            Sw::ConfirmBooking => ("确认预约（分钟）", "Confirm a booking (minutes)"),
            Sw::Reception => ("到店接待（分钟）", "Greet on arrival (minutes)"),
            Sw::Introduction => ("咨询介绍（分钟）", "Consultation (minutes)"),
            Sw::ServiceOverrun => ("服务超时容许（分钟）", "Service overrun allowed (minutes)"),
            Sw::FeedbackLimit => ("收集反馈（分钟）", "Collect feedback (minutes)"),
            Sw::FollowUpHours => ("回访（小时）", "Follow up (hours)"),
            Sw::LowRating => (
                "低分：任一维度不高于",
                "Low score: any dimension at or below",
            ),
            Sw::LowRecommend => (
                "低分：推荐意愿不高于",
                "Low score: recommendation at or below",
            ),
            Sw::DeadlineWarning => ("时限预警（已用 %）", "Deadline warning (% used)"),
            Sw::CareCallDays => ("护理回访（服务后天数）", "Care call (days after service)"),
            Sw::DeviceHistoryMonths => ("设备保留记录（月）", "History kept on devices (months)"),
            Sw::RetentionMonths => (
                "顾客档案保存期限（最后联系后，月）",
                "Customer files kept after the last contact (months)",
            ),
            Sw::ExpiryWarningDays => (
                "批次临期提醒（天）",
                "Warn of batches expiring within (days)",
            ),
            Sw::ExpectationsEvery => (
                "每几次评价询问一次期望（0 = 仅首次）",
                "Ask expectations every n-th feedback (0: first only)",
            ),
            Sw::WeightSatisfaction => ("考核权重：顾客满意度", "Scorecard weight: satisfaction"),
            Sw::WeightTimeliness => ("考核权重：及时性", "Scorecard weight: timeliness"),
            Sw::WeightAccuracy => ("考核权重：记录完整", "Scorecard weight: complete records"),
            Sw::WeightComplaints => ("考核权重：投诉", "Scorecard weight: complaints"),
            Sw::PointsPerYuan => ("每消费 1 元积分", "Points per yuan paid"),
            Sw::DiscountStandard => ("普通会员折扣（%）", "Member discount (%)"),
            Sw::DiscountSilver => ("银卡折扣（%）", "Silver discount (%)"),
            Sw::DiscountGold => ("金卡折扣（%）", "Gold discount (%)"),
            Sw::DiscountDiamond => ("钻石卡折扣（%）", "Diamond discount (%)"),
            Sw::TopUpOffers => ("储值卡充值优惠", "Top-up offers"),
            Sw::TopUpOffersHint => (
                "写成“实收=赠送”，多个用逗号分开，例如 1000=200, 5000=1500（元）。留空为无优惠。",
                "Write “paid=bonus”, several separated by commas, e.g. 1000=200, 5000=1500 (yuan). Empty: no offer.",
            ),
            Sw::TopUpOffersBad => (
                "请写成“实收=赠送”，例如 1000=200, 5000=1500。",
                "Write “paid=bonus”, e.g. 1000=200, 5000=1500.",
            ),
            Sw::SaveStore => ("保存营业时间与时限", "Save hours and limits"),
            Sw::Saved => ("已保存。", "Saved."),
            Sw::NumberNeeded => ("请填写一个整数。", "Enter a whole number."),
            Sw::LineNeedsMinutes => (
                "每行写成“名称, 分钟”。",
                "Write each line as “name, minutes”.",
            ),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

pub fn room_kind_name(kind: RoomKind, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        RoomKind::Room => ("房间", "Room"),
        RoomKind::Bed => ("床位", "Bed"),
        RoomKind::Suite => ("VIP 套房", "VIP suite"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn category_name(category: ServiceCategory, lang: Lang) -> &'static str {
    let (zh, en) = match category {
        ServiceCategory::Facial => ("面部护理", "Facial"),
        ServiceCategory::Body => ("身体护理", "Body"),
        ServiceCategory::Massage => ("按摩", "Massage"),
        ServiceCategory::Wellness => ("养生", "Wellness"),
        ServiceCategory::HairRemoval => ("脱毛", "Hair removal"),
        ServiceCategory::Nail => ("美甲", "Nails"),
        ServiceCategory::Makeup => ("美睫与化妆", "Lashes and make-up"),
        ServiceCategory::Device => ("仪器项目", "Device treatments"),
        ServiceCategory::Other => ("其他", "Other"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let (zh, en) = match day {
        Weekday::Mon => ("周一", "Monday"),
        Weekday::Tue => ("周二", "Tuesday"),
        Weekday::Wed => ("周三", "Wednesday"),
        Weekday::Thu => ("周四", "Thursday"),
        Weekday::Fri => ("周五", "Friday"),
        Weekday::Sat => ("周六", "Saturday"),
        Weekday::Sun => ("周日", "Sunday"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
