//! The structure tree of a tagged PDF, read with lopdf.

/// The structure elements of a tagged PDF in reading order, as `(type, title)`, where
/// the title is a heading's `/T`.
pub fn structure(pdf: &[u8]) -> Vec<(String, Option<String>)> {
    structure_tree(pdf).into_iter().map(|(kind, title, _)| (kind, title)).collect()
}

/// [`structure`] with each element's parent type ("" for the tree's root).
pub fn structure_tree(pdf: &[u8]) -> Vec<(String, Option<String>, String)> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let deref = |object: &lopdf::Object| -> lopdf::Object {
        match object {
            lopdf::Object::Reference(id) => document.get_object(*id).expect("reference resolves").clone(),
            other => other.clone(),
        }
    };
    let catalog = document.catalog().expect("catalog");
    let root = deref(catalog.get(b"StructTreeRoot").expect("tagged PDF has a structure tree"));
    let mut out = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((node, parent)) = stack.pop() {
        let lopdf::Object::Dictionary(dict) = node else { continue };
        let mut kind_here = parent.clone();
        if let Ok(kind) = dict.get(b"S").and_then(|s| s.as_name()) {
            let title = dict.get(b"T").ok().map(&deref).and_then(|t| match t {
                lopdf::Object::String(bytes, _) => Some(decode_pdf_string(&bytes)),
                _ => None,
            });
            kind_here = String::from_utf8_lossy(kind).into_owned();
            out.push((kind_here.clone(), title, parent));
        }
        let kids = match dict.get(b"K").map(&deref) {
            Ok(lopdf::Object::Array(kids)) => kids,
            Ok(kid @ lopdf::Object::Dictionary(_)) => vec![kid],
            _ => vec![],
        };
        // Depth first, in order.
        for kid in kids.iter().rev() {
            stack.push((deref(kid), kind_here.clone()));
        }
    }
    out
}

/// PDF text strings are UTF-16BE with a byte-order mark, or PDFDocEncoding (ASCII here).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}
