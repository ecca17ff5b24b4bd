use super::*;

/// A made-up font: the characters it maps and which of its glyphs are marks.
struct Fake(&'static [(char, u16)], &'static [u16]);

impl Glyphs for Fake {
    fn glyph(&self, c: char) -> Option<u16> {
        self.0.iter().find(|(k, _)| *k == c).map(|(_, g)| *g)
    }
    fn is_mark(&self, glyph: u16) -> bool {
        self.1.contains(&glyph)
    }
}

#[test]
fn a_letter_the_font_composes_from_a_letter_and_a_mark_is_shared_between_them() {
    // Atkinson Hyperlegible: "ê" and a combining tilde, no "ễ".
    let font = Fake(&[('e', 1), ('ê', 2), ('\u{303}', 3), ('\u{302}', 4)], &[3, 4]);
    assert_eq!(assign(&font, "ễ", &[2, 3]), Some(vec!["ê".into(), "\u{303}".into()]));
    // Decomposed input comes out the same.
    assert_eq!(assign(&font, "e\u{302}\u{303}", &[2, 3]), Some(vec!["ê".into(), "\u{303}".into()]));
    // Three glyphs: the letter and both marks.
    assert_eq!(
        assign(&font, "e\u{302}\u{303}", &[1, 4, 3]),
        Some(vec!["e".into(), "\u{302}".into(), "\u{303}".into()])
    );
}

#[test]
fn contextual_forms_and_mark_ligatures_take_what_is_left() {
    // Arabic: a letter in a contextual form (not in cmap) and a ligature of shadda and
    // fatha (a mark glyph, not in cmap).
    let font = Fake(&[('\u{62F}', 10), ('\u{64E}', 11), ('\u{651}', 12)], &[11, 12, 20]);
    assert_eq!(
        assign(&font, "\u{62F}\u{64E}\u{651}", &[20, 21]),
        Some(vec!["\u{64E}\u{651}".into(), "\u{62F}".into()])
    );
    // Hebrew: shin with qamats and shin dot, glyphs in visual order.
    let font = Fake(&[('\u{5E9}', 96), ('\u{5B8}', 79), ('\u{5C1}', 100)], &[79, 100]);
    assert_eq!(
        assign(&font, "\u{5E9}\u{5B8}\u{5C1}", &[79, 100, 96]),
        Some(vec!["\u{5B8}".into(), "\u{5C1}".into(), "\u{5E9}".into()])
    );
}

#[test]
fn what_cannot_be_shared_with_certainty_is_left_alone() {
    // Two glyphs the font maps nothing to, neither a mark.
    let font = Fake(&[], &[]);
    assert_eq!(assign(&font, "ab", &[7, 8]), None);
    // More glyphs than characters.
    let font = Fake(&[('a', 1)], &[]);
    assert_eq!(assign(&font, "a", &[1, 1]), None);
}

#[test]
fn characters_no_glyph_shows_go_with_the_one_before() {
    // A variation selector after a letter drawn as base + mark.
    let font = Fake(&[('a', 1), ('\u{301}', 2)], &[2]);
    assert_eq!(assign(&font, "a\u{301}\u{FE0F}", &[1, 2]), Some(vec!["a".into(), "\u{301}\u{FE0F}".into()]));
}

#[test]
fn composition_puts_back_only_what_composes() {
    assert_eq!(composed(&['e', '\u{302}']), "ê");
    assert_eq!(composed(&['e', '\u{302}', '\u{303}']), "ễ");
    // A CJK compatibility ideograph stays itself (NFC would change it).
    assert_eq!(composed(&['\u{F900}']), "\u{F900}");
    assert_eq!(assign(&Fake(&[('\u{F900}', 5)], &[]), "\u{F900}", &[5]), Some(vec!["\u{F900}".into()]));
}
