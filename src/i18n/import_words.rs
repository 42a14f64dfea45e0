//! The words of importing a customer list (导入顾客, issue 25): the import page's steps, the
//! columns, the duplicate choices, the result and the reasons a row was not imported.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use orchid_core::customer_import::{ImportColumn, MappingError, RowProblem};

use super::Lang;

word_catalogue! {
    ImportWord;
    Title => ("导入顾客", "Import customers"),
    Intro => (
        "从 Excel（.xlsx）或 CSV 文件导入顾客名单，在本设备上完成，不需要网络。所有正确的行一次性写入：要么全部导入，要么（出错或关闭页面时）一条也不导入，不会只导入一半。",
        "Import a customer list from an Excel (.xlsx) or CSV file, on this device, without network. All good rows are written in one go: either all of them are imported or — on an error, or if the tab closes — none is; never half."
    ),
    OpenImport => ("导入顾客", "Import customers"),
    StepFile => ("1. 选择文件", "1. Choose the file"),
    ChooseFile => ("顾客名单文件（.xlsx 或 .csv，第一行是表头）", "Customer list (.xlsx or .csv, headers in the first row)"),
    FileHint => (
        "CSV 可以是 UTF-8 或 GBK 编码（Excel 中文版常用）。旧版 .xls 请先在 Excel 中另存为 .xlsx。",
        "CSV may be UTF-8 or GBK (as Chinese Excel often saves it). Save an old .xls file as .xlsx in Excel first."
    ),
    Reading => ("正在读取文件…", "Reading the file…"),
    FileEmpty => ("文件中没有数据行。", "The file has no data rows."),
    FileUnreadable => ("无法读取这个文件。", "This file could not be read."),
    FileNotXlsx => ("这个文件不是有效的 .xlsx 表格。", "This file is not a valid .xlsx workbook."),
    FileOldXls => ("这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再导入。", "This is an old Excel (.xls) file: save it as .xlsx or CSV in Excel, then import that."),
    FileTooManyRows => ("一次最多导入 50,000 行，请把文件分成几份。", "At most 50,000 rows at a time: split the file."),
    FileSummary => ("文件", "File"),
    EncodingUtf8 => ("编码 UTF-8", "UTF-8 text"),
    EncodingGbk => ("编码 GBK / GB18030", "GBK / GB18030 text"),
    EncodingXlsx => ("Excel 工作簿，第一个工作表", "Excel workbook, first sheet"),
    DataRows => ("数据行", "data rows"),
    StepMapping => ("2. 核对每一列", "2. Check each column"),
    MappingHint => (
        "系统根据表头猜出了每列的内容，猜错的请在下拉框中改正。下面是前几行的预览。",
        "Each column's content was guessed from its header; correct any wrong guess in its list. The first rows are shown below."
    ),
    ColumnInFile => ("文件中的列", "Column in the file"),
    ImportsAs => ("导入为", "Imported as"),
    Preview => ("预览（前 5 行）", "Preview (first 5 rows)"),
    RowNumber => ("行号", "Row"),
    NoNameColumn => ("请指定哪一列是姓名。", "Say which column holds the name."),
    ColumnTwice => ("同一项不能对应两列：", "One field cannot come from two columns: "),
    BalanceImported => (
        "余额列导入为新顾客储值卡的期初余额（不算销售）。合并到已有顾客的行不导入余额，以免重复计算，请在前台为她另行充值。",
        "The balance column becomes the opening balance of each new customer's stored-value card (not a sale). Rows merged into an existing customer's file leave their balance out, so it is not counted twice: top her card up at the desk if it should be."
    ),
    BalancesCount => ("导入的期初余额", "Opening balances imported"),
    BalancesNotAllowed => (
        "顾客已导入，但余额没有导入：从旧系统带来的储值余额由店长导入。请店长导入余额，或在前台为她们充值。",
        "The customers are imported without their balances: balances brought from the old system are the manager's to import. Ask the manager to import them, or top the cards up at the desk."
    ),
    BalancesLeftOut => ("未导入余额的行（已合并到已有顾客）", "Rows whose balance was left out (merged into an existing customer)"),
    StepDuplicates => ("3. 手机号与已有顾客（或文件中前面的行）相同时", "3. When a phone is an existing customer's (or an earlier row's)"),
    Merge => ("合并：用这一行补充她的档案（非空的格子覆盖，标签累加）", "Merge: fill her file with the row (non-empty cells replace, tags are added)"),
    Skip => ("跳过：保留原档案，不导入这一行", "Skip: keep her file as it is, leave the row out"),
    KeepBoth => ("都保留：另建一份新档案", "Keep both: make a second file"),
    StepImport => ("4. 导入", "4. Import"),
    ImportButton => ("导入全部正确的行", "Import all good rows"),
    Checking => ("正在检查每一行…", "Checking every row…"),
    Saving => ("正在一次性保存…", "Saving, all in one go…"),
    Progress => ("导入进度", "Import progress"),
    ImportFailed => ("导入失败，没有写入任何顾客：", "The import failed and no customer was written: "),
    NothingToImport => ("没有可以导入的行。", "There is no row to import."),
    ResultTitle => ("导入完成", "Import finished"),
    NewCount => ("新建档案", "New files"),
    MergedCount => ("合并", "Merged"),
    SkippedCount => ("跳过（重复）", "Skipped (duplicates)"),
    BadCount => ("有问题未导入", "Not imported (problems)"),
    BadRowsTitle => ("未导入的行", "Rows not imported"),
    Reason => ("原因", "Reason"),
    Value => ("内容", "Value"),
    MoreRows => ("只列出前 200 行；完整列表请下载。", "Only the first 200 are listed: download the full list."),
    DownloadBad => ("下载未导入的行（CSV）", "Download the rows not imported (CSV)"),
    ImportAnother => ("导入另一个文件", "Import another file"),
    BackToCustomers => ("返回顾客列表", "Back to the customers"),
    StartOver => ("重新选择文件", "Choose another file"),
    ColIgnore => ("不导入", "Not imported"),
    ColName => ("姓名", "Name"),
    ColPhone => ("手机", "Phone"),
    ColEmail => ("邮箱", "E-mail"),
    ColWechat => ("微信", "WeChat"),
    ColGender => ("性别", "Gender"),
    ColBirthday => ("生日", "Birthday"),
    ColMembershipNo => ("会员号", "Member number"),
    ColNotes => ("备注", "Notes"),
    ColPreferences => ("偏好", "Preferences"),
    ColTags => ("标签", "Tags"),
    ColBalance => ("储值余额（元）", "Stored-value balance (yuan)"),
    NameMissing => ("缺少姓名", "The name is missing"),
    NameInvalid => ("姓名过长（最多 60 字）或含换行", "The name is too long (60 characters at most) or has a line break"),
    PhoneInvalid => ("不是有效的手机号", "Not a valid phone number"),
    PhoneNotCnMobile => ("+86 号码不是手机号", "A +86 number that is not a mobile"),
    EmailInvalid => ("不是有效的邮箱", "Not a valid e-mail address"),
    WechatInvalid => ("微信号过长", "The WeChat id is too long"),
    GenderUnknown => ("无法识别的性别（可写 女、男、其他、未知）", "Gender not understood (write F, M, other or unknown)"),
    BirthdayInvalid => ("无法识别的日期（如 1990/3/5、1990-03-05、3月5日）", "Date not understood (e.g. 1990/3/5, 1990-03-05, 3月5日)"),
    BirthdayOutOfRange => ("生日早于 1900 年或晚于今天", "A birthday before 1900 or after today"),
    MembershipNoInvalid => ("会员号过长或含特殊字符", "The member number is too long or has unusual characters"),
    NoteTooLong => ("备注过长（最多 4000 字）", "The note is too long (4000 characters at most)"),
    TagInvalid => ("标签过长（每个最多 40 字）", "A tag is too long (40 characters at most)"),
    BalanceInvalid => ("余额不是金额（例如 1200 或 1,200.50）", "The balance is not an amount of money (e.g. 1200 or 1,200.50)"),
}

impl ImportWord {
    /// The name of a column's field.
    pub fn of_column(column: ImportColumn) -> Self {
        match column {
            ImportColumn::Ignore => Self::ColIgnore,
            ImportColumn::Name => Self::ColName,
            ImportColumn::Phone => Self::ColPhone,
            ImportColumn::Email => Self::ColEmail,
            ImportColumn::Wechat => Self::ColWechat,
            ImportColumn::Gender => Self::ColGender,
            ImportColumn::Birthday => Self::ColBirthday,
            ImportColumn::MembershipNo => Self::ColMembershipNo,
            ImportColumn::Notes => Self::ColNotes,
            ImportColumn::Preferences => Self::ColPreferences,
            ImportColumn::Tags => Self::ColTags,
            ImportColumn::Balance => Self::ColBalance,
        }
    }

    /// Why a row was not imported.
    pub fn of_problem(problem: RowProblem) -> Self {
        match problem {
            RowProblem::NameMissing => Self::NameMissing,
            RowProblem::NameInvalid => Self::NameInvalid,
            RowProblem::PhoneInvalid => Self::PhoneInvalid,
            RowProblem::PhoneNotCnMobile => Self::PhoneNotCnMobile,
            RowProblem::EmailInvalid => Self::EmailInvalid,
            RowProblem::WechatInvalid => Self::WechatInvalid,
            RowProblem::GenderUnknown => Self::GenderUnknown,
            RowProblem::BirthdayInvalid => Self::BirthdayInvalid,
            RowProblem::BirthdayOutOfRange => Self::BirthdayOutOfRange,
            RowProblem::MembershipNoInvalid => Self::MembershipNoInvalid,
            RowProblem::NoteTooLong => Self::NoteTooLong,
            RowProblem::TagInvalid => Self::TagInvalid,
            RowProblem::BalanceInvalid => Self::BalanceInvalid,
        }
    }

    /// What is wrong with a mapping, in words.
    pub fn mapping_error(lang: Lang, error: MappingError) -> String {
        match error {
            MappingError::NoNameColumn => Self::NoNameColumn.text(lang).to_owned(),
            MappingError::ColumnTwice { column } => format!(
                "{}{}",
                Self::ColumnTwice.text(lang),
                Self::of_column(column).text(lang)
            ),
        }
    }
}
