//! The words of the staff scorecards ([supervision]).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

word_catalogue! {
    ScorecardWord;
    Title => ("员工考核", "Staff scorecards"),
    Intro => (
        "每月按已有记录计算：顾客满意度、流程与回访是否按时、服务记录是否完整、经调查归于本人的投诉。每项 0–100 分，总分按门店设置的权重计算；点开“依据”可查看每条记录。",
        "Each month, from what Orchid records: customer satisfaction, steps and follow-ups on time, complete service records, and complaints put down to the person after investigation. Each figure is 0–100; the total weighs them by the store's settings. Open \"Where it comes from\" to see every record."
    ),
    Link => ("员工考核", "Staff scorecards"),
    MyLink => ("我的月度考核", "My scorecard this month"),
    Month => ("月份", "Month"),
    Team => ("团队本月一览", "The team this month"),
    Person => ("员工", "Person"),
    Total => ("总分", "Total"),
    Satisfaction => ("顾客满意度", "Customer satisfaction"),
    Timeliness => ("及时性", "Timeliness"),
    Accuracy => ("记录完整", "Complete records"),
    Complaints => ("投诉", "Complaints"),
    Figure => ("指标", "Figure"),
    Score => ("得分", "Score"),
    Counted => ("计入", "Counted"),
    Lowered => ("扣分项", "Lowered it"),
    Weight => ("权重", "Weight"),
    NoData => ("本月无记录", "Nothing this month"),
    NotYours => ("只有主管和店长能看到同事的考核。", "Only supervisors and the manager see a colleague's scorecard."),
    ComplaintsHidden => ("投诉由主管查看", "Seen by the supervisors"),
    Evidence => ("依据", "Where it comes from"),
    FeedbackLine => ("顾客评价", "Feedback"),
    FollowUpLine => ("回访", "Follow-up"),
    RecordLine => ("服务记录", "Service record"),
    ComplaintLine => ("投诉", "Complaint"),
    OnTime => ("按时", "on time"),
    MinutesLate => ("分钟超时", "min late"),
    Late => ("超时", "late"),
    Complete => ("完整", "complete"),
    Lacks => ("缺少", "lacks"),
    PartCheck => ("禁忌检查", "the contraindication check"),
    PartSteps => ("操作步骤", "the steps"),
    PartEvaluation => ("效果评价", "the evaluation"),
    Lowering => ("（扣分）", "(lowered it)"),
    Nobody => ("本店还没有员工。", "The store has no staff yet."),
}
