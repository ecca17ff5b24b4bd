//! Page text → a small arena DOM built by html5ever, with the source line of every node.
//!
//! html5ever does the HTML5 tree construction (misnested tags, implied elements, the
//! adoption agency) and tells the sink the tokenizer's line before each token; the sink
//! records it on the nodes it creates, so blocks and removed text can name their line.
//! Nodes live in one `Vec` and point at each other by index: no `Rc`, no recursion on
//! drop, and a tree 100,000 elements deep costs nothing special to free. The tree can be
//! edited after parsing ([`Dom::detach`], [`Dom::append`], …): the Word rules turn list
//! paragraphs into lists that way. A node's `depth` stays as parsed.

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
    /// An Office conditional comment that opens a part written for other browsers,
    /// `<![if !supportLists]>` or `<!--[if !vml]-->`, with its condition (`!supportLists`).
    /// What follows, up to the [`Data::EndIf`], is ordinary page; only the Word rules
    /// read the condition.
    If(Box<str>),
    /// `<![endif]>`, `<!--[endif]-->`.
    EndIf,
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

impl Node {
    fn new(data: Data, line: usize) -> Node {
        Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
            line,
            depth: 0,
            data,
        }
    }
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

    /// A new element, not yet in the tree, made at `line`.
    pub fn new_element(&mut self, local: &str, attrs: &[(&str, &str)], line: usize) -> NodeId {
        let name = QualName::new(None, ns!(html), LocalName::from(local));
        let attrs = attrs
            .iter()
            .map(|(k, v)| Attribute {
                name: QualName::new(None, ns!(), LocalName::from(*k)),
                value: (*v).into(),
            })
            .collect();
        self.nodes.push(Node::new(Data::Element { name, attrs, template: None }, line));
        self.nodes.len() - 1
    }

    /// A new text node, not yet in the tree, made at `line`.
    pub fn new_text(&mut self, text: &str, line: usize) -> NodeId {
        self.nodes.push(Node::new(Data::Text(text.into()), line));
        self.nodes.len() - 1
    }

    /// Gives an HTML element another name (`p` → `li`), keeping its attributes.
    pub fn rename(&mut self, id: NodeId, local: &str) {
        if let Data::Element { name, .. } = &mut self.nodes[id].data {
            *name = QualName::new(None, ns!(html), LocalName::from(local));
        }
    }

    /// Takes the node (with what it holds) out of the tree.
    pub fn detach(&mut self, id: NodeId) {
        detach(&mut self.nodes, id);
    }

    /// Makes `child` the last child of `parent`, moving it from where it was.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        link_last(&mut self.nodes, parent, child);
    }

    /// Puts `child` just before `sibling`, moving it from where it was.
    pub fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
        link_before(&mut self.nodes, sibling, child);
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
        nodes.push(Node::new(data, self.line.get()));
        nodes.len() - 1
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
        link_last(&mut nodes, parent, child);
        let depth = nodes[parent].depth + 1;
        self.set_depth(&mut nodes, child, depth);
    }

    fn insert_before(&self, sibling: NodeId, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        link_before(&mut nodes, sibling, child);
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

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.new_node(comment_data(&text))
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
        detach(&mut self.nodes.borrow_mut(), *target);
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

/// Takes `id` out of its parent's children (it keeps its own).
fn detach(nodes: &mut [Node], id: NodeId) {
    let (parent, prev, next) = (nodes[id].parent.take(), nodes[id].prev.take(), nodes[id].next.take());
    match (next, parent) {
        (Some(next), _) => nodes[next].prev = prev,
        (None, Some(parent)) => nodes[parent].last_child = prev,
        (None, None) => {}
    }
    match (prev, parent) {
        (Some(prev), _) => nodes[prev].next = next,
        (None, Some(parent)) => nodes[parent].first_child = next,
        (None, None) => {}
    }
}

/// Makes `child` the last child of `parent`, taking it from where it was.
fn link_last(nodes: &mut [Node], parent: NodeId, child: NodeId) {
    detach(nodes, child);
    nodes[child].parent = Some(parent);
    match nodes[parent].last_child {
        Some(last) => {
            nodes[last].next = Some(child);
            nodes[child].prev = Some(last);
        }
        None => nodes[parent].first_child = Some(child),
    }
    nodes[parent].last_child = Some(child);
}

/// Puts `child` just before `sibling`, taking it from where it was.
fn link_before(nodes: &mut [Node], sibling: NodeId, child: NodeId) {
    detach(nodes, child);
    let parent = nodes[sibling].parent;
    nodes[child].parent = parent;
    nodes[child].next = Some(sibling);
    match (nodes[sibling].prev, parent) {
        (Some(prev), _) => {
            nodes[prev].next = Some(child);
            nodes[child].prev = Some(prev);
        }
        (None, Some(parent)) => nodes[parent].first_child = Some(child),
        (None, None) => {}
    }
    nodes[sibling].prev = Some(child);
}

/// `[if !supportLists]` → [`Data::If`], `[endif]` → [`Data::EndIf`]; any other comment
/// (a whole `<!--[if gte vml 1]>…<![endif]-->` block among them) is [`Data::Other`].
fn comment_data(text: &str) -> Data {
    let Some(inner) = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return Data::Other;
    };
    if inner.trim().eq_ignore_ascii_case("endif") {
        return Data::EndIf;
    }
    match inner.strip_prefix("if ").map(str::trim) {
        Some(condition)
            if !condition.is_empty()
                && condition.len() < 100
                && !condition.contains(['<', '>', '[', ']']) =>
        {
            Data::If(condition.into())
        }
        _ => Data::Other,
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
