//! An infobutton request as the HL7 URL-based implementation guide writes it, read the
//! way MedlinePlus Connect reads it: the query string of a GET.
//!
//! - `mainSearchCriteria.v.c` the code, `mainSearchCriteria.v.cs` its system's OID,
//!   `mainSearchCriteria.v.dn` its display name (`.v.ot`, the original text, stands in
//!   when there is no display name). Several criteria carry an index on each of the
//!   three (`.v.c1`, `.v.cs1`, `.v.dn1`; MedlinePlus Connect's own examples start at
//!   the bare name or at `0`).
//! - `informationRecipient.languageCode.c`: the patient's language (`en`, `es`;
//!   MedlinePlus Connect's `sp` is Spanish too).
//! - `knowledgeResponseType`: `text/xml` (the default, an Atom feed),
//!   `application/json`, or `text/html` (a page, or straight to the one handout).
//!
//! Every other parameter the guide defines (the patient's age and sex, the task, the
//! performer…) is accepted and has no effect on a clinic's handouts; so is `token`, the
//! desk's own.

use std::collections::BTreeMap;

use crate::codes::{Code, CodeSystem};

/// The longest query read: a dozen criteria with long display names fit many times.
pub const MAX_QUERY: usize = 8 * 1024;
/// The most criteria in one request.
pub const MAX_CRITERIA: usize = 20;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// In the order of their indexes (the bare name first).
    pub criteria: Vec<Criterion>,
    /// The language asked for (a language tag), if any.
    pub lang: Option<String>,
    pub response: ResponseType,
}

/// One `mainSearchCriteria`.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub code: Option<Wanted>,
    /// The display name (or original text), for matching titles when no code matches.
    pub display: Option<String>,
}

/// A code as asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Wanted {
    /// In a system handouts codes in.
    Known(Code),
    /// In another system (ICD-9-CM, NDC…): it matches nothing, the display name may.
    Other { system: String, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    Atom,
    Json,
    Html,
}

/// A request that cannot be answered as asked: the parameter and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest {
    pub parameter: String,
    pub message: String,
}

impl std::fmt::Display for BadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

fn bad(parameter: &str, message: impl Into<String>) -> BadRequest {
    BadRequest { parameter: parameter.to_string(), message: message.into() }
}

/// The three parts of one criterion, as given.
#[derive(Default)]
struct Parts {
    code: Option<String>,
    system: Option<String>,
    display: Option<String>,
}

/// Reads a query string (without the `?`).
pub fn parse(query: &str) -> Result<Request, BadRequest> {
    if query.len() > MAX_QUERY {
        return Err(bad("query", format!("the request is longer than {MAX_QUERY} bytes")));
    }
    // Keyed by index: "" (the bare name) sorts before "0", "1"…; numbers in order.
    let mut criteria: BTreeMap<(usize, String), Parts> = BTreeMap::new();
    let mut lang = None;
    let mut response = None;
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_string();
        if seen.contains(&name.to_string()) && name != "token" {
            return Err(bad(
                &name,
                "is given twice; give each parameter once (index further criteria: .v.c1, .v.c2…)",
            ));
        }
        seen.push(name.to_string());
        if let Some(rest) = name.strip_prefix("mainSearchCriteria.v.") {
            let (part, index) = split_index(rest);
            let slot = match part {
                "c" | "cs" | "dn" | "ot" => {
                    let Some(index) = index else {
                        return Err(bad(
                            &name,
                            "the index after the name must be a number, like mainSearchCriteria.v.c1",
                        ));
                    };
                    criteria.entry(index).or_default()
                }
                _ => continue,
            };
            let value = (!value.is_empty()).then_some(value);
            match part {
                "c" => slot.code = value,
                "cs" => slot.system = value,
                // The display name wins over the original text.
                "dn" => slot.display = value.or(slot.display.take()),
                _ => slot.display = slot.display.take().or(value),
            }
        } else if name == "informationRecipient.languageCode.c" {
            lang = Some(language(&name, &value)?);
        } else if name == "knowledgeResponseType" {
            response = Some(response_type(&name, &value)?);
        }
    }
    if criteria.is_empty() {
        return Err(bad(
            "mainSearchCriteria.v.c",
            "no code asked for; send a code and its system (mainSearchCriteria.v.c and mainSearchCriteria.v.cs) or a name (mainSearchCriteria.v.dn)",
        ));
    }
    if criteria.len() > MAX_CRITERIA {
        return Err(bad("mainSearchCriteria", format!("at most {MAX_CRITERIA} criteria in one request")));
    }
    let criteria = criteria
        .into_iter()
        .map(|((_, suffix), parts)| criterion(&suffix, parts))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Request { criteria, lang, response: response.unwrap_or(ResponseType::Atom) })
}

/// `c1` → (`c`, index (1, "1")); `c` → (`c`, (0, "")); `c0` sorts after `c`.
fn split_index(rest: &str) -> (&str, Option<(usize, String)>) {
    let at = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
    let (part, digits) = rest.split_at(at);
    if digits.is_empty() {
        return (part, Some((0, String::new())));
    }
    match digits.parse::<usize>() {
        Ok(n) if n < 1000 => (part, Some((n + 1, digits.to_string()))),
        _ => (part, None),
    }
}

fn criterion(suffix: &str, parts: Parts) -> Result<Criterion, BadRequest> {
    let name = |part: &str| format!("mainSearchCriteria.v.{part}{suffix}");
    let code = match (parts.code, parts.system) {
        (Some(value), Some(system)) => Some(match CodeSystem::from_oid(&system) {
            Some(known) => {
                Wanted::Known(crate::codes::code(known, &value).map_err(|problem| bad(&name("c"), problem))?)
            }
            None if system
                .split('.')
                .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
                || system.starts_with("urn:oid:") =>
            {
                Wanted::Other { system, value }
            }
            None => {
                return Err(bad(
                    &name("cs"),
                    format!(
                        "\"{system}\" is not a code system's OID, like 2.16.840.1.113883.6.90 (ICD-10-CM)"
                    ),
                ));
            }
        }),
        (Some(_), None) => {
            return Err(bad(
                &name("cs"),
                "a code needs its system's OID: ICD-10-CM 2.16.840.1.113883.6.90, SNOMED CT 2.16.840.1.113883.6.96, \
                 RxNorm 2.16.840.1.113883.6.88, LOINC 2.16.840.1.113883.6.1",
            ));
        }
        (None, _) => None,
    };
    if code.is_none() && parts.display.is_none() {
        return Err(bad(
            &name("c"),
            "no code and no display name (mainSearchCriteria.v.dn) in this criterion",
        ));
    }
    Ok(Criterion { code, display: parts.display })
}

fn language(name: &str, value: &str) -> Result<String, BadRequest> {
    // MedlinePlus Connect's word for Spanish.
    let value = if value.eq_ignore_ascii_case("sp") { "es" } else { value };
    crate::validate::language_tag(value)
        .map_err(|problem| bad(name, format!("{problem}; send a language tag like en or es")))
}

fn response_type(name: &str, value: &str) -> Result<ResponseType, BadRequest> {
    match value.to_ascii_lowercase().as_str() {
        "" | "text/xml" | "application/xml" | "application/atom+xml" => Ok(ResponseType::Atom),
        "application/json" => Ok(ResponseType::Json),
        "text/html" => Ok(ResponseType::Html),
        _ => Err(bad(
            name,
            format!("\"{value}\" is not offered; ask for text/xml (Atom), application/json or text/html"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(text: &str) -> Option<Wanted> {
        Some(Wanted::Known(crate::codes::parse(text).unwrap()))
    }

    #[test]
    fn a_problem_request_as_medlineplus_connect_documents_it() {
        let request = parse(
            "mainSearchCriteria.v.cs=2.16.840.1.113883.6.90&mainSearchCriteria.v.c=E11.65\
             &mainSearchCriteria.v.dn=Type+2+diabetes+with+hyperglycemia\
             &informationRecipient.languageCode.c=sp&knowledgeResponseType=application/json",
        )
        .unwrap();
        assert_eq!(request.criteria.len(), 1);
        assert_eq!(request.criteria[0].code, known("icd10cm:E11.65"));
        assert_eq!(request.criteria[0].display.as_deref(), Some("Type 2 diabetes with hyperglycemia"));
        assert_eq!(request.lang.as_deref(), Some("es"), "MedlinePlus Connect's sp is Spanish");
        assert_eq!(request.response, ResponseType::Json);
    }

    #[test]
    fn several_criteria_in_the_order_of_their_index() {
        let request = parse(
            "mainSearchCriteria.v.c1=4548-4&mainSearchCriteria.v.cs1=2.16.840.1.113883.6.1\
             &mainSearchCriteria.v.c=860975&mainSearchCriteria.v.cs=2.16.840.1.113883.6.88\
             &mainSearchCriteria.v.c2=250.00&mainSearchCriteria.v.cs2=2.16.840.1.113883.6.103\
             &mainSearchCriteria.v.dn2=Diabetes+mellitus&patientPerson.administrativeGenderCode.c=F",
        )
        .unwrap();
        let codes: Vec<_> = request.criteria.iter().map(|c| c.code.clone()).collect();
        assert_eq!(
            codes,
            [
                known("rxnorm:860975"),
                known("loinc:4548-4"),
                Some(Wanted::Other { system: "2.16.840.1.113883.6.103".into(), value: "250.00".into() })
            ]
        );
        assert_eq!(request.response, ResponseType::Atom, "text/xml is the default");
        assert_eq!(request.lang, None);
    }

    #[test]
    fn a_malformed_request_names_its_parameter() {
        let parameter = |query: &str| parse(query).unwrap_err().parameter;
        assert_eq!(parameter(""), "mainSearchCriteria.v.c");
        assert_eq!(parameter("mainSearchCriteria.v.c=E11"), "mainSearchCriteria.v.cs");
        assert_eq!(
            parameter("mainSearchCriteria.v.c1=4548-5&mainSearchCriteria.v.cs1=2.16.840.1.113883.6.1"),
            "mainSearchCriteria.v.c1"
        );
        assert_eq!(
            parameter("mainSearchCriteria.v.c=E11&mainSearchCriteria.v.cs=icd10"),
            "mainSearchCriteria.v.cs"
        );
        assert_eq!(
            parameter("mainSearchCriteria.v.dn=x&knowledgeResponseType=application/javascript"),
            "knowledgeResponseType"
        );
        assert_eq!(
            parameter("mainSearchCriteria.v.dn=x&informationRecipient.languageCode.c=spanish"),
            "informationRecipient.languageCode.c"
        );
        assert_eq!(
            parameter("mainSearchCriteria.v.dn=x&mainSearchCriteria.v.dn=y"),
            "mainSearchCriteria.v.dn"
        );
        assert_eq!(parameter("mainSearchCriteria.v.cx=1"), "mainSearchCriteria.v.c");
        let message =
            parse("mainSearchCriteria.v.c=E1&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90").unwrap_err();
        assert!(message.to_string().contains("is not an ICD-10-CM code"), "{message}");
    }
}
