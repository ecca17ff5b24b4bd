//! What a paragraph's style and numbering make it: `styles.xml` and `numbering.xml`.
//!
//! Styles are found by what they are, not by what they are called on screen: a heading
//! is a style whose outline level is set (directly or through the style it is based
//! on), or whose built-in name is `heading N`. Word writes built-in names in English
//! whatever its language (`w:name="heading 1"`) but localises the id (`Ttulo1`,
//! `berschrift1`), so ids are only a last resort.

use std::collections::HashMap;

use roxmltree::Node;

use super::xml::{attr, child, is_on, local};

/// What a style says about its paragraphs, with its base styles folded in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Style {
    /// 0 = Heading 1 … 8; `None` for body text (Word's level 9).
    pub outline: Option<u8>,
    pub title: bool,
    pub subtitle: bool,
    pub caption: bool,
    /// A table-of-contents entry (`toc 1` …): Word's generated list of headings.
    pub toc: bool,
    /// The list a style puts its paragraphs in (`List Bullet` has one).
    pub numbering: Option<NumberingRef>,
    pub bold: bool,
}

/// `w:numPr`: which list and which level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberingRef {
    pub num_id: u32,
    pub level: u8,
}

/// The styles of a document, by id.
#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    /// Character styles by id: (bold, italic), so `Strong` and `Emphasis` (and their
    /// localised ids) format their runs.
    characters: HashMap<String, (bool, bool)>,
    /// The paragraph style used where a paragraph names none.
    default_id: Option<String>,
    /// `w:lang` of the default run properties or the default paragraph style.
    pub lang: Option<String>,
}

impl Styles {
    pub fn parse(doc: &roxmltree::Document) -> Styles {
        struct Raw<'a> {
            based_on: Option<&'a str>,
            own: Style,
        }
        let mut raw: HashMap<&str, Raw> = HashMap::new();
        let mut styles = Styles::default();
        let root = doc.root_element();
        if let Some(lang) = child(root, "docDefaults")
            .and_then(|d| child(d, "rPrDefault"))
            .and_then(|r| child(r, "rPr"))
            .and_then(|r| child(r, "lang"))
            .and_then(|l| attr(l, "val"))
        {
            styles.lang = Some(lang.to_string());
        }
        for style in root.children().filter(|n| local(*n) == "style") {
            let Some(id) = attr(style, "styleId") else { continue };
            if attr(style, "type") == Some("character") {
                let rpr = child(style, "rPr");
                let on = |name| rpr.and_then(|r| child(r, name)).is_some_and(is_on);
                styles.characters.insert(id.to_string(), (on("b"), on("i")));
                continue;
            }
            if attr(style, "type").is_some_and(|t| t != "paragraph") {
                continue;
            }
            let name = child(style, "name").and_then(|n| attr(n, "val")).unwrap_or("").to_lowercase();
            let id_lower = id.to_lowercase();
            let ppr = child(style, "pPr");
            let mut own = Style {
                outline: ppr.and_then(outline_level),
                numbering: ppr.and_then(numbering_ref),
                bold: child(style, "rPr").and_then(|r| child(r, "b")).is_some_and(is_on),
                ..Style::default()
            };
            if own.outline.is_none()
                && let Some(n) = name.strip_prefix("heading ").and_then(|n| n.trim().parse::<u8>().ok())
            {
                own.outline = n.checked_sub(1);
            }
            own.title = name == "title" || (name.is_empty() && id_lower == "title");
            own.subtitle = name == "subtitle";
            own.caption = name == "caption" || id_lower == "caption";
            own.toc = name.starts_with("toc ") || name == "toc heading";
            if attr(style, "default").is_some_and(|d| d == "1" || d == "true") {
                styles.default_id = Some(id.to_string());
                if styles.lang.is_none() {
                    styles.lang = child(style, "rPr")
                        .and_then(|r| child(r, "lang"))
                        .and_then(|l| attr(l, "val"))
                        .map(str::to_string);
                }
            }
            let based_on = child(style, "basedOn").and_then(|b| attr(b, "val"));
            raw.insert(id, Raw { based_on, own });
        }
        // Fold each style's bases into it; the chain is cut at 16 steps, so a loop
        // (which Word never writes, but a file can hold) ends.
        for (&id, entry) in &raw {
            let mut style = entry.own.clone();
            let mut next = entry.based_on;
            for _ in 0..16 {
                let Some(base) = next.and_then(|b| raw.get(b)) else { break };
                style.outline = style.outline.or(base.own.outline);
                style.numbering = style.numbering.or(base.own.numbering);
                style.bold |= base.own.bold;
                // A heading based on Title is not a title; only the outline level and
                // the list are inherited.
                next = base.based_on;
            }
            styles.by_id.insert(id.to_string(), style);
        }
        styles
    }

    /// (bold, italic) of character style `id`.
    pub fn character(&self, id: Option<&str>) -> (bool, bool) {
        id.and_then(|id| self.characters.get(id)).copied().unwrap_or_default()
    }

    /// The style a paragraph with `id` (or none) has.
    pub fn get(&self, id: Option<&str>) -> Style {
        id.or(self.default_id.as_deref()).and_then(|id| self.by_id.get(id)).cloned().unwrap_or_default()
    }
}

/// `w:outlineLvl` in paragraph properties: 0–8 are heading levels, 9 is body text.
pub fn outline_level(ppr: Node) -> Option<u8> {
    child(ppr, "outlineLvl")
        .and_then(|o| attr(o, "val"))
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|&l| l < 9)
}

/// `w:ind` in paragraph properties: the left indent in twips.
pub fn left_indent(ppr: Node) -> Option<i64> {
    let ind = child(ppr, "ind")?;
    attr(ind, "left").or_else(|| attr(ind, "start")).and_then(|v| v.parse().ok())
}

/// `w:numPr` in paragraph properties.
pub fn numbering_ref(ppr: Node) -> Option<NumberingRef> {
    let num_pr = child(ppr, "numPr")?;
    let num_id = child(num_pr, "numId").and_then(|n| attr(n, "val")).and_then(|v| v.parse().ok())?;
    let level = child(num_pr, "ilvl").and_then(|n| attr(n, "val")).and_then(|v| v.parse().ok()).unwrap_or(0);
    Some(NumberingRef { num_id, level: level.min(8) })
}

/// How one level of a list is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub kind: LevelKind,
    pub start: u64,
    /// Left indent in twips (`w:ind w:left` or `w:start`), when the level sets one.
    pub indent: Option<i64>,
    /// The bullet when it is a check box (☐, ☒, ✓…), which says whether the item is done.
    pub checkbox: Option<char>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelKind {
    Bullet,
    Numbered,
    /// `w:numFmt w:val="none"`: indented, no marker.
    Plain,
}

/// `numbering.xml`: each list (`w:num`) with its levels and where it restarts.
#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → (abstractNumId, level → start override).
    nums: HashMap<u32, (u32, HashMap<u8, u64>)>,
    /// abstractNumId → level → format.
    abstracts: HashMap<u32, HashMap<u8, Level>>,
}

impl Numbering {
    pub fn parse(doc: &roxmltree::Document) -> Numbering {
        let mut numbering = Numbering::default();
        let root = doc.root_element();
        for abstract_num in root.children().filter(|n| local(*n) == "abstractNum") {
            let Some(id) = attr(abstract_num, "abstractNumId").and_then(|v| v.parse().ok()) else { continue };
            let levels =
                abstract_num.children().filter(|n| local(*n) == "lvl").filter_map(parse_level).collect();
            numbering.abstracts.insert(id, levels);
        }
        for num in root.children().filter(|n| local(*n) == "num") {
            let Some(id) = attr(num, "numId").and_then(|v| v.parse().ok()) else { continue };
            let Some(abstract_id) =
                child(num, "abstractNumId").and_then(|a| attr(a, "val")).and_then(|v| v.parse().ok())
            else {
                continue;
            };
            let mut overrides = HashMap::new();
            for over in num.children().filter(|n| local(*n) == "lvlOverride") {
                let Some(level) = attr(over, "ilvl").and_then(|v| v.parse().ok()) else { continue };
                let start = child(over, "startOverride")
                    .and_then(|s| attr(s, "val"))
                    .and_then(|v| v.parse().ok())
                    .or_else(|| child(over, "lvl").and_then(parse_level).map(|(_, l)| l.start));
                if let Some(start) = start {
                    overrides.insert(level, start);
                }
            }
            numbering.nums.insert(id, (abstract_id, overrides));
        }
        numbering
    }

    /// The format of `level` in list `num_id`; `None` when the list does not exist
    /// (numId 0 means "no list": Word writes it to take a paragraph out of its style's list).
    pub fn level(&self, reference: NumberingRef) -> Option<Level> {
        let (abstract_id, _) = self.nums.get(&reference.num_id)?;
        let levels = self.abstracts.get(abstract_id);
        let level = levels.and_then(|l| l.get(&reference.level)).copied();
        Some(level.unwrap_or(Level { kind: LevelKind::Bullet, start: 1, indent: None, checkbox: None }))
    }

    /// The counter a list's numbers come from: lists made from the same definition
    /// continue each other's numbers, as in Word, unless one restarts them.
    pub fn counter_key(&self, reference: NumberingRef) -> (bool, u32) {
        match self.nums.get(&reference.num_id) {
            Some((_, overrides)) if overrides.contains_key(&reference.level) => (true, reference.num_id),
            Some((abstract_id, _)) => (false, *abstract_id),
            None => (true, reference.num_id),
        }
    }

    /// Where `level` of list `num_id` starts counting.
    pub fn start(&self, reference: NumberingRef) -> u64 {
        let Some((_, overrides)) = self.nums.get(&reference.num_id) else { return 1 };
        overrides
            .get(&reference.level)
            .copied()
            .or_else(|| self.level(reference).map(|l| l.start))
            .unwrap_or(1)
    }
}

fn parse_level(lvl: Node) -> Option<(u8, Level)> {
    let index = attr(lvl, "ilvl")?.parse().ok()?;
    let format = child(lvl, "numFmt").and_then(|f| attr(f, "val")).unwrap_or("decimal");
    let kind = match format {
        "bullet" => LevelKind::Bullet,
        "none" => {
            // LibreOffice writes "none" with a lvlText of a bullet character for some
            // bulleted lists; a level with text but no number is a bullet.
            let text = child(lvl, "lvlText").and_then(|t| attr(t, "val")).unwrap_or("");
            if text.trim().is_empty() { LevelKind::Plain } else { LevelKind::Bullet }
        }
        _ => LevelKind::Numbered,
    };
    let start = child(lvl, "start").and_then(|s| attr(s, "val")).and_then(|v| v.parse().ok()).unwrap_or(1);
    let indent = child(lvl, "pPr").and_then(left_indent);
    let text = child(lvl, "lvlText").and_then(|t| attr(t, "val")).unwrap_or("").trim();
    let checkbox = match (kind, text.chars().next(), text.chars().count()) {
        (LevelKind::Bullet, Some(mark @ ('☐' | '☑' | '☒' | '✓' | '✔' | '✗' | '✘')), 1) => {
            Some(mark)
        }
        _ => None,
    };
    Some((index, Level { kind, start, indent, checkbox }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn headings_are_found_by_outline_level_and_built_in_name_not_by_id() {
        let xml = format!(
            r#"<w:styles {W}>
              <w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="es-ES"/></w:rPr></w:rPrDefault></w:docDefaults>
              <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
              <w:style w:type="paragraph" w:styleId="Ttulo1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
              <w:style w:type="paragraph" w:styleId="Ttulo"><w:name w:val="Title"/></w:style>
              <w:style w:type="paragraph" w:styleId="Subclinica"><w:name w:val="Subtítulo clínica"/>
                <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
              <w:style w:type="paragraph" w:styleId="Mio"><w:name w:val="Mío"/><w:basedOn w:val="Subclinica"/></w:style>
              <w:style w:type="paragraph" w:styleId="Cuerpo"><w:name w:val="Cuerpo"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
              <w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>
            </w:styles>"#
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let styles = Styles::parse(&doc);
        assert_eq!(styles.get(Some("Ttulo1")).outline, Some(0));
        assert!(styles.get(Some("Ttulo")).title);
        assert_eq!(styles.get(Some("Subclinica")).outline, Some(1));
        assert_eq!(styles.get(Some("Mio")).outline, Some(1), "inherited from the style it is based on");
        assert_eq!(styles.get(Some("Cuerpo")).outline, None, "level 9 is body text");
        assert_eq!(styles.get(Some("Loop")), Style::default());
        assert_eq!(styles.get(None), Style::default(), "the default style: Normal");
        assert_eq!(styles.lang.as_deref(), Some("es-ES"));
    }

    #[test]
    fn lists_restart_only_where_the_document_says() {
        let xml = format!(
            r#"<w:numbering {W}>
              <w:abstractNum w:abstractNumId="0">
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/></w:lvl>
              </w:abstractNum>
              <w:abstractNum w:abstractNumId="1">
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>
                <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/></w:lvl>
              </w:abstractNum>
              <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
              <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
              <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
              <w:num w:numId="4"><w:abstractNumId w:val="1"/>
                <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            </w:numbering>"#
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let numbering = Numbering::parse(&doc);
        let at = |num_id, level| NumberingRef { num_id, level };
        assert_eq!(numbering.level(at(1, 0)).map(|l| l.kind), Some(LevelKind::Bullet));
        assert_eq!(numbering.level(at(2, 1)).map(|l| l.kind), Some(LevelKind::Numbered));
        assert_eq!(numbering.level(at(0, 0)), None);
        assert_eq!(numbering.level(at(1, 0)).and_then(|l| l.checkbox), None);
        let check = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>
            <w:lvlText w:val="☒"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        );
        let check = Numbering::parse(&roxmltree::Document::parse(&check).unwrap());
        assert_eq!(
            check.level(at(1, 0)).and_then(|l| l.checkbox),
            Some('☒'),
            "a ticked box says the item is done"
        );
        assert_eq!(numbering.counter_key(at(2, 0)), numbering.counter_key(at(3, 0)), "continues");
        assert_ne!(numbering.counter_key(at(2, 0)), numbering.counter_key(at(4, 0)), "restarts");
    }
}
