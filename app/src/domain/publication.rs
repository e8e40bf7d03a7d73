//! Publication review (上网审查, POLICY.md article 3): what a text meant for the school's
//! website or a parents' group may not carry. The scan marks personal data in it: identity
//! numbers whose GB 11643 check character is right, 学籍号, mainland mobile numbers, bank card
//! numbers that pass Luhn, and (given the school's names) enrolled students' names. It is
//! pure, so the browser runs the same code as the author types and the server again on
//! submission (names only there: the school's names never leave it).

use serde::{Deserialize, Serialize};

use crate::domain::records::id_card::IdCardNumber;

/// The longest text a review takes, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// The longest title.
pub const MAX_TITLE_CHARS: usize = 100;

/// What a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    IdNumber,
    StudentNumber,
    Mobile,
    BankCard,
    /// An enrolled student's name: which student is never said.
    StudentName,
}

impl FindingKind {
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::IdNumber => "id_number",
            FindingKind::StudentNumber => "student_number",
            FindingKind::Mobile => "mobile",
            FindingKind::BankCard => "bank_card",
            FindingKind::StudentName => "student_name",
        }
    }
}

/// One finding: its kind and where it stands, as character offsets `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
}

/// A digit as the scan reads it: ASCII or full-width (０–９).
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// An ASCII letter or digit, full-width ones read as ASCII (upper case).
fn alnum(c: char) -> Option<char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
        _ => c,
    };
    c.is_ascii_alphanumeric().then(|| c.to_ascii_uppercase())
}

/// What may stand between the groups of one number ("138 0013 8000", "138-0013-8000",
/// "138.0013.8000", "138/0013/8000", a line break); three of them at most (" - ", "\r\n").
fn separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '-' | '\u{2010}'
            ..='\u{2015}'
                | '－'
                | '.'
                | '。'
                | '．'
                | '/'
                | '／'
                | '\\'
                | '_'
                | '·'
                | '・'
                | '•'
                | '\n'
                | '\r'
                | '\t'
    )
}

/// How many separators may stand between two groups of one number.
const MAX_GAP: usize = 3;

/// A run of digits without separators: its digits and where each stands.
struct Segment {
    digits: Vec<char>,
    positions: Vec<usize>,
    /// The character right after it (an identity number's X).
    x_after: Option<usize>,
}

/// The Luhn check of a bank card number.
fn luhn(digits: &[char]) -> bool {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let Some(mut n) = d.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            n *= 2;
            if n > 9 {
                n -= 9;
            }
        }
        sum += n;
    }
    sum % 10 == 0
}

/// What a number of these digits is, if it is one the scan marks.
fn number_kind(digits: &[char], with_x: bool) -> Option<FindingKind> {
    let text: String = digits.iter().collect();
    match (digits.len(), with_x) {
        (17, true) => IdCardNumber::parse(&format!("{text}X"))
            .ok()
            .map(|_| FindingKind::IdNumber),
        (18, false) if IdCardNumber::parse(&text).is_ok() => Some(FindingKind::IdNumber),
        (11, false) if digits[0] == '1' && ('3'..='9').contains(&digits[1]) => {
            Some(FindingKind::Mobile)
        }
        // UnionPay and the international schemes: 16 or 19 digits, their first digit, Luhn.
        (16 | 19, false) if matches!(digits[0], '3' | '4' | '5' | '6' | '9') && luhn(digits) => {
            Some(FindingKind::BankCard)
        }
        _ => None,
    }
}

/// The numbers in `chars`: runs of digit groups, each tried from its first group on with as
/// many following groups as make a number (so "138 0013 8000" is one mobile number and
/// "13800138000 13900139000" two).
fn numbers(chars: &[char], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        // A number glued to letters or digits before it ("ABC123…") is part of a word, unless
        // it is a 学籍号's letter, read below.
        let glued_before = i > 0 && alnum(chars[i - 1]).is_some();
        // The run: groups of digits, one separator between groups at most.
        let mut segments: Vec<Segment> = Vec::new();
        let mut j = i;
        loop {
            let mut s = Segment {
                digits: Vec::new(),
                positions: Vec::new(),
                x_after: None,
            };
            while j < chars.len()
                && let Some(d) = digit(chars[j])
            {
                s.digits.push(d);
                s.positions.push(j);
                j += 1;
            }
            if j < chars.len() && matches!(alnum(chars[j]), Some('X')) {
                s.x_after = Some(j);
            }
            segments.push(s);
            let gap = chars[j..]
                .iter()
                .take(MAX_GAP)
                .take_while(|c| separator(**c))
                .count();
            if gap > 0 && j + gap < chars.len() && digit(chars[j + gap]).is_some() {
                j += gap;
            } else {
                break;
            }
        }
        let run_end = j;
        let glued_after = |end: usize| end < chars.len() && alnum(chars[end]).is_some();
        let mut k = 0;
        while k < segments.len() {
            let mut digits = Vec::new();
            let mut found = None;
            for (m, segment) in segments.iter().enumerate().skip(k) {
                digits.extend_from_slice(&segment.digits);
                if digits.len() > 19 {
                    break;
                }
                let start = segments[k].positions[0];
                let last = *segment.positions.last().unwrap_or(&start) + 1;
                let letter_before = k == 0 && glued_before;
                if let Some(x) = segment.x_after
                    && !glued_after(x + 1)
                    && (!letter_before || student_letter(chars, start))
                    && number_kind(&digits, true).is_some()
                {
                    found = Some((m, start, x + 1, true));
                }
                let after_ok = !glued_after(last) || m + 1 < segments.len();
                if after_ok
                    && (!letter_before || student_letter(chars, start))
                    && number_kind(&digits, false).is_some()
                    && (m + 1 == segments.len() || segment.x_after.is_none())
                {
                    found = Some((m, start, last, false));
                }
            }
            match found {
                Some((m, start, end, with_x)) => {
                    let d: Vec<char> = segments[k..=m]
                        .iter()
                        .flat_map(|s| s.digits.clone())
                        .collect();
                    let mut kind = number_kind(&d, with_x).unwrap_or(FindingKind::IdNumber);
                    let mut start = start;
                    if kind == FindingKind::IdNumber && student_letter(chars, start) {
                        kind = FindingKind::StudentNumber;
                        start -= 1;
                    }
                    out.push(Finding { kind, start, end });
                    k = m + 1;
                }
                None => k += 1,
            }
        }
        i = run_end.max(i + 1);
    }
}

/// Whether a 学籍号's letter (G, J or L, also full-width) stands right before `at`, itself
/// not glued to a word.
fn student_letter(chars: &[char], at: usize) -> bool {
    at > 0
        && matches!(alnum(chars[at - 1]), Some('G' | 'J' | 'L'))
        && (at < 2 || alnum(chars[at - 2]).is_none())
}

/// A 汉字 (the CJK unified ideographs and extension A).
fn han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Words every school notice uses that are also somebody's name in a large school (周 and 高
/// are surnames, 一 a given name): a pupil called 周一 is not told apart from a Monday, so
/// these are never marked (measured: without it, 2 of the 30 shipped notices were flagged
/// against the 200,000-student demo school's names, both for 周一).
const EVERYDAY_WORDS: &[&str] = &[
    "周一", "周二", "周三", "周四", "周五", "周六", "周日", "周末", "初一", "初二", "初三", "高一",
    "高二", "高三",
];

/// What may stand inside a name typed to slip past the scan ("王 小明", "王·小明", "王-小明"):
/// one or two of these between two 汉字 are read through.
fn name_filler(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}'
            | '·'
            | '・'
            | '•'
            | '‧'
            | '-'
            | '_'
            | '*'
            | '/'
            | '|'
            | '.'
            | '\n'
            | '\r'
            | '\t'
    )
}

/// The 汉字 of `chars` as names are read: fillers between two of them skipped, anything else
/// a break (`'\0'`). Each with its index in `chars`.
fn name_view(chars: &[char]) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if han(c) {
            out.push((c, i));
            i += 1;
            continue;
        }
        let gap = chars[i..]
            .iter()
            .take(MAX_GAP)
            .take_while(|c| name_filler(**c))
            .count();
        let joined = gap > 0
            && out.last().is_some_and(|(p, at)| han(*p) && at + 1 == i)
            && chars.get(i + gap).is_some_and(|c| han(*c));
        if joined {
            i += gap;
        } else {
            out.push(('\0', i));
            i += 1;
        }
    }
    out
}

/// The enrolled students' names in `view`: runs of two to four 汉字 that `is_name` knows
/// (but for everyday words), the longest at each place; as [start, end) in the view.
fn names(view: &[(char, usize)], is_name: &dyn Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut candidate = String::with_capacity(16);
    while i < view.len() {
        if !han(view[i].0) {
            i += 1;
            continue;
        }
        let mut matched = None;
        for len in (2..=4).rev() {
            let end = i + len;
            if end > view.len() || !view[i..end].iter().all(|c| han(c.0)) {
                continue;
            }
            candidate.clear();
            candidate.extend(view[i..end].iter().map(|c| c.0));
            if !EVERYDAY_WORDS.contains(&candidate.as_str()) && is_name(&candidate) {
                matched = Some(end);
                break;
            }
        }
        match matched {
            Some(end) => {
                out.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// Every run of two to four 汉字 in `text` as the scan reads it (but for everyday words)
/// that `is_known` knows, once each: what to ask the school about before scanning (a name
/// some student has, at any place, whichever length).
pub fn name_candidates(text: &str, is_known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let normal = normalise(text);
    let view = name_view(&normal.chars);
    let mut found = std::collections::BTreeSet::new();
    let mut candidate = String::with_capacity(16);
    for i in 0..view.len() {
        for len in 2..=4 {
            let end = i + len;
            if end > view.len() || !view[i..end].iter().all(|c| han(c.0)) {
                break;
            }
            candidate.clear();
            candidate.extend(view[i..end].iter().map(|c| c.0));
            if !EVERYDAY_WORDS.contains(&candidate.as_str()) && is_known(&candidate) {
                found.insert(candidate.clone());
            }
        }
    }
    found.into_iter().collect()
}

/// Every finding in `text`, in order of position (character offsets of `text` itself). The
/// text is read as people type to slip past a scan: compatibility forms folded (NFKC, on
/// the server), invisible characters dropped, other scripts' digits and a run of Chinese
/// numerals read as digits, HTML tags and entities read through, a country code set apart.
/// `is_name` says whether a run of 汉字 is an enrolled student's name (the browser, which
/// knows no names, passes `|_| false`).
pub fn scan(text: &str, is_name: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    scan_with(text, true, is_name)
}

/// The enrolled students' names `scan` would mark in `text`, without its pass for numbers.
pub fn scan_names(text: &str, is_name: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    scan_with(text, false, is_name)
}

fn scan_with(text: &str, with_numbers: bool, is_name: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    let normal = normalise(text);
    let mut found = Vec::new();
    if with_numbers {
        numbers(&normal.chars, &mut found);
    }
    let view = name_view(&normal.chars);
    for (start, end) in names(&view, is_name) {
        found.push(Finding {
            kind: FindingKind::StudentName,
            start: view[start].1,
            end: view[end - 1].1 + 1,
        });
    }
    let mut found: Vec<Finding> = found
        .into_iter()
        .filter(|f| f.start < f.end && f.end <= normal.spans.len())
        .map(|f| Finding {
            kind: f.kind,
            start: normal.spans[f.start].0,
            end: normal.spans[f.end - 1].1,
        })
        .collect();
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// The text as the scan reads it: its characters, each with the span `[start, end)` of the
/// original characters it stands for.
struct Normalised {
    chars: Vec<char>,
    spans: Vec<(usize, usize)>,
}

/// Characters that show nothing: format characters (zero-width spaces and joiners, bidi
/// controls, the BOM, the soft hyphen), variation selectors, Hangul fillers and tags.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// The zero of each run of ten decimal digits outside ASCII that NFKC leaves alone
/// (Unicode's Nd: Arabic-Indic, Devanagari, Bengali… Thai, Tibetan, Myanmar, Khmer,
/// Mongolian…); full-width and mathematical digits NFKC folds, and `digit` reads full-width.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
    0x11730, 0x118E0, 0x11C50, 0x11D50, 0x16A60, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
    0x1D7F6, 0x1E950, 0x1FBF0,
];

/// Digits in other forms read as the ASCII digit: other scripts' digits, circled,
/// parenthesised and dotted ones, super- and subscripts (the browser's part of NFKC).
fn other_digit(c: char) -> Option<char> {
    let n = c as u32;
    let ascii = |v: u32| char::from_digit(v, 10);
    if let Some(zero) = DIGIT_ZEROS.iter().find(|z| (**z..**z + 10).contains(&n)) {
        return ascii(n - zero);
    }
    match n {
        0x2460..=0x2468 => ascii(n - 0x2460 + 1),
        0x2474..=0x247C => ascii(n - 0x2474 + 1),
        0x2488..=0x2490 => ascii(n - 0x2488 + 1),
        0x24F5..=0x24FD => ascii(n - 0x24F5 + 1),
        0x2776..=0x277E => ascii(n - 0x2776 + 1),
        0x2780..=0x2788 => ascii(n - 0x2780 + 1),
        0x278A..=0x2792 => ascii(n - 0x278A + 1),
        0x24EA | 0x24FF | 0x1F100 | 0x2070 | 0x2080 => Some('0'),
        0x00B9 => Some('1'),
        0x00B2 => Some('2'),
        0x00B3 => Some('3'),
        0x2074..=0x2079 => ascii(n - 0x2070),
        0x2081..=0x2089 => ascii(n - 0x2080),
        _ => None,
    }
}

/// A Chinese numeral as a digit (〇一二…九, 零, 幺 as phone numbers are read aloud, and the
/// financial forms 壹贰…玖).
fn chinese_digit(c: char) -> Option<char> {
    let v = match c {
        '〇' | '零' | '○' => 0,
        '一' | '幺' | '壹' | '弌' => 1,
        '二' | '贰' | '貳' | '两' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    };
    char::from_digit(v, 10)
}

/// How many Chinese numerals in a row (separators aside) make a number rather than words:
/// a mobile number has 11, words such as 一二三 or 三五 far fewer.
const MIN_CHINESE_DIGITS: usize = 7;

/// The longest HTML tag read through, in characters.
const MAX_TAG: usize = 200;

/// An HTML character reference at the start of `rest` (`&#49;`, `&#x31;`, `&nbsp;`…): the
/// character and how many characters it takes.
fn entity(rest: &[char]) -> Option<(char, usize)> {
    let end = rest.iter().take(12).position(|c| *c == ';')?;
    let body: String = rest[1..end].iter().collect();
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = body.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        match body.as_str() {
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "middot" => '·',
            "shy" | "zwj" | "zwnj" | "lrm" | "rlm" => '\u{200B}',
            "hyphen" | "dash" | "ndash" | "mdash" | "minus" => '-',
            "period" => '.',
            "sol" => '/',
            "plus" => '+',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// `c` as the scan reads it, pushed with the span it stands for.
fn push_folded(out: &mut Normalised, c: char, span: (usize, usize)) {
    #[cfg(feature = "ssr")]
    {
        use unicode_normalization::char::decompose_compatible;
        // NFKC's compatibility part, one character at a time: what it folds is what a
        // person sees as the same (①, ｇ, 𝟏, the ideographic space…).
        let mut folded = [char::REPLACEMENT_CHARACTER; 18];
        let mut n = 0;
        decompose_compatible(c, |d| {
            if n < folded.len() {
                folded[n] = d;
                n += 1;
            }
        });
        for d in &folded[..n] {
            push_plain(out, *d, span);
        }
    }
    #[cfg(not(feature = "ssr"))]
    push_plain(out, c, span);
}

fn push_plain(out: &mut Normalised, c: char, span: (usize, usize)) {
    if invisible(c) || ('\u{0300}'..='\u{036F}').contains(&c) {
        return;
    }
    let c = match c {
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        c => other_digit(c).unwrap_or(c),
    };
    out.chars.push(c);
    out.spans.push(span);
}

/// The text as the scan reads it (see `scan`).
fn normalise(text: &str) -> Normalised {
    let original: Vec<char> = text.chars().collect();
    let mut out = Normalised {
        chars: Vec::with_capacity(original.len()),
        spans: Vec::with_capacity(original.len()),
    };
    let mut i = 0;
    while i < original.len() {
        let c = original[i];
        // A tag (`<b>`, `</span>`, `<br/>`) shows nothing.
        if c == '<'
            && original
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!')
            && let Some(len) = original[i..].iter().take(MAX_TAG).position(|c| *c == '>')
        {
            i += len + 1;
            continue;
        }
        if c == '&'
            && let Some((decoded, len)) = entity(&original[i..])
        {
            push_folded(&mut out, decoded, (i, i + len));
            i += len;
            continue;
        }
        push_folded(&mut out, c, (i, i + 1));
        i += 1;
    }
    read_chinese_numerals(&mut out.chars);
    set_country_code_apart(&mut out);
    out
}

/// Runs of Chinese numerals long enough to be a number, as digits.
fn read_chinese_numerals(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if chinese_digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let (mut j, mut count) = (i, 0);
        while j < chars.len() {
            if chinese_digit(chars[j]).is_some() {
                count += 1;
                j += 1;
            } else if separator(chars[j])
                && chars
                    .get(j + 1)
                    .is_some_and(|c| chinese_digit(*c).is_some())
            {
                j += 1;
            } else {
                break;
            }
        }
        if count >= MIN_CHINESE_DIGITS {
            for c in &mut chars[i..j] {
                if let Some(d) = chinese_digit(*c) {
                    *c = d;
                }
            }
        }
        i = j.max(i + 1);
    }
}

/// `+86` or `0086` before a number, set apart from it ("+8613800138000" is a mobile number
/// after its country code).
fn set_country_code_apart(out: &mut Normalised) {
    // One pass into new vectors: inserting in place would be quadratic in the text's length.
    let (chars, spans) = (
        std::mem::take(&mut out.chars),
        std::mem::take(&mut out.spans),
    );
    out.chars.reserve(chars.len());
    out.spans.reserve(spans.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_run = i == 0 || !chars[i - 1].is_ascii_digit();
        let prefix = match (&chars[i..], starts_run) {
            (['+', '8', '6', ..], _) => Some(3),
            (['0', '0', '8', '6', ..], true) => Some(4),
            _ => None,
        };
        if let Some(len) = prefix
            && chars.get(i + len).is_some_and(|c| c.is_ascii_digit())
        {
            out.chars.extend_from_slice(&chars[i..i + len]);
            out.spans.extend_from_slice(&spans[i..i + len]);
            let at = spans[i + len];
            out.chars.push(' ');
            out.spans.push((at.0, at.0 + 1));
            i += len;
        } else {
            out.chars.push(chars[i]);
            out.spans.push(spans[i]);
            i += 1;
        }
    }
}

/// `text` cut at the findings: (piece, the finding it is, if one), for marking them.
pub fn pieces(text: &str, findings: &[Finding]) -> Vec<(String, Option<FindingKind>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for f in findings {
        if f.start < at || f.end > chars.len() || f.start >= f.end {
            continue;
        }
        if f.start > at {
            out.push((chars[at..f.start].iter().collect(), None));
        }
        out.push((chars[f.start..f.end].iter().collect(), Some(f.kind)));
        at = f.end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::id_card::check_character;

    fn id(first17: &str) -> String {
        format!("{first17}{}", check_character(first17).unwrap())
    }

    fn kinds(text: &str) -> Vec<(FindingKind, String)> {
        let chars: Vec<char> = text.chars().collect();
        scan(text, &|n| ["王小明", "李雨桐", "张伟"].contains(&n))
            .into_iter()
            .map(|f| (f.kind, chars[f.start..f.end].iter().collect()))
            .collect()
    }

    #[test]
    fn identity_numbers_with_a_right_check_character_in_every_shape() {
        let n = id("33010620170307001");
        assert_eq!(
            kinds(&format!("身份证号{n}。")),
            [(FindingKind::IdNumber, n.clone())]
        );
        let spaced = format!("{} {} {}", &n[..6], &n[6..14], &n[14..]);
        assert_eq!(
            kinds(&format!("证件：{spaced}")),
            [(FindingKind::IdNumber, spaced.clone())]
        );
        let wide: String = n
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect();
        assert_eq!(kinds(&wide).len(), 1, "full-width digits");
        let x = (0..1000)
            .map(|k| format!("11010519491231{k:03}"))
            .find(|f| check_character(f) == Some('X'))
            .map(|f| format!("{f}x"))
            .expect("some number ends in X");
        assert_eq!(
            kinds(&x),
            [(FindingKind::IdNumber, x.clone())],
            "a lower-case x"
        );
        // Near misses: a wrong check character, seventeen digits, a date that looks like one.
        let wrong = format!("{}{}", &n[..17], if n.ends_with('1') { '2' } else { '1' });
        assert!(kinds(&wrong).is_empty(), "wrong check character");
        assert!(kinds(&n[..17]).is_empty(), "17 digits");
        assert!(kinds("会议定于20261204召开").is_empty(), "a date");
        assert!(kinds("2026-12-04 14:30").is_empty());
    }

    #[test]
    fn a_student_number_is_its_letter_and_the_identity_number() {
        let n = id("33010620170307002");
        assert_eq!(
            kinds(&format!("学籍号G{n}")),
            [(FindingKind::StudentNumber, format!("G{n}"))]
        );
        // Part of a longer word, it is no number at all.
        assert!(kinds(&format!("ABCG{n}")).is_empty());
    }

    #[test]
    fn mobile_numbers_but_not_landlines_or_longer_runs() {
        assert_eq!(
            kinds("请联系13800138000。"),
            [(FindingKind::Mobile, "13800138000".into())]
        );
        assert_eq!(
            kinds("电话 138 0013 8000"),
            [(FindingKind::Mobile, "138 0013 8000".into())]
        );
        assert_eq!(
            kinds("138-0013-8000"),
            [(FindingKind::Mobile, "138-0013-8000".into())]
        );
        assert_eq!(
            kinds("13800138000 13900139000").len(),
            2,
            "two numbers side by side"
        );
        assert!(kinds("校办电话0571-88886666").is_empty(), "a landline");
        assert!(kinds("12345678901").is_empty(), "no such network");
        assert!(kinds("订单号138001380001").is_empty(), "twelve digits");
    }

    /// `prefix` with the digit that makes it pass Luhn.
    fn luhn_complete(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|n| luhn(&n.chars().collect::<Vec<_>>()))
            .unwrap()
    }

    #[test]
    fn bank_cards_that_pass_luhn() {
        let card = luhn_complete("622202020000000000");
        let spaced = format!(
            "{} {} {} {} {}",
            &card[..4],
            &card[4..8],
            &card[8..12],
            &card[12..16],
            &card[16..]
        );
        assert_eq!(
            kinds(&format!("卡号{spaced}")),
            [(FindingKind::BankCard, spaced.clone())]
        );
        assert_eq!(
            kinds("4111111111111111"),
            [(FindingKind::BankCard, "4111111111111111".into())]
        );
        assert!(kinds("4111111111111112").is_empty(), "Luhn fails");
    }

    #[test]
    fn enrolled_names_are_marked_without_saying_whose() {
        assert_eq!(
            kinds("祝贺王小明同学获得一等奖"),
            [(FindingKind::StudentName, "王小明".into())]
        );
        assert_eq!(kinds("张伟和李雨桐").len(), 2);
        assert!(kinds("王小华同学").is_empty(), "a name not enrolled");
        // A weekday is a weekday, whoever is called 周一.
        assert!(scan("下周一开家长会", &|n| n == "周一").is_empty());
        // The browser knows no names.
        assert!(scan("王小明", &|_| false).is_empty());
    }

    /// What people type to slip a number or a name past a scan: each is still found, and
    /// the finding covers what was typed, hidden characters included.
    #[test]
    fn what_people_actually_type_is_found() {
        let n = id("33010620170307001");
        let mobile = "13800138000";
        let zh: String = mobile
            .chars()
            .map(|c| {
                "〇一二三四五六七八九"
                    .chars()
                    .nth(c as usize - '0' as usize)
                    .unwrap()
            })
            .collect();
        let circled: String = mobile
            .chars()
            .map(|c| match c {
                '0' => '⓪',
                d => char::from_u32(0x2460 + d as u32 - '1' as u32).unwrap(),
            })
            .collect();
        let arabic: String = mobile
            .chars()
            .map(|c| char::from_u32(0x0660 + c as u32 - '0' as u32).unwrap())
            .collect();
        let entities: String = mobile.chars().map(|c| format!("&#{};", c as u32)).collect();
        let hex: String = mobile
            .chars()
            .map(|c| format!("&#x{:x};", c as u32))
            .collect();
        let zw: String = mobile.chars().flat_map(|c| [c, '\u{200B}']).collect();
        let bom: String = mobile.chars().flat_map(|c| [c, '\u{FEFF}']).collect();
        let variants = [
            zw,
            bom,
            "138\u{00A0}0013\u{00A0}8000".to_owned(),
            "138.0013.8000".to_owned(),
            "138/0013/8000".to_owned(),
            "138\n0013\n8000".to_owned(),
            "138\r\n0013\r\n8000".to_owned(),
            "138 - 0013 - 8000".to_owned(),
            zh,
            circled,
            arabic,
            entities,
            hex,
            format!("+86{mobile}"),
            format!("+86 {mobile}"),
            format!("0086{mobile}"),
            "138<b>0013</b>8000".to_owned(),
            "138&nbsp;0013&nbsp;8000".to_owned(),
            "幺三八〇〇幺三八〇〇〇".to_owned(),
        ];
        for v in &variants {
            let found = kinds(&format!("联系电话：{v}。"));
            assert_eq!(found.len(), 1, "{v:?}: {found:?}");
            assert_eq!(found[0].0, FindingKind::Mobile, "{v:?}");
        }
        for v in [
            n.chars().flat_map(|c| [c, '\u{200D}']).collect::<String>(),
            format!("{}.{}.{}", &n[..6], &n[6..14], &n[14..]),
            format!("{}\n{}", &n[..9], &n[9..]),
        ] {
            let found = kinds(&v);
            assert_eq!(found.len(), 1, "{v:?}: {found:?}");
            assert_eq!(found[0].0, FindingKind::IdNumber, "{v:?}");
        }
        // A name spaced, dotted or tagged apart, and the finding covers all of it.
        for v in [
            "王 小明",
            "王·小明",
            "王<i>小</i>明",
            "王\u{200B}小明",
            "王&#x5c0f;明",
        ] {
            let found = kinds(&format!("祝贺{v}同学"));
            assert_eq!(found, [(FindingKind::StudentName, v.to_owned())], "{v:?}");
        }
        // Words stay words.
        assert!(kinds("一二三四五六，开学啦").is_empty());
        assert!(kinds("时间 地点 人物").is_empty());
        assert!(kinds("会议定于2026.12.04 14:30召开").is_empty());
    }

    #[test]
    fn pieces_mark_the_findings_and_keep_the_rest() {
        let text = "请王小明家长致电13800138000。";
        let found = scan(text, &|n| n == "王小明");
        let parts = pieces(text, &found);
        let joined: String = parts.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(parts.iter().filter(|(_, k)| k.is_some()).count(), 2);
    }
}
