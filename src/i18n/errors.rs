//! The core's error codes (`orchid_core::error::ValidationError::code()`), as sentences a person
//! can act on, in both languages. The core's own Display is English for logs; users see these.
use super::{Lang, Msg};

/// The sentence for a change the core refused (a generic one; pages that show field errors use
/// the error's `code()` with the error catalogue).
pub fn validation_msg(error: &orchid_core::ValidationError) -> Msg {
    match error.code() {
        "permission.denied" => Msg::PermissionDenied,
        _ => Msg::ChangeRefused,
    }
}

/// (code, 简体中文, English)
const ERRORS: &[(&str, &str, &str)] = &[
    (
        "appointment.conflict",
        "该时段已有预约（美容师、房间或顾客冲突），请换一个时间或人员。",
        "This time is already taken (therapist, room or customer). Choose another time or person.",
    ),
    (
        "appointment.not_the_booking_day",
        "只能在预约当天办理到店签到。",
        "A customer can be checked in only on the day of her booking.",
    ),
    (
        "appointment.no_services",
        "请至少选择一个服务项目。",
        "Choose at least one service.",
    ),
    (
        "appointment.outside_opening_hours",
        "预约时间不在营业时间内。",
        "The booking is outside business hours.",
    ),
    (
        "appointment.reason_required",
        "请填写原因。",
        "Please give a reason.",
    ),
    (
        "appointment.role_may_not_transition",
        "您的岗位不能进行此状态变更。",
        "Your role may not make this status change.",
    ),
    (
        "appointment.too_long",
        "预约时长过长。",
        "The booking is too long.",
    ),
    (
        "appointment.transition_not_allowed",
        "当前状态下不能进行此操作。",
        "This step is not possible in the booking's current status.",
    ),
    (
        "birthday.out_of_range",
        "生日日期不合理，请核对。",
        "The birthday is not a plausible date; check it.",
    ),
    (
        "catalog.duration_out_of_range",
        "服务时长超出范围。",
        "The service duration is out of range.",
    ),
    (
        "catalog.negative_price",
        "价格不能为负数。",
        "The price cannot be negative.",
    ),
    (
        "catalog.question_without_choices",
        "选择题需要至少一个选项。",
        "A choice question needs at least one choice.",
    ),
    (
        "catalog.recall_out_of_range",
        "回访周期超出范围。",
        "The recall interval is out of range.",
    ),
    (
        "catalog.standard_use_duplicate",
        "同一种产品在标准用量里出现了两次，请合并为一行。",
        "A product is listed twice in the standard use; put it on one line.",
    ),
    (
        "catalog.standard_use_quantity",
        "每次用量请填写 1 到 10000 之间的整数（按产品的单位）。",
        "Enter a quantity per service from 1 to 10,000, in the product's unit.",
    ),
    (
        "catalog.standard_use_too_many",
        "一个项目的标准用量最多列 50 种产品。",
        "A service's standard use lists at most 50 products.",
    ),
    (
        "catalog.standard_use_unknown_product",
        "标准用量里的产品不在本店的产品中，请重新选择。",
        "A product in the standard use is not one of this store's products; choose it again.",
    ),
    (
        "catalog.step_minutes_out_of_range",
        "步骤的标准时长超出范围。",
        "A step's standard minutes are out of range.",
    ),
    (
        "catalog.steps_longer_than_service",
        "各步骤时长之和超过了服务时长。",
        "The steps take longer than the service.",
    ),
    (
        "check.duplicate_item",
        "同一项出现了两次。",
        "An item is listed twice.",
    ),
    (
        "check.fail_needs_note",
        "不合格的项目请写明问题所在。",
        "A failed item needs a note saying what was wrong.",
    ),
    (
        "check.no_items",
        "检查表至少需要一项。",
        "A checklist needs at least one item.",
    ),
    (
        "check.not_done",
        "整改尚未完成，完成后才能验收。",
        "The action is not done yet; it can be verified once it is.",
    ),
    (
        "check.self_verify",
        "整改由谁完成，就不能由谁验收：请另一位主管或店长验收。",
        "The person who did the work cannot verify it: another supervisor or the manager does.",
    ),
    (
        "check.subject_missing",
        "员工日常抽查需要选择被检查的员工。",
        "A staff spot check names the person checked: choose her.",
    ),
    (
        "check.subject_not_allowed",
        "只有员工日常抽查针对某位员工，且不能检查自己。",
        "Only a staff spot check is of a person, and nobody checks herself.",
    ),
    (
        "check.too_many_items",
        "检查表最多 40 项。",
        "A checklist holds at most 40 items.",
    ),
    (
        "check.unanswered",
        "每一项都需要选择：合格、不合格或不适用。",
        "Every item needs an answer: pass, fail or not applicable.",
    ),
    (
        "check.what_was_done",
        "请写明做了什么整改。",
        "Say what was done.",
    ),
    (
        "checkout.bad_amount",
        "折扣或积分超出范围。",
        "A discount or points out of range.",
    ),
    (
        "checkout.bad_line",
        "每一项的数量须为 1–1000，价格不能为负。",
        "Each line needs a quantity of 1–1000 and a price of zero or more.",
    ),
    (
        "checkout.needs_customer",
        "用疗程卡或储值卡支付需要先选择顾客。",
        "Paying by a package or a stored-value card needs the customer.",
    ),
    (
        "checkout.no_lines",
        "账单上还没有项目，请添加服务或产品。",
        "The bill is empty: add a service or a product.",
    ),
    (
        "checkout.payments_do_not_add_up",
        "支付金额与应付总额不符。",
        "The payments do not add up to the total.",
    ),
    (
        "checkout.reason_required",
        "作废需要填写原因。",
        "A void needs a reason.",
    ),
    (
        "complaint.already_received",
        "此投诉已受理。",
        "This complaint has already been received.",
    ),
    (
        "complaint.assignee_cannot_handle",
        "所指派的岗位不能处理此类投诉。",
        "The assigned role cannot handle this kind of complaint.",
    ),
    (
        "complaint.bad_options",
        "解决方案不完整。",
        "The solution options are incomplete.",
    ),
    (
        "complaint.closed",
        "投诉已结案，不能再修改。",
        "The complaint is closed and cannot be changed.",
    ),
    (
        "complaint.description_required",
        "请描述发生了什么。",
        "Please describe what happened.",
    ),
    (
        "complaint.not_confirmed",
        "顾客尚未确认解决方案。",
        "The customer has not confirmed the solution yet.",
    ),
    (
        "complaint.out_of_order",
        "此步骤的顺序不对。",
        "This step is out of order.",
    ),
    (
        "complaint.role_not_allowed",
        "您的岗位不能进行此投诉操作。",
        "Your role may not do this on a complaint.",
    ),
    (
        "complaint.satisfaction_out_of_range",
        "满意度应在 1 到 5 之间。",
        "Satisfaction must be between 1 and 5.",
    ),
    (
        "complaint.unknown_option",
        "没有这个解决方案。",
        "There is no such solution option.",
    ),
    (
        "email.invalid",
        "电子邮箱格式不正确。",
        "The e-mail address is not valid.",
    ),
    (
        "feedback.rating_out_of_range",
        "评分应在 1 到 5 之间。",
        "Ratings go from 1 to 5.",
    ),
    (
        "feedback.butler_rating_out_of_range",
        "对服务管家的评分应在 1 到 5 之间。",
        "The butler's rating goes from 1 to 5.",
    ),
    (
        "feedback.recommend_out_of_range",
        "推荐意愿应在 0 到 10 之间。",
        "The recommendation goes from 0 to 10.",
    ),
    (
        "hlc.counter_overflow",
        "设备时钟异常，请稍后再试。",
        "The device clock is out of step; try again in a moment.",
    ),
    (
        "hlc.counter_too_high",
        "另一台设备的同步时钟异常，其修改未被接受。",
        "Another device's sync clock is out of range; its change was not accepted.",
    ),
    (
        "hlc.malformed",
        "同步数据损坏。",
        "The sync data is damaged.",
    ),
    (
        "hlc.too_far_ahead",
        "另一台设备的时钟快了太多，请检查其日期和时间。",
        "Another device's clock is too far ahead; check its date and time.",
    ),
    (
        "loyalty.bad_package",
        "套餐信息不正确。",
        "The package is not valid.",
    ),
    (
        "loyalty.delta_too_large",
        "数值太大，请检查金额或积分。",
        "The amount is too large; check the points or the sum.",
    ),
    (
        "loyalty.wrong_sign",
        "金额的正负与原因不符（充值不能为负）。",
        "The amount's sign does not fit the reason (a top-up cannot take money away).",
    ),
    (
        "loyalty.zero_delta",
        "变动数量不能为零。",
        "The change cannot be zero.",
    ),
    (
        "membership_no.invalid",
        "会员号格式不正确。",
        "The membership number is not valid.",
    ),
    (
        "permission.denied",
        "您的岗位没有此权限。",
        "Your role is not allowed to do this.",
    ),
    (
        "phone.invalid",
        "电话号码格式不正确。",
        "The phone number is not valid.",
    ),
    (
        "phone.not_cn_mobile",
        "不是有效的中国大陆手机号（11 位，以 1 开头）。",
        "Not a valid mainland China mobile number (11 digits starting with 1).",
    ),
    (
        "pin.not_digits",
        "PIN 只能由数字 0–9 组成。",
        "A PIN is made of the digits 0 to 9 only.",
    ),
    (
        "pin.too_long",
        "PIN 最多 12 位数字。",
        "A PIN has at most 12 digits.",
    ),
    (
        "pin.too_short",
        "PIN 至少需要 6 位数字。",
        "A PIN needs at least 6 digits.",
    ),
    (
        "pin.too_simple",
        "PIN 太简单（同一数字重复或连续数字，如 000000、123456、654321），请换一个。",
        "This PIN is too easy to guess (one digit repeated or a straight run such as 000000, 123456, 654321). Choose another.",
    ),
    (
        "product.negative_threshold",
        "库存预警值不能为负数。",
        "The low-stock threshold cannot be negative.",
    ),
    (
        "recurrence.interval_out_of_range",
        "重复间隔超出范围。",
        "The repeat interval is out of range.",
    ),
    (
        "recurrence.needs_end",
        "重复预约需要结束日期或次数。",
        "A repeating booking needs an end date or a count.",
    ),
    (
        "recurrence.too_many",
        "重复次数过多。",
        "Too many repetitions.",
    ),
    (
        "consent.health_data_required",
        "保存健康信息需要顾客当前有效的同意。请先请顾客阅读并同意。",
        "Health information is kept only with the customer's current consent. Ask for her consent first.",
    ),
    (
        "consent.signature_required",
        "请顾客输入自己的姓名作为签名。",
        "The customer types her name as her signature.",
    ),
    (
        "consent.unknown_version",
        "这份同意书的版本不存在。",
        "This version of the consent text does not exist.",
    ),
    (
        "consent.wrong_device",
        "同意书记录的设备与本设备不符。",
        "The consent names another device than this one.",
    ),
    (
        "service.answers_without_consent",
        "顾客未同意保存健康信息，问诊回答不能保存。",
        "She did not consent to keeping health information: the answers cannot be kept.",
    ),
    (
        "service.ahead_only_online",
        "“网上预先回答”只能由顾客在网上预约页填写。",
        "Answers given ahead come only from the customer, on the online booking page.",
    ),
    (
        "service.blocked",
        "存在禁忌，不能进行此服务。",
        "A contraindication stops this service.",
    ),
    (
        "service.evaluation_out_of_range",
        "效果评分超出范围。",
        "The effect score is out of range.",
    ),
    (
        "service.override_by_therapist",
        "放行须由本次服务美容师以外的主管或店长确认。",
        "The override must be made by a supervisor or manager other than the visit's therapist.",
    ),
    (
        "service.override_not_allowed",
        "只有主管可以解除禁忌限制。",
        "Only a supervisor may override a contraindication.",
    ),
    (
        "service.override_pin_not_verified",
        "放行须由主管在本设备输入其 PIN 确认。",
        "The override needs the supervisor's PIN entered on this device.",
    ),
    (
        "service.override_reason_required",
        "解除禁忌限制必须填写原因。",
        "An override needs a written reason.",
    ),
    (
        "service.role_not_allowed",
        "您的岗位不能记录此服务。",
        "Your role may not record this service.",
    ),
    (
        "service.zero_quantity",
        "用量不能为零。",
        "The quantity cannot be zero.",
    ),
    (
        "skin_score.out_of_range",
        "皮肤评分超出范围。",
        "The skin score is out of range.",
    ),
    (
        "stock.delta_too_large",
        "数量太大，请检查后重试。",
        "The quantity is too large; check it and try again.",
    ),
    (
        "stock.negative_count",
        "盘点数量不能为负数。",
        "A counted quantity cannot be negative.",
    ),
    (
        "stock.wrong_sign",
        "这个原因与数量的增减不符：损坏、过期、使用只能减少库存，入库只能增加；实数多于账面时请选“盘点更正”或“退回”。",
        "This reason does not fit the direction: damaged, expired and used only take stock away, received only adds; when you counted more, choose 'Count correction' or 'Returned'.",
    ),
    (
        "stock.zero_movement",
        "出入库数量不能为零。",
        "The stock movement cannot be zero.",
    ),
    (
        "store.route_to_role_that_cannot_handle",
        "投诉不能分派给不能处理它的岗位。",
        "Complaints cannot be routed to a role that cannot handle them.",
    ),
    (
        "store.setting_out_of_range",
        "设置值超出范围。",
        "A setting is out of range.",
    ),
    (
        "sync.actor_mismatch",
        "登录身份与操作人不一致，请重新登录。",
        "The signed-in person differs from the one acting; sign in again.",
    ),
    (
        "sync.device_taken",
        "本设备的编号属于另一台设备，请店长在“设备”中处理。",
        "This device's id belongs to another device; a manager can sort it out in Devices.",
    ),
    (
        "sync.entity_in_other_store",
        "此记录属于其他门店。",
        "This record belongs to another store.",
    ),
    (
        "sync.mutation_id_gap",
        "同步顺序中断，将自动重试。",
        "Sync lost its place; it will retry.",
    ),
    (
        "sync.not_deletable",
        "此类记录不能删除。",
        "This kind of record cannot be deleted.",
    ),
    (
        "sync.own_account",
        "不能更改自己的角色，也不能停用自己的账号。",
        "Nobody can change their own role or deactivate themselves.",
    ),
    (
        "sync.owner_only",
        "只有老板可以更改、停用老板的账号或让其退出登录。",
        "Only an owner can change, deactivate or sign out an owner.",
    ),
    (
        "sync.role_not_grantable",
        "不能授予高于自己的角色。",
        "You cannot give a role above your own.",
    ),
    (
        "sync.unsupported_version",
        "服务器版本不同，请重新加载应用。",
        "The server runs another version; reload the app.",
    ),
    (
        "sync.wrong_client",
        "此设备身份不符，请重新配对。",
        "This device's identity does not match; pair it again.",
    ),
    (
        "sync.wrong_store",
        "此设备属于其他门店。",
        "This device belongs to another store.",
    ),
    (
        "text.control_character",
        "文字中含有不允许的字符。",
        "The text contains characters that are not allowed.",
    ),
    ("text.empty", "请填写此项。", "Please fill this in."),
    ("text.too_long", "文字太长。", "The text is too long."),
    (
        "time.closes_before_opening",
        "结束营业时间早于开始时间。",
        "Closing time is before opening time.",
    ),
    (
        "time.end_not_after_start",
        "结束时间必须晚于开始时间。",
        "The end must be after the start.",
    ),
    (
        "password.too_short",
        "密码太短：至少需要 10 个字符。",
        "The password is too short: at least 10 characters.",
    ),
    (
        "password.too_long",
        "密码太长：最多 256 个字符。",
        "The password is too long: at most 256 characters.",
    ),
    (
        "password.too_common",
        "这是常见密码，很容易被猜到，请换一个。",
        "This is a common password, easy to guess; choose another.",
    ),
    (
        "password.unchanged",
        "新密码与当前密码相同，请换一个。",
        "The new password is the current one; choose another.",
    ),
    (
        "password.must_change",
        "请先设置您自己的密码。",
        "Choose your own password first.",
    ),
    (
        "wrong_password",
        "当前密码不正确。",
        "The current password is wrong.",
    ),
    (
        "throttled",
        "尝试次数过多，请稍后再试。",
        "Too many tries; wait a while and try again.",
    ),
    (
        "forbidden",
        "您的角色不能做这件事。",
        "Your role may not do this.",
    ),
    (
        "login.too_long",
        "登录名太长：最多 64 个字符。",
        "The login name is too long: at most 64 characters.",
    ),
    (
        "login.invalid_character",
        "登录名只能包含字母、数字和 . _ @ -。",
        "A login name has only letters, digits and . _ @ -.",
    ),
    ("login.empty", "请填写登录名。", "Enter a login name."),
    (
        "task.assignee_missing",
        "请选择由谁完成这项任务。",
        "Choose who does the task.",
    ),
    (
        "task.not_assignee",
        "这项任务不是指派给您的：只有被指派的人（或店长、客服主管）可以标记完成。",
        "This task is not yours: only the person it is assigned to (or the manager or customer-service supervisor) marks it done.",
    ),
    (
        "time.offset_out_of_range",
        "时区设置超出范围。",
        "The time zone offset is out of range.",
    ),
];

/// The sentence for a core error code; a general one for a code this build does not know (a
/// newer server), never the raw code.
pub fn error_text(lang: Lang, code: &str) -> &'static str {
    let found = ERRORS.iter().find(|(c, _, _)| *c == code);
    match (lang, found) {
        (Lang::Zh, Some((_, zh, _))) => zh,
        (Lang::En, Some((_, _, en))) => en,
        (Lang::Zh, None) => "操作未能完成，请检查输入后重试。",
        (Lang::En, None) => "This could not be done. Check what you entered and try again.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_translated() {
        let mut codes: Vec<&str> = ERRORS.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len(), "a code is listed twice");
        for (code, zh, en) in ERRORS {
            assert_ne!(zh, en, "{code}");
            assert!(!zh.is_empty() && !en.is_empty(), "{code}");
        }
    }

    #[test]
    fn every_pin_refusal_has_its_own_sentence() {
        for pin in ["12a456", "12345", "1357913579135", "123456"] {
            let code = orchid_core::pin::check_pin(pin).unwrap_err().code();
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(
                    error_text(lang, code),
                    error_text(lang, "no.such.code"),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn the_core_errors_users_meet_have_their_own_sentence() {
        let phone = orchid_core::customer::Phone::parse("12").unwrap_err();
        let code = orchid_core::error::ValidationError::from(phone).code();
        assert_ne!(
            error_text(Lang::Zh, code),
            error_text(Lang::Zh, "no.such.code")
        );
        assert_ne!(
            error_text(Lang::En, code),
            error_text(Lang::En, "no.such.code")
        );
    }
}
