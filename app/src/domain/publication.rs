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

/// What may stand between the groups of one number ("138 0013 8000", "138-0013-8000").
fn separator(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '-' | '\u{2010}' | '\u{2011}' | '－')
}

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
            if j + 1 < chars.len() && separator(chars[j]) && digit(chars[j + 1]).is_some() {
                j += 1;
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

/// The enrolled students' names in `chars`: runs of two to four 汉字 that `is_name` knows
/// (but for everyday words), the longest at each place.
fn names(chars: &[char], is_name: &dyn Fn(&str) -> bool, out: &mut Vec<Finding>) {
    let mut i = 0;
    let mut candidate = String::with_capacity(16);
    while i < chars.len() {
        if !han(chars[i]) {
            i += 1;
            continue;
        }
        let mut matched = None;
        for len in (2..=4).rev() {
            let end = i + len;
            if end > chars.len() || !chars[i..end].iter().all(|c| han(*c)) {
                continue;
            }
            candidate.clear();
            candidate.extend(&chars[i..end]);
            if !EVERYDAY_WORDS.contains(&candidate.as_str()) && is_name(&candidate) {
                matched = Some(end);
                break;
            }
        }
        match matched {
            Some(end) => {
                out.push(Finding {
                    kind: FindingKind::StudentName,
                    start: i,
                    end,
                });
                i = end;
            }
            None => i += 1,
        }
    }
}

/// Every run of two to four 汉字 in `text` (but for everyday words) that `is_known` knows,
/// once each: what to ask the school about before scanning (a name some student has, at
/// any place, whichever length).
pub fn name_candidates(text: &str, is_known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = std::collections::BTreeSet::new();
    let mut candidate = String::with_capacity(16);
    for i in 0..chars.len() {
        for len in 2..=4 {
            let end = i + len;
            if end > chars.len() || !chars[i..end].iter().all(|c| han(*c)) {
                break;
            }
            candidate.clear();
            candidate.extend(&chars[i..end]);
            if !EVERYDAY_WORDS.contains(&candidate.as_str()) && is_known(&candidate) {
                found.insert(candidate.clone());
            }
        }
    }
    found.into_iter().collect()
}

/// Every finding in `text`, in order of position. `is_name` says whether a run of 汉字 is an
/// enrolled student's name (the browser, which knows no names, passes `|_| false`).
pub fn scan(text: &str, is_name: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    numbers(&chars, &mut found);
    names(&chars, is_name, &mut found);
    found.sort_by_key(|f| (f.start, f.end));
    found
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
