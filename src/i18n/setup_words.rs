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
pub enum SetupWord {
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
    BirthdayReminderDays,
    LapsedAfterDays,
    DeviceHistoryMonths,
    RetentionMonths,
    ExpiryWarningDays,
    ExpectationsEvery,
    WeightSatisfaction,
    WeightTimeliness,
    WeightAccuracy,
    WeightComplaints,
    WeightButler,
    WeightTeamwork,
    WeightDiscipline,
    PointsPerYuan,
    PointsPerYuanOff,
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
    StandardUse,
    StandardUseHint,
    StandardProduct,
    StandardQuantity,
    AddStandardUse,
    RemoveStandardUse,
    ChooseProduct,
    NoProductsForStandard,
}

impl SetupWord {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            SetupWord::Title => ("门店设置", "Store set-up"),
            SetupWord::Intro => (
                "员工与角色、房间与床位、服务项目、营业时间与时限。修改离线保存，联网后同步到所有设备。",
                "Staff and roles, rooms and beds, the service catalog, opening hours and time limits. Changes are kept offline and reach every device when the network returns.",
            ),
            SetupWord::NotAllowed => (
                "只有店长可以修改门店设置。",
                "Only a manager can change the store's set-up.",
            ),
            SetupWord::TabStaff => ("员工", "Staff"),
            SetupWord::TabRooms => ("房间与床位", "Rooms and beds"),
            SetupWord::TabCatalog => ("服务项目", "Service catalog"),
            SetupWord::TabStore => ("营业时间与时限", "Hours and limits"),
            SetupWord::Name => ("名称", "Name"),
            SetupWord::Role => ("角色", "Role"),
            SetupWord::Active => ("在职", "Active"),
            SetupWord::Inactive => ("停用", "Inactive"),
            SetupWord::Deactivate => ("停用", "Deactivate"),
            SetupWord::Activate => ("启用", "Activate"),
            SetupWord::AddStaff => ("添加员工", "Add staff member"),
            SetupWord::StaffHint => (
                "登录账号在连接服务器后由店长在服务器上创建；这里的员工用于排班和日历。",
                "Sign-in accounts are created on the server once the device is paired; staff listed here appear in the calendar and the rota.",
            ),
            SetupWord::Kind => ("类型", "Kind"),
            SetupWord::AddRoom => ("添加房间或床位", "Add room or bed"),
            SetupWord::Category => ("类别", "Category"),
            SetupWord::Duration => ("时长（分钟）", "Duration (minutes)"),
            SetupWord::Price => ("价格（元）", "Price (yuan)"),
            SetupWord::RecallDays => ("回访周期（天，可空）", "Recall after (days, optional)"),
            SetupWord::Steps => ("标准操作步骤", "Standard steps (SOP)"),
            SetupWord::StepsHint => (
                "每行一步：步骤名称, 标准分钟，例如 “清洁, 10”。",
                "One step per line: name, standard minutes — e.g. “Cleanse, 10”.",
            ),
            SetupWord::Contraindications => ("禁忌", "Contraindications"),
            SetupWord::ContraindicationsHint => (
                "用逗号分隔，例如：孕期，皮肤破损。",
                "Separated by commas, e.g. pregnancy, broken skin.",
            ),
            SetupWord::Questions => ("咨询问题", "Consultation questions"),
            SetupWord::QuestionsHint => (
                "每行一个是/否问题；回答“是”即为禁忌时写成 “问题 | 禁忌标签”。",
                "One yes/no question per line; when “yes” means a contraindication write “question | tag”.",
            ),
            SetupWord::Description => ("说明", "Description"),
            SetupWord::AddService => ("添加服务项目", "Add service"),
            SetupWord::EditService => ("编辑服务项目", "Edit service"),
            SetupWord::SaveService => ("保存服务项目", "Save service"),
            SetupWord::NewService => ("新服务项目", "New service"),
            SetupWord::Edit => ("编辑", "Edit"),
            SetupWord::Minutes => ("分钟", "min"),
            SetupWord::Yuan => ("元", "yuan"),
            SetupWord::StoreName => ("门店名称", "Store name"),
            SetupWord::OpeningHours => ("营业时间", "Opening hours"),
            SetupWord::Closed => ("休息", "Closed"),
            SetupWord::Opens => ("开门", "Opens"),
            SetupWord::Closes => ("关门", "Closes"),
            SetupWord::BookingBuffer => ("预约间隔（分钟）", "Buffer after each booking (minutes)"),
            SetupWord::FlowLimits => ("服务流程时限", "Service-flow time limits"),
            SetupWord::ConfirmBooking => ("确认预约（分钟）", "Confirm a booking (minutes)"),
            SetupWord::Reception => ("到店接待（分钟）", "Greet on arrival (minutes)"),
            SetupWord::Introduction => ("咨询介绍（分钟）", "Consultation (minutes)"),
            SetupWord::ServiceOverrun => {
                ("服务超时容许（分钟）", "Service overrun allowed (minutes)")
            }
            SetupWord::FeedbackLimit => ("收集反馈（分钟）", "Collect feedback (minutes)"),
            SetupWord::FollowUpHours => ("回访（小时）", "Follow up (hours)"),
            SetupWord::LowRating => (
                "低分：任一维度不高于",
                "Low score: any dimension at or below",
            ),
            SetupWord::LowRecommend => (
                "低分：推荐意愿不高于",
                "Low score: recommendation at or below",
            ),
            SetupWord::DeadlineWarning => ("时限预警（已用 %）", "Deadline warning (% used)"),
            SetupWord::CareCallDays => ("护理回访（服务后天数）", "Care call (days after service)"),
            SetupWord::DeviceHistoryMonths => {
                ("设备保留记录（月）", "History kept on devices (months)")
            }
            SetupWord::RetentionMonths => (
                "顾客档案保存期限（最后联系后，月）",
                "Customer files kept after the last contact (months)",
            ),
            SetupWord::BirthdayReminderDays => {
                ("生日关怀提前（天）", "Birthday care listed ahead (days)")
            }
            SetupWord::LapsedAfterDays => (
                "多久未到店算流失（天）",
                "A customer counts as lapsed after (days)",
            ),
            SetupWord::ExpiryWarningDays => (
                "批次临期提醒（天）",
                "Warn of batches expiring within (days)",
            ),
            SetupWord::ExpectationsEvery => (
                "每几次评价询问一次期望（0 = 仅首次）",
                "Ask expectations every n-th feedback (0: first only)",
            ),
            SetupWord::WeightSatisfaction => {
                ("考核权重：顾客满意度", "Scorecard weight: satisfaction")
            }
            SetupWord::WeightTimeliness => ("考核权重：及时性", "Scorecard weight: timeliness"),
            SetupWord::WeightAccuracy => {
                ("考核权重：记录完整", "Scorecard weight: complete records")
            }
            SetupWord::WeightComplaints => ("考核权重：投诉", "Scorecard weight: complaints"),
            SetupWord::WeightButler => {
                ("考核权重：服务管家评价", "Scorecard weight: butler rating")
            }
            SetupWord::WeightTeamwork => ("考核权重：团队协作", "Scorecard weight: teamwork"),
            SetupWord::WeightDiscipline => ("考核权重：纪律", "Scorecard weight: discipline"),
            SetupWord::PointsPerYuan => ("每消费 1 元积分", "Points per yuan paid"),
            SetupWord::PointsPerYuanOff => (
                "多少积分抵 1 元（0 = 积分不能抵扣）",
                "Points that take 1 yuan off (0 = points do not pay)",
            ),
            SetupWord::DiscountStandard => ("普通会员折扣（%）", "Member discount (%)"),
            SetupWord::DiscountSilver => ("银卡折扣（%）", "Silver discount (%)"),
            SetupWord::DiscountGold => ("金卡折扣（%）", "Gold discount (%)"),
            SetupWord::DiscountDiamond => ("钻石卡折扣（%）", "Diamond discount (%)"),
            SetupWord::TopUpOffers => ("储值卡充值优惠", "Top-up offers"),
            SetupWord::TopUpOffersHint => (
                "写成“实收=赠送”，多个用逗号分开，例如 1000=200, 5000=1500（元）。留空为无优惠。",
                "Write “paid=bonus”, several separated by commas, e.g. 1000=200, 5000=1500 (yuan). Empty: no offer.",
            ),
            SetupWord::TopUpOffersBad => (
                "请写成“实收=赠送”，例如 1000=200, 5000=1500。",
                "Write “paid=bonus”, e.g. 1000=200, 5000=1500.",
            ),
            SetupWord::SaveStore => ("保存营业时间与时限", "Save hours and limits"),
            SetupWord::Saved => ("已保存。", "Saved."),
            SetupWord::NumberNeeded => ("请填写一个整数。", "Enter a whole number."),
            SetupWord::LineNeedsMinutes => (
                "每行写成“名称, 分钟”。",
                "Write each line as “name, minutes”.",
            ),
            SetupWord::StandardUse => ("标准产品用量", "Standard product use"),
            SetupWord::StandardUseHint => (
                "做一次该项目应使用的每种产品及用量。营业与库存报表用它算出标准用量，与服务记录里的实际用量比较。",
                "What one service should use of each product. The sales and stock report sets it, times the services done, beside what the visits actually used.",
            ),
            SetupWord::StandardProduct => ("产品", "Product"),
            SetupWord::StandardQuantity => ("每次用量", "Quantity per service"),
            SetupWord::AddStandardUse => ("添加产品", "Add a product"),
            SetupWord::RemoveStandardUse => ("删除此产品", "Remove this product"),
            SetupWord::ChooseProduct => (
                "请为每一行选择产品，或删除这一行。",
                "Choose a product on each line, or remove the line.",
            ),
            SetupWord::NoProductsForStandard => (
                "还没有产品：请先在“库存”页面添加产品。",
                "No products yet: add them on the Stock page first.",
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
