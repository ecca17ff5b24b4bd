//! [`Digest`]: the crate's one 128-bit hash, held as 16 bytes and written as 32 hex
//! digits.
//!
//! The manifest records several hashes per output and per article (what an output was
//! made from, the bytes it holds, the article file's bytes, its reuse key). Held as hex
//! strings they were a third of a build's per-article memory (each a 24-byte `String`
//! and a 32-byte allocation); a library of 50,000 articles holds about 600,000 of them.
//!
//! A digest hashes as its hex text does, so every key or fingerprint made of digests
//! (an article's reuse key, the EPUB's fingerprint) is the value it was when they were
//! strings, and a library built before is reused, not made again.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Digest(pub u128);

impl Digest {
    /// The hash of `value` (typst's 128-bit SipHash, stable across runs and machines).
    pub fn of(value: impl Hash) -> Digest {
        Digest(typst::utils::hash128(&value))
    }

    /// The hex text, without an allocation.
    fn hex_digits(self) -> [u8; 32] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 32];
        for (i, digit) in text.iter_mut().enumerate() {
            // The nibble of bit offset 124 - 4i, most significant first; `& 0xf` keeps
            // the index below 16.
            *digit = DIGITS[((self.0 >> (124 - 4 * i)) & 0xf) as usize];
        }
        text
    }

    /// The digest written as `text`: 32 hex digits as [`Digest`]'s `Display` writes
    /// them, or (any other text, from a manifest of an older format) a digest of the
    /// text, which equals no digest the build makes, so what it vouched for is made again.
    pub fn parse(text: &str) -> Digest {
        match u128::from_str_radix(text, 16) {
            Ok(value) if text.len() == 32 && !text.starts_with('+') => Digest(value),
            _ => Digest::of(("not a digest", text)),
        }
    }
}

/// The hash of `value` as 32 hex digits, for a hash kept as text (a set of settings, a
/// shard's inputs).
pub fn hex(value: impl Hash) -> String {
    Digest::of(value).to_string()
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Hash for Digest {
    /// As its hex text hashes: see the module's comment.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let digits = self.hex_digits();
        // Hex digits are ASCII, so always UTF-8.
        std::str::from_utf8(&digits).unwrap_or_default().hash(state);
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let digits = self.hex_digits();
        serializer.serialize_str(std::str::from_utf8(&digits).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Digest, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Digest;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a hash written as 32 hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Digest, E> {
                Ok(Digest::parse(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_written_read_and_hashed_as_its_hex_text() {
        for value in [0u128, 1, 0xdead_beef, u128::MAX, typst::utils::hash128(&"feet")] {
            let digest = Digest(value);
            let text = format!("{value:032x}");
            assert_eq!(digest.to_string(), text);
            assert_eq!(std::str::from_utf8(&digest.hex_digits()).expect("ascii"), text);
            assert_eq!(Digest::parse(&text), digest);
            let json = serde_json::to_string(&digest).expect("json");
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Digest>(&json).expect("read back"), digest);
            // Keys made of digests are those made of the strings before them.
            assert_eq!(typst::utils::hash128(&digest), typst::utils::hash128(&text));
            assert_eq!(
                typst::utils::hash128(&(&[digest, digest][..], 7u128)),
                typst::utils::hash128(&(&[text.clone(), text.clone()][..], 7u128))
            );
        }
    }

    #[test]
    fn text_that_is_no_digest_reads_as_one_that_matches_nothing_made() {
        let odd = ["", "unreadable", "+0000000000000000000000000000001", "abc", &"f".repeat(33)];
        for text in odd {
            let digest = serde_json::from_str::<Digest>(&format!("\"{text}\"")).expect("still reads");
            assert_eq!(digest, Digest::of(("not a digest", text)), "{text:?}");
        }
        assert_ne!(Digest::parse("unreadable"), Digest::parse("unreadablf"));
    }
}
