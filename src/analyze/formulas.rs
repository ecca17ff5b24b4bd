//! The readability formulas, on counts. Every function returns 0 for an empty text
//! rather than dividing by zero: the JSON form cannot hold NaN or infinity.

/// Flesch Reading Ease (Flesch 1948, "A new readability yardstick", J. Applied
/// Psychology 32:221–233): 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words).
/// Higher is easier; 60–70 is "plain English". Not clamped: very easy text can score
/// above 100 and very hard text below 0, and clamping would hide how far off it is.
pub fn flesch_reading_ease(words: usize, sentences: usize, syllables: usize) -> f64 {
    if words == 0 || sentences == 0 {
        return 0.0;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    206.835 - 1.015 * (w / s) - 84.6 * (y / w)
}

/// Flesch-Kincaid Grade Level (Kincaid et al. 1975, Naval Technical Training Command
/// Research Branch Report 8-75): 0.39·(words/sentences) + 11.8·(syllables/words) − 15.59.
/// A US school grade. Can be negative for very simple text; left so, as above.
pub fn flesch_kincaid_grade(words: usize, sentences: usize, syllables: usize) -> f64 {
    if words == 0 || sentences == 0 {
        return 0.0;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    0.39 * (w / s) + 11.8 * (y / w) - 15.59
}

/// SMOG grade (McLaughlin 1969, "SMOG grading: a new readability formula", J. of
/// Reading 12(8):639–646), in the regression form
/// `1.0430 · √(polysyllables · 30 / sentences) + 3.1291`, which scales texts shorter or
/// longer than McLaughlin's 30-sentence sample. Polysyllables are words of three or
/// more syllables. Often preferred for health materials because it was validated
/// against 100% comprehension, not 50–75%.
pub fn smog(polysyllables: usize, sentences: usize) -> f64 {
    if sentences == 0 {
        return 0.0;
    }
    1.0430 * (polysyllables as f64 * 30.0 / sentences as f64).sqrt() + 3.1291
}

/// Minutes to read at 200 words a minute, a slow adult pace that suits patients
/// reading about their own illness. At least 1 for any text, 0 for none.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(200)
}

/// Rounds to one decimal place so the JSON form is stable across platforms and reads
/// like the figures people quote. Never returns −0.0.
pub fn round1(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.05
    }

    /// Wikipedia, "Flesch–Kincaid readability tests" (section "Flesch reading ease"):
    /// "The Australian platypus is seemingly a hybrid of a mammal and reptilian
    /// creature." has 13 words and 26 syllables in one sentence and scores 24.4.
    #[test]
    fn flesch_reading_ease_worked_example() {
        assert!(close(flesch_reading_ease(13, 1, 26), 24.4));
        // The grade on the same counts: 0.39·13 + 11.8·2 − 15.59 = 13.08.
        assert!(close(flesch_kincaid_grade(13, 1, 26), 13.1));
    }

    /// Hand-checked: 100 words, 5 sentences, 150 syllables (20 words a sentence, 1.5
    /// syllables a word): FRE = 206.835 − 20.3 − 126.9 = 59.635;
    /// FKGL = 7.8 + 17.7 − 15.59 = 9.91.
    #[test]
    fn flesch_on_round_counts() {
        assert!(close(flesch_reading_ease(100, 5, 150), 59.6));
        assert!(close(flesch_kincaid_grade(100, 5, 150), 9.9));
        // One-syllable words in 3-word sentences are "below first grade".
        assert!(flesch_kincaid_grade(6, 2, 6) < 0.0);
    }

    /// McLaughlin's sample is 30 sentences, where his shortcut is 3 + √polysyllables:
    /// 36 polysyllables → 3 + 6 = grade 9. The regression form gives
    /// 1.043·6 + 3.1291 = 9.39, and scales: the same density in 10 sentences (12
    /// polysyllables) gives the same grade.
    #[test]
    fn smog_worked_example() {
        assert!(close(smog(36, 30), 9.4));
        assert!(close(smog(12, 10), 9.4));
        assert!(close(smog(0, 30), 3.1));
        assert!((smog(36, 30) - (3.0 + 36f64.sqrt())).abs() < 0.5);
    }

    #[test]
    fn empty_text_is_zero_not_nan() {
        assert_eq!(flesch_reading_ease(0, 0, 0), 0.0);
        assert_eq!(flesch_kincaid_grade(0, 0, 0), 0.0);
        assert_eq!(smog(0, 0), 0.0);
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(round1(f64::NAN), 0.0);
    }

    #[test]
    fn minutes_and_rounding() {
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(200), 1);
        assert_eq!(reading_minutes(201), 2);
        assert_eq!(round1(13.08), 13.1);
        assert_eq!(round1(-0.04).to_string(), "0");
        assert_eq!(round1(24.44), 24.4);
    }
}
