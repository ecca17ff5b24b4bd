//! Small helpers over roxmltree for WordprocessingML.
//!
//! Elements and attributes are matched by local name: Word writes the transitional
//! namespace (`…/wordprocessingml/2006/main`), "Strict Open XML" another
//! (`http://purl.oclc.org/ooxml/…`), and both mean the same.

use roxmltree::Node;

/// The element's local name; `""` for text and other nodes.
pub fn local<'a>(node: Node<'a, '_>) -> &'a str {
    if node.is_element() { node.tag_name().name() } else { "" }
}

/// The first child element named `name`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| local(*n) == name)
}

/// The attribute with local name `name`, in any namespace (`w:val`, `val`).
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == name).map(|a| a.value())
}

/// A relationship attribute (`r:id`, `r:embed`, `r:link`): local name `name` in the
/// relationships namespace, never `w:id` (tracked changes and notes have one).
pub fn rel_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name && a.namespace().is_some_and(|ns| ns.contains("relationships")))
        .map(|a| a.value())
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): on unless its value says off.
pub fn is_on(node: Node) -> bool {
    !matches!(attr(node, "val"), Some("0" | "false" | "off" | "none"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggles_and_relationship_ids() {
        let xml = r#"<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <w:b/><w:i w:val="0"/><w:x w:id="7" r:id="rId3"/></w:r>"#;
        let doc = roxmltree::Document::parse(xml).unwrap();
        let run = doc.root_element();
        assert!(child(run, "b").is_some_and(is_on));
        assert!(!child(run, "i").is_some_and(is_on));
        let x = child(run, "x").unwrap();
        assert_eq!(rel_attr(x, "id"), Some("rId3"));
        assert_eq!(attr(x, "id"), Some("7"));
    }
}
