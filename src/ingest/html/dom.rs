//! Page text → a small arena DOM built by html5ever, with the source line of every node.
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
