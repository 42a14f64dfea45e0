//! Importing a customer list (issue 25): the file the user picked read into a table of text cells
//! — CSV in UTF-8 (with or without BOM), UTF-16 with a BOM or GBK/GB18030, or the first sheet of
//! an `.xlsx` workbook — then the core's `customer_import` plans the writes, and all of them are
//! committed in one `mutate_all`: one IndexedDB transaction, so a closed tab or a refused change
//! leaves nothing half-imported.
use std::io::Cursor;

use orchid_core::catalog::Money;
use orchid_core::customer_import::{
    DuplicatePolicy, ImportColumn, ImportPlan, ImportTarget, RowError, customers_by_phone,
    plan_import,
};
use orchid_core::ids::{CustomerId, LoyaltyDeltaId, StaffId};
use orchid_core::loyalty::{LoyaltyChange, LoyaltyDelta, StoredValueReason};
use orchid_core::sync::Change;
use orchid_core::text::Note;
use orchid_core::time::Timestamp;

use crate::i18n::Lang;
use crate::i18n::import_words::ImportWord;
use crate::state::store::StoreHandle;
use crate::storage::repo::StoreError;

/// More rows than a salon's list has; beyond it the file is refused rather than freezing the tab.
pub const MAX_ROWS: usize = 50_000;

/// How the file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// UTF-8 text (or UTF-16 with its BOM).
    Utf8,
    /// GBK / GB18030 text, as Chinese Excel saves CSV.
    Gbk,
    /// An `.xlsx` workbook's first sheet.
    Xlsx,
}

impl FileKind {
    /// In words.
    pub fn word(self) -> ImportWord {
        match self {
            Self::Utf8 => ImportWord::EncodingUtf8,
            Self::Gbk => ImportWord::EncodingGbk,
            Self::Xlsx => ImportWord::EncodingXlsx,
        }
    }
}

/// Why a file could not be read as a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// No row after the header.
    Empty,
    /// Not text nor a workbook.
    Unreadable,
    /// A zip that is not a readable `.xlsx`.
    NotXlsx,
    /// An old binary `.xls`.
    OldXls,
    /// More than [`MAX_ROWS`].
    TooManyRows,
}

impl FileProblem {
    /// In words.
    pub fn word(self) -> ImportWord {
        match self {
            Self::Empty => ImportWord::FileEmpty,
            Self::Unreadable => ImportWord::FileUnreadable,
            Self::NotXlsx => ImportWord::FileNotXlsx,
            Self::OldXls => ImportWord::FileOldXls,
            Self::TooManyRows => ImportWord::FileTooManyRows,
        }
    }
}

/// A file read as a table: its header row and the rows after it.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// How it was read.
    pub kind: FileKind,
    /// The first row.
    pub headers: Vec<String>,
    /// The rows after it (row 2 of the file first).
    pub rows: Vec<Vec<String>>,
}

/// Reads `bytes` as a table: an `.xlsx` (a zip) or CSV text in whichever encoding it is.
pub fn read_table(bytes: &[u8]) -> Result<Table, FileProblem> {
    let (kind, mut rows) = if bytes.starts_with(b"PK\x03\x04") {
        (FileKind::Xlsx, read_xlsx(bytes)?)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileProblem::OldXls);
    } else {
        let (text, kind) = decode_text(bytes);
        (kind, read_csv(&text)?)
    };
    // Leading empty rows (a title left blank above the table) are not the header.
    let first = rows
        .iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
        .ok_or(FileProblem::Empty)?;
    let mut rows = rows.split_off(first);
    if rows.len() < 2 {
        return Err(FileProblem::Empty);
    }
    if rows.len() > MAX_ROWS + 1 {
        return Err(FileProblem::TooManyRows);
    }
    let headers = rows.remove(0);
    Ok(Table {
        kind,
        headers,
        rows,
    })
}

/// Text from bytes: a BOM says the encoding; otherwise valid UTF-8 is UTF-8 and anything else is
/// taken as GB18030 (a superset of GBK, what Excel in China saves "CSV" as).
pub fn decode_text(bytes: &[u8]) -> (String, FileKind) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), FileKind::Utf8);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), FileKind::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (text.into_owned(), FileKind::Gbk)
        }
    }
}

/// The separator of a CSV: the one of `,`, `;` and tab found most in its first line (Excel saves
/// "Unicode text" with tabs, and some locales with semicolons).
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|s| first.bytes().filter(|b| b == s).count())
        .unwrap_or(b',')
}

fn read_csv(text: &str) -> Result<Vec<Vec<String>>, FileProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| FileProblem::Unreadable)?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(FileProblem::TooManyRows);
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileProblem> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| FileProblem::NotXlsx)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(FileProblem::Empty)?
        .map_err(|_| FileProblem::NotXlsx)?;
    // The range starts at the first cell used; rows above it are kept as empty rows so that row
    // numbers are the sheet's.
    let top = range.start().map_or(0, |(row, _)| row as usize);
    let left = range.start().map_or(0, |(_, col)| col as usize);
    let mut rows = vec![Vec::new(); top];
    for row in range.rows() {
        let mut cells = vec![String::new(); left];
        cells.extend(row.iter().map(cell_text));
        rows.push(cells);
        if rows.len() > MAX_ROWS + 1 {
            return Err(FileProblem::TooManyRows);
        }
    }
    Ok(rows)
}

/// A cell as text: whole numbers without `.0` (phones typed as numbers), dates as Excel's serial
/// number, which the core reads as a date.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => number_text(d.as_f64().floor()),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportOutcome {
    /// New files.
    pub new_count: usize,
    /// Rows merged.
    pub merged_count: usize,
    /// Duplicate rows skipped.
    pub skipped_count: usize,
    /// Rows not imported.
    pub errors: Vec<RowError>,
    /// Opening balances written, and their sum.
    pub balances: (usize, Money),
    /// Rows merged into an existing file whose balance was left out.
    pub balances_left_out: Vec<usize>,
    /// The file had balances, and the person importing may not put money on cards: her
    /// customers are imported without them.
    pub balances_not_allowed: bool,
}

impl ImportOutcome {
    fn of(plan: &ImportPlan) -> Self {
        Self {
            new_count: plan.new_count,
            merged_count: plan.merged_count,
            skipped_count: plan.skipped_count,
            errors: plan.errors.clone(),
            balances: (
                plan.writes.iter().filter(|w| w.balance.is_some()).count(),
                plan.balances_total,
            ),
            balances_left_out: plan.balances_left_out.clone(),
            balances_not_allowed: false,
        }
    }
}

/// The changes of a plan: new files get new ids; a new file with a balance gets her card's
/// opening balance, written by `by` at `at`, right after her file.
pub fn changes_of(plan: ImportPlan, by: StaffId, at: Timestamp) -> Vec<Change> {
    let mut changes = Vec::with_capacity(plan.writes.len());
    for w in plan.writes {
        let id = match w.target {
            ImportTarget::New(_) => crate::storage::new_id::<CustomerId>(),
            ImportTarget::Existing(id) => id,
        };
        changes.push(Change::CustomerUpsert {
            id,
            fields: w.fields,
        });
        if let Some(delta) = w.balance {
            changes.push(Change::LoyaltyDelta(LoyaltyDelta {
                id: crate::storage::new_id::<LoyaltyDeltaId>(),
                customer_id: id,
                at,
                by,
                change: LoyaltyChange::StoredValue {
                    delta,
                    reason: StoredValueReason::Opening,
                },
                note: Note::default(),
                checkout_id: None,
            }));
        }
    }
    changes
}

impl StoreHandle {
    /// Plans importing `table` with `mapping` against the store's customers (found by phone).
    pub fn plan_customer_import(
        &self,
        table: &Table,
        mapping: &[ImportColumn],
        policy: DuplicatePolicy,
        today: chrono::NaiveDate,
    ) -> ImportPlan {
        self.with_view(|view, store_id| {
            let customers = view.customers(store_id);
            let existing = customers_by_phone(&customers);
            plan_import(&table.rows, mapping, &existing, policy, today)
        })
        .unwrap_or_default()
    }

    /// Writes a plan, all of it in one transaction (every write checked by the core as the active
    /// person: a role that may not write customers writes nothing).
    pub async fn import_customers(&self, plan: ImportPlan) -> Result<ImportOutcome, StoreError> {
        let mut plan = plan;
        let actor = self.actor()?;
        let mut outcome = ImportOutcome::of(&plan);
        // An opening balance is the manager's to write (the core's `required_action`: money the
        // store owes, taken on without a payment); someone else who may add customers imports
        // them without it, and is told so.
        if outcome.balances.0 > 0
            && !orchid_core::permission::allowed(
                actor.role,
                orchid_core::permission::Action::LoyaltyCorrect,
                orchid_core::permission::Sensitivity::Ordinary,
            )
        {
            for w in &mut plan.writes {
                w.balance = None;
            }
            outcome.balances = (0, Money(0));
            outcome.balances_not_allowed = true;
        }
        let changes = changes_of(plan, actor.staff_id, chrono::Utc::now());
        if !changes.is_empty() {
            self.mutate_all(changes).await?;
        }
        Ok(outcome)
    }
}

/// A CSV of the rows not imported (row, reason in `lang`, value), UTF-8 with a BOM so that Excel
/// opens the Chinese text right.
pub fn errors_csv(errors: &[RowError], lang: Lang) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        ImportWord::RowNumber.text(lang),
        ImportWord::Reason.text(lang),
        ImportWord::Value.text(lang),
    ];
    let mut ok = writer.write_record(header).is_ok();
    for e in errors {
        ok &= writer
            .write_record([
                e.row.to_string().as_str(),
                ImportWord::of_problem(e.problem).text(lang),
                e.value.as_str(),
            ])
            .is_ok();
    }
    let bytes = if ok {
        writer.into_inner().unwrap_or_default()
    } else {
        Vec::new()
    };
    format!("\u{FEFF}{}", String::from_utf8_lossy(&bytes))
}

/// The bytes of a file the user picked.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, FileProblem> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| FileProblem::Unreadable)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Lets the browser draw (the progress bar) before the next long step.
pub async fn let_the_page_draw() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_gbk_are_told_apart() {
        assert_eq!(decode_text("姓名,手机".as_bytes()).1, FileKind::Utf8);
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], "姓名".as_bytes()].concat();
        assert_eq!(decode_text(&with_bom), ("姓名".to_owned(), FileKind::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,手机\n王芳,13800000001");
        let (text, kind) = decode_text(&gbk);
        assert_eq!(kind, FileKind::Gbk);
        assert!(text.starts_with("姓名,手机"));
    }

    #[test]
    fn a_csv_becomes_a_table() {
        let table = read_table("姓名,手机\r\n王芳,138 0000 0001\r\n\"李, 娜\",\r\n".as_bytes())
            .expect("a table");
        assert_eq!(table.headers, vec!["姓名", "手机"]);
        assert_eq!(table.rows[1], vec!["李, 娜", ""]);
        let tabs = read_table("Name\tPhone\nAnna\t13800000001\n".as_bytes()).expect("tabs");
        assert_eq!(tabs.rows[0], vec!["Anna", "13800000001"]);
        assert_eq!(read_table(b"Name\n"), Err(FileProblem::Empty));
        assert_eq!(
            read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]),
            Err(FileProblem::OldXls)
        );
        assert_eq!(read_table(b"PK\x03\x04broken"), Err(FileProblem::NotXlsx));
    }

    #[test]
    fn the_error_list_is_a_csv_excel_opens() {
        let errors = [RowError {
            row: 5,
            problem: orchid_core::customer_import::RowProblem::NameMissing,
            value: String::new(),
        }];
        let text = errors_csv(&errors, Lang::Zh);
        assert!(text.starts_with('\u{FEFF}'));
        assert!(text.contains("5,缺少姓名,"));
    }

    #[test]
    fn whole_numbers_lose_their_point() {
        assert_eq!(number_text(13_812_345_678.0), "13812345678");
        assert_eq!(number_text(12.5), "12.5");
    }
}
