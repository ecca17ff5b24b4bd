//! The rules for values that arrive from people: language tags, dates, web addresses
//! and ids. Each rule is written once, here, and checked where the value enters (the
//! config, front matter); later stages trust what they get.

use std::fmt;

/// Why a language tag was refused, with the tag to suggest instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLanguage {
    given: String,
    suggestion: &'static str,
}

impl BadLanguage {
    /// A tag to write instead: the tag for a language name people write out
    /// (`english` → `en`), else `en`.
    pub fn suggestion(&self) -> &'static str {
        self.suggestion
    }
}

impl fmt::Display for BadLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not a language tag like \"en\" or \"es-MX\"", self.given)
    }
}

/// Language names people write instead of tags, with their tags.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("spanish", "es"),
    ("espanol", "es"),
    ("español", "es"),
    ("french", "fr"),
    ("francais", "fr"),
    ("français", "fr"),
    ("german", "de"),
    ("deutsch", "de"),
    ("portuguese", "pt"),
    ("portugues", "pt"),
    ("português", "pt"),
    ("italian", "it"),
    ("chinese", "zh"),
    ("arabic", "ar"),
    ("russian", "ru"),
    ("vietnamese", "vi"),
    ("korean", "ko"),
    ("japanese", "ja"),
];

/// A BCP 47 tag (`en`, `es-MX`, `zh-Hant`), returned in its canonical case. The primary
/// language must be a 2- or 3-letter code: BCP 47 reserves 5–8 letters for languages
/// nobody has registered, so `english` parses but names no language.
pub fn language_tag(tag: &str) -> Result<String, BadLanguage> {
    let refuse = || {
        let lower = tag.trim().to_lowercase();
        let suggestion =
            LANGUAGE_NAMES.iter().find(|(name, _)| *name == lower).map_or("en", |(_, code)| code);
        BadLanguage { given: tag.to_string(), suggestion }
    };
    if tag.contains('_') || tag.trim() != tag {
        return Err(refuse());
    }
    let parsed: unic_langid::LanguageIdentifier = tag.parse().map_err(|_| refuse())?;
    if !(2..=3).contains(&parsed.language.as_str().len()) {
        return Err(refuse());
    }
    Ok(parsed.to_string())
}

/// `YYYY-MM-DD` naming a day that exists: `2026-02-31` is refused with the reason.
pub fn date(text: &str) -> Result<time::Date, String> {
    let shape = || format!("\"{text}\" is not a date written YYYY-MM-DD, like 2026-09-14");
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(shape());
    }
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(shape());
    };
    let month = u8::try_from(month).ok().and_then(|m| time::Month::try_from(m).ok()).ok_or_else(|| {
        format!("\"{text}\" is not a date: there is no month {month} (write YYYY-MM-DD, like 2026-09-14)")
    })?;
    let year = i32::from(year);
    let day = u8::try_from(day).unwrap_or(0);
    time::Date::from_calendar_date(year, month, day)
        .map_err(|_| format!("\"{text}\" is not a date: {month} {year} has {} days", month.length(year)))
}

/// The date and time `SOURCE_DATE_EPOCH` seconds after 1970, in UTC.
pub fn from_unix(seconds: i64) -> Option<time::PrimitiveDateTime> {
    let moment = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Some(time::PrimitiveDateTime::new(moment.date(), moment.time()))
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): `None` when unset, an error naming
/// the variable when it is set to anything but a whole number of seconds. A value that
/// was silently ignored dated every handout with today's date instead of the one the
/// operator asked for, so the commands that read it refuse it first
/// ([`crate::build::load_config`]).
pub fn source_date_epoch() -> Result<Option<i64>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else { return Ok(None) };
    let text = value.to_string_lossy();
    match text.trim().parse::<i64>() {
        Ok(seconds) if from_unix(seconds).is_some() => Ok(Some(seconds)),
        _ => Err(format!(
            "SOURCE_DATE_EPOCH=\"{}\" is not a date: it must be a whole number of seconds since 1970-01-01 UTC \
             (e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`), or unset",
            text.escape_debug()
        )),
    }
}

/// The one URL policy: only `http` and `https` addresses become links, QR codes or the
/// clinic's website. A `javascript:` or `file:` URL in front matter or the config must
/// never become something a reader can activate.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| rest.split('/').next().is_some_and(|host| !host.is_empty()))
}

/// Whether a link in an article's text may stay a link (in the PDF and the EPUB): a web
/// address or a `mailto:` with an address. The template's `safe-url` says the same.
pub fn is_link_url(url: &str) -> bool {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    is_web_url(trimmed) || lower.strip_prefix("mailto:").is_some_and(|address| !address.trim().is_empty())
}

/// ASCII slug: lowercase letters, digits and single `-`, at most 60 characters, cut at a
/// word boundary. Any script is transliterated (`Рак почки` → `rak-pochki`), so an id is
/// readable and depends only on its own title, never on which other files exist. Never
/// contains `/` or `..`, so an id cannot escape the output folder. Empty when nothing
/// in `text` transliterates to a letter or digit.
pub fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, "-");
    let mut slug = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > 60 {
        let cut = slug[..=60].rfind('-').unwrap_or(60);
        slug.truncate(cut);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(language_tag("en").as_deref(), Ok("en"));
        assert_eq!(language_tag("es-mx").as_deref(), Ok("es-MX"));
        assert_eq!(language_tag("zh-Hant").as_deref(), Ok("zh-Hant"));
        let english = language_tag("english").unwrap_err();
        assert_eq!(english.suggestion(), "en");
        assert_eq!(english.to_string(), "\"english\" is not a language tag like \"en\" or \"es-MX\"");
        assert_eq!(language_tag("Español").unwrap_err().suggestion(), "es");
        for bad in ["", "e", "en_US", "en-", " en", "123"] {
            assert!(language_tag(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_must_exist() {
        assert!(date("2024-02-29").is_ok());
        assert_eq!(
            date("2026-02-31").unwrap_err(),
            "\"2026-02-31\" is not a date: February 2026 has 28 days"
        );
        assert!(date("2026-13-01").unwrap_err().contains("no month 13"));
        for bad in ["2026-9-14", "last week", "2026-09-14T00", "+026-09-14"] {
            assert!(date(bad).unwrap_err().contains("YYYY-MM-DD"), "{bad}");
        }
    }

    #[test]
    fn one_url_policy() {
        assert!(is_web_url("https://example.org/a"));
        assert!(is_web_url("HTTP://example.org"));
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "https://", "example.org", "mailto:a@b.c"] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert!(is_link_url("mailto:care@example.org") && is_link_url("https://example.org"));
        for bad in ["mailto:", "tel:5550100", "javascript:alert(1)", "data:text/html,x"] {
            assert!(!is_link_url(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_transliterate_every_script() {
        assert_eq!(slug("Treatment of Metastatic Kidney Cancer"), "treatment-of-metastatic-kidney-cancer");
        assert_eq!(slug("¿Qué es la quimioterapia?"), "que-es-la-quimioterapia");
        assert_eq!(slug("Рак почки"), "rak-pochki");
        assert_eq!(slug("Straße"), "strasse");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("/"), "");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
