//! Clinical codes on an article (front matter `codes:`), the ones an EHR's infobutton
//! sends: ICD-10-CM diagnoses, SNOMED CT concepts, RxNorm medicines and LOINC tests.
//!
//! Written `system:code` (`icd10cm:E11.9`, `snomed:44054006`, `rxnorm:860975`,
//! `loinc:4548-4`). Each is checked as far as its shape and check digit allow, so a
//! typo is caught where it is read instead of leaving a handout unreachable:
//!
//! - ICD-10-CM: a letter, a digit, a digit or letter (`C4A`), then optionally a dot and
//!   one to four letters or digits. Written upper case with the dot.
//! - SNOMED CT: 6 to 18 digits, no leading zero, the last a Verhoeff check digit.
//! - LOINC: digits, `-`, and a mod-10 check digit (LOINC's own algorithm, Luhn's).
//! - RxNorm: an RXCUI, a whole number without a leading zero.
//!
//! Pure functions, no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The code systems an article may be coded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeSystem {
    Icd10Cm,
    Snomed,
    RxNorm,
    Loinc,
}

impl CodeSystem {
    pub const ALL: [CodeSystem; 4] =
        [CodeSystem::Icd10Cm, CodeSystem::Snomed, CodeSystem::RxNorm, CodeSystem::Loinc];

    /// The prefix in front matter: `icd10cm`, `snomed`, `rxnorm`, `loinc`.
    pub fn prefix(self) -> &'static str {
        match self {
            CodeSystem::Icd10Cm => "icd10cm",
            CodeSystem::Snomed => "snomed",
            CodeSystem::RxNorm => "rxnorm",
            CodeSystem::Loinc => "loinc",
        }
    }

    /// The HL7 OID an infobutton request names the system by (`mainSearchCriteria.v.cs`).
    pub fn oid(self) -> &'static str {
        match self {
            CodeSystem::Icd10Cm => "2.16.840.1.113883.6.90",
            CodeSystem::Snomed => "2.16.840.1.113883.6.96",
            CodeSystem::RxNorm => "2.16.840.1.113883.6.88",
            CodeSystem::Loinc => "2.16.840.1.113883.6.1",
        }
    }

    /// The system's name for people.
    pub fn name(self) -> &'static str {
        match self {
            CodeSystem::Icd10Cm => "ICD-10-CM",
            CodeSystem::Snomed => "SNOMED CT",
            CodeSystem::RxNorm => "RxNorm",
            CodeSystem::Loinc => "LOINC",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<CodeSystem> {
        CodeSystem::ALL.into_iter().find(|system| system.prefix().eq_ignore_ascii_case(prefix.trim()))
    }

    pub fn from_oid(oid: &str) -> Option<CodeSystem> {
        let oid = oid.trim();
        // Some EHRs send the OID as a URN.
        let oid = oid.strip_prefix("urn:oid:").unwrap_or(oid);
        CodeSystem::ALL.into_iter().find(|system| system.oid() == oid)
    }
}

/// One checked code, in its written form (`E11.9`, not `e119`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code {
    pub system: CodeSystem,
    pub value: String,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.system.prefix(), self.value)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.to_string()
    }
}

impl TryFrom<String> for Code {
    type Error = String;
    fn try_from(text: String) -> Result<Code, String> {
        parse(&text)
    }
}

impl Code {
    /// This code, then each shorter code it belongs to, most specific first. Only
    /// ICD-10-CM is a hierarchy in its writing (E11.65 → E11.6 → E11); the others are
    /// just themselves.
    pub fn with_parents(&self) -> Vec<Code> {
        let mut out = vec![self.clone()];
        if self.system == CodeSystem::Icd10Cm {
            let mut value = self.value.clone();
            while value.len() > 3 {
                value.pop();
                if value.ends_with('.') {
                    value.pop();
                }
                out.push(Code { system: self.system, value: value.clone() });
            }
        }
        out
    }
}

/// Reads `system:code`; the error says what is wrong, for a person to fix.
pub fn parse(text: &str) -> Result<Code, String> {
    let text = text.trim();
    let Some((prefix, value)) = text.split_once(':') else {
        return Err(format!(
            "\"{text}\" names no code system; write it like \"icd10cm:E11.9\", \"snomed:44054006\", \
             \"rxnorm:860975\" or \"loinc:4548-4\""
        ));
    };
    let Some(system) = CodeSystem::from_prefix(prefix) else {
        return Err(format!(
            "\"{text}\": \"{prefix}\" is not a code system handouts knows; use icd10cm, snomed, rxnorm or loinc"
        ));
    };
    code(system, value).map_err(|problem| format!("\"{text}\": {problem}"))
}

/// Checks `value` as a code of `system` and writes it in its usual form.
pub fn code(system: CodeSystem, value: &str) -> Result<Code, String> {
    let value = value.trim();
    let value = match system {
        CodeSystem::Icd10Cm => icd10cm(value)?,
        CodeSystem::Snomed => snomed(value)?,
        CodeSystem::RxNorm => rxnorm(value)?,
        CodeSystem::Loinc => loinc(value)?,
    };
    Ok(Code { system, value })
}

fn icd10cm(value: &str) -> Result<String, String> {
    const SHAPE: &str = "an ICD-10-CM code is a letter, two digits (or a digit and a letter) and \
                         up to four more letters or digits after a dot, like E11.9 or S52.521A";
    let compact: String = value.chars().filter(|&c| c != '.').collect::<String>().to_ascii_uppercase();
    let dots = value.matches('.').count();
    let chars: Vec<char> = compact.chars().collect();
    let well_formed = (3..=7).contains(&chars.len())
        && chars.iter().all(char::is_ascii_alphanumeric)
        && chars[0].is_ascii_alphabetic()
        && chars[1].is_ascii_digit()
        && chars[2].is_ascii_alphanumeric()
        // A dot, if any, comes right after the category (the first three characters).
        && (dots == 0 || (dots == 1 && value.find('.') == Some(3) && chars.len() > 3));
    if !well_formed {
        return Err(format!("\"{value}\" is not an ICD-10-CM code: {SHAPE}"));
    }
    // Proof for the slices: every character is ASCII and there are at least three.
    Ok(match compact.len() {
        3 => compact,
        _ => format!("{}.{}", &compact[..3], &compact[3..]),
    })
}

fn digits_only(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

fn snomed(value: &str) -> Result<String, String> {
    if !digits_only(value) || value.starts_with('0') {
        return Err(format!("\"{value}\" is not a SNOMED CT identifier: it is a number of 6 to 18 digits"));
    }
    if !(6..=18).contains(&value.len()) {
        return Err(format!(
            "\"{value}\" is not a SNOMED CT identifier: it has {} digits, and they have 6 to 18",
            value.len()
        ));
    }
    if !verhoeff_valid(value) {
        return Err(format!(
            "\"{value}\" is not a SNOMED CT identifier: its last digit is not the Verhoeff check digit \
             (a digit is wrong or two are swapped)"
        ));
    }
    Ok(value.to_string())
}

fn rxnorm(value: &str) -> Result<String, String> {
    if !digits_only(value) || value.starts_with('0') || value.len() > 10 {
        return Err(format!("\"{value}\" is not an RxNorm RXCUI: it is a whole number, like 860975"));
    }
    Ok(value.to_string())
}

fn loinc(value: &str) -> Result<String, String> {
    let Some((number, check)) = value.split_once('-') else {
        return Err(format!(
            "\"{value}\" is not a LOINC code: it is a number, a hyphen and a check digit, like 4548-4"
        ));
    };
    if !digits_only(number) || number.len() > 7 || check.len() != 1 || !digits_only(check) {
        return Err(format!(
            "\"{value}\" is not a LOINC code: it is a number, a hyphen and a check digit, like 4548-4"
        ));
    }
    let expected = loinc_check_digit(number);
    if check.as_bytes()[0] - b'0' != expected {
        return Err(format!(
            "\"{value}\" is not a LOINC code: the check digit of {number} is {expected}, not {check} \
             (a digit is wrong or two are swapped)"
        ));
    }
    Ok(value.to_string())
}

/// LOINC's mod-10 check digit: from the right, every other digit starting with the
/// last is doubled (and its digits added), the rest added as they are; the check digit
/// brings the sum to a multiple of ten. `number` holds only ASCII digits.
fn loinc_check_digit(number: &str) -> u8 {
    let sum: u32 = number
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, b)| {
            let digit = u32::from(b - b'0');
            if position % 2 == 0 {
                let doubled = digit * 2;
                doubled / 10 + doubled % 10
            } else {
                digit
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Whether the digits of `number` (ASCII digits only), check digit last, pass
/// Verhoeff's check, which SNOMED CT identifiers carry.
fn verhoeff_valid(number: &str) -> bool {
    let mut c = 0usize;
    for (i, b) in number.bytes().rev().enumerate() {
        let digit = usize::from(b - b'0');
        c = usize::from(VERHOEFF_D[c][usize::from(VERHOEFF_P[i % 8][digit])]);
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).to_string()
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err()
    }

    /// Every single-digit change of `value`'s digits, each made a code of `system`.
    fn one_digit_wrong(value: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (index, b) in value.bytes().enumerate() {
            if !b.is_ascii_digit() {
                continue;
            }
            for digit in b'0'..=b'9' {
                if digit != b {
                    let mut bytes = value.as_bytes().to_vec();
                    bytes[index] = digit;
                    out.push(String::from_utf8(bytes).unwrap());
                }
            }
        }
        out
    }

    #[test]
    fn real_codes_pass_and_are_written_the_usual_way() {
        // Type 2 diabetes; with foot ulcer; a fracture's seventh character; C4A (Merkel cell).
        assert_eq!(ok("icd10cm:E11"), "icd10cm:E11");
        assert_eq!(ok("icd10cm:e11.621"), "icd10cm:E11.621");
        assert_eq!(ok("ICD10CM:E11621"), "icd10cm:E11.621");
        assert_eq!(ok("icd10cm:S52.521A"), "icd10cm:S52.521A");
        assert_eq!(ok("icd10cm:C4A.9"), "icd10cm:C4A.9");
        // Diabetes mellitus type 2; diabetes mellitus; a long (extension-namespace) id.
        assert_eq!(ok("snomed:44054006"), "snomed:44054006");
        assert_eq!(ok("snomed:73211009"), "snomed:73211009");
        assert_eq!(ok("snomed:999000011000000103"), "snomed:999000011000000103");
        // Metformin 500 MG tablets (extended release); HbA1c; glucose.
        assert_eq!(ok("rxnorm:860975"), "rxnorm:860975");
        assert_eq!(ok("loinc:4548-4"), "loinc:4548-4");
        assert_eq!(ok("loinc:2345-7"), "loinc:2345-7");
        assert_eq!(ok("loinc:2160-0"), "loinc:2160-0");
    }

    #[test]
    fn every_single_digit_mistake_in_a_check_digit_code_is_caught() {
        for wrong in one_digit_wrong("44054006").iter().filter(|w| !w.starts_with('0')) {
            let message = err(&format!("snomed:{wrong}"));
            assert!(message.contains("Verhoeff check digit"), "{wrong}: {message}");
        }
        for wrong in one_digit_wrong("4548-4") {
            let message = err(&format!("loinc:{wrong}"));
            assert!(message.contains("check digit of"), "{wrong}: {message}");
        }
        assert_eq!(
            err("loinc:4548-5"),
            "\"loinc:4548-5\": \"4548-5\" is not a LOINC code: the check digit of 4548 is 4, not 5 \
             (a digit is wrong or two are swapped)"
        );
        // Verhoeff also catches two neighbours swapped.
        assert!(err("snomed:44504006").contains("Verhoeff"));
    }

    #[test]
    fn wrong_shapes_say_what_a_code_looks_like() {
        for bad in [
            "icd10cm:E1",
            "icd10cm:11.9",
            "icd10cm:EE1.9",
            "icd10cm:E11.12345",
            "icd10cm:E1.19",
            "icd10cm:E11.",
        ] {
            assert!(err(bad).contains("is not an ICD-10-CM code"), "{bad}: {}", err(bad));
        }
        assert!(err("snomed:12345").contains("has 5 digits"));
        assert!(err("snomed:04405400").contains("6 to 18 digits"));
        assert!(err("rxnorm:86097a").contains("whole number"));
        assert!(err("loinc:45484").contains("hyphen"));
        assert!(err("E11.9").contains("names no code system"));
        assert!(err("icd9:250.00").contains("\"icd9\" is not a code system"));
    }

    #[test]
    fn icd10cm_parents_most_specific_first() {
        let code = parse("icd10cm:E11.65").unwrap();
        let parents: Vec<String> = code.with_parents().iter().map(|c| c.value.clone()).collect();
        assert_eq!(parents, ["E11.65", "E11.6", "E11"]);
        assert_eq!(parse("snomed:44054006").unwrap().with_parents().len(), 1);
    }

    #[test]
    fn systems_by_oid() {
        assert_eq!(CodeSystem::from_oid("2.16.840.1.113883.6.90"), Some(CodeSystem::Icd10Cm));
        assert_eq!(CodeSystem::from_oid("urn:oid:2.16.840.1.113883.6.1"), Some(CodeSystem::Loinc));
        assert_eq!(CodeSystem::from_oid("2.16.840.1.113883.6.103"), None, "ICD-9-CM");
    }

    #[test]
    fn codes_are_json_strings_and_checked_when_read() {
        let code = parse("loinc:4548-4").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"loinc:4548-4\"");
        assert_eq!(serde_json::from_str::<Code>("\"loinc:4548-4\"").unwrap(), code);
        assert!(serde_json::from_str::<Code>("\"loinc:4548-5\"").is_err());
    }
}
