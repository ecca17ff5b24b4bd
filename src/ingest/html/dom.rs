//! Bytes → a small arena DOM built by html5ever, with the source line of every node.
//!
//! html5ever does the HTML5 tree construction (misnested tags, implied elements, the
//! adoption agency) and tells the sink the tokenizer's line before each token; the sink
//! records it on the nodes it creates, so blocks and removed text can name their line.
//! Nodes live in one `Vec` and point at each other by index: no `Rc`, no recursion on
//! drop, and a tree 100,000 elements deep costs nothing special to free.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::path::Path;

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::interface::{ElemName, ExpandedName};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, QualName, local_name, ns};

use crate::error::{Error, Result};
use crate::model::Warning;

/// Elements nested deeper than this make the page refused: no browser shows such a page
/// sensibly, and html5ever's scope checks walk the stack of open elements, so depth
/// would cost time on every tag.
pub const MAX_DEPTH: usize = 512;

pub type NodeId = usize;

#[derive(Debug)]
pub enum Data {
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        template: Option<NodeId>,
    },
    Text(StrTendril),
    /// Comments, doctypes, processing instructions: never read.
    Other,
}

#[derive(Debug)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub first_child: Option<NodeId>,
    pub last_child: Option<NodeId>,
    pub prev: Option<NodeId>,
    pub next: Option<NodeId>,
    /// 1-based line of the token that created the node.
    pub line: usize,
    pub depth: usize,
    pub data: Data,
}

/// The parsed page.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    pub const ROOT: NodeId = 0;

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children { dom: self, next: self.nodes[id].first_child }
    }

    /// The element's local name (`div`), or "" for other nodes. Only HTML-namespace
    /// elements get a name: an `<svg:a>` is not a link.
    pub fn tag(&self, id: NodeId) -> &str {
        match &self.nodes[id].data {
            Data::Element { name, .. } if name.ns == ns!(html) => &name.local,
            Data::Element { .. } => "#foreign",
            _ => "",
        }
    }

    pub fn attr(&self, id: NodeId, key: &str) -> Option<&str> {
        match &self.nodes[id].data {
            Data::Element { attrs, .. } => {
                attrs.iter().find(|a| a.name.ns == ns!() && &*a.name.local == key).map(|a| &*a.value)
            }
            _ => None,
        }
    }

    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].data {
            Data::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn line(&self, id: NodeId) -> usize {
        self.nodes[id].line
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].parent
    }

    /// Every node under `id` (itself first) in document order, without recursion.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { dom: self, root: id, next: Some(id) }
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: Option<NodeId>,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        self.next = self.dom.nodes[id].next;
        Some(id)
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        let node = &self.dom.nodes[id];
        self.next = if let Some(child) = node.first_child {
            Some(child)
        } else {
            let mut at = id;
            loop {
                if at == self.root {
                    break None;
                }
                if let Some(next) = self.dom.nodes[at].next {
                    break Some(next);
                }
                match self.dom.nodes[at].parent {
                    Some(parent) => at = parent,
                    None => break None,
                }
            }
        };
        Some(id)
    }
}

/// An element's name handed to html5ever: owned, since the nodes sit in a `RefCell`.
#[derive(Debug)]
pub struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
    fn expanded(&self) -> ExpandedName<'_> {
        self.0.expanded()
    }
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
    line: Cell<usize>,
    max_depth: Cell<usize>,
    deep_line: Cell<usize>,
}

impl Sink {
    fn new_node(&self, data: Data) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
            line: self.line.get(),
            depth: 0,
            data,
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        let (parent, prev, next) = (nodes[id].parent.take(), nodes[id].prev.take(), nodes[id].next.take());
        match next {
            Some(next) => nodes[next].prev = prev,
            None => {
                if let Some(parent) = parent {
                    nodes[parent].last_child = prev;
                }
            }
        }
        match prev {
            Some(prev) => nodes[prev].next = next,
            None => {
                if let Some(parent) = parent {
                    nodes[parent].first_child = next;
                }
            }
        }
    }

    fn set_depth(&self, nodes: &mut [Node], id: NodeId, depth: usize) {
        nodes[id].depth = depth;
        if depth > self.max_depth.get() {
            self.max_depth.set(depth);
            if depth > MAX_DEPTH && self.deep_line.get() == 0 {
                self.deep_line.set(nodes[id].line);
            }
        }
    }

    fn append_node(&self, parent: NodeId, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        Self::detach(&mut nodes, child);
        nodes[child].parent = Some(parent);
        match nodes[parent].last_child {
            Some(last) => {
                nodes[last].next = Some(child);
                nodes[child].prev = Some(last);
            }
            None => nodes[parent].first_child = Some(child),
        }
        nodes[parent].last_child = Some(child);
        let depth = nodes[parent].depth + 1;
        self.set_depth(&mut nodes, child, depth);
    }

    fn insert_before(&self, sibling: NodeId, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        Self::detach(&mut nodes, child);
        let parent = nodes[sibling].parent;
        nodes[child].parent = parent;
        nodes[child].next = Some(sibling);
        match nodes[sibling].prev {
            Some(prev) => {
                nodes[prev].next = Some(child);
                nodes[child].prev = Some(prev);
            }
            None => {
                if let Some(parent) = parent {
                    nodes[parent].first_child = Some(child);
                }
            }
        }
        nodes[sibling].prev = Some(child);
        let depth = nodes[sibling].depth;
        self.set_depth(&mut nodes, child, depth);
    }

    /// Appends text to `previous` when it is a text node (html5ever sends text in pieces),
    /// else makes a text node and places it with `place`.
    fn add_text(&self, previous: Option<NodeId>, text: StrTendril, place: impl FnOnce(NodeId)) {
        if let Some(previous) = previous
            && let Data::Text(existing) = &mut self.nodes.borrow_mut()[previous].data
        {
            existing.push_tendril(&text);
            return;
        }
        let id = self.new_node(Data::Text(text));
        place(id);
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        Dom { nodes: self.nodes.into_inner() }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        Dom::ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Name {
        match &self.nodes.borrow()[*target].data {
            Data::Element { name, .. } => Name(name.clone()),
            // html5ever asks only for elements; a harmless name otherwise.
            _ => Name(QualName::new(None, ns!(html), local_name!("span"))),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let template = flags.template.then(|| self.new_node(Data::Document));
        self.new_node(Data::Element { name, attrs, template })
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.new_node(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.new_node(Data::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(node) => self.append_node(*parent, node),
            NodeOrText::AppendText(text) => {
                let last = self.nodes.borrow()[*parent].last_child;
                self.add_text(last, text, |id| self.append_node(*parent, id));
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        match &self.nodes.borrow()[*target].data {
            Data::Element { template: Some(contents), .. } => *contents,
            _ => *target,
        }
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        match new_node {
            NodeOrText::AppendNode(node) => self.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => {
                let prev = self.nodes.borrow()[*sibling].prev;
                self.add_text(prev, text, |id| self.insert_before(*sibling, id));
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, new: Vec<Attribute>) {
        if let Data::Element { attrs, .. } = &mut self.nodes.borrow_mut()[*target].data {
            for attr in new {
                if !attrs.iter().any(|a| a.name == attr.name) {
                    attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut next = self.nodes.borrow()[*node].first_child;
        while let Some(child) = next {
            next = self.nodes.borrow()[child].next;
            self.append_node(*new_parent, child);
        }
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(usize::try_from(line_number).unwrap_or(usize::MAX));
    }
}

/// A `<title>` that is never closed (a site that wrote its ad code into it) makes the
/// whole rest of the page the title's text, as the HTML standard reads it: the page would
/// have no body at all. Lenient parsers end the title at the next tag; so does this, by
/// closing it there. The offsets are of ASCII characters (`<`, `>`), found in an
/// ASCII-lowercased copy that has the same bytes elsewhere, so each is a char boundary
/// of `text`; no line break is added, so line numbers stay.
fn close_unclosed_title(text: &str) -> std::borrow::Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    let Some(open) = lower.find("<title") else { return text.into() };
    if lower[open..].contains("</title") {
        return text.into();
    }
    let Some(tag_end) = lower[open..].find('>').map(|i| open + i + 1) else { return text.into() };
    let close_at = lower[tag_end..].find('<').map_or(text.len(), |i| tag_end + i);
    format!("{}</title>{}", &text[..close_at], &text[close_at..]).into()
}

/// Parses decoded page text. Fed in pieces so that a page nested absurdly deep is refused
/// soon after the depth passes [`MAX_DEPTH`], before the parser grinds through the rest.
pub fn parse(path: &Path, text: &str) -> Result<Dom> {
    let text = close_unclosed_title(text);
    let text = text.as_ref();
    const PIECE: usize = 16 * 1024;
    let sink = Sink {
        nodes: RefCell::new(Vec::with_capacity(text.len() / 40 + 16)),
        line: Cell::new(1),
        max_depth: Cell::new(0),
        deep_line: Cell::new(0),
    };
    sink.new_node(Data::Document);
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = PIECE.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, after) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(piece));
        rest = after;
        let line = parser.tokenizer.sink.sink.deep_line.get();
        if line > 0 {
            return Err(too_deep(path, line));
        }
    }
    let dom = parser.finish();
    if let Some(node) = dom.nodes.iter().find(|n| n.depth > MAX_DEPTH) {
        return Err(too_deep(path, node.line));
    }
    Ok(dom)
}

fn too_deep(path: &Path, line: usize) -> Error {
    Error::input(
        path,
        Some(line),
        format!(
            "elements nested more than {MAX_DEPTH} deep; this is not a page a browser can show (save the page again, or paste its text into a .txt file)"
        ),
    )
}

/// Bytes → text: a byte-order mark wins, then a `<meta charset>` (or `http-equiv`) in
/// the first 1,024 bytes, then UTF-8 if the bytes are valid UTF-8, else windows-1252 as
/// browsers do. An unknown label is read as UTF-8 when the bytes are UTF-8 (with a
/// warning), and refused otherwise.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Warning>)> {
    let mut warnings = Vec::new();
    if bytes.is_empty() {
        return Err(Error::input(path, None, "file is empty"));
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            warnings.push(Warning::general(format!(
                "some bytes are not valid {}; they show as \u{FFFD}",
                encoding.name()
            )));
        }
        return Ok((text.into_owned(), warnings));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            None,
            format!("binary data (NUL byte at byte offset {offset}); a saved web page is text"),
        ));
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let (encoding, line) = match declared_charset(head) {
        Some((label, offset)) => {
            let line = head[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            match encoding_rs::Encoding::for_label(label.as_bytes()) {
                // The HTML standard: a page that says UTF-16 in ASCII is not UTF-16.
                Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
                    (encoding_rs::UTF_8, line)
                }
                Some(e) if e == encoding_rs::X_USER_DEFINED => (encoding_rs::WINDOWS_1252, line),
                Some(e) => (e, line),
                None => match utf8 {
                    Some(text) => {
                        warnings.push(Warning::at(
                            line,
                            format!("the page declares charset \"{label}\", which is not an encoding; read as UTF-8"),
                        ));
                        return Ok((text.to_string(), warnings));
                    }
                    None => {
                        return Err(Error::input(
                            path,
                            Some(line),
                            format!(
                                "the page declares charset \"{label}\", which is not an encoding, and it is not UTF-8; save the page as UTF-8"
                            ),
                        ));
                    }
                },
            }
        }
        None => match utf8 {
            Some(text) => return Ok((text.to_string(), warnings)),
            None => {
                warnings.push(Warning::general(
                    "the page declares no charset and is not UTF-8; read as windows-1252, as browsers do",
                ));
                (encoding_rs::WINDOWS_1252, 1)
            }
        },
    };
    if encoding == encoding_rs::UTF_8
        && let Some(text) = utf8
    {
        return Ok((text.to_string(), warnings));
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(Warning::at(
            line,
            format!(
                "some bytes are not valid {} as the page declares; they show as \u{FFFD}",
                encoding.name()
            ),
        ));
    }
    Ok((text.into_owned(), warnings))
}

/// The charset label a `<meta>` in `head` declares, and its byte offset: a simplified
/// form of the HTML standard's prescan (`charset=` inside a `<meta` tag, quoted or not).
fn declared_charset(head: &[u8]) -> Option<(String, usize)> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(start) = find(&lower[from..], b"<meta").map(|i| i + from) {
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |i| i + start);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let mut i = at + "charset".len();
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if tag.get(i) == Some(&b'=') {
                i += 1;
                while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'"' || tag[i] == b'\'') {
                    i += 1;
                }
                let value_end = tag[i..]
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b"\"';/>".contains(&b))
                    .map_or(tag.len(), |j| i + j);
                let label = String::from_utf8_lossy(&head[start + i..start + value_end]).into_owned();
                if !label.is_empty() {
                    return Some((label, start));
                }
            }
        }
        from = end.max(start + 1);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
