//! Roster import: a homeroom teacher (for their own classes) or a records administrator
//! uploads an .xlsx or .csv (UTF-8 or GBK, as Chinese Excel saves it), maps its columns to
//! the record's fields, sees a dry run with every row's problems (never its values), then
//! imports the valid rows as drafts in one transaction. The uploaded rows are sealed while
//! they wait, and deleted once imported or discarded.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CLASS_COLUMN as CLASS;
use crate::{
    db::new_public_id,
    domain::{
        Actor, Role,
        records::{
            GuardianInput, Record, RecordInput, StudentInput, codes,
            fields::{self, Kind},
            id_card::IdCardNumber,
        },
    },
    errors::{AppError, FieldError},
    features::import::views::{ImportView, ProblemGroup, RowProblem},
    features::{
        import::store as repo,
        records::{
            service::{self as records_service, Acting, FormTarget, write_record},
            store as records_repo,
        },
        structure::store as structure,
    },
    kit::audit::chain::{self as audit, NewEntry},
    kit::context::Context,
};

/// The largest file accepted, in bytes (the request's own limit, `XUEJI_BODY_LIMIT`, is a
/// little larger so that this one answers first, in words).
pub const MAX_BYTES: usize = 900 * 1024;
/// The most rows one file may hold.
pub const MAX_ROWS: usize = 5000;

/// One cell: its text, and whether the spreadsheet stored it as a number (an 18-digit
/// number has already lost its last digits to Excel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    pub numeric: bool,
}

/// A file's header and data rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Text of a file saved by Chinese Excel: UTF-8 (with or without its byte-order mark), or
/// GBK (GB18030, its superset).
pub fn decode_text(bytes: &[u8]) -> Result<String, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(AppError::invalid("file", "import.encoding"));
    }
    Ok(text.into_owned())
}

fn numeric_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// The most columns one file may hold.
pub const MAX_COLUMNS: usize = 100;

/// The most a workbook's parts may take once unpacked (a 900 KB .xlsx of text unpacks to a
/// few megabytes; a zip bomb declares far more).
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

fn cell_of(data: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match data {
        DataRef::Float(f) => Cell {
            text: numeric_text(*f),
            numeric: true,
        },
        DataRef::Int(i) => Cell {
            text: i.to_string(),
            numeric: true,
        },
        DataRef::DateTime(d) => Cell {
            text: excel_date(&(d.as_f64() as u64).to_string())
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            numeric: false,
        },
        DataRef::String(t) | DataRef::DateTimeIso(t) | DataRef::DurationIso(t) => Cell {
            text: t.clone(),
            numeric: false,
        },
        DataRef::SharedString(t) => Cell {
            text: (*t).to_owned(),
            numeric: false,
        },
        DataRef::Bool(b) => Cell {
            text: b.to_string(),
            numeric: false,
        },
        DataRef::Error(_) | DataRef::Empty => Cell {
            text: String::new(),
            numeric: false,
        },
    }
}

/// The rows of an .xlsx's first sheet, read cell by cell as the sheet's XML streams: the
/// declared dimension and every cell's reference are checked against the bounds before
/// anything is allocated for them, so no dense range of the sheet is ever built (a cell at
/// XFD1048576 would make one of 549 GB).
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, AppError> {
    use calamine::Reader;
    let unreadable = || AppError::invalid("file", "import.unreadable");
    let too_big = || AppError::invalid("file", "import.too_many_columns");
    let mut unpacked = 0u64;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    for i in 0..zip.len() {
        unpacked += zip.by_index_raw(i).map_err(|_| unreadable())?.size();
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(AppError::invalid("file", "import.too_large"));
    }
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| AppError::invalid("file", "import.empty"))?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| unreadable())?;
    let declared = cells.dimensions();
    let within =
        |(row, column): (u32, u32)| (row as usize) <= MAX_ROWS && (column as usize) < MAX_COLUMNS;
    if !within(declared.end) {
        return Err(too_big());
    }
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let value = cell.get_value();
        if matches!(value, calamine::DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if !within((row, column)) {
            return Err(too_big());
        }
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, || Cell {
                text: String::new(),
                numeric: false,
            });
        }
        cells[column] = cell_of(value);
    }
    Ok(rows)
}

/// The records of a CSV, refused as soon as one has more columns, or the file more rows, than
/// an import takes.
fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, AppError> {
    let text = decode_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|_| AppError::invalid("file", "import.unreadable"))?
    {
        if record.len() > MAX_COLUMNS {
            return Err(AppError::invalid("file", "import.too_many_columns"));
        }
        if record.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        if rows.len() > MAX_ROWS {
            return Err(AppError::invalid("file", "import.too_many_rows"));
        }
        rows.push(
            record
                .iter()
                .map(|t| Cell {
                    text: t.to_owned(),
                    numeric: false,
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// Reads an .xlsx (its first sheet) or a .csv into a table; empty rows are skipped.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::invalid("file", "import.too_large"));
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "import.empty"));
    }
    let xlsx = bytes.starts_with(b"PK\x03\x04") || file_name.to_lowercase().ends_with(".xlsx");
    let mut rows = if xlsx {
        xlsx_rows(bytes)?
    } else {
        csv_rows(bytes)?
    };
    rows.retain(|r| r.iter().any(|c| !c.text.trim().is_empty()));
    if rows.is_empty() {
        return Err(AppError::invalid("file", "import.empty"));
    }
    let header: Vec<String> = rows
        .remove(0)
        .into_iter()
        .map(|c| c.text.trim().to_owned())
        .collect();
    if rows.len() > MAX_ROWS {
        return Err(AppError::invalid("file", "import.too_many_rows"));
    }
    Ok(Table { header, rows })
}

/// A field a column can fill, and the headers that name it.
pub struct Target {
    /// `phone`, `guardians.1.phone`.
    pub field: String,
    pub kind: Kind,
    pub headers: Vec<String>,
}

/// The fields a column can fill: those of the field catalogue that name import headers, a
/// family member's for each of the first [`fields::IMPORT_SLOTS`] slots.
pub fn targets() -> &'static [Target] {
    static TARGETS: std::sync::LazyLock<Vec<Target>> = std::sync::LazyLock::new(|| {
        let students = fields::STUDENT
            .iter()
            .filter(|f| !f.import_headers.is_empty())
            .map(|f| Target {
                field: f.meta.key.to_owned(),
                kind: f.meta.kind,
                headers: f.import_headers.iter().map(|h| (*h).to_owned()).collect(),
            });
        let members = (0..fields::IMPORT_SLOTS).flat_map(|slot| {
            fields::FAMILY
                .iter()
                .filter(|f| !f.import_headers.is_empty())
                .map(move |f| Target {
                    field: format!("guardians.{slot}.{}", f.meta.key),
                    kind: f.meta.kind,
                    headers: fields::member_headers(f, slot),
                })
        });
        let class = Target {
            field: CLASS.to_owned(),
            kind: Kind::Text,
            headers: ["班级", "班别", "所在班级", "class"]
                .map(String::from)
                .to_vec(),
        };
        let mut targets: Vec<Target> = std::iter::once(class)
            .chain(students)
            .chain(members)
            .collect();
        with_initials(&mut targets);
        targets
    });
    &TARGETS
}

/// Adds to the student's fields (and the class) the headers the national template gives its
/// columns: the pinyin initials of their Chinese headers (`xm` 姓名, `csrq` 出生日期,
/// `sfzjh` 身份证件号). Initials two fields would share, or that another field's header
/// already is, are left out: a column is never guessed into the wrong field.
fn with_initials(targets: &mut [Target]) {
    let named: HashSet<String> = targets
        .iter()
        .flat_map(|t| t.headers.iter().map(|h| header_key(h)))
        .collect();
    let mut owners: std::collections::HashMap<String, HashSet<usize>> =
        std::collections::HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if t.field.starts_with("guardians.") {
            continue;
        }
        // The field's own header only (the template's, the catalogue's first): a secondary
        // one's initials (住址 `zz`, 生日 `sr`) would name other columns' words as well.
        for h in t.headers.iter().take(1) {
            if !h.chars().any(|c| c > '\u{2e80}') {
                continue;
            }
            let initials = crate::kit::names::initials(&header_key(h));
            if initials.len() >= 2 && !named.contains(&initials) {
                owners.entry(initials).or_default().insert(i);
            }
        }
    }
    let mut added: Vec<(usize, String)> = owners
        .into_iter()
        .filter(|(_, o)| o.len() == 1)
        .map(|(initials, o)| (*o.iter().next().expect("one owner"), initials))
        .collect();
    added.sort();
    for (i, initials) in added {
        targets[i].headers.push(initials);
    }
}

/// The class a row names, when its class column holds something.
fn class_cell<'a>(row: &'a [Cell], mapping: &[String]) -> Option<&'a str> {
    row.iter()
        .zip(mapping)
        .find(|(_, field)| *field == CLASS)
        .map(|(cell, _)| cell.text.trim())
        .filter(|t| !t.is_empty())
}

/// A class's name as people write it, made comparable: no spaces or brackets, full-width
/// digits and letters as ASCII ("（1）班" and "1班" are the same class).
fn comparable(text: &str) -> String {
    text.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '【' | '】' | '[' | ']'))
        .collect()
}

/// A full-width digit, letter or sign ("（", "３") as its ASCII self.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The grade a 班级 cell begins with, and the rest: "一年级1班", "1年级(1)班", "初一3班",
/// "七年级3班", "高二（5）班"; the school year may stand before it ("2026-2027 一年级 1班").
fn grade_and_rest(text: &str) -> Option<(i64, String)> {
    const NUMERALS: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    let text = comparable(text);
    // A school year before the grade ("2026-2027").
    let text = match text.char_indices().nth(9) {
        Some((at, _))
            if text[..at].len() == 9
                && text.as_bytes()[4] == b'-'
                && text[..at].bytes().filter(u8::is_ascii_digit).count() == 8 =>
        {
            text[at..].to_owned()
        }
        _ => text,
    };
    let mut best: Option<(i64, usize)> = None;
    for grade in 1..=12usize {
        let mut names = vec![
            format!("{}年级", NUMERALS[grade - 1]),
            format!("{grade}年级"),
        ];
        match grade {
            7..=9 => names.push(format!("初{}", NUMERALS[grade - 7])),
            10..=12 => names.push(format!("高{}", NUMERALS[grade - 10])),
            _ => {}
        }
        for name in names {
            if text.starts_with(&name) && best.is_none_or(|(_, len)| name.len() > len) {
                best = Some((grade as i64, name.len()));
            }
        }
    }
    // A bare numeral before the class's number: "一(2)班", "一2班".
    if best.is_none() {
        best = (1..=12usize).find_map(|grade| {
            let name = NUMERALS[grade - 1];
            text.strip_prefix(name)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                .map(|_| (grade as i64, name.len()))
        });
    }
    if best.is_none()
        && let Some((g, c)) = text.split_once(['.', '-', '/', '、'])
        && let (Ok(g), Ok(c)) = (g.parse::<i64>(), c.parse::<u32>())
        && (1..=12).contains(&g)
    {
        // "1.2": grade 1, class 2.
        return Some((g, c.to_string()));
    }
    let (grade, len) = best?;
    Some((grade, numerals_as_digits(&text[len..])))
}

/// A class's own part with its Chinese numerals as digits: "二班" as "2班", "十二班" as
/// "12班" (the numbers schools count classes with, up to 99).
fn numerals_as_digits(text: &str) -> String {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run: Vec<char> = chars[i..]
            .iter()
            .take_while(|c| digit(**c).is_some() || **c == '十')
            .copied()
            .collect();
        if run.is_empty() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += run.len();
        let value = match run.iter().position(|c| *c == '十') {
            Some(at) => {
                let tens = if at == 0 {
                    Some(1)
                } else {
                    run[..at].iter().map(|c| digit(*c)).sum::<Option<u32>>()
                };
                let ones = run[at + 1..].iter().map(|c| digit(*c)).sum::<Option<u32>>();
                tens.zip(ones)
                    .filter(|_| at <= 1 && run.len() - at <= 2)
                    .map(|(t, o)| t * 10 + o)
            }
            None if run.len() == 1 => digit(run[0]),
            None => None,
        };
        match value {
            Some(v) => out.push_str(&v.to_string()),
            None => out.extend(run),
        }
    }
    out
}

/// The class of `classes` a name as schools write it ("一年级1班", "初一（3）班") names.
pub(crate) fn class_named<'a>(
    classes: &'a [structure::ClassRow],
    text: &str,
) -> Option<&'a structure::ClassRow> {
    let (grade, rest) = grade_and_rest(text)?;
    let rest = rest.strip_suffix('班').unwrap_or(&rest);
    classes.iter().find(|c| {
        let name = numerals_as_digits(&comparable(&c.name));
        c.grade == grade && name.strip_suffix('班').unwrap_or(&name) == rest
    })
}

/// Where each row of an upload goes: the class it was uploaded for, or the class of this
/// school year its 班级 cell names; a homeroom teacher's rows only into their own classes.
pub(crate) struct Destinations {
    uploaded: structure::ClassRow,
    current: Vec<structure::ClassRow>,
    /// The teacher a row's class must belong to, when a homeroom teacher imports.
    teacher: Option<i64>,
}

impl Destinations {
    pub(crate) async fn of(
        conn: &mut crate::db::Conn,
        uploaded_for: i64,
        acting: Acting<'_>,
    ) -> Result<Self, AppError> {
        let current = structure::current_classes(conn).await?;
        let uploaded = match current.iter().find(|c| c.id == uploaded_for) {
            Some(class) => class.clone(),
            None => structure::classes_by_ids(conn, &[uploaded_for])
                .await?
                .into_iter()
                .next()
                .ok_or_else(AppError::not_found)?,
        };
        Ok(Destinations {
            uploaded,
            current,
            teacher: (acting.role == Role::HomeroomTeacher).then_some(acting.actor.id),
        })
    }

    /// The class a row goes to, or the problem with its 班级 cell.
    #[cfg(test)]
    fn of_cell(&self, cell: Option<&str>) -> Result<i64, &'static str> {
        self.class_of(cell).map(|class| class.id)
    }

    /// The class a row goes to (whose homeroom teacher completes a row that comes in
    /// incomplete), or the problem with its 班级 cell.
    fn class_of(&self, cell: Option<&str>) -> Result<&structure::ClassRow, &'static str> {
        let Some(cell) = cell else {
            return Ok(&self.uploaded);
        };
        let class = class_named(&self.current, cell).ok_or("import.class_unknown")?;
        match self.teacher {
            Some(teacher) if class.homeroom_teacher_id != Some(teacher) => {
                Err("import.class_not_yours")
            }
            _ => Ok(class),
        }
    }
}

/// The homeroom teacher of `class` when their account can act as one (not disabled, frozen
/// or without the role): nobody else completes a row that comes in incomplete.
fn acting_teacher(class: &structure::ClassRow) -> Option<i64> {
    class
        .homeroom_teacher_id
        .filter(|_| class.homeroom_teacher_state.is_none())
}

/// The template's header: the first name each field is known by.
pub fn template_header() -> Vec<&'static str> {
    targets().iter().map(|t| t.headers[0].as_str()).collect()
}

/// A header as schools write it, made comparable: full-width as ASCII, no spaces, no marks
/// of a required column (`*`, `★`), nothing in brackets ("身份证号码（18位）"), lower case.
fn header_key(header: &str) -> String {
    let mut depth = 0usize;
    let mut key = String::new();
    for c in header.chars().map(half_width) {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() || matches!(c, '*' | '★' | '※' | ':') => {}
            _ => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// The field each column most likely fills ("" for none), from its header.
pub fn guess(header: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    header
        .iter()
        .map(|h| {
            let h = header_key(h);
            targets()
                .iter()
                .find(|t| !taken.contains(&t.field) && t.headers.iter().any(|n| header_key(n) == h))
                .map(|t| {
                    taken.insert(&t.field);
                    t.field.clone()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// A code of `list` from its code or its name in the national list (`Code::name`), never
/// from a label of the portal's: rewording the page does not change what imports.
fn code_of(list: &[codes::Code], text: &str) -> String {
    list.iter()
        .find(|c| c.code.eq_ignore_ascii_case(text) || c.name == text)
        .map(|c| c.code.to_owned())
        .unwrap_or_else(|| text.to_owned())
}

/// A yes/no cell as the form takes it: "1" or "0" (anything else stays, to be refused).
fn flag_of(text: &str) -> String {
    match text.to_lowercase().as_str() {
        "是" | "有" | "1" | "y" | "yes" | "√" | "✓" | "true" => "1".into(),
        "否" | "无" | "0" | "n" | "no" | "" | "false" => "0".into(),
        _ => text.to_owned(),
    }
}

fn ethnicity_of(text: &str) -> String {
    codes::ethnicities()
        .iter()
        .find(|e| {
            e.code == text
                || e.name == text
                || e.name.strip_suffix('族') == Some(text)
                || e.romanization.eq_ignore_ascii_case(text)
        })
        .map(|e| e.code.to_owned())
        .unwrap_or_else(|| text.to_owned())
}

/// An Excel date serial (days since 1899-12-30) as a date.
fn excel_date(serial: &str) -> Option<NaiveDate> {
    let days: u64 = serial.split('.').next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(days))
}

/// "2017/3/7", "2017.3.7", "20170307" or an Excel serial as "2017-03-07"; anything else as is
/// (the record's rule then says what is wrong with it).
fn date_text(cell: &Cell) -> String {
    let t = cell.text.trim();
    if cell.numeric
        && t.len() == 5
        && let Some(d) = excel_date(t)
    {
        return d.format("%Y-%m-%d").to_string();
    }
    let parts: Vec<&str> = t
        .trim_end_matches('日')
        .split(['/', '.', '-', '年', '月'])
        .collect();
    if let [y, m, d] = parts.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
        && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
    {
        return date.format("%Y-%m-%d").to_string();
    }
    if t.len() == 8
        && t.bytes().all(|b| b.is_ascii_digit())
        && let Ok(date) = NaiveDate::parse_from_str(t, "%Y%m%d")
    {
        return date.format("%Y-%m-%d").to_string();
    }
    t.to_owned()
}

/// "2023/9", "2023.09", "202309" or an Excel serial as "2023-09".
fn month_text(cell: &Cell) -> String {
    let t = cell.text.trim();
    if cell.numeric
        && t.len() == 5
        && let Some(d) = excel_date(t)
    {
        return format!("{:04}-{:02}", d.year(), d.month());
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    match parts.as_slice() {
        [y, m] | [y, m, _] if y.len() == 4 => match m.parse::<u32>() {
            Ok(m) => format!("{y}-{m:02}"),
            Err(_) => t.to_owned(),
        },
        _ if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}-{}", &t[..4], &t[4..])
        }
        _ => t.to_owned(),
    }
}

/// Whether an identity-number cell was stored as a number: Excel keeps 15 significant
/// digits, so the last ones are gone (and shows it as 3.30106E+17 in a CSV).
fn corrupted_number(cell: &Cell) -> bool {
    let t = cell.text.trim();
    cell.numeric
        || t.contains(['E', 'e'])
            && t.contains('+')
            && t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The identity card number a spreadsheet stored as a number, when it can be told for
/// certain. A number keeps 15 to 17 significant digits of the 18, so every number the cell
/// may have come from is tried: the one that is a valid identity number (its check
/// character, its date of birth, and the row's own date of birth and sex where it has them)
/// is the number, if it is the only one. A cell with 15 significant digits or fewer may have
/// been cut short (as Excel does when one types 18 digits) rather than rounded, and is never
/// guessed from.
fn recovered_id_number(cell: &Cell, born: Option<NaiveDate>, sex: &str) -> Option<String> {
    let value: f64 = cell.text.trim().parse().ok()?;
    if !(1e17..1e18).contains(&value) || value.fract() != 0.0 {
        return None;
    }
    let shortest = format!("{value:e}");
    let significant = shortest
        .split('e')
        .next()?
        .bytes()
        .filter(u8::is_ascii_digit)
        .count();
    if significant <= 15 {
        return None;
    }
    let centre = value as u64;
    // Numbers of this size are 16 to 128 apart: every integer within a step either side.
    let step = (value.next_up() - value) as u64;
    let mut found = None;
    for n in centre.saturating_sub(step)..=centre + step {
        if n as f64 != value {
            continue;
        }
        let Ok(id) = IdCardNumber::parse(&n.to_string()) else {
            continue;
        };
        if born.is_some_and(|b| b != id.birth_date()) || (!sex.is_empty() && sex != id.sex().code())
        {
            continue;
        }
        if found.replace(n).is_some() {
            return None;
        }
    }
    found.map(|n| n.to_string())
}

/// The relation a family member's column names in its header ("父亲电话", "妈妈姓名").
fn relation_in(header: &str) -> Option<&'static str> {
    let h = header_key(header);
    [
        (["父亲", "爸爸"], "father"),
        (["母亲", "妈妈"], "mother"),
        (["祖父", "爷爷"], "grandfather"),
        (["祖母", "奶奶"], "grandmother"),
        (["外祖父", "外公"], "grandfather"),
        (["外祖母", "外婆"], "grandmother"),
    ]
    .into_iter()
    .find(|(names, _)| names.iter().any(|n| h.starts_with(n)))
    .map(|(_, code)| code)
}

/// A row as the form's input, with the problems found before the record's own rules.
/// `header` names the columns: a family member's relation is read from it ("父亲电话")
/// where no column gives it.
pub fn row_input(
    row: &[Cell],
    mapping: &[String],
    header: &[String],
) -> (RecordInput, Vec<FieldError>) {
    let mut input = RecordInput {
        student: StudentInput {
            nationality: "CHN".into(),
            document_type: codes::ID_CARD.into(),
            left_behind: "0".into(),
            migrant: "0".into(),
            orphan: "0".into(),
            disabled: "0".into(),
            ..Default::default()
        },
        guardians: vec![GuardianInput::default(); 2],
    };
    let mut problems = Vec::new();
    let mut numbers = Vec::new();
    for (i, (cell, field)) in row.iter().zip(mapping).enumerate() {
        let Some(target) = targets().iter().find(|t| t.field == *field) else {
            continue;
        };
        if let Some(slot) = field
            .strip_prefix("guardians.")
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(slot, _)| slot.parse::<usize>().ok())
            && let Some(relation) = header.get(i).and_then(|h| relation_in(h))
            && let Some(g) = input.guardians.get_mut(slot)
            && g.relation.trim().is_empty()
        {
            g.relation = relation.into();
        }
        let text = cell.text.trim().to_owned();
        let value = match target.kind {
            // Decided once the row's date of birth and sex are read.
            Kind::DocumentNumber if corrupted_number(cell) => {
                numbers.push((field.clone(), cell));
                continue;
            }
            Kind::Choice(list) => code_of(list, &text),
            Kind::Flag => flag_of(&text),
            Kind::Ethnicity => ethnicity_of(&text),
            Kind::Date => {
                // "2020.4" in a 出生年月 column: the month, completed from the identity card.
                let date = date_text(cell);
                match (date.len(), month_text(cell)) {
                    (10, _) => date,
                    (_, month) if month.len() == 7 => month,
                    _ => date,
                }
            }
            Kind::Month => month_text(cell),
            // Every postal code has six digits, and those of 010000–079999 begin with a 0: a
            // number cell of five digits from 10000 to 79999 lost it. (Typed as text, five
            // digits are a mistake to show.)
            Kind::PostalCode
                if cell.numeric
                    && text.len() == 5
                    && text.bytes().all(|b| b.is_ascii_digit())
                    && (b'1'..=b'7').contains(&text.as_bytes()[0]) =>
            {
                format!("0{text}")
            }
            _ => text,
        };
        input.set_field(field, value);
    }
    let born = crate::domain::records::parse_date(&input.student.birth_date);
    for (field, cell) in numbers {
        let recovered = (field == "id_number")
            .then(|| recovered_id_number(cell, born, input.student.sex.trim()))
            .flatten();
        match recovered {
            // Worked out, not read: the row comes in as a draft whose teacher checks the
            // number against the card before anything is saved.
            Some(number) => {
                input.set_field(&field, number);
                problems.push(FieldError {
                    field,
                    code: "import.id_recovered".into(),
                });
            }
            None => problems.push(FieldError {
                field,
                code: "import.id_numeric".into(),
            }),
        }
    }
    // An identity card gives its holder's sex and date of birth where the file does not
    // (a 出生年月 column may hold the month alone).
    if input.student.document_type == codes::ID_CARD
        && let Ok(id) = IdCardNumber::parse(&input.student.id_number)
    {
        if input.student.sex.trim().is_empty() {
            input.student.sex = id.sex().code().into();
        }
        let birth = id.birth_date().format("%Y-%m-%d").to_string();
        let typed = input.student.birth_date.trim();
        if typed.is_empty() || (typed.len() == 7 && birth.starts_with(typed)) {
            input.student.birth_date = birth;
        }
    }
    // A family member named in the file is taken as a guardian, unless the file says not.
    for g in &mut input.guardians {
        if !g.name.trim().is_empty() && g.is_guardian.trim().is_empty() {
            g.is_guardian = "1".into();
        }
        // The relation a header gave stays with a member the row names.
        if g.name.trim().is_empty() && g.phone.trim().is_empty() {
            g.relation.clear();
            g.is_guardian.clear();
        }
    }
    (input, problems)
}

/// A row that comes in incomplete: what it has, as the form would show it, and what is
/// missing or wrong, for the class's homeroom teacher to complete.
pub struct Incomplete {
    pub input: RecordInput,
    pub errors: Vec<FieldError>,
    pub class: i64,
    /// The class's opaque id, which the draft's key carries.
    pub class_public_id: String,
    pub teacher: i64,
}

/// What a dry run found: the rows that would be imported whole (each with the class it goes
/// to), those that come in as drafts to complete, and every row's problems.
pub struct Checked {
    pub total: usize,
    pub valid: Vec<(Record, i64)>,
    pub incomplete: Vec<Incomplete>,
    pub problems: Vec<RowProblem>,
}

impl Checked {
    /// How many rows go to each class, in the order the classes first appear.
    fn per_class(&self) -> Vec<(i64, usize)> {
        let mut counts: Vec<(i64, usize)> = Vec::new();
        let classes = self
            .valid
            .iter()
            .map(|(_, class)| *class)
            .chain(self.incomplete.iter().map(|i| i.class));
        for class in classes {
            match counts.iter_mut().find(|(c, _)| *c == class) {
                Some((_, n)) => *n += 1,
                None => counts.push((class, 1)),
            }
        }
        counts
    }

    /// How many rows are not imported at all.
    fn refused(&self) -> usize {
        self.total - self.valid.len() - self.incomplete.len()
    }
}

/// Checks every row as the form would, plus the same identity number twice in the file or
/// already on a record the importer could see anyway (`Acting::may_be_told_of`: a number of
/// another class's child gets the answer a number of nobody gets).
///
/// A row that passes is imported as a draft record. A row with a name that does not (fields
/// missing, as a school's own sheet has them, or a value to correct) comes in as a draft
/// form of its class's homeroom teacher, holding what it has: a draft need not be complete,
/// a submission must. A row is not imported at all when its class is unknown or not the
/// importer's, it has no name, its class has no teacher to complete it, or its number is
/// already taken.
pub(crate) async fn check(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    acting: Acting<'_>,
    table: &Table,
    mapping: &[String],
    destinations: &Destinations,
) -> Result<Checked, AppError> {
    let today = cx.today();
    let mut seen = HashSet::new();
    let mut valid = Vec::new();
    let mut incomplete = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        // Rows are numbered as the spreadsheet numbers them: the header is row 1.
        let line = i + 2;
        let (input, mut found) = row_input(row, mapping, &table.header);
        let mut refusals: Vec<FieldError> = Vec::new();
        let refuse = |field: &str, code: &str| FieldError {
            field: field.into(),
            code: code.into(),
        };
        let class = match destinations.class_of(class_cell(row, mapping)) {
            Ok(class) => Some(class),
            Err(code) => {
                refusals.push(refuse(CLASS, code));
                None
            }
        };
        if input.student.name.trim().is_empty() {
            refusals.push(refuse("name", "import.no_name"));
        }
        // A cell longer than its field takes is no draft either: the dry run says so, and the
        // import never fails on it.
        if let Some(field) = input.oversized_field() {
            refusals.push(refuse(&field, "field.too_long"));
        }
        let parsed = Record::parse(&input, None, today);
        // The numbers a row holds, checked for a twin whether or not the row is complete.
        let id_number = match &parsed {
            Ok(record) => Some(record.secrets.id_number.clone()),
            Err(_) if input.student.document_type == codes::ID_CARD => {
                IdCardNumber::parse(&input.student.id_number)
                    .ok()
                    .map(|id| id.as_str().to_owned())
            }
            Err(_) => None,
        };
        if let Some(number) = id_number.filter(|n| !n.is_empty()) {
            if !seen.insert(number.clone()) {
                refusals.push(refuse("id_number", "import.duplicate_in_file"));
            } else {
                let student_number = parsed
                    .as_ref()
                    .map(|r| r.secrets.student_number.clone())
                    .unwrap_or_default();
                for (field, value) in [("id_number", &number), ("student_number", &student_number)]
                {
                    if value.is_empty() {
                        continue;
                    }
                    let index = cx.data.blind_index(field, value);
                    if records_repo::holders_of_index(conn, field, &index, None)
                        .await?
                        .iter()
                        .any(|holder| acting.may_be_told_of(holder))
                    {
                        refusals.push(refuse(field, &format!("{field}.duplicate")));
                    }
                }
            }
        }
        match (parsed, class) {
            (Ok(record), Some(class)) if refusals.is_empty() && found.is_empty() => {
                valid.push((record, class.id));
                continue;
            }
            (Ok(_), _) => {}
            (Err(errors), _) => {
                // A number a spreadsheet mangled already said what is wrong with that field.
                let known: HashSet<String> = found.iter().map(|f| f.field.clone()).collect();
                found.extend(errors.into_iter().filter(|e| !known.contains(&e.field)));
            }
        }
        if refusals.is_empty() {
            match class.and_then(|c| Some((c, acting_teacher(c)?))) {
                Some((class, teacher)) => {
                    problems.extend(found.iter().map(|f| RowProblem {
                        row: line,
                        field: f.field.clone(),
                        code: f.code.clone(),
                        refused: false,
                    }));
                    incomplete.push(Incomplete {
                        input,
                        errors: found,
                        class: class.id,
                        class_public_id: class.public_id.clone(),
                        teacher,
                    });
                    continue;
                }
                // Nobody to complete it: the row waits for a teacher to be assigned.
                _ => refusals.push(refuse(CLASS, "import.no_teacher")),
            }
        }
        // What keeps the row out first, then what else is to correct in it.
        let known: HashSet<String> = refusals.iter().map(|f| f.field.clone()).collect();
        let rest = found.into_iter().filter(|f| !known.contains(&f.field));
        problems.extend(refusals.into_iter().chain(rest).map(|f| RowProblem {
            row: line,
            field: f.field,
            code: f.code,
            refused: true,
        }));
    }
    Ok(Checked {
        total: table.rows.len(),
        valid,
        incomplete,
        problems,
    })
}

fn import_binding(public_id: &str) -> String {
    format!("import:{public_id}")
}

/// Keeps an uploaded file for `class`, sealed; returns the import's opaque id.
///
/// `class` is the class's opaque id with the resource the upload was authorised on (before
/// the file was read, so that nobody without the right has a file read at all); the write
/// transaction refuses the upload if the class has changed hands since.
pub async fn upload(
    cx: &Context<'_>,
    actor: &Actor,
    (class_public_id, checked): (&str, crate::domain::access::Resource),
    file_name: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    let table = read(file_name, bytes)?;
    let mut conn = crate::db::begin_write(cx.pool).await?;
    let class = structure::class_by_public_id(&mut conn, class_public_id)
        .await?
        .filter(|c| c.resource() == checked)
        .ok_or_else(|| AppError::conflict("import.class_changed"))?;
    let public_id = new_public_id();
    let sealed = cx.data.seal_json(&import_binding(&public_id), &table);
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    repo::insert(
        &mut conn, &public_id, actor.id, class.id, &name, &sealed, cx.now,
    )
    .await?;
    audit::append(
        &mut conn,
        cx.key,
        cx.now,
        NewEntry::new("records.roster_uploaded", "success")
            .actor(actor.id)
            .object("class", class.id)
            .client(cx.client.clone())
            .details(serde_json::json!({
                "import": public_id,
                "rows": table.rows.len(),
                "columns": table.header.len(),
            })),
    )
    .await?;
    conn.commit().await?;
    Ok(public_id)
}

/// An import is its uploader's alone (another's is not found).
fn own(actor: &Actor, row: &repo::ImportRow) -> Result<(), AppError> {
    if row.owner_id != actor.id {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// An upload is committed only once its dry run was looked at (its mapping kept).
fn checked_already(row: &repo::ImportRow) -> Result<(), AppError> {
    match row.mapping {
        Some(_) => Ok(()),
        None => Err(AppError::conflict("import.not_checked")),
    }
}

/// `actor`'s own upload's rows, unsealed.
fn load(cx: &Context<'_>, actor: &Actor, row: &repo::ImportRow) -> Result<Table, AppError> {
    own(actor, row)?;
    cx.data
        .open_json(&import_binding(&row.public_id), &row.sealed)
}

/// The role an importer acts in: the class's homeroom teacher, or (authorised for it) a
/// records administrator, whatever other roles they hold.
fn importing<'a>(actor: &'a Actor, row: &repo::ImportRow) -> Acting<'a> {
    let role = if actor.has(Role::HomeroomTeacher) && row.homeroom_teacher_id == Some(actor.id) {
        Role::HomeroomTeacher
    } else {
        Role::RecordsAdmin
    };
    Acting { actor, role }
}

fn mapping_of(row: &repo::ImportRow, table: &Table) -> Vec<String> {
    row.mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_else(|| guess(&table.header))
}

/// The import page: the columns and their mapping, and the dry run once one was asked for.
pub async fn view(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    row: &repo::ImportRow,
) -> Result<ImportView, AppError> {
    let table = load(cx, actor, row)?;
    let mapping = mapping_of(row, &table);
    let class = structure::classes_by_ids(&mut *conn, &[row.class_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(AppError::not_found)?;
    let acting = importing(actor, row);
    let checked = match row.mapping {
        Some(_) => {
            let destinations = Destinations::of(&mut *conn, row.class_id, acting).await?;
            Some(check(&mut *conn, cx, acting, &table, &mapping, &destinations).await?)
        }
        None => None,
    };
    let per_class = checked.as_ref().map(Checked::per_class).unwrap_or_default();
    let ids: Vec<i64> = per_class.iter().map(|(id, _)| *id).collect();
    let named = structure::classes_by_ids(&mut *conn, &ids).await?;
    let classes = per_class
        .iter()
        .filter_map(|(id, n)| {
            let class = named.iter().find(|c| c.id == *id)?;
            Some((class.clone().into(), *n))
        })
        .collect();
    Ok(ImportView {
        id: row.public_id.clone(),
        class: class.into(),
        classes,
        file_name: row.file_name.clone(),
        header: table.header,
        mapping,
        targets: targets().iter().map(|t| t.field.clone()).collect(),
        total: table.rows.len(),
        valid: checked.as_ref().map(|c| c.valid.len()),
        incomplete: checked.as_ref().map(|c| c.incomplete.len()),
        groups: checked
            .as_ref()
            .map(|c| ProblemGroup::of(&c.problems))
            .unwrap_or_default(),
        problems: checked.map(|c| c.problems).unwrap_or_default(),
    })
}

/// Keeps the chosen mapping; the page then shows the dry run.
pub async fn set_mapping(
    mut conn: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &repo::ImportRow,
    mapping: Vec<String>,
) -> Result<(), AppError> {
    let table = load(cx, actor, row)?;
    let known: HashSet<&str> = targets().iter().map(|t| t.field.as_str()).collect();
    let mut mapping: Vec<String> = mapping.into_iter().take(table.header.len()).collect();
    mapping.resize(table.header.len(), String::new());
    let mut used = HashSet::new();
    for field in mapping.iter().filter(|f| !f.is_empty()) {
        if !known.contains(field.as_str()) {
            return Err(AppError::invalid("mapping", "import.mapping_unknown"));
        }
        if !used.insert(field.clone()) {
            return Err(AppError::invalid("mapping", "import.mapping_twice"));
        }
    }
    repo::set_mapping(
        &mut conn,
        row.id,
        &serde_json::to_string(&mapping).map_err(AppError::internal)?,
    )
    .await?;
    // The dry run the page is about to show, as an audit entry: what was checked, never a
    // value (nor which rows failed how).
    let acting = importing(actor, row);
    let destinations = Destinations::of(&mut conn, row.class_id, acting).await?;
    let checked = check(&mut conn, cx, acting, &table, &mapping, &destinations).await?;
    audit::append(
        &mut conn,
        cx.key,
        cx.now,
        NewEntry::new("records.roster_checked", "success")
            .actor(actor.id)
            .role(acting.role.code())
            .object("class", row.class_id)
            .client(cx.client.clone())
            .details(serde_json::json!({
                "import": row.public_id,
                "rows": checked.total,
                "valid": checked.valid.len(),
            })),
    )
    .await?;
    conn.commit().await?;
    Ok(())
}

/// Whether `actor` may commit `import` now (theirs, and its dry run looked at): asked before
/// a streamed commit begins, so that a refusal is an answer of its own and not the end of
/// a stream. Its sealed rows stay sealed; the commit checks again in its transaction.
pub fn committable(actor: &Actor, row: &repo::ImportRow) -> Result<(), AppError> {
    own(actor, row)?;
    checked_already(row)
}

/// Imports the valid rows as drafts and the incomplete ones as their teachers' drafts to
/// complete, in one transaction, calling `progress` with (done, of) as it goes; the file is
/// deleted with the same commit, and each class imported into gets its audit entry. Returns
/// how many rows came in whole, how many incomplete, and the page to show them on: their
/// class, or the overview when they went to several.
pub async fn commit(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &repo::ImportRow,
    mut progress: impl FnMut(usize, usize),
) -> Result<(usize, usize, String), AppError> {
    let table = load(cx, actor, row)?;
    checked_already(row)?;
    let mapping = mapping_of(row, &table);
    let acting = importing(actor, row);
    let destinations = Destinations::of(&mut tx, row.class_id, acting).await?;
    let checked = check(&mut tx, cx, acting, &table, &mapping, &destinations).await?;
    let total = checked.valid.len() + checked.incomplete.len();
    let mut done = 0;
    let mut step = |done: usize| {
        if done.is_multiple_of(100) || done == total {
            progress(done, total);
        }
    };
    for (record, class) in &checked.valid {
        write_record(&mut tx, cx, acting, Some(*class), None, record, "import").await?;
        done += 1;
        step(done);
    }
    for row in &checked.incomplete {
        keep_imported_draft(&mut tx, cx, row).await?;
        done += 1;
        step(done);
    }
    repo::delete(&mut tx, row.id).await?;
    let per_class = checked.per_class();
    // A file whose rows all failed is still an import (of nothing) into its class.
    let entries = if per_class.is_empty() {
        vec![(row.class_id, 0)]
    } else {
        per_class.clone()
    };
    for (class, imported) in &entries {
        audit::append(
            &mut tx,
            cx.key,
            cx.now,
            NewEntry::new("records.roster_imported", "success")
                .actor(actor.id)
                .role(acting.role.code())
                .object("class", *class)
                .client(cx.client.clone())
                .details(serde_json::json!({
                    "import": row.public_id,
                    "rows": checked.total,
                    "imported": imported,
                    "incomplete": checked.incomplete.iter().filter(|i| i.class == *class).count(),
                    "refused": checked.refused(),
                    "classes": entries.len(),
                })),
        )
        .await?;
    }
    let shown = match entries.as_slice() {
        [(class, _)] => structure::classes_by_ids(&mut tx, &[*class])
            .await?
            .into_iter()
            .next()
            .map(|c| format!("/records/classes/{}", c.public_id))
            .unwrap_or_else(|| "/records".into()),
        _ => "/records".into(),
    };
    tx.commit().await?;
    Ok((checked.valid.len(), checked.incomplete.len(), shown))
}

/// Keeps an incomplete row as a draft form of its class's homeroom teacher, under an id
/// of its own, sealed as every draft is, with what is missing or wrong.
async fn keep_imported_draft(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    row: &Incomplete,
) -> Result<(), AppError> {
    let target = FormTarget::Imported(row.class_public_id.clone(), new_public_id());
    records_service::keep_draft_of(conn, cx, row.teacher, &target, &row.input, &row.errors).await
}

/// Throws an upload away.
pub async fn discard(
    mut tx: crate::db::Tx,
    actor: &Actor,
    row: &repo::ImportRow,
) -> Result<(), AppError> {
    own(actor, row)?;
    repo::delete(&mut tx, row.id).await?;
    tx.commit().await?;
    Ok(())
}

/// An upload as the one check finds it: its class is the resource an action on it is about.
impl crate::authz::Stored for repo::ImportRow {
    async fn find(
        conn: &mut crate::db::Conn,
        public_id: &str,
    ) -> Result<(crate::domain::access::Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((crate::domain::access::Resource::Nothing, None));
        }
        Ok(match repo::find(conn, public_id).await? {
            Some(row) => (
                crate::domain::access::Resource::Class {
                    id: row.class_id,
                    homeroom_teacher: row.homeroom_teacher_id,
                },
                Some(row),
            ),
            None => (crate::domain::access::Resource::Nothing, None),
        })
    }
}

/// What a column takes, for the template's instructions and example: the values allowed
/// (a code list's names, 是/否), or `None` for free text.
fn allowed(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Choice(list) => Some(list.iter().map(|c| c.name).collect()),
        Kind::Flag => Some(vec!["是", "否"]),
        _ => None,
    }
}

/// The example row's value of a column: made up, and never a real-shaped identity number or
/// phone (a made-up one could be somebody's).
fn example(target: &Target) -> String {
    let member = target.field.starts_with("guardians.");
    let first_member = target.field.starts_with("guardians.0.");
    match (
        target.field.rsplit('.').next().unwrap_or_default(),
        target.kind,
    ) {
        (CLASS, _) => "一年级1班".into(),
        ("name", _) if member => if first_member { "李大山" } else { "张红" }.into(),
        ("name", _) => "李小雨".into(),
        ("relation", _) => if first_member { "父亲" } else { "母亲" }.into(),
        ("birth_date", _) => "2017-03-07".into(),
        ("enrolment_month", _) => "2023-09".into(),
        ("ethnicity", _) => "汉族".into(),
        ("birthplace", _) => "杭州 西湖区".into(),
        ("native_place", _) => "浙江省杭州市西湖区".into(),
        ("hukou_region", _) => "330106".into(),
        ("hukou_nature", _) => "居民户口".into(),
        ("student_number", _) => "（G 加身份证号；未取得可空）".into(),
        ("employer", _) => "（工作单位，可空）".into(),
        ("address", _) => "杭州市西湖区文三路 90 号".into(),
        // Each may be left empty: the example leaves them so.
        ("mailing_address" | "former_name", _) => String::new(),
        (_, Kind::PostalCode) => "310012".into(),
        (_, Kind::Distance) => "2.5".into(),
        (_, Kind::DocumentNumber) => "（18 位身份证号，文本格式）".into(),
        (_, Kind::Phone) => "（11 位手机号）".into(),
        (_, Kind::Flag) if target.field.ends_with("is_guardian") => "是".into(),
        (_, Kind::Flag) => "否".into(),
        (_, kind) => allowed(kind)
            .and_then(|values| values.first().map(|v| (*v).to_owned()))
            .unwrap_or_default(),
    }
}

/// The template: the roster sheet (the header; number columns formatted as text so that
/// Excel keeps all 18 digits; coded and yes/no columns with a drop-down of their allowed
/// values), an example sheet with one filled-in row, and the instructions (each column,
/// what it takes). Only the first sheet is read back.
pub fn template() -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{DataValidation, Format, Workbook};
    let e = AppError::internal;
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("花名册").map_err(e)?;
    for (col, target) in targets().iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, &target.headers[0], &bold)
            .map_err(e)?;
        sheet.set_column_width(col, 14).map_err(e)?;
        if matches!(
            target.kind,
            Kind::DocumentNumber | Kind::StudentNumber | Kind::Phone | Kind::PostalCode
        ) {
            sheet.set_column_format(col, &text).map_err(e)?;
            sheet.set_column_width(col, 22).map_err(e)?;
        }
        if let Some(values) = allowed(target.kind) {
            let list = DataValidation::new()
                .allow_list_strings(&values)
                .map_err(e)?;
            sheet
                .add_data_validation(1, col, 2000, col, &list)
                .map_err(e)?;
        }
    }
    let sheet = book.add_worksheet().set_name("示例").map_err(e)?;
    for (col, target) in targets().iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, &target.headers[0], &bold)
            .map_err(e)?;
        sheet.write_string(1, col, example(target)).map_err(e)?;
        sheet.set_column_width(col, 16).map_err(e)?;
    }
    let sheet = book.add_worksheet().set_name("填写说明").map_err(e)?;
    for (col, heading) in ["列名", "也可写作", "可填的值"].iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *heading, &bold)
            .map_err(e)?;
    }
    for (row, target) in targets().iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &target.headers[0]).map_err(e)?;
        sheet
            .write_string(row, 1, target.headers[1..].join("、"))
            .map_err(e)?;
        let takes = match (allowed(target.kind), target.kind) {
            _ if target.field == CLASS => "班级，如“一年级1班”“初一（3）班”，本学年的班级；空着则导入到上传时所选的班级（班主任只能填自己的班级）".into(),
            (Some(values), _) => values.join("、"),
            (None, Kind::Region) => "地名（如“杭州 西湖区”）或 6 位行政区划代码".into(),
            (None, Kind::Date) => "日期，如 2017-03-07".into(),
            (None, Kind::Month) => "年月，如 2023-09".into(),
            (None, Kind::Ethnicity) => "民族名称，如 汉族".into(),
            (None, Kind::DocumentNumber) => "证件号码（设为文本，防止 Excel 改成数字）".into(),
            (None, Kind::Phone) => "11 位手机号".into(),
            (None, Kind::PostalCode) => "6 位邮政编码（设为文本，保留开头的 0），可空".into(),
            (None, Kind::Distance) => "公里数，至多一位小数，如 2.5，可空".into(),
            _ => "文字".into(),
        };
        sheet.write_string(row, 2, takes).map_err(e)?;
    }
    sheet.set_column_width(0, 22).map_err(e)?;
    sheet.set_column_width(1, 36).map_err(e)?;
    sheet.set_column_width(2, 60).map_err(e)?;
    book.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        Cell {
            text: text.into(),
            numeric: false,
        }
    }

    #[test]
    fn gbk_and_utf8_with_or_without_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,性别\n张三,男\n");
        assert_eq!(decode_text(&gbk).unwrap(), "姓名,性别\n张三,男\n");
        assert_eq!(decode_text("\u{feff}姓名".as_bytes()).unwrap(), "姓名");
        assert_eq!(decode_text("姓名".as_bytes()).unwrap(), "姓名");
        let table = read("roster.csv", &gbk).unwrap();
        assert_eq!(table.header, ["姓名", "性别"]);
        assert_eq!(table.rows[0][0].text, "张三");
    }

    #[test]
    fn headers_are_guessed_and_labels_become_codes() {
        let header: Vec<String> = ["姓名", "性别", "身份证号", "民族", "不相干", "母亲电话"]
            .map(String::from)
            .to_vec();
        let mapping = guess(&header);
        assert_eq!(
            mapping,
            [
                "name",
                "sex",
                "id_number",
                "ethnicity",
                "",
                "guardians.1.phone"
            ]
        );
        let row = ["张三", "男", "11010519491231002X", "汉", "x", "13800000000"].map(cell);
        let (input, problems) = row_input(&row, &mapping, &header);
        assert!(problems.is_empty());
        assert_eq!(input.student.sex, "1");
        assert_eq!(input.student.ethnicity, "01");
        assert_eq!(input.guardians[1].phone, "13800000000");
    }

    #[test]
    fn the_national_templates_pinyin_initials_map_by_themselves() {
        // NATIONAL.md: the template names its columns xm 姓名, xb 性别, csrq 出生日期,
        // sfzjh 身份证件号…, its dates as 8 digits and 入学年月 as 6.
        let header: Vec<String> = ["XM", "xb", "csrq", "sfzjlx", "sfzjh", "mz", "hkszd", "rxny"]
            .map(String::from)
            .to_vec();
        let mapping = guess(&header);
        assert_eq!(
            mapping,
            [
                "name",
                "sex",
                "birth_date",
                "document_type",
                "id_number",
                "ethnicity",
                "hukou_region",
                "enrolment_month"
            ]
        );
        let row = [
            "张三",
            "男",
            "19491231",
            "居民身份证",
            "11010519491231002X",
            "汉族",
            "110105",
            "201109",
        ]
        .map(cell);
        let (input, problems) = row_input(&row, &mapping, &header);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(input.student.birth_date, "1949-12-31");
        assert_eq!(input.student.enrolment_month, "2011-09");
        assert_eq!(input.student.document_type, "1");
        // No two fields share initials, and none is a header of another field's.
        let mut seen = HashSet::new();
        for t in targets() {
            for h in &t.headers {
                assert!(
                    seen.insert((header_key(h), t.field.starts_with("guardians.")))
                        || t.field.starts_with("guardians."),
                    "{h} names two fields"
                );
            }
        }
    }

    #[test]
    fn a_postal_code_stored_as_a_number_gets_its_leading_zero_back() {
        let mapping = vec!["postal_code".to_owned()];
        let numeric = |text: &str| Cell {
            text: text.into(),
            numeric: true,
        };
        let (input, problems) = row_input(&[numeric("10000")], &mapping, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(input.student.postal_code, "010000");
        let (input, _) = row_input(&[numeric("310012")], &mapping, &[]);
        assert_eq!(input.student.postal_code, "310012");
        // Typed as text, five digits are a mistake to show, not to mend; so is a number no
        // postal code lost a 0 from.
        let (input, _) = row_input(&[cell("10000")], &mapping, &[]);
        assert_eq!(input.student.postal_code, "10000");
        let (input, _) = row_input(&[numeric("81000")], &mapping, &[]);
        assert_eq!(input.student.postal_code, "81000");
    }

    #[test]
    fn numbers_excel_has_mangled_are_refused_with_a_reason() {
        let mapping = vec!["id_number".to_owned()];
        let (_, problems) = row_input(&[cell("3.30106E+17")], &mapping, &[]);
        assert_eq!(problems[0].code, "import.id_numeric");
        let numeric = Cell {
            text: "330106201703070000".into(),
            numeric: true,
        };
        let (_, problems) = row_input(&[numeric], &mapping, &[]);
        assert_eq!(problems[0].code, "import.id_numeric");
    }

    #[test]
    fn a_schools_own_sheet_maps_by_itself() {
        let header: Vec<String> = [
            "序号",
            "班级",
            "学生姓名",
            "出生年月",
            "身份证号码（18位）",
            "民族",
            "家庭住址",
            "父亲姓名",
            "父亲电话",
            "母亲姓名",
            "母亲 手机号",
        ]
        .map(String::from)
        .to_vec();
        let mapping = guess(&header);
        assert_eq!(
            mapping,
            [
                "",
                CLASS,
                "name",
                "birth_date",
                "id_number",
                "ethnicity",
                "address",
                "guardians.0.name",
                "guardians.0.phone",
                "guardians.1.name",
                "guardians.1.phone",
            ]
        );
        let row = [
            "1",
            "一(2)班",
            "张小明",
            "2020.4.2",
            "110101202004020037",
            "汉",
            "北京市东城区和平里1号",
            "张大山",
            "13800000001",
            "李小红",
            "13800000002",
        ]
        .map(cell);
        let (input, problems) = row_input(&row, &mapping, &header);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(input.student.birth_date, "2020-04-02");
        assert_eq!(input.student.ethnicity, "01");
        // The identity card gives the sex the sheet does not have.
        assert_eq!(input.student.sex, "1");
        assert_eq!(input.guardians[0].relation, "father");
        assert_eq!(input.guardians[1].relation, "mother");
        assert_eq!(input.guardians[1].is_guardian, "1");
        // A 出生年月 of a month alone is completed from the identity card.
        let mut month = row.clone();
        month[3] = cell("2020.4");
        let (input, _) = row_input(&month, &mapping, &header);
        assert_eq!(input.student.birth_date, "2020-04-02");
    }

    /// A valid identity card number of the region `region` and this sequence (with a digit,
    /// not X, for its check character), if there is one.
    fn numeric_id(region: &str, born: &str, sequence: u32) -> Option<String> {
        let first17 = format!("{region}{born}{sequence:03}");
        let check = crate::domain::records::id_card::check_character(&first17)?;
        check.is_ascii_digit().then(|| format!("{first17}{check}"))
    }

    #[test]
    fn an_identity_number_a_spreadsheet_made_a_number_is_recovered_only_when_certain() {
        let born = NaiveDate::from_ymd_opt(2020, 4, 2);
        for region in ["110101", "440305", "650102"] {
            let (mut recovered, mut tried) = (0, 0);
            for sequence in 0..400 {
                let Some(id) = numeric_id(region, "20200402", sequence) else {
                    continue;
                };
                tried += 1;
                let value: u64 = id.parse().unwrap();
                // As a spreadsheet keeps it: the nearest number it can hold.
                let stored = Cell {
                    text: numeric_text(value as f64),
                    numeric: true,
                };
                if let Some(found) = recovered_id_number(&stored, born, "") {
                    assert_eq!(found, id, "never a wrong number");
                    recovered += 1;
                }
                // The row's own sex rules candidates out, never the number itself.
                let sex = IdCardNumber::parse(&id).unwrap().sex().code();
                if let Some(found) = recovered_id_number(&stored, born, sex) {
                    assert_eq!(found, id);
                }
                // A birth date the number does not hold finds nothing.
                assert_eq!(
                    recovered_id_number(&stored, NaiveDate::from_ymd_opt(2019, 1, 1), ""),
                    None
                );
            }
            assert!(tried > 300);
            if region == "110101" {
                // Around 1.1e17 numbers are 16 apart: about one in four is certain (of the
                // others, two valid numbers round alike and the row is asked to retype).
                assert!(recovered * 5 > tried, "{recovered} of {tried}");
            }
        }
        // Cut to 15 digits, as Excel does when 18 are typed: nothing is guessed.
        let cut = Cell {
            text: "110101202004020000".into(),
            numeric: true,
        };
        assert_eq!(recovered_id_number(&cut, born, ""), None);
        // A number shown in scientific notation has lost its digits for good.
        assert_eq!(recovered_id_number(&cell("1.10101E+17"), born, ""), None);
    }

    #[test]
    fn dates_in_the_shapes_spreadsheets_write_them() {
        assert_eq!(date_text(&cell("2020年4月2日")), "2020-04-02");
        assert_eq!(date_text(&cell("2020.4.2")), "2020-04-02");
        assert_eq!(date_text(&cell("2017/3/7")), "2017-03-07");
        assert_eq!(date_text(&cell("2017.03.07")), "2017-03-07");
        assert_eq!(date_text(&cell("20170307")), "2017-03-07");
        assert_eq!(
            date_text(&Cell {
                text: "42801".into(),
                numeric: true
            }),
            "2017-03-07"
        );
        assert_eq!(month_text(&cell("2023/9")), "2023-09");
        assert_eq!(month_text(&cell("202309")), "2023-09");
    }

    #[test]
    fn the_template_is_a_workbook_whose_number_columns_are_text() {
        let bytes = template().unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let table = read("template.xlsx", &bytes);
        // The header alone is an empty roster.
        assert!(table.is_err() || table.unwrap().rows.is_empty());
        // With an example and the instructions beside it; only the roster is read back.
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["花名册", "示例", "填写说明"]);
        let example = book.worksheet_range("示例").unwrap();
        assert_eq!(example.height(), 2, "the header and one example row");
        let rules = book.worksheet_range("填写说明").unwrap();
        let said: Vec<String> = rules.rows().map(|r| r[2].to_string()).collect();
        assert!(said.iter().any(|s| s == "是、否"), "yes/no columns say so");
        assert!(
            said.iter().any(|s| s.contains("居民户口")),
            "coded columns list their values"
        );
        // Every field the form collects is a column.
        for field in [
            "left_behind",
            "guardians.0.is_guardian",
            "guardians.1.employer",
            "guardians.0.address",
            "guardians.1.document_type",
        ] {
            assert!(targets().iter().any(|t| t.field == field), "{field}");
        }
    }

    #[test]
    fn the_templates_example_row_imports_as_the_form_would_take_it_but_for_its_numbers() {
        // The example sheet's row, read as an import reads a row: every coded and yes/no
        // column becomes its code; only the number placeholders are refused.
        let row: Vec<Cell> = targets().iter().map(|t| cell(&example(t))).collect();
        let mapping: Vec<String> = targets().iter().map(|t| t.field.clone()).collect();
        let header: Vec<String> = targets().iter().map(|t| t.headers[0].clone()).collect();
        let (input, problems) = row_input(&row, &mapping, &header);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(input.student.sex, "1");
        assert_eq!(input.student.hukou_nature, "3");
        assert_eq!(input.student.left_behind, "0");
        assert_eq!(input.guardians[0].relation, "father");
        assert_eq!(input.guardians[1].is_guardian, "1");
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let errors = match crate::domain::records::Record::parse(&input, None, today) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in &fields {
            let kind = targets().iter().find(|t| t.field == *field).map(|t| t.kind);
            assert!(
                matches!(
                    kind,
                    Some(Kind::DocumentNumber | Kind::StudentNumber | Kind::Phone)
                ),
                "{field} of the example is refused: {errors:?}"
            );
        }
    }

    #[test]
    fn coded_columns_take_the_national_names_not_the_pages_labels() {
        assert_eq!(code_of(codes::HUKOU_NATURES, "居民户口"), "3");
        assert_eq!(code_of(codes::RELATIONS, "母亲"), "mother");
        assert_eq!(code_of(codes::SEXES, "2"), "2");
        // An English label of the page is not a name in the national list.
        assert_eq!(code_of(codes::SEXES, "Female"), "Female");
        assert_eq!(flag_of("是"), "1");
        assert_eq!(flag_of("否"), "0");
        assert_eq!(flag_of(""), "0");
        assert_eq!(flag_of("也许"), "也许");
    }

    fn class(id: i64, grade: i64, name: &str, teacher: Option<i64>) -> structure::ClassRow {
        structure::ClassRow {
            id,
            public_id: format!("c{id}"),
            school_year: "2026-2027".into(),
            grade,
            name: name.into(),
            homeroom_teacher_id: teacher,
            homeroom_teacher: None,
            homeroom_teacher_state: None,
        }
    }

    #[test]
    fn a_class_cell_is_read_as_schools_write_it() {
        assert_eq!(grade_and_rest("一年级1班"), Some((1, "1班".into())));
        assert_eq!(grade_and_rest("1年级（1）班"), Some((1, "1班".into())));
        assert_eq!(grade_and_rest("初一 ３班"), Some((7, "3班".into())));
        assert_eq!(grade_and_rest("七年级3班"), Some((7, "3班".into())));
        assert_eq!(
            grade_and_rest("十二年级 实验班"),
            Some((12, "实验班".into()))
        );
        assert_eq!(grade_and_rest("高二(5)"), Some((11, "5".into())));
        assert_eq!(
            grade_and_rest("2026-2027 一年级 1班"),
            Some((1, "1班".into()))
        );
        assert_eq!(
            grade_and_rest("1班"),
            None,
            "a class without its grade is no class"
        );

        let destinations = Destinations {
            uploaded: class(9, 1, "9班", None),
            current: vec![
                class(1, 1, "1班", Some(50)),
                class(2, 1, "（2）班", Some(51)),
                class(3, 7, "实验班", None),
            ],
            teacher: None,
        };
        assert_eq!(destinations.of_cell(None), Ok(9), "empty: the class chosen");
        assert_eq!(destinations.of_cell(Some("一年级1班")), Ok(1));
        assert_eq!(destinations.of_cell(Some("一年级 1")), Ok(1));
        assert_eq!(destinations.of_cell(Some("1年级2班")), Ok(2));
        assert_eq!(destinations.of_cell(Some("初一实验班")), Ok(3));
        // As schools write them on their own sheets.
        assert_eq!(destinations.of_cell(Some("一(2)班")), Ok(2));
        assert_eq!(destinations.of_cell(Some("一（1）班")), Ok(1));
        assert_eq!(destinations.of_cell(Some("一年级二班")), Ok(2));
        assert_eq!(destinations.of_cell(Some("1.2")), Ok(2));
        assert_eq!(
            destinations.of_cell(Some("1.3")),
            Err("import.class_unknown")
        );
        assert_eq!(numerals_as_digits("十二班"), "12班");
        assert_eq!(numerals_as_digits("二十一班"), "21班");
        assert_eq!(numerals_as_digits("实验班"), "实验班");
        assert_eq!(
            destinations.of_cell(Some("二年级1班")),
            Err("import.class_unknown")
        );
        assert_eq!(
            destinations.of_cell(Some("一年级")),
            Err("import.class_unknown")
        );
        // A homeroom teacher's rows go only into their own classes.
        let teachers = Destinations {
            teacher: Some(50),
            ..destinations
        };
        assert_eq!(teachers.of_cell(Some("一年级1班")), Ok(1));
        assert_eq!(
            teachers.of_cell(Some("一年级2班")),
            Err("import.class_not_yours")
        );
    }
}
