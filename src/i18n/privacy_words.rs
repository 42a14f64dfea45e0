//! The words of privacy ([privacy]): the customer's consent to keep her health information — the
//! consent section of her file, the dialog she reads and signs on the tablet, the health fields
//! locked without it, and the consultation without it at the bedside. The consent text itself is
//! the core's (`orchid_core::consent::HEALTH_TEXTS`), versioned with the records that name it.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile.
use super::Lang;

word_catalogue! {
    PrivacyWord;
    ConsentTitle => ("健康信息同意", "Consent to keep health information"),
    ConsentNow => ("当前", "Now"),
    Given => ("已同意", "Given"),
    Withdrawn => ("已撤回", "Withdrawn"),
    Refused => ("已拒绝", "Refused"),
    NotAsked => ("尚未征询", "Not asked yet"),
    History => ("同意与撤回记录", "Decisions"),
    NoHistory => ("还没有记录。", "Nothing recorded yet."),
    Version => ("版本", "Version"),
    When => ("时间", "When"),
    Decision => ("决定", "Decision"),
    WitnessedBy => ("见证人", "Witnessed by"),
    Device => ("设备", "Device"),
    ThisDevice => ("本设备", "this device"),
    DeviceOwner => ("本机店主", "the device's owner"),
    NoWitnessOnline => ("无（顾客在网上预约时自己勾选）", "none (she ticked it herself when booking online)"),
    TheServer => ("服务器（网上预约）", "the server (online booking)"),
    SignedAs => ("签名", "Signature"),
    MethodTablet => ("平板签名", "signed on the tablet"),
    MethodPaper => ("纸质签名", "signed on paper"),
    MethodOnline => ("线上", "online"),
    MethodVerbal => ("口头告知", "said aloud"),
    AskConsent => ("请顾客同意", "Ask for consent"),
    Withdraw => ("撤回同意", "Withdraw consent"),
    WithdrawQuestion => (
        "确定撤回顾客的同意吗？撤回后不能再记录新的健康信息，已保存的信息保留，可由店长删除。",
        "Withdraw her consent? No new health information can be recorded after that; what is kept stays until a manager erases it."
    ),
    WithdrawYes => ("确认撤回", "Yes, withdraw"),
    Cancel => ("取消", "Cancel"),
    DialogTitle => ("保存健康信息同意书", "Consent to keep your health information"),
    HandOver => ("请将平板交给顾客本人阅读并决定。", "Hand the tablet to the customer: she reads and decides herself."),
    TextLanguage => ("语言", "Language"),
    TextVersion => ("同意书版本", "Text version"),
    TypeName => ("请输入您的姓名作为签名", "Type your name as your signature"),
    Agree => ("我同意", "I agree"),
    Refuse => ("我不同意", "I do not agree"),
    HealthLocked => (
        "顾客尚未同意保存健康信息，因此这些栏目不能填写。请她阅读同意书并自行决定；不同意也不影响服务。",
        "She has not consented to keeping health information, so these fields cannot be filled in. Ask her to read the consent and decide; refusing does not affect her service."
    ),
    FlagsTitle => ("未经有效同意写入的健康信息", "Health information written without a current consent"),
    FlagsHint => (
        "写入时顾客的同意已撤回或尚未给出（多为离线设备尚未收到撤回）。信息已保留：请再次征询同意，或清除这些栏目。",
        "When it was written her consent had been withdrawn or not yet given (usually a device offline that had not yet seen the withdrawal). It is kept: ask her again, or clear those fields."
    ),
    FlagSkinAssessment => ("皮肤检测", "Skin assessment"),
    FlagConsultation => ("问诊回答", "Consultation answers"),
    BedsideAskFirst => (
        "问诊前请先征得顾客同意保存健康信息。",
        "Before the consultation, ask for her consent to keep health information."
    ),
    BedsideRefused => (
        "顾客不同意保存健康信息：本次问诊的回答不会保存。请当面口头询问禁忌情况（孕期、近期激光或手术、皮肤破损、过敏），然后确认。",
        "She does not consent to keeping health information: this consultation's answers are not kept. Ask her aloud about contraindications (pregnancy, recent laser or surgery, broken skin, allergies), then confirm."
    ),
    VerbalConfirm => (
        "我已当面询问禁忌情况，顾客表示没有",
        "I asked her aloud about contraindications and she named none"
    ),
    VerbalRun => ("确认并进行禁忌检查", "Confirm and run the check"),
    VerbalNeeded => ("请先勾选确认。", "Tick the confirmation first."),
    RefusedRecorded => (
        "本次问诊记录为：顾客拒绝同意，回答未保存；口头询问已确认并记入审计日志。",
        "This consultation is recorded as: consent refused, no answers kept; the verbal check is confirmed and logged."
    ),
    RetentionTitle => ("超过保存期限的顾客", "Customers past the keeping time"),
    RetentionIntro => (
        "顾客档案在最后一次联系（到店、预约、评价或修改档案）后保存一段时间，期限在门店设置中设定。超过期限的顾客列在这里，由店长逐一查看并删除；系统不会自动删除。",
        "A customer's file is kept for a set time after her last contact (a visit, a booking, feedback, an edit of her file); the store sets that time in Set-up. Those past it are listed here for a manager to review and erase one by one; nothing is erased by itself."
    ),
    RetentionKeptFor => ("保存期限（月）：", "Kept for (months): "),
    RetentionNone => ("没有超过保存期限的顾客。", "No customer is past the keeping time."),
    LastContact => ("最后联系", "Last contact"),
    CustomerName => ("姓名", "Name"),
    RetentionReview => ("查看并删除", "Review and erase"),
    RetentionOnlyManagers => (
        "只有店长可以查看和删除超过保存期限的顾客。",
        "Only a manager reviews and erases customers past the keeping time."
    ),
    RetentionDue => ("位顾客超过保存期限，请店长查看", "customers past the keeping time, for a manager to review"),
    FieldTags => ("标签", "Tags"),
    FieldAllergies => ("过敏史", "Allergies"),
    FieldContraindications => ("禁忌", "Contraindications"),
    FieldSkinType => ("肤质", "Skin type"),
    FieldHealthNotes => ("健康备注", "Health notes"),
    AuditTitle => ("审计日志", "Audit log"),
    AuditIntro => (
        "谁在何时、在哪台设备上查看或修改了顾客的敏感信息。各设备的记录同步后都会出现在这里；集中查看健康信息等异常读取会标出。",
        "Who read or changed customers' sensitive data, when, on which device. Every device's entries arrive here as it syncs; reading that stands out — many customers' health data in a short time — is marked."
    ),
    AuditCustomer => ("顾客", "Customer"),
    AuditPerson => ("员工", "Staff member"),
    AuditFrom => ("从", "From"),
    AuditTo => ("到", "To"),
    AuditEveryone => ("全部", "Everyone"),
    AuditNone => ("没有符合条件的记录。", "No entry matches."),
    AuditWhen => ("时间", "When"),
    AuditAction => ("操作", "What"),
    AuditFields => ("字段", "Fields"),
    AuditDevice => ("设备", "Device"),
    AuditErased => ("（已删除的顾客）", "(erased customer)"),
    AuditDownload => ("下载 CSV", "Download CSV"),
    AuditUnusual => ("异常读取", "Reading that stands out"),
    AuditUnusualSentence => (
        "位顾客的健康信息在 30 分钟内被同一人查看：",
        " customers' health data opened within 30 minutes by "
    ),
    AuditShown => ("条记录", "entries"),
    ActionRead => ("查看健康信息", "Read health data"),
    ActionWrite => ("修改健康信息", "Changed health data"),
    ActionRecordRead => ("查看服务记录", "Read a visit record"),
    ActionRecordWrite => ("写入问诊或禁忌检查", "Wrote a consultation or check"),
    ActionExport => ("导出顾客资料", "Exported her data"),
    ActionErase => ("删除顾客", "Erased the customer"),
    ActionOverride => ("越过禁忌", "Overrode a contraindication"),
    ActionStaff => ("修改员工", "Changed staff"),
    ActionOther => ("其他", "Other"),
    AuditLink => ("审计日志", "Audit log"),
    CopyLink => ("可打印的资料副本", "Printable copy"),
    CopyTitle => ("顾客资料副本", "A copy of her data"),
    CopyIntro => (
        "本店保存的关于这位顾客的全部资料，以及谁查看或修改过她的敏感信息。可打印或另存为 PDF 交给顾客。",
        "Everything this store keeps about her, and who read or changed her sensitive data. Print it, or save it as PDF, to hand to her."
    ),
    CopyMadeAt => ("生成时间：", "Made on: "),
    CopyPrint => ("打印", "Print"),
    CopyFile => ("档案", "Her file"),
    CopyVisits => ("预约与到店", "Bookings and visits"),
    CopyRecords => ("服务记录", "Visit records"),
    CopyFeedback => ("评价", "Feedback"),
    CopyFollowUps => ("回访", "Follow-ups"),
    CopyComplaints => ("投诉", "Complaints"),
    CopyLoyalty => ("积分与卡项", "Points and packages"),
    CopyAccess => ("谁查看或修改过她的资料", "Who read or changed her data"),
    CopyNothing => ("无", "None"),
    CopyPlanned => ("待回访", "Planned"),
    CopyScore => ("效果评分", "Result"),
    CopyRatings => ("各项评分", "Ratings"),
    CopyNotAllowed => ("你的角色不能导出顾客资料。", "Your role may not export a customer's data."),
    CopyNotFound => ("找不到这位顾客。", "This customer was not found."),
}

/// The word for what an audit entry records.
pub fn action_word(action: orchid_core::permission::Action, sensitive: bool) -> PrivacyWord {
    match action {
        orchid_core::permission::Action::CustomerRead => PrivacyWord::ActionRead,
        orchid_core::permission::Action::CustomerWrite if sensitive => PrivacyWord::ActionWrite,
        orchid_core::permission::Action::ServiceRecordRead => PrivacyWord::ActionRecordRead,
        orchid_core::permission::Action::ServiceRecordWrite => PrivacyWord::ActionRecordWrite,
        orchid_core::permission::Action::CustomerExport => PrivacyWord::ActionExport,
        orchid_core::permission::Action::CustomerErase => PrivacyWord::ActionErase,
        orchid_core::permission::Action::ContraindicationOverride => PrivacyWord::ActionOverride,
        orchid_core::permission::Action::StaffManage => PrivacyWord::ActionStaff,
        _ => PrivacyWord::ActionOther,
    }
}

/// The word for a consent decision.
pub fn decision_word(decision: orchid_core::consent::ConsentDecision) -> PrivacyWord {
    use orchid_core::consent::ConsentDecision as D;
    match decision {
        D::Given => PrivacyWord::Given,
        D::Withdrawn => PrivacyWord::Withdrawn,
        D::Refused => PrivacyWord::Refused,
    }
}

/// The fields an audit entry names, in words where the field is a customer's health field.
pub fn field_words(fields: &[String], lang: Lang) -> String {
    fields
        .iter()
        .map(|f| match f.as_str() {
            "skin_type" => PrivacyWord::FieldSkinType.text(lang).to_owned(),
            "allergies" => PrivacyWord::FieldAllergies.text(lang).to_owned(),
            "contraindications" => PrivacyWord::FieldContraindications.text(lang).to_owned(),
            "health_notes" => PrivacyWord::FieldHealthNotes.text(lang).to_owned(),
            "tags" => PrivacyWord::FieldTags.text(lang).to_owned(),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "、" } else { ", " })
}
