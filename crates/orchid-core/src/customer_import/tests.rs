use super::*;
use crate::ids::StoreId;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a test date")
}

fn today() -> NaiveDate {
    d(2026, 12, 7)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn headers(cells: &[&str]) -> Vec<String> {
    row(cells)
}

#[test]
fn every_date_format_salons_write() {
    for text in [
        "2024/3/5",
        "2024-03-05",
        "2024.3.5",
        "2024年3月5日",
        "20240305",
        "2024/3/5 0:00",
        "2024-03-05T00:00:00",
        "２０２４/３/５",
        "45356",
        "45356.0",
    ] {
        assert_eq!(parse_date(text), Some(d(2024, 3, 5)), "{text}");
    }
    assert_eq!(parse_date("3月5日"), Some(d(BIRTHDAY_YEAR_UNKNOWN, 3, 5)));
    assert_eq!(parse_date("2月29日"), Some(d(BIRTHDAY_YEAR_UNKNOWN, 2, 29)));
    // Ambiguous or impossible.
    for text in [
        "3/5/2024",
        "5/3",
        "2024/2/30",
        "2024-13-01",
        "abc",
        "",
        "2024",
        "1.5",
    ] {
        assert_eq!(parse_date(text), None, "{text}");
    }
}

#[test]
fn excel_serial_dates_count_from_1899_12_30() {
    assert_eq!(parse_date("32874"), Some(d(1990, 1, 1)));
    assert_eq!(parse_date("32874.5"), Some(d(1990, 1, 1)));
    assert_eq!(parse_date("1"), None);
    assert_eq!(parse_date("90000"), None);
    assert_eq!(parse_date("999999"), None);
}

#[test]
fn gender_words_in_both_languages() {
    for (text, g) in [
        ("女", Gender::Female),
        ("女士", Gender::Female),
        ("F", Gender::Female),
        ("female", Gender::Female),
        ("男", Gender::Male),
        ("M", Gender::Male),
        ("Male", Gender::Male),
        ("其他", Gender::Other),
        ("未知", Gender::Undisclosed),
        ("", Gender::Undisclosed),
        ("-", Gender::Undisclosed),
    ] {
        assert_eq!(parse_gender(text), Some(g), "{text}");
    }
    assert_eq!(parse_gender("女生们"), None);
}

#[test]
fn headers_are_guessed_in_chinese_and_english() {
    let zh = guess_mapping(&headers(&[
        "客户姓名",
        "手机号码",
        "生日",
        "性别",
        "会员卡号",
        "备注",
        "标签",
        "余额",
        "微信",
        "邮箱",
        "门店",
    ]));
    assert_eq!(
        zh,
        vec![
            ImportColumn::Name,
            ImportColumn::Phone,
            ImportColumn::Birthday,
            ImportColumn::Gender,
            ImportColumn::MembershipNo,
            ImportColumn::Notes,
            ImportColumn::Tags,
            ImportColumn::Balance,
            ImportColumn::Wechat,
            ImportColumn::Email,
            ImportColumn::Ignore,
        ]
    );
    let en = guess_mapping(&headers(&[
        "Name",
        "Mobile phone",
        "Date of birth",
        "Sex",
        "Member No.",
        "Notes",
        "Tags",
        "Balance",
        "E-mail",
        "Visits",
    ]));
    assert_eq!(
        en,
        vec![
            ImportColumn::Name,
            ImportColumn::Phone,
            ImportColumn::Birthday,
            ImportColumn::Gender,
            ImportColumn::MembershipNo,
            ImportColumn::Notes,
            ImportColumn::Tags,
            ImportColumn::Balance,
            ImportColumn::Email,
            ImportColumn::Ignore,
        ]
    );
    // A second phone column is left out until the user says otherwise.
    assert_eq!(
        guess_mapping(&headers(&["姓名", "手机", "电话"])),
        vec![
            ImportColumn::Name,
            ImportColumn::Phone,
            ImportColumn::Ignore
        ]
    );
}

#[test]
fn a_mapping_needs_one_name_and_no_field_twice() {
    use ImportColumn as C;
    assert_eq!(
        check_mapping(&[C::Name, C::Phone, C::Ignore, C::Ignore]),
        Ok(())
    );
    assert_eq!(check_mapping(&[C::Phone]), Err(MappingError::NoNameColumn));
    assert_eq!(
        check_mapping(&[C::Name, C::Phone, C::Phone]),
        Err(MappingError::ColumnTwice { column: C::Phone })
    );
    for c in ImportColumn::ALL {
        assert_eq!(ImportColumn::from_key(c.key()), Some(c));
    }
}

#[test]
fn phones_are_normalised() {
    use ImportColumn as C;
    let mapping = [C::Name, C::Phone];
    for text in [
        "138 1234 5678",
        "+86 138-1234-5678",
        "8613812345678",
        "(138)1234.5678",
    ] {
        let parsed = parse_row(2, &row(&["王芳", text]), &mapping, today()).expect(text);
        assert_eq!(
            parsed.phone.as_ref().map(Phone::as_str),
            Some("+8613812345678")
        );
    }
    let bad = parse_row(7, &row(&["王芳", "12345"]), &mapping, today());
    assert_eq!(
        bad,
        Err(RowError {
            row: 7,
            problem: RowProblem::PhoneInvalid,
            value: "12345".into()
        })
    );
    let landline = parse_row(3, &row(&["王芳", "+86 10 1234 5678"]), &mapping, today());
    assert_eq!(
        landline.map_err(|e| e.problem),
        Err(RowProblem::PhoneNotCnMobile)
    );
}

#[test]
fn a_row_becomes_the_customers_fields() {
    use ImportColumn as C;
    let mapping = [
        C::Name,
        C::Phone,
        C::Birthday,
        C::Gender,
        C::MembershipNo,
        C::Notes,
        C::Tags,
        C::Balance,
    ];
    let parsed = parse_row(
        2,
        &row(&[
            " 李娜 ",
            "13900001111",
            "1990/1/2",
            "女",
            "VIP-001",
            "喜欢安静",
            "VIP、敏感肌, vip",
            "1200.00",
        ]),
        &mapping,
        today(),
    )
    .expect("a good row");
    assert_eq!(parsed.row, 2);
    let names: Vec<&str> = parsed.fields.iter().map(FieldSet::name).collect();
    assert_eq!(
        names,
        [
            "name",
            "phone",
            "birthday",
            "gender",
            "membership_no",
            "notes",
            "tags"
        ]
    );
    assert!(
        parsed
            .fields
            .contains(&CustomerField::Birthday(Some(d(1990, 1, 2))))
    );
    assert!(parsed.fields.contains(&CustomerField::Tags(vec![
        Tag::parse("vip").expect("tag"),
        Tag::parse("敏感肌").expect("tag"),
    ])));
    assert_eq!(parsed.balance, Some(Money(120_000)));
    // Fewer cells than columns: the missing ones are empty.
    let short = parse_row(3, &row(&["张三"]), &mapping, today()).expect("a short row");
    assert_eq!(short.balance, None);
}

#[test]
fn balances_as_sheets_write_them() {
    for (raw, fen) in [
        ("1200", 120_000),
        ("1,200.50", 120_050),
        ("¥1200", 120_000),
        ("￥1 200.5", 120_050),
        ("1200元", 120_000),
        ("RMB 80", 8_000),
        ("-80", -8_000),
        ("0", 0),
    ] {
        assert_eq!(parse_balance(raw), Some(Money(fen)), "{raw}");
    }
    for raw in ["abc", "12.345", "1.2.3", "--5", "五百"] {
        assert_eq!(parse_balance(raw), None, "{raw}");
    }
    let mapping = [ImportColumn::Name, ImportColumn::Balance];
    let bad = parse_row(4, &row(&["李娜", "一千"]), &mapping, today()).unwrap_err();
    assert_eq!((bad.row, bad.problem), (4, RowProblem::BalanceInvalid));
    // A zero balance opens no card.
    let zero = parse_row(5, &row(&["李娜", "0.00"]), &mapping, today()).expect("zero");
    assert_eq!(zero.balance, None);
}

#[test]
fn a_balance_opens_a_new_files_card_and_is_left_out_of_a_merge() {
    use ImportColumn as C;
    let mapping = [C::Name, C::Phone, C::Balance];
    let fang = customer(9, "王芳", "13800000001", &[]);
    let existing = customers_by_phone([&fang]);
    let rows = vec![
        row(&["王芳", "13800000001", "500"]), // row 2: hers exists: left out
        row(&["刘洋", "13800000002", "300"]), // row 3: new
        row(&["刘洋", "13800000002", "350"]), // row 4: same as row 3: the later balance
        row(&["陈静", "", "1,000"]),          // row 5: new
        row(&["赵敏", "13800000004", ""]),    // row 6: new, no balance
    ];
    let plan = plan_import(&rows, &mapping, &existing, DuplicatePolicy::Merge, today());
    // Her existing file changes in nothing, so it has no write at all.
    let balances: Vec<Option<Money>> = plan.writes.iter().map(|w| w.balance).collect();
    assert_eq!(
        balances,
        [Some(Money(35_000)), Some(Money(100_000)), None],
        "{:?}",
        plan.writes
    );
    assert_eq!(plan.balances_left_out, [2]);
    assert_eq!(plan.balances_total, Money(135_000));
    // Kept as a second file, she gets her own card.
    let both = plan_import(
        &rows,
        &mapping,
        &existing,
        DuplicatePolicy::KeepBoth,
        today(),
    );
    assert_eq!(both.balances_left_out, Vec::<usize>::new());
    assert_eq!(
        both.balances_total,
        Money(50_000 + 30_000 + 35_000 + 100_000)
    );
}

#[test]
fn bad_rows_say_why() {
    use ImportColumn as C;
    let mapping = [C::Name, C::Birthday, C::Gender, C::Email];
    let problem = |cells: &[&str]| {
        parse_row(4, &row(cells), &mapping, today())
            .err()
            .map(|e| e.problem)
    };
    assert_eq!(problem(&["", "1990-1-1"]), Some(RowProblem::NameMissing));
    assert_eq!(problem(&[&"长".repeat(61)]), Some(RowProblem::NameInvalid));
    assert_eq!(problem(&["A", "去年"]), Some(RowProblem::BirthdayInvalid));
    assert_eq!(
        problem(&["A", "2030-01-01"]),
        Some(RowProblem::BirthdayOutOfRange)
    );
    assert_eq!(
        problem(&["A", "1850-01-01"]),
        Some(RowProblem::BirthdayOutOfRange)
    );
    assert_eq!(
        problem(&["A", "", "女孩子"]),
        Some(RowProblem::GenderUnknown)
    );
    assert_eq!(
        problem(&["A", "", "", "not-mail"]),
        Some(RowProblem::EmailInvalid)
    );
}

fn customer(id: u128, name: &str, phone: &str, tags: &[&str]) -> Customer {
    let mut c = Customer::new(
        CustomerId::from_u128(id),
        StoreId::from_u128(1),
        Name::parse(name).expect("name"),
    );
    c.phone = Some(Phone::parse(phone).expect("phone"));
    c.tags = tags.iter().map(|t| Tag::parse(t).expect("tag")).collect();
    c
}

fn sample_rows() -> Vec<Vec<String>> {
    vec![
        row(&["王芳", "13800000001", "老客户"]), // row 2: an existing customer's phone
        row(&["刘洋", "13800000002", ""]),       // row 3: new
        row(&["刘洋", "138 0000 0002", "VIP"]),  // row 4: same phone as row 3
        row(&["", "13800000003", ""]),           // row 5: no name
        row(&["", "", ""]),                      // row 6: empty, passed over
        row(&["陈静", "", ""]),                  // row 7: new, no phone
    ]
}

#[test]
fn duplicates_merge_skip_or_keep_both() {
    use ImportColumn as C;
    let mapping = [C::Name, C::Phone, C::Tags];
    let fang = customer(9, "王芳", "13800000001", &["常客"]);
    let existing = customers_by_phone([&fang]);

    let merge = plan_import(
        &sample_rows(),
        &mapping,
        &existing,
        DuplicatePolicy::Merge,
        today(),
    );
    assert_eq!(
        (merge.new_count, merge.merged_count, merge.skipped_count),
        (2, 2, 0)
    );
    assert_eq!(merge.errors.len(), 1);
    assert_eq!(merge.errors[0].row, 5);
    assert_eq!(merge.errors[0].problem, RowProblem::NameMissing);
    // Her file gets only the tag it lacks, added to hers; her name and phone are unchanged.
    let hers = merge
        .writes
        .iter()
        .find(|w| w.target == ImportTarget::Existing(fang.id))
        .expect("a write into her file");
    assert_eq!(
        hers.fields,
        vec![CustomerField::Tags(vec![
            Tag::parse("常客").expect("tag"),
            Tag::parse("老客户").expect("tag"),
        ])]
    );
    // Rows 3 and 4 are one new file, with row 4's tag.
    let yang = merge
        .writes
        .iter()
        .find(|w| w.target == ImportTarget::New(0))
        .expect("row 3's file");
    assert!(
        yang.fields
            .contains(&CustomerField::Tags(vec![Tag::parse("vip").expect("tag")]))
    );
    assert_eq!(merge.writes.len(), 3);

    let skip = plan_import(
        &sample_rows(),
        &mapping,
        &existing,
        DuplicatePolicy::Skip,
        today(),
    );
    assert_eq!(
        (skip.new_count, skip.merged_count, skip.skipped_count),
        (2, 0, 2)
    );
    assert!(
        skip.writes
            .iter()
            .all(|w| matches!(w.target, ImportTarget::New(_)))
    );

    let both = plan_import(
        &sample_rows(),
        &mapping,
        &existing,
        DuplicatePolicy::KeepBoth,
        today(),
    );
    assert_eq!(
        (both.new_count, both.merged_count, both.skipped_count),
        (4, 0, 0)
    );
    assert_eq!(both.writes.len(), 4);
}

#[test]
fn two_rows_of_one_existing_customer_keep_her_tags() {
    use ImportColumn as C;
    let fang = customer(9, "王芳", "13800000001", &["常客"]);
    let existing = customers_by_phone([&fang]);
    let plan = plan_import(
        &[
            row(&["王芳", "13800000001", ""]),
            row(&["王芳", "13800000001", "VIP"]),
        ],
        &[C::Name, C::Phone, C::Tags],
        &existing,
        DuplicatePolicy::Merge,
        today(),
    );
    assert_eq!(plan.merged_count, 2);
    assert_eq!(
        plan.writes,
        vec![PlannedWrite {
            target: ImportTarget::Existing(fang.id),
            fields: vec![CustomerField::Tags(vec![
                Tag::parse("常客").expect("tag"),
                Tag::parse("vip").expect("tag"),
            ])],
            balance: None,
        }]
    );
}

#[test]
fn a_merge_that_changes_nothing_writes_nothing() {
    use ImportColumn as C;
    let fang = customer(9, "王芳", "13800000001", &["常客"]);
    let existing = customers_by_phone([&fang]);
    let plan = plan_import(
        &[row(&["王芳", "+86 138 0000 0001", "常客"])],
        &[C::Name, C::Phone, C::Tags],
        &existing,
        DuplicatePolicy::Merge,
        today(),
    );
    assert_eq!(plan.merged_count, 1);
    assert!(plan.writes.is_empty());
}

#[test]
fn ten_thousand_rows_plan_quickly() {
    use ImportColumn as C;
    let rows: Vec<Vec<String>> = (0..10_000)
        .map(|i| {
            row(&[
                &format!("顾客{i}"),
                &format!("139{i:08}"),
                "1990/3/5",
                "女",
                &format!("M{i}"),
                "",
                "VIP",
            ])
        })
        .collect();
    let mapping = [
        C::Name,
        C::Phone,
        C::Birthday,
        C::Gender,
        C::MembershipNo,
        C::Notes,
        C::Tags,
    ];
    let plan = plan_import(
        &rows,
        &mapping,
        &HashMap::new(),
        DuplicatePolicy::Merge,
        today(),
    );
    assert_eq!(plan.new_count, 10_000);
    assert!(plan.errors.is_empty());
}
