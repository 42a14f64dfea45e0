//! The words of bedside, follow-ups and reports ([treatment room]).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use orchid_core::feedback::Dimension;
use orchid_core::flow::FlowStep;

use super::Lang;

word_catalogue! {
    BedsideWord;
    Loading => ("正在加载…", "Loading…"),
    BedsideTitle => ("床边服务", "Bedside"),
    LockIntro => ("平板已锁定。请选择您的名字并输入 PIN 码。", "This tablet is locked. Choose your name and enter your PIN."),
    NoPins => ("本设备还没有设置 PIN 码。登录后在下方设置您的 PIN 码，之后离线也能解锁。", "No PIN is set on this device yet. Sign in and set your PIN below; it then unlocks the tablet offline."),
    WhoIsHere => ("谁在使用？", "Who is here?"),
    ChoosePerson => ("请先选择您的名字。", "Choose your name first."),
    WrongPin => ("PIN 码不正确。", "Wrong PIN."),
    Keypad => ("数字键盘", "Keypad"),
    ClearPin => ("清空", "Clear"),
    DeleteDigit => ("删除一位", "Delete a digit"),
    Pin => ("PIN 码", "PIN"),
    Checking => ("正在核对…", "Checking…"),
    Unlock => ("解锁", "Unlock"),
    PinShape => ("PIN 码为 6–12 位数字，且不能是同一个数字重复。", "A PIN is 6–12 digits, not one digit repeated."),
    PinMismatch => ("两次输入的 PIN 码不一致。", "The two PINs differ."),
    SignInFirst => ("请先登录。", "Sign in first."),
    SignIn => ("登录", "Sign in"),
    PinNeedsServer => ("设置 PIN 码需要连接一次服务器，请联网后重试。", "Setting a PIN needs the server once: connect and try again."),
    PinRefused => ("PIN 码未能设置，请重试。", "The PIN could not be set; try again."),
    PinSaved => ("PIN 码已保存：离线时也可用它解锁本平板。", "PIN saved: it unlocks this tablet, offline too."),
    PinSetupTitle => ("床边解锁 PIN 码", "Bedside unlock PIN"),
    PinSetupIntro => ("设置后，在床边平板上输入 PIN 码即可以您的身份工作，无需网络。", "With a PIN you unlock the bedside tablet as yourself, without a network."),
    NewPin => ("新 PIN 码（6–12 位数字）", "New PIN (6–12 digits)"),
    RepeatPin => ("再次输入 PIN 码", "Repeat the PIN"),
    SavePin => ("保存 PIN 码", "Save PIN"),
    MyDay => ("今日顾客", "Today's customers"),
    LockNow => ("锁定", "Lock"),
    NoVisitsToday => ("今天没有您的预约。", "No appointments for you today."),
    ContinueVisit => ("继续服务", "Continue visit"),
    VisitDone => ("已完成", "Done"),
    OpenKiosk => ("请顾客评价", "Customer feedback"),
    StartVisit => ("开始服务", "Start visit"),
    FlowBooking => ("预约确认", "Booking confirmation"),
    FlowReception => ("接待", "Reception"),
    FlowIntroduction => ("咨询介绍", "Consultation"),
    FlowService => ("服务", "Service"),
    FlowFeedback => ("满意度评价", "Feedback"),
    FlowFollowUp => ("回访", "Follow-up"),
    OverdueTitle => ("服务流程超时", "Service-flow steps overdue"),
    NothingOverdue => ("今天没有超时的流程环节。", "No step of today's visits is overdue."),
    ReasonContraindication => ("禁忌症", "Contraindication"),
    ReasonAllergy => ("过敏", "Allergy"),
    ReasonAnswer => ("咨询回答提示", "Consultation answer means"),
    BackToDay => ("返回今日顾客", "Back to today"),
    PreviousPlan => ("上次的个性化方案", "Plan from the last visit"),
    ServiceWaitsForCheck => ("完成咨询并通过禁忌检查后才能开始服务。", "The service starts once the consultation is done and the contraindication check passes."),
    Allergies => ("过敏史", "Allergies"),
    Contraindications => ("禁忌症", "Contraindications"),
    Consultation => ("咨询与健康检查", "Consultation and health check"),
    NoQuestions => ("此项目没有咨询问题。", "This service has no consultation questions."),
    Yes => ("是", "Yes"),
    No => ("否", "No"),
    RunCheck => ("保存并检查禁忌", "Save and check contraindications"),
    AheadTitle => ("顾客已在网上预约时回答", "Answered by the customer online"),
    AheadHint => ("这些是顾客预约时自己填写的回答，尚未确认。请逐项与她当面核对，有变化就改正，再保存。", "She gave these answers herself when she booked; they are not confirmed yet. Go through each one with her, correct what has changed, then save."),
    AheadMark => ("网上回答 · 请与顾客确认", "Answered online — confirm with her"),
    ConfirmAndCheck => ("确认回答并检查禁忌", "Confirm the answers and check contraindications"),
    OverrideReasonRequired => ("请写明为什么可以继续服务。", "Write why the service may go ahead."),
    CheckAllowed => ("未发现禁忌，可以开始服务。", "No contraindication: the service may go ahead."),
    OverriddenBy => ("主管已放行：", "Overridden by"),
    ServiceStopped => ("服务已停止", "The service is stopped"),
    OverrideTitle => ("主管放行", "Supervisor override"),
    OverrideIntro => ("只有技术主管或店长可以在写明理由后放行，放行会记入审计日志。", "Only a technical supervisor or manager may let it go ahead, with a written reason; the override is logged."),
    OverrideReason => ("放行理由", "Reason for the override"),
    NoSupervisorPins => ("本设备上没有可放行的主管 PIN 码。", "No supervisor who may override has a PIN on this device."),
    WhichSupervisor => ("放行主管", "Supervisor"),
    SkinAssessment => ("皮肤检测", "Skin assessment"),
    LastAssessed => ("上次检测：", "Last assessed:"),
    Hydration => ("水分（0–100）", "Hydration (0–100)"),
    Oiliness => ("油脂（0–100）", "Oiliness (0–100)"),
    Redness => ("泛红/敏感（0–5）", "Redness (0–5)"),
    SkinNotes => ("检测备注", "Assessment notes"),
    SaveAssessment => ("保存检测", "Save assessment"),
    PlanSessions => ("疗程", "Sessions"),
    PlanProducts => ("推荐产品", "Products"),
    PlanHomeCare => ("居家护理建议", "Home care"),
    PersonalPlan => ("个性化方案", "Personal plan"),
    SavePlan => ("保存方案", "Save plan"),
    ServiceSteps => ("服务步骤", "Service steps"),
    StartStep => ("开始", "Start"),
    StepOverStandard => ("已超过标准时长", "Past the standard time:"),
    FinishStep => ("完成", "Finish"),
    Minutes => ("分钟", "min"),
    ChooseProduct => ("请选择产品。", "Choose a product."),
    QuantityNeeded => ("请填写用量。", "Enter a quantity."),
    ProductsUsed => ("使用产品", "Products used"),
    Batch => ("批号", "Batch"),
    NoProducts => ("产品目录为空。", "The product list is empty."),
    Product => ("产品", "Product"),
    Quantity => ("用量", "Quantity"),
    AddProduct => ("记录产品", "Record product"),
    Notes => ("服务备注", "Notes"),
    NewNote => ("新备注", "New note"),
    AddNote => ("添加备注", "Add note"),
    ChooseEffect => ("请选择效果评分。", "Choose an effect rating."),
    Before => ("服务前", "Before"),
    After => ("服务后", "After"),
    CustomerWords => ("顾客原话", "In the customer's words"),
    EffectEvaluation => ("效果评估", "Effect evaluation"),
    Effect => ("效果（1–5 星）", "Effect (1–5 stars)"),
    SaveEvaluation => ("保存评估", "Save evaluation"),
    CompleteVisit => ("完成服务，请顾客评价", "Complete and hand to the customer"),
    CompleteHint => ("完成后将自动安排回访，平板切换为顾客评价界面。", "Completing plans the follow-ups and turns the tablet to the customer for feedback."),
    RateEach => ("请为每一项打分。", "Please rate each item."),
    ExpectEach => ("请为每一项期望打分。", "Please rate each expectation."),
    ExpectTitle => ("先请告诉我们：您对一家优秀美容院的期望", "First, what you expect of an excellent salon"),
    ExpectIntro => ("每一项有多重要？1 星为不重要，5 星为非常重要。您的回答帮助我们找到做得不够的地方。", "How much does each matter to you? 1 star: not at all, 5 stars: very much. Your answers show us where we fall short."),
    RateTitle => ("本次服务", "This visit"),
    RateRecommend => ("请选择推荐意愿（0–10）。", "Please choose 0–10 for recommending us."),
    StaffOnly => ("员工", "Staff"),
    StaffExit => ("员工解锁退出", "Staff: unlock to leave"),
    ThankYou => ("谢谢您！", "Thank you!"),
    ThankYouText => ("您的评价已收到，我们会认真对待每一条意见。请将平板交还美容师。", "Your feedback is in; we read every word. Please hand the tablet back to your therapist."),
    KioskTitle => ("您对本次服务满意吗？", "How was your visit?"),
    KioskIntro => ("请点选星星（1–5），5 星为非常满意。", "Tap the stars (1–5); 5 is excellent."),
    Recommend => ("您有多大可能向亲友推荐我们？（0–10）", "How likely are you to recommend us to a friend? (0–10)"),
    NotLikely => ("不太可能", "Not likely"),
    VeryLikely => ("非常可能", "Very likely"),
    Comment => ("您的意见或建议（选填）", "Your comments (optional)"),
    SubmitFeedback => ("提交评价", "Send feedback"),
    FollowUpsTitle => ("回访工作台", "Follow-up worklist"),
    FollowUpsIntro => ("护理回访、到期提醒、生日关怀与投诉回访：逾期的排在最前并标红。", "Care calls, recalls, birthdays and complaints' call-backs: overdue ones first, in red."),
    AllPurposes => ("全部", "All"),
    PurposeCareCall => ("护理回访", "Care call"),
    PurposeRecall => ("到期提醒", "Recall"),
    PurposeBirthday => ("生日关怀", "Birthday"),
    PurposeReEngagement => ("唤醒沉睡顾客", "Re-engagement"),
    PurposeComplaintCheck => ("投诉回访", "Complaint call-back"),
    PurposeOther => ("其他", "Other"),
    Purpose => ("类型", "Purpose"),
    ShowDone => ("显示已完成", "Show done"),
    Due => ("应回访", "Due"),
    Overdue => ("已逾期", "Overdue"),
    DueToday => ("今天", "Today"),
    Channel => ("方式", "Channel"),
    ChannelPhone => ("电话", "Call"),
    ChannelSms => ("短信", "SMS"),
    ChannelWechat => ("微信", "WeChat"),
    ChannelEmail => ("电子邮件", "E-mail"),
    Outcome => ("结果", "Outcome"),
    OutcomeSatisfied => ("满意", "Satisfied"),
    OutcomeProblem => ("反映问题", "Raised a problem"),
    OutcomeRebooked => ("已再次预约", "Booked again"),
    OutcomeNotInterested => ("暂无需求", "Not interested"),
    OutcomeOther => ("其他", "Other"),
    Unreachable => ("未联系上", "Unreachable"),
    RecordOutcome => ("记录结果", "Record outcome"),
    Reschedule => ("改期", "Reschedule"),
    NewDate => ("新日期", "New date"),
    FollowUpNote => ("回访备注", "Note"),
    NoFollowUps => ("没有待办回访。", "No follow-ups to do."),
    CarePlansItself => ("生日关怀与疗程卡到期提醒每天自动生成，无需手动操作。", "Birthday care and reminders of packages about to expire are planned by themselves every day."),
    LapsedTitle => ("久未到店的顾客", "Customers not back for a while"),
    LapsedIntro => ("最近一次到店已超过门店设定的天数、且没有预约的顾客（不含拒绝营销联系的顾客）。为她们安排一次回访。", "Customers whose last visit is longer ago than the store's setting and who have nothing booked (not those who said no to marketing). Plan a call to win them back."),
    LastVisit => ("最近到店", "Last visit"),
    DaysAway => ("未到店天数", "Days away"),
    PlanCall => ("安排回访", "Plan a call"),
    PlanAllCalls => ("为全部安排回访", "Plan calls for all"),
    CallPlanned => ("已安排", "Planned"),
    CallsPlanned => ("已安排回访：", "Calls planned:"),
    NobodyLapsed => ("没有久未到店的顾客。", "Nobody has stayed away that long."),
    MoreLapsed => ("仅显示前 200 位。", "Only the first 200 are shown."),
    StatusDone => ("已完成", "Done"),
    StatusUnreachable => ("未联系上", "Unreachable"),
    StatusCancelled => ("已取消", "Cancelled"),
    Save => ("保存", "Save"),
    Cancel => ("取消", "Cancel"),
    ReportsTitle => ("满意度报表", "Satisfaction report"),
    ReportsIntro => ("来自顾客评价的五个维度、推荐度（NPS）与期望差距，按美容师、项目与时间。", "The five dimensions, recommendation (NPS) and expectation gap from customer feedback, by therapist, service and time."),
    Print => ("打印", "Print"),
    Responses => ("份评价", "responses"),
    Overall => ("总体", "Overall"),
    Nps => ("净推荐值 NPS", "NPS"),
    ByDimension => ("各维度平均分", "Average by dimension"),
    ByTherapist => ("按美容师", "By therapist"),
    ByService => ("按服务项目", "By service"),
    OverTime => ("按月趋势", "By month"),
    Gap => ("期望差距", "Expectation gap"),
    GapByTherapist => ("期望差距（按美容师）", "Expectation gap by therapist"),
    GapByService => ("期望差距（按项目）", "Expectation gap by service"),
    GapByMonth => ("期望差距（按月）", "Expectation gap by month"),
    GapNotAsked => ("未询问期望", "Expectations not asked"),
    NoFeedback => ("还没有顾客评价。", "No customer feedback yet."),
    Period => ("时间范围", "Period"),
    Last30 => ("近 30 天", "Last 30 days"),
    Last90 => ("近 90 天", "Last 90 days"),
    AllTime => ("全部", "All time"),
    NotAllowed => ("您的角色无权查看报表。", "Your role may not view reports."),
    Dimension => ("维度", "Dimension"),
    ByWeek => ("按周趋势", "By week"),
    Customer => ("顾客", "Customer"),
    LockSettingTitle => ("床边平板自动锁定", "Bedside auto-lock"),
    LockSeconds => ("无操作多少秒后锁定（10–1800）", "Lock after this many idle seconds (10–1800)"),
    LockSaved => ("已保存。", "Saved."),
}

impl crate::state::I18n {
    /// A bedside word in the current language (reactive).
    pub fn bw(&self, word: BedsideWord) -> &'static str {
        word.text(self.lang())
    }
}

pub fn wait_text(lang: Lang, seconds: u64) -> String {
    match lang {
        Lang::Zh => format!("PIN 码错误次数过多，请 {seconds} 秒后再试。"),
        Lang::En => format!("Too many wrong PINs: try again in {seconds} s."),
    }
}

/// The five service-quality dimensions, named for a customer.
pub fn dimension_word(lang: Lang, d: Dimension) -> &'static str {
    let (zh, en) = match d {
        Dimension::Tangibles => ("环境与设施", "Setting and equipment"),
        Dimension::Reliability => ("服务可靠", "Reliability"),
        Dimension::Responsiveness => ("响应及时", "Responsiveness"),
        Dimension::Assurance => ("专业可信", "Professionalism"),
        Dimension::Empathy => ("关怀体贴", "Care and attention"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// What the kiosk asks of an excellent salon on a dimension (the expectation half of SERVQUAL).
pub fn expectation_question(lang: Lang, d: Dimension) -> &'static str {
    let (zh, en) = match d {
        Dimension::Tangibles => (
            "环境整洁舒适、用品卫生",
            "A clean, comfortable place and hygienic products",
        ),
        Dimension::Reliability => (
            "准时、按承诺完成服务",
            "On time, and the service as promised",
        ),
        Dimension::Responsiveness => ("及时回应我的需要", "My needs answered promptly"),
        Dimension::Assurance => ("美容师专业、值得信任", "Skilled, trustworthy therapists"),
        Dimension::Empathy => ("关心和理解我", "Care and understanding for me"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn dimension_question(lang: Lang, d: Dimension) -> &'static str {
    let (zh, en) = match d {
        Dimension::Tangibles => (
            "环境是否整洁舒适、用品是否卫生？",
            "Was the place clean and comfortable?",
        ),
        Dimension::Reliability => (
            "是否按约定准时、按承诺完成服务？",
            "Was the service on time and as promised?",
        ),
        Dimension::Responsiveness => (
            "您的需要是否得到及时回应？",
            "Were your needs answered promptly?",
        ),
        Dimension::Assurance => (
            "美容师是否专业、让您放心？",
            "Did your therapist seem skilled and trustworthy?",
        ),
        Dimension::Empathy => (
            "是否感到被关心、被理解？",
            "Did you feel cared for and understood?",
        ),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The word for a follow-up's purpose.
pub fn purpose_word(p: orchid_core::followup::FollowUpPurpose) -> BedsideWord {
    match p {
        orchid_core::followup::FollowUpPurpose::CareCall => BedsideWord::PurposeCareCall,
        orchid_core::followup::FollowUpPurpose::Recall => BedsideWord::PurposeRecall,
        orchid_core::followup::FollowUpPurpose::Birthday => BedsideWord::PurposeBirthday,
        orchid_core::followup::FollowUpPurpose::ReEngagement => BedsideWord::PurposeReEngagement,
        orchid_core::followup::FollowUpPurpose::ComplaintCheck => {
            BedsideWord::PurposeComplaintCheck
        }
        orchid_core::followup::FollowUpPurpose::Other => BedsideWord::PurposeOther,
    }
}

/// A step of the service flow's name.
pub fn flow_step_word(step: FlowStep) -> BedsideWord {
    match step {
        FlowStep::Booking => BedsideWord::FlowBooking,
        FlowStep::Reception => BedsideWord::FlowReception,
        FlowStep::Introduction => BedsideWord::FlowIntroduction,
        FlowStep::Service => BedsideWord::FlowService,
        FlowStep::Feedback => BedsideWord::FlowFeedback,
        FlowStep::FollowUp => BedsideWord::FlowFollowUp,
    }
}
