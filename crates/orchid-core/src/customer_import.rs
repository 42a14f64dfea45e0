//! Importing a customer list (导入顾客) from the table a salon kept in Excel or another system's CSV
//! export: the rows arrive as text cells (the client reads the file; this module does no IO), the
//! columns are guessed from Chinese or English headers and may be corrected, every cell is parsed
//! with the customer's own constructors, and the rows become customer changes or row errors.
//!
//! Duplicates are found by phone: a row whose phone is an existing customer's, or an earlier row's,
//! is merged into that file, skipped, or kept as a second file, as the user chooses.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalog::Money;
use crate::customer::{
    Customer, CustomerField, Email, Gender, MembershipNo, Phone, normalize_name,
};
use crate::ids::CustomerId;
use crate::record::FieldSet;
use crate::text::{Label, Name, Note, Tag, fold_char};

/// The year stored for a birthday given without one (`3月5日`): 1904, a leap year, so that 2月29日
/// is a date too. Birthday reminders use only the month and day; screens show such a birthday
/// without its year.
pub const BIRTHDAY_YEAR_UNKNOWN: i32 = 1904;

/// What a column of the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportColumn {
    /// Not imported.
    Ignore,
    /// Name (required).
    Name,
    /// Phone.
    Phone,
    /// E-mail.
    Email,
    /// WeChat id.
    Wechat,
    /// Gender.
    Gender,
    /// Birthday.
    Birthday,
    /// Membership number (会员号, 卡号).
    MembershipNo,
    /// Notes.
    Notes,
    /// Preferences.
    Preferences,
    /// Tags, separated by commas, 、, ; or spaces.
    Tags,
    /// The money left on her prepaid card (余额, 储值) in the old system, in yuan: it becomes her
    /// stored-value card's opening balance in Orchid (a new file only; see [`ImportPlan`]).
    Balance,
}

impl ImportColumn {
    /// Every choice, in the order a select offers them.
    pub const ALL: [ImportColumn; 12] = [
        Self::Ignore,
        Self::Name,
        Self::Phone,
        Self::Email,
        Self::Wechat,
        Self::Gender,
        Self::Birthday,
        Self::MembershipNo,
        Self::Notes,
        Self::Preferences,
        Self::Tags,
        Self::Balance,
    ];

    /// Stable key (for a select's value).
    pub fn key(self) -> &'static str {
        match self {
            Self::Ignore => "ignore",
            Self::Name => "name",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Wechat => "wechat",
            Self::Gender => "gender",
            Self::Birthday => "birthday",
            Self::MembershipNo => "membership_no",
            Self::Notes => "notes",
            Self::Preferences => "preferences",
            Self::Tags => "tags",
            Self::Balance => "balance",
        }
    }

    /// The column for a key made by [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// True when the column's cells become part of the customer's file (or, for the balance, of
    /// her stored-value card).
    pub fn is_imported(self) -> bool {
        !matches!(self, Self::Ignore)
    }
}

/// Header words, folded as [`normalize_name`] folds them, and the column each means. A header
/// matches a word when it equals it, or contains it for words of two or more Chinese characters or
/// four or more latin letters (`客户姓名`, `手机号码`, `Mobile phone`).
const HEADER_WORDS: &[(&str, ImportColumn)] = &[
    ("姓名", ImportColumn::Name),
    ("名字", ImportColumn::Name),
    ("客户名", ImportColumn::Name),
    ("顾客名", ImportColumn::Name),
    ("会员名", ImportColumn::Name),
    ("name", ImportColumn::Name),
    ("fullname", ImportColumn::Name),
    ("手机", ImportColumn::Phone),
    ("电话", ImportColumn::Phone),
    ("联系方式", ImportColumn::Phone),
    ("phone", ImportColumn::Phone),
    ("mobile", ImportColumn::Phone),
    ("tel", ImportColumn::Phone),
    ("cell", ImportColumn::Phone),
    ("邮箱", ImportColumn::Email),
    ("email", ImportColumn::Email),
    ("mail", ImportColumn::Email),
    ("微信", ImportColumn::Wechat),
    ("wechat", ImportColumn::Wechat),
    ("weixin", ImportColumn::Wechat),
    ("性别", ImportColumn::Gender),
    ("gender", ImportColumn::Gender),
    ("sex", ImportColumn::Gender),
    ("生日", ImportColumn::Birthday),
    ("出生", ImportColumn::Birthday),
    ("birthday", ImportColumn::Birthday),
    ("birth", ImportColumn::Birthday),
    ("dob", ImportColumn::Birthday),
    ("会员号", ImportColumn::MembershipNo),
    ("会员卡号", ImportColumn::MembershipNo),
    ("卡号", ImportColumn::MembershipNo),
    ("会员编号", ImportColumn::MembershipNo),
    ("member", ImportColumn::MembershipNo),
    ("memberno", ImportColumn::MembershipNo),
    ("membership", ImportColumn::MembershipNo),
    ("cardno", ImportColumn::MembershipNo),
    ("备注", ImportColumn::Notes),
    ("说明", ImportColumn::Notes),
    ("notes", ImportColumn::Notes),
    ("note", ImportColumn::Notes),
    ("remark", ImportColumn::Notes),
    ("comment", ImportColumn::Notes),
    ("偏好", ImportColumn::Preferences),
    ("喜好", ImportColumn::Preferences),
    ("preferences", ImportColumn::Preferences),
    ("preference", ImportColumn::Preferences),
    ("标签", ImportColumn::Tags),
    ("tags", ImportColumn::Tags),
    ("tag", ImportColumn::Tags),
    ("label", ImportColumn::Tags),
    ("余额", ImportColumn::Balance),
    ("储值", ImportColumn::Balance),
    ("balance", ImportColumn::Balance),
];

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The column a header names, or [`ImportColumn::Ignore`].
pub fn guess_column(header: &str) -> ImportColumn {
    let folded: String = normalize_name(header)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '（' | '）' | ':' | '：' | '/' | '#'))
        .collect();
    if folded.is_empty() {
        return ImportColumn::Ignore;
    }
    if let Some((_, column)) = HEADER_WORDS.iter().find(|(word, _)| *word == folded) {
        return *column;
    }
    HEADER_WORDS
        .iter()
        .find(|(word, _)| {
            let long_enough = if word.chars().all(is_cjk) {
                word.chars().count() >= 2
            } else {
                word.len() >= 4
            };
            long_enough && folded.contains(word)
        })
        .map_or(ImportColumn::Ignore, |(_, column)| *column)
}

/// The guessed column of every header; a column guessed twice is kept for its first header only
/// (the others are ignored until the user says otherwise).
pub fn guess_mapping(headers: &[String]) -> Vec<ImportColumn> {
    let mut seen = Vec::new();
    headers
        .iter()
        .map(|h| {
            let column = guess_column(h);
            if column != ImportColumn::Ignore && seen.contains(&column) {
                ImportColumn::Ignore
            } else {
                seen.push(column);
                column
            }
        })
        .collect()
}

/// Why a mapping cannot be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum MappingError {
    /// No column is the name.
    #[serde(rename = "import.no_name_column")]
    NoNameColumn,
    /// Two columns are mapped to the same field.
    #[serde(rename = "import.column_twice")]
    ColumnTwice {
        /// The field.
        column: ImportColumn,
    },
}

/// Checks a (corrected) mapping: one name column, no field twice.
pub fn check_mapping(mapping: &[ImportColumn]) -> Result<(), MappingError> {
    for (i, column) in mapping.iter().enumerate() {
        if column.is_imported() && mapping[..i].contains(column) {
            return Err(MappingError::ColumnTwice { column: *column });
        }
    }
    if !mapping.contains(&ImportColumn::Name) {
        return Err(MappingError::NoNameColumn);
    }
    Ok(())
}

/// Why a row was not imported. `code()` is stable and meant for translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    /// The name cell is empty.
    NameMissing,
    /// The name is too long or has line breaks.
    NameInvalid,
    /// Not a phone number.
    PhoneInvalid,
    /// A +86 number that is not a mobile.
    PhoneNotCnMobile,
    /// Not an e-mail address.
    EmailInvalid,
    /// A WeChat id too long.
    WechatInvalid,
    /// A gender word not understood.
    GenderUnknown,
    /// Not a date in a known format.
    BirthdayInvalid,
    /// A date before 1900 or after today.
    BirthdayOutOfRange,
    /// A membership number too long or with unusual characters.
    MembershipNoInvalid,
    /// A note or preference over 4000 characters.
    NoteTooLong,
    /// A tag over 40 characters.
    TagInvalid,
    /// Not an amount of money (`1200`, `1,200.50`, `¥1200`, `1200元`).
    BalanceInvalid,
}

impl RowProblem {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NameMissing => "import.name_missing",
            Self::NameInvalid => "import.name_invalid",
            Self::PhoneInvalid => "import.phone_invalid",
            Self::PhoneNotCnMobile => "import.phone_not_cn_mobile",
            Self::EmailInvalid => "import.email_invalid",
            Self::WechatInvalid => "import.wechat_invalid",
            Self::GenderUnknown => "import.gender_unknown",
            Self::BirthdayInvalid => "import.birthday_invalid",
            Self::BirthdayOutOfRange => "import.birthday_out_of_range",
            Self::MembershipNoInvalid => "import.membership_no_invalid",
            Self::NoteTooLong => "import.note_too_long",
            Self::TagInvalid => "import.tag_invalid",
            Self::BalanceInvalid => "import.balance_invalid",
        }
    }
}

/// A row not imported: its number in the file (the header is row 1, as a spreadsheet counts), why,
/// and the cell at fault (cut to 60 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Row number in the file, 1 = the header.
    pub row: usize,
    /// Why.
    pub problem: RowProblem,
    /// The cell's text.
    pub value: String,
}

/// A row parsed into a customer's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRow {
    /// Row number in the file, 1 = the header.
    pub row: usize,
    /// The phone, which finds duplicates.
    pub phone: Option<Phone>,
    /// The fields the row gives (empty cells give none, except the name, always there).
    pub fields: Vec<CustomerField>,
    /// The money left on her card in the old system (none when empty or zero).
    pub balance: Option<Money>,
}

/// An amount as a salon's sheet writes it: `1200`, `1,200.50`, `¥1200`, `￥1 200`, `1200元`,
/// `RMB 1200`, `-80` (a card the old system let go below zero). `None` when it is not money.
pub fn parse_balance(raw: &str) -> Option<Money> {
    let mut text: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{a0}' | '¥' | '￥'))
        .collect();
    for unit in ["RMB", "rmb", "CNY", "cny", "元"] {
        text = text.replace(unit, "");
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let amount = Money::parse_yuan(digits)?;
    Some(if negative { Money(-amount.0) } else { amount })
}

/// A date as salons write it: `2024/3/5`, `2024-03-05`, `2024.3.5`, `20240305`, `2024年3月5日`,
/// `3月5日` (no year: [`BIRTHDAY_YEAR_UNKNOWN`]), `3/5/2024` is *not* accepted (month and day order
/// is ambiguous), an Excel serial number (`45356`, days since 1899-12-30) and any of these followed
/// by a time (`2024/3/5 0:00`), as Excel's CSV writes dates.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let text: String = raw.trim().chars().map(fold_char).collect();
    let text = text.trim();
    // A time after the date (`2024/3/5 0:00:00`, `2024-03-05T00:00`) is dropped.
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    if date_part.is_empty() {
        return None;
    }
    if let Some(date) = excel_serial(date_part) {
        return Some(date);
    }
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let year = date_part.get(..4)?.parse().ok()?;
        let month = date_part.get(4..6)?.parse().ok()?;
        let day = date_part.get(6..)?.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    let numbers: Vec<&str> = date_part
        .split(['/', '-', '.', '年', '月', '日', '号'])
        .filter(|p| !p.is_empty())
        .collect();
    if numbers
        .iter()
        .any(|p| !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let parsed: Vec<u32> = numbers.iter().filter_map(|p| p.parse().ok()).collect();
    if parsed.len() != numbers.len() {
        return None;
    }
    match (parsed.as_slice(), numbers.first().map(|p| p.len())) {
        ([year, month, day], Some(4)) => {
            NaiveDate::from_ymd_opt(i32::try_from(*year).ok()?, *month, *day)
        }
        ([month, day], _) if date_part.contains('月') => {
            NaiveDate::from_ymd_opt(BIRTHDAY_YEAR_UNKNOWN, *month, *day)
        }
        _ => None,
    }
}

/// An Excel serial date (days since 1899-12-30, as Excel counts with its 1900 leap-year quirk for
/// dates after February 1900), possibly with a fraction of a day. Only five digits (1927–2119): a
/// shorter number is more likely a year (`2024`) or a typing slip than a date.
fn excel_serial(text: &str) -> Option<NaiveDate> {
    let whole = text.split('.').next()?;
    let fraction = text.get(whole.len() + 1..).unwrap_or("");
    if whole.is_empty()
        || whole.len() != 5
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // `2024.3.5` has two dots: not a serial.
    if text.matches('.').count() > 1 {
        return None;
    }
    let days: i64 = whole.parse().ok()?;
    if days > 80_000 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(days))
}

/// A gender as written: 女/男, F/M, female/male, woman/man, 其他; empty, 未知, 保密 or `-` are
/// "undisclosed". `None` for anything else.
pub fn parse_gender(raw: &str) -> Option<Gender> {
    let folded = normalize_name(raw);
    Some(match folded.as_str() {
        "女" | "女性" | "女士" | "f" | "female" | "woman" | "w" => Gender::Female,
        "男" | "男性" | "先生" | "m" | "male" | "man" => Gender::Male,
        "其他" | "其它" | "other" | "x" => Gender::Other,
        "" | "未知" | "保密" | "unknown" | "undisclosed" | "n/a" | "na" | "?" | "？" => {
            Gender::Undisclosed
        }
        _ if raw.trim() == "-" => Gender::Undisclosed,
        _ => return None,
    })
}

/// Splits a tags cell: commas (also full-width), 、, ; and line breaks; spaces inside a tag stay.
fn split_tags(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([',', '，', '、', ';', '；', '\n', '|', '/'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn cut(value: &str) -> String {
    value.trim().chars().take(60).collect()
}

/// Parses one row (`row` is its number in the file) with `mapping`; `today` bounds birthdays.
/// A missing cell is an empty one.
pub fn parse_row(
    row: usize,
    cells: &[String],
    mapping: &[ImportColumn],
    today: NaiveDate,
) -> Result<ParsedRow, RowError> {
    let fail = |problem, value: &str| RowError {
        row,
        problem,
        value: cut(value),
    };
    let mut name = None;
    let mut phone = None;
    let mut balance = None;
    let mut fields = Vec::with_capacity(mapping.len());
    for (column, cell) in mapping.iter().zip(cells.iter()) {
        let value = cell.trim();
        if value.is_empty() || !column.is_imported() {
            continue;
        }
        match column {
            ImportColumn::Name => {
                name = Some(Name::parse(value).map_err(|_| fail(RowProblem::NameInvalid, value))?);
            }
            ImportColumn::Phone => {
                let parsed = Phone::parse(value).map_err(|e| {
                    let problem = match e {
                        crate::customer::CustomerError::PhoneNotCnMobile { .. } => {
                            RowProblem::PhoneNotCnMobile
                        }
                        _ => RowProblem::PhoneInvalid,
                    };
                    fail(problem, value)
                })?;
                phone = Some(parsed.clone());
                fields.push(CustomerField::Phone(Some(parsed)));
            }
            ImportColumn::Email => fields.push(CustomerField::Email(Some(
                Email::parse(value).map_err(|_| fail(RowProblem::EmailInvalid, value))?,
            ))),
            ImportColumn::Wechat => fields.push(CustomerField::Wechat(Some(
                Label::parse(value).map_err(|_| fail(RowProblem::WechatInvalid, value))?,
            ))),
            ImportColumn::Gender => fields.push(CustomerField::Gender(
                parse_gender(value).ok_or_else(|| fail(RowProblem::GenderUnknown, value))?,
            )),
            ImportColumn::Birthday => {
                let date =
                    parse_date(value).ok_or_else(|| fail(RowProblem::BirthdayInvalid, value))?;
                if date.year() < 1900 || date > today {
                    return Err(fail(RowProblem::BirthdayOutOfRange, value));
                }
                fields.push(CustomerField::Birthday(Some(date)));
            }
            ImportColumn::MembershipNo => fields.push(CustomerField::MembershipNo(Some(
                MembershipNo::parse(value)
                    .map_err(|_| fail(RowProblem::MembershipNoInvalid, value))?,
            ))),
            ImportColumn::Notes => fields.push(CustomerField::Notes(
                Note::parse(value).map_err(|_| fail(RowProblem::NoteTooLong, value))?,
            )),
            ImportColumn::Preferences => fields.push(CustomerField::Preferences(
                Note::parse(value).map_err(|_| fail(RowProblem::NoteTooLong, value))?,
            )),
            ImportColumn::Tags => {
                let mut tags = Vec::new();
                for raw in split_tags(value) {
                    let tag = Tag::parse(raw).map_err(|_| fail(RowProblem::TagInvalid, raw))?;
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                if !tags.is_empty() {
                    fields.push(CustomerField::Tags(tags));
                }
            }
            ImportColumn::Balance => {
                let amount =
                    parse_balance(value).ok_or_else(|| fail(RowProblem::BalanceInvalid, value))?;
                if amount.0.unsigned_abs() > crate::loyalty::MAX_DELTA_ABS {
                    return Err(fail(RowProblem::BalanceInvalid, value));
                }
                balance = (amount.0 != 0).then_some(amount);
            }
            ImportColumn::Ignore => {}
        }
    }
    let name = name.ok_or_else(|| fail(RowProblem::NameMissing, ""))?;
    fields.insert(0, CustomerField::Name(name));
    Ok(ParsedRow {
        row,
        phone,
        fields,
        balance,
    })
}

/// What to do with a row whose phone is an existing customer's or an earlier row's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Write the row's non-empty cells into that file; its tags are added to hers.
    #[default]
    Merge,
    /// Leave that file as it is; the row is not imported.
    Skip,
    /// Make a second file.
    KeepBoth,
}

/// Where a planned write goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportTarget {
    /// A new customer (the client gives it an id), the `n`th new one.
    New(usize),
    /// An existing customer.
    Existing(CustomerId),
}

/// One customer write of an import.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedWrite {
    /// Whose file.
    pub target: ImportTarget,
    /// The fields, only those that change something.
    pub fields: Vec<CustomerField>,
    /// Her card's opening balance, for a new file.
    pub balance: Option<Money>,
}

/// What an import will do; nothing is written until the client commits `writes` (all at once).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    /// The writes, one per customer touched.
    pub writes: Vec<PlannedWrite>,
    /// New files.
    pub new_count: usize,
    /// Rows merged into a file (an existing one, or an earlier row's).
    pub merged_count: usize,
    /// Duplicate rows skipped.
    pub skipped_count: usize,
    /// Rows not imported, in file order.
    pub errors: Vec<RowError>,
    /// Rows merged into an existing customer's file whose balance was left out: her card in
    /// Orchid may already hold money (adding the old system's figure could count it twice), so
    /// the desk tops it up by hand if it should.
    pub balances_left_out: Vec<usize>,
    /// The opening balances the import writes, added up.
    pub balances_total: Money,
}

/// Existing customers by phone (the first of several with one phone).
pub fn customers_by_phone<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
) -> HashMap<Phone, &'a Customer> {
    let mut by_phone = HashMap::new();
    for c in customers {
        if let Some(p) = &c.phone {
            by_phone.entry(p.clone()).or_insert(c);
        }
    }
    by_phone
}

/// Merges `incoming` onto `base`: the fields of `incoming` replace those of `base`, except tags,
/// which are added.
fn merge_fields(base: &mut Vec<CustomerField>, incoming: Vec<CustomerField>) {
    for field in incoming {
        let slot = base
            .iter_mut()
            .find(|f| std::mem::discriminant(*f) == std::mem::discriminant(&field));
        match (slot, field) {
            (Some(CustomerField::Tags(tags)), CustomerField::Tags(more)) => {
                for t in more {
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
            }
            (Some(slot), field) => *slot = field,
            (None, field) => base.push(field),
        }
    }
}

/// Plans the import of `rows` (the data rows after the header, which is row 1) with `mapping`:
/// bad rows become [`RowError`]s, empty rows are passed over, and rows with an existing customer's
/// phone or an earlier row's follow `policy`. A merge into an existing file writes only what it
/// changes, and adds tags to hers.
pub fn plan_import(
    rows: &[Vec<String>],
    mapping: &[ImportColumn],
    existing: &HashMap<Phone, &Customer>,
    policy: DuplicatePolicy,
    today: NaiveDate,
) -> ImportPlan {
    let mut plan = ImportPlan::default();
    // The write that holds a phone seen so far in this file.
    let mut by_phone: HashMap<Phone, usize> = HashMap::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let parsed = match parse_row(row, cells, mapping, today) {
            Ok(parsed) => parsed,
            Err(e) => {
                plan.errors.push(e);
                continue;
            }
        };
        let earlier = parsed.phone.as_ref().and_then(|p| by_phone.get(p).copied());
        let known = parsed.phone.as_ref().and_then(|p| existing.get(p).copied());
        let duplicate = earlier.is_some() || known.is_some();
        match (duplicate, policy) {
            (true, DuplicatePolicy::Skip) => plan.skipped_count += 1,
            (true, DuplicatePolicy::Merge) => {
                plan.merged_count += 1;
                if let Some(w) = earlier.and_then(|w| plan.writes.get_mut(w)) {
                    merge_fields(&mut w.fields, parsed.fields);
                    match (w.target, parsed.balance) {
                        // The same person twice in the file: her balance is the later row's.
                        (ImportTarget::New(_), Some(amount)) => w.balance = Some(amount),
                        (ImportTarget::Existing(_), Some(_)) => {
                            plan.balances_left_out.push(parsed.row);
                        }
                        (_, None) => {}
                    }
                } else if let Some(customer) = known {
                    // Her file's changes are worked out at the end, when every row of hers is in.
                    let fields = parsed.fields;
                    if parsed.balance.is_some() {
                        plan.balances_left_out.push(parsed.row);
                    }
                    if let Some(phone) = parsed.phone {
                        by_phone.insert(phone, plan.writes.len());
                    }
                    plan.writes.push(PlannedWrite {
                        target: ImportTarget::Existing(customer.id),
                        fields,
                        balance: None,
                    });
                }
            }
            (false, _) | (true, DuplicatePolicy::KeepBoth) => {
                if let Some(phone) = parsed.phone {
                    by_phone.entry(phone).or_insert(plan.writes.len());
                }
                plan.writes.push(PlannedWrite {
                    target: ImportTarget::New(plan.new_count),
                    fields: parsed.fields,
                    balance: parsed.balance,
                });
                plan.new_count += 1;
            }
        }
    }
    // Into an existing file go only the changes (tags added to hers); one that changes nothing
    // writes nothing.
    let known: HashMap<CustomerId, &Customer> = existing.values().map(|c| (c.id, *c)).collect();
    for w in &mut plan.writes {
        if let ImportTarget::Existing(id) = w.target
            && let Some(customer) = known.get(&id)
        {
            w.fields = changes_to(customer, std::mem::take(&mut w.fields));
        }
    }
    plan.writes.retain(|w| !w.fields.is_empty());
    plan.balances_total = Money(
        plan.writes
            .iter()
            .filter_map(|w| w.balance)
            .map(|m| m.0)
            .sum(),
    );
    plan
}

/// The fields of `incoming` that change `customer`, tags added to hers.
fn changes_to(customer: &Customer, incoming: Vec<CustomerField>) -> Vec<CustomerField> {
    let mut merged = Vec::new();
    merge_fields(&mut merged, incoming);
    merged
        .into_iter()
        .filter_map(|field| match field {
            CustomerField::Tags(more) => {
                let mut tags = customer.tags.clone();
                let before = tags.len();
                for t in more {
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
                (tags.len() > before).then_some(CustomerField::Tags(tags))
            }
            field => {
                let mut probe = customer.clone();
                field.clone().apply_to(&mut probe);
                (probe != *customer).then_some(field)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
