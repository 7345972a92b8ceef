//! Where a finding points.
//!
//! In a plain manifest, a node's position is the answer. In a Helm chart the linted objects come from `helm
//! template`, whose output lines belong to no file the user edits. kube-linter and kube-score report such findings
//! on line 1, checkov on a temp file. chartgen maps them back: the `# Source:` comment names the template, an
//! outline of the template's YAML keys finds the line that produced the offending key, and when that line only
//! pastes a values subtree (`toYaml .Values.x`) or a value (`{{ .Values.x.y }}`), the finding points into
//! values.yaml, where the user must make the change.

use crate::yaml::{Node, Pos};
use std::sync::Arc;

/// A file the findings can point into, with its text for snippets.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
}

pub use crate::yaml::{Seg, key};

/// One `key:` line of a template.
#[derive(Debug, Clone)]
struct OutlineEntry {
    line: u32,
    column: u32,
    indent: usize,
    /// The path from the document root to this key, with sequence items as `#0`, `#1`… (as written in the
    /// template, before any `range`). Its segments are shared with the entries around it: a template with
    /// megabytes of CRD schema has hundreds of thousands of entries, each as deep as its schema.
    full: Box<[Arc<str>]>,
    /// How many of `full`'s segments are keys (see [`OutlineEntry::keys`]).
    key_count: usize,
    /// The values the innermost `if` or `with` around this line reads (`if .Values.livenessProbe.enabled`): when
    /// the key is written here but did not render, they turned it off.
    guard: Option<Arc<[String]>>,
    /// What the line refers to, for the few lines that refer to anything: most of a CRD's hundreds of thousands
    /// of entries refer to nothing, and carry no room for it.
    refs: Option<Box<Refs>>,
}

/// What a template line refers to: values, a define, the names it renders.
#[derive(Debug, Clone, Default)]
struct Refs {
    /// `.Values.a.b` referenced on this line's value, or in the block under it.
    values_ref: Option<Vec<String>>,
    /// Whether the reference is on the line itself (a value) rather than in the block (a pasted subtree).
    ref_on_line: bool,
    /// Whether the line's value is that one reference and nothing else (`image: {{ .Values.image }}`): the value
    /// is set in values, not here.
    whole_ref: bool,
    /// Every reference of a value that joins several (`"{{ .Values.image.repository }}:{{ .Values.image.tag }}"`),
    /// so that a finding about one part of it (the tag) points at that part.
    line_refs: Vec<Vec<String>>,
    /// `include "name"` (or `template "name"`) pasted into the block under this key: the rest of the path is
    /// written in that define.
    include: Option<String>,
    /// The values a `range` around this line loops over (`range $k, $v := .Values.backend.env`): each rendered
    /// item is one of their elements, not the item written here.
    range_ref: Option<Vec<String>>,
    /// The value of a `name:` key, which tells a rendered list item where it was written.
    name: Option<ItemName>,
    /// What template actions paste into this key's block besides the items written here: the sources of the
    /// rendered list items the template does not write (`extraEnvVars`, a define of sidecars).
    pasted: Vec<Paste>,
}

/// The references of a line that refers to nothing.
static NO_REFS: Refs = Refs {
    values_ref: None,
    ref_on_line: false,
    whole_ref: false,
    line_refs: Vec::new(),
    include: None,
    range_ref: None,
    name: None,
    pasted: Vec::new(),
};

impl Refs {
    fn is_empty(&self) -> bool {
        self.values_ref.is_none()
            && self.line_refs.is_empty()
            && self.include.is_none()
            && self.range_ref.is_none()
            && self.name.is_none()
            && self.pasted.is_empty()
    }
}

/// What a list item's `name:` says about the names it renders.
#[derive(Debug, Clone)]
enum ItemName {
    /// `name: app`.
    Literal(Box<str>),
    /// The literal pieces of a templated name, in order (`worker-` of `worker-{{ .name }}`).
    Pattern(Box<[String]>),
}

impl ItemName {
    fn parse(value: &str) -> Option<ItemName> {
        if value.is_empty() {
            return None;
        }
        if !value.contains("{{") {
            return Some(ItemName::Literal(unquote(value).into()));
        }
        // Pieces too short to tell names apart (`-` of `{{ .a }}-{{ .b }}`) say nothing.
        let parts = literal_parts(value);
        (parts.iter().map(String::len).sum::<usize>() >= 3).then(|| ItemName::Pattern(parts.into()))
    }

    fn is(&self, name: &str) -> bool {
        matches!(self, ItemName::Literal(literal) if **literal == *name)
    }

    fn fits(&self, name: &str) -> bool {
        let ItemName::Pattern(parts) = self else {
            return false;
        };
        let mut rest = name;
        parts.iter().all(|part| match rest.find(part.as_str()) {
            Some(at) => {
                rest = &rest[at + part.len()..];
                true
            }
            None => false,
        })
    }
}

/// A source of pasted list items.
#[derive(Debug, Clone)]
enum Paste {
    /// A values list or map (`toYaml .Values.extraVolumeMounts`, `common.tplvalues.render` of one).
    Values(Vec<String>),
    /// A define (`include "x.sidecars" .`).
    Define(String),
}

/// A key or list item open at a template line, while the outline is parsed.
struct Level {
    indent: usize,
    /// The key, or `#i` for the i-th item of a list.
    segment: Arc<str>,
    /// How many list items were seen under it.
    items: usize,
    /// The outline entry of a key.
    entry: Option<usize>,
    /// A key with nothing after its colon: its block follows.
    open: bool,
}

/// A control block open at a template line.
enum Block {
    /// `range` over these values, if over values.
    Range(Option<Vec<String>>),
    /// `with` these values, if values: `.` inside is them.
    With(Option<Arc<[String]>>),
    /// `if` on these values, if on values.
    If(Option<Arc<[String]>>),
    Other,
}

/// The YAML key structure of a Helm template, recovered line by line (templates are not valid YAML).
#[derive(Debug, Clone, Default)]
pub struct Outline {
    entries: Vec<OutlineEntry>,
    /// Lines of the `---` separators between the template's documents.
    breaks: Vec<u32>,
}

/// One document of a template (the part between `---` lines): its outline, and what tells its objects apart
/// from those of the file's other documents.
#[derive(Debug, Clone)]
pub struct TemplateDocument {
    pub outline: Arc<Outline>,
    /// The literal `kind:` it writes, if it writes one.
    kind: Option<String>,
    /// The literal text around the template actions of its `metadata.name` (`-seed` in
    /// `{{ include "x.fullname" . }}-seed`).
    name_parts: Vec<String>,
}

impl OutlineEntry {
    /// The keys from the document root to this one (sequence items are not counted).
    fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + Clone {
        self.full.iter().map(|s| &**s).filter(|s| !is_item(s))
    }

    fn full(&self) -> impl DoubleEndedIterator<Item = &str> + Clone {
        self.full.iter().map(|s| &**s)
    }

    /// Whether its path begins with `prefix` (a list's path, for its items).
    fn starts_with<S: AsRef<str>>(&self, prefix: &[S]) -> bool {
        self.full.len() >= prefix.len()
            && self
                .full
                .iter()
                .zip(prefix)
                .all(|(a, b)| **a == *b.as_ref())
    }

    fn refs(&self) -> &Refs {
        self.refs.as_deref().unwrap_or(&NO_REFS)
    }

    fn refs_mut(&mut self) -> &mut Refs {
        self.refs.get_or_insert_with(Box::default)
    }
}

/// A sequence item's segment of an outline path (`#0`), as opposed to a key.
fn is_item(segment: &str) -> bool {
    segment.starts_with('#')
}

impl TemplateDocument {
    /// How well an object of this kind and name fits the document: the kind counts most, then each literal
    /// piece of the name found in it, longer pieces more.
    pub fn score(&self, kind: &str, name: &str) -> usize {
        let kind_score = match &self.kind {
            Some(k) if k == kind => 1000,
            Some(_) => 0,
            None => 1,
        };
        kind_score
            + self
                .name_parts
                .iter()
                .filter(|part| name.contains(part.as_str()))
                .map(String::len)
                .sum::<usize>()
    }
}

impl Outline {
    pub fn parse(text: &str) -> Outline {
        let mut entries: Vec<OutlineEntry> = Vec::new();
        // The keys and list items open at this line; list items are segments `#i` one column right of their dash.
        let mut stack: Vec<Level> = Vec::new();
        // Items of a list at the root (a define's body that is a list): numbered per document and per define.
        let mut root_items = 0;
        // `{{- with .Values.x }}` on the line before a key: the key's block is that values subtree.
        let mut pending_with: Option<(usize, Vec<String>)> = None;
        let mut breaks = Vec::new();
        // The control blocks open at this line.
        let mut blocks: Vec<Block> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u32 + 1;
            let trimmed = raw.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if is_document_separator(raw) {
                breaks.push(line_no);
                stack.clear();
                root_items = 0;
                pending_with = None;
                continue;
            }
            if trimmed.starts_with("{{") || trimmed == "---" {
                let indent = raw.len() - trimmed.len();
                for action in line_actions(trimmed) {
                    control_action(
                        action,
                        Control {
                            indent,
                            line: line_no,
                            stack: &mut stack,
                            root_items: &mut root_items,
                            blocks: &mut blocks,
                            pending_with: &mut pending_with,
                        },
                        &mut entries,
                    );
                }
                continue;
            }
            let mut indent = raw.len() - trimmed.len();
            let mut rest = trimmed;
            while let Some(after) = rest.strip_prefix("- ") {
                // A new list item: close the previous one, number this one under its parent.
                while stack.last().is_some_and(|l| l.indent > indent) {
                    stack.pop();
                }
                let counter = match stack.last_mut() {
                    Some(top) => &mut top.items,
                    None => &mut root_items,
                };
                *counter += 1;
                let segment = Arc::from(format!("#{}", *counter - 1));
                stack.push(Level {
                    indent: indent + 1,
                    segment,
                    items: 0,
                    entry: None,
                    open: false,
                });
                indent += 2;
                rest = after.trim_start();
                indent += after.len() - rest.len();
            }
            let Some((k, value)) = split_key(rest) else {
                continue;
            };
            while stack.last().is_some_and(|l| l.indent >= indent) {
                stack.pop();
            }
            stack.push(Level {
                indent,
                segment: Arc::from(k),
                items: 0,
                entry: Some(entries.len()),
                open: value.is_empty(),
            });
            let on_line = values_reference(value);
            let from_with = match pending_with.take() {
                Some((with_indent, path)) if with_indent == indent && on_line.is_none() => {
                    Some(path)
                }
                _ => None,
            };
            let mut pasted = Vec::new();
            if value.contains("{{") {
                let action = value
                    .trim_start_matches("{{")
                    .trim_start_matches('-')
                    .trim();
                if ["toYaml", "include ", "tpl "]
                    .iter()
                    .any(|paste| action.contains(paste))
                {
                    // `env: {{- toYaml . | nindent 12 }}` inside `with .Values.x` pastes `.Values.x`.
                    let dot = || match blocks.last() {
                        Some(Block::With(Some(values))) if pastes_dot(action) => {
                            Some(values.to_vec())
                        }
                        _ => None,
                    };
                    pasted.extend(on_line.clone().or_else(dot).map(Paste::Values));
                    pasted.extend(include_name(action).map(Paste::Define));
                }
            }
            let line_refs = all_values_references(value);
            let refs = Refs {
                line_refs: if line_refs.len() > 1 {
                    line_refs
                } else {
                    Vec::new()
                },
                ref_on_line: on_line.is_some(),
                whole_ref: on_line.is_some() && is_one_action(value),
                values_ref: on_line.or(from_with),
                include: None,
                range_ref: blocks.iter().rev().find_map(|b| match b {
                    Block::Range(values) => values.clone(),
                    _ => None,
                }),
                name: if k == "name" {
                    ItemName::parse(value)
                } else {
                    None
                },
                pasted,
            };
            entries.push(OutlineEntry {
                line: line_no,
                column: indent as u32 + 1,
                indent,
                key_count: stack.iter().filter(|l| !is_item(&l.segment)).count(),
                full: stack.iter().map(|l| l.segment.clone()).collect(),
                guard: blocks
                    .iter()
                    .rev()
                    .find_map(|b| match b {
                        Block::If(values) | Block::With(values) => Some(values.clone()),
                        _ => None,
                    })
                    .flatten(),
                refs: (!refs.is_empty()).then(|| Box::new(refs)),
            });
        }
        Outline { entries, breaks }
    }

    /// The template's documents, each with the outline of its own lines, so that the second object of a file
    /// is never mapped onto the first one's keys.
    pub fn documents(self, text: &str) -> Vec<TemplateDocument> {
        let lines: Vec<&str> = text.lines().collect();
        let mut starts = vec![0u32];
        starts.extend(self.breaks.iter().copied());
        let mut out = Vec::new();
        // Entries are in line order, and no entry is on a separator's line: each document takes the next run.
        let mut rest = self.entries.into_iter().peekable();
        for (i, _) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(u32::MAX);
            let entries: Vec<OutlineEntry> =
                std::iter::from_fn(|| rest.next_if(|e| e.line < end)).collect();
            if entries.is_empty() {
                continue;
            }
            let value_of = |keys: &[&str]| {
                entries
                    .iter()
                    .find(|e| e.full.len() == keys.len() && e.full().eq(keys.iter().copied()))
                    .and_then(|e| lines.get(e.line as usize - 1))
                    .and_then(|line| {
                        split_key(line.trim_start()).map(|(_, v)| v.trim().to_string())
                    })
            };
            let kind = value_of(&["kind"]).filter(|k| !k.contains("{{") && !k.is_empty());
            let name_parts = value_of(&["metadata", "name"])
                .map(|v| literal_parts(&v))
                .unwrap_or_default();
            out.push(TemplateDocument {
                outline: Arc::new(Outline {
                    entries,
                    breaks: Vec::new(),
                }),
                kind,
                name_parts,
            });
        }
        out
    }

    /// The best entry for a path among the entries on the given lines: the longest suffix of matching keys,
    /// ending at the deepest key that exists; among equals, the one whose list positions match too (the second
    /// env var, not the first). An entry written at a list position other than one matched by name (`known`) is
    /// another item's.
    fn find_in(
        &self,
        keys: &[String],
        full: &[String],
        known: &[bool],
        lines: std::ops::RangeInclusive<u32>,
    ) -> Option<(&OutlineEntry, usize)> {
        for depth in (1..=keys.len()).rev() {
            let target = &keys[..depth];
            // The full path cut after the same key.
            let full_target = cut_after_keys(full, depth);
            let best = self
                .entries
                .iter()
                // An entry whose keys are the target's or a tail of them (ancestors a template action wrote);
                // one with other ancestors is another place of the document (`resources.requests` of a claim
                // template is not a container's).
                .filter(|e| {
                    lines.contains(&e.line)
                        && e.keys().next_back() == target.last().map(String::as_str)
                        && common_suffix(e.keys(), strs(target)) == e.key_count
                        && !(e.key_count == depth
                            && e.full.len() == full_target.len()
                            && e.full.iter().zip(full_target).zip(known).any(
                                |((written, rendered), known)| *known && **written != **rendered,
                            ))
                })
                .map(|e| {
                    (
                        e,
                        common_suffix(e.keys(), strs(target)),
                        common_suffix(e.full(), strs(full_target)),
                    )
                })
                .max_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then(a.2.cmp(&b.2))
                        .then_with(|| b.0.line.cmp(&a.0.line))
                })
                .map(|(e, score, _)| (e, score));
            if let Some((entry, score)) = best {
                // A bare last-key match (e.g. `name:`) is too weak unless nothing better exists at this depth.
                if score >= 2 || target.len() == 1 || depth == 1 {
                    return Some((entry, depth));
                }
            }
        }
        None
    }
}

/// The parse state a control line (`{{- if … }}`, `{{- include … }}`) reads and changes.
struct Control<'s> {
    indent: usize,
    line: u32,
    stack: &'s mut Vec<Level>,
    root_items: &'s mut usize,
    blocks: &'s mut Vec<Block>,
    pending_with: &'s mut Option<(usize, Vec<String>)>,
}

/// One action of a control line: opens or closes a block, or pastes values or a define into the keys above.
fn control_action(action: &str, at: Control, entries: &mut [OutlineEntry]) {
    let Control {
        indent,
        line,
        stack,
        root_items,
        blocks,
        pending_with,
    } = at;
    let word = action.split_whitespace().next().unwrap_or_default();
    match word {
        "range" => blocks.push(Block::Range(values_reference(action))),
        "with" => blocks.push(Block::With(values_reference(action).map(Arc::from))),
        "define" => {
            blocks.push(Block::Other);
            stack.clear();
            *root_items = 0;
        }
        "if" => blocks.push(Block::If(values_reference(action).map(Arc::from))),
        "block" => blocks.push(Block::Other),
        "end" => {
            blocks.pop();
        }
        _ => {}
    }
    if word == "with" {
        *pending_with = values_reference(action).map(|p| (indent, p));
        return;
    }
    // A loop over values writes keys or items of the block it sits in from them (`{{ $k }}: {{ $v }}`).
    if word == "range" {
        if let Some(reference) = values_reference(action)
            && let Some(list) = paste_target(stack, indent)
        {
            entries[list]
                .refs_mut()
                .pasted
                .push(Paste::Values(reference));
        }
        return;
    }
    // A condition or an assignment only reads values, and pastes nothing.
    if ["if", "else", "end", "define", "block"].contains(&word) || word.starts_with('$') {
        return;
    }
    let include = include_name(action);
    // `toYaml .` inside `with .Values.x` pastes `.Values.x`.
    let reference = values_reference(action).or_else(|| {
        pastes_dot(action)
            .then(|| match blocks.last() {
                Some(Block::With(values)) => values.as_deref().map(<[String]>::to_vec),
                _ => None,
            })
            .flatten()
    });
    // What this action pastes may be items of a list it sits in: record it on the list's key.
    if (reference.is_some() || include.is_some())
        && let Some(list) = paste_target(stack, pasted_indent(action).unwrap_or(indent))
    {
        let pasted = &mut entries[list].refs_mut().pasted;
        pasted.extend(reference.clone().map(Paste::Values));
        pasted.extend(include.clone().map(Paste::Define));
    }
    // An include here pastes a define into the block of the entry above it.
    if let Some(name) = include
        && let Some(owner) = entries.last_mut()
        && owner.indent < indent
        && owner.line + 3 >= line
        && owner.refs().include.is_none()
        && owner.refs().values_ref.is_none()
    {
        owner.refs_mut().include = Some(name);
    }
    // A value this action pastes belongs to the block of the entry above it.
    if let Some(path) = values_reference(action)
        && let Some(owner) = entries
            .iter_mut()
            .rev()
            .find(|e| e.indent < indent || indent == 0)
        && owner.refs().values_ref.is_none()
        && owner.line + 3 >= line
    {
        let refs = owner.refs_mut();
        refs.values_ref = Some(path);
        refs.ref_on_line = false;
    }
}

/// The actions of a control line; an action that continues on the next lines is taken as far as it goes.
fn line_actions(trimmed: &str) -> Vec<&str> {
    let found = actions(trimmed);
    if !found.is_empty() || !trimmed.starts_with("{{") {
        return found;
    }
    vec![
        trimmed
            .trim_start_matches("{{")
            .trim_start_matches('-')
            .trim(),
    ]
}

impl Outline {
    /// The first key of list item `index` under the path `parent` (the item as written in the template), else
    /// the first key of its first item (a `range` writes one item for many).
    fn item_start<S: AsRef<str>>(
        &self,
        lines: &std::ops::RangeInclusive<u32>,
        parent: &[S],
        index: usize,
    ) -> Option<&OutlineEntry> {
        let under = |e: &&OutlineEntry| {
            lines.contains(&e.line) && e.full.len() == parent.len() + 2 && e.starts_with(parent)
        };
        let item = format!("#{index}");
        self.entries
            .iter()
            .filter(under)
            .find(|e| *e.full[parent.len()] == *item)
            .or_else(|| self.entries.iter().find(under))
    }

    /// The positions `j` of the items of the list at `list` that a rendered item of this name may be: those
    /// written with the name, else those whose templated name (`worker-{{ .name }}`) fits it.
    fn items_named(
        &self,
        lines: &std::ops::RangeInclusive<u32>,
        list: &[String],
        name: &str,
    ) -> Vec<usize> {
        let named = |e: &&OutlineEntry| {
            lines.contains(&e.line)
                && e.refs().name.is_some()
                && e.full.len() == list.len() + 2
                && e.starts_with(list)
        };
        let position = |e: &OutlineEntry| e.full[list.len()].strip_prefix('#')?.parse().ok();
        let exact: Vec<usize> = self
            .entries
            .iter()
            .filter(named)
            .filter(|e| e.refs().name.as_ref().is_some_and(|n| n.is(name)))
            .filter_map(position)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        self.entries
            .iter()
            .filter(named)
            .filter(|e| e.refs().name.as_ref().is_some_and(|n| n.fits(name)))
            .filter_map(position)
            .collect()
    }

    /// Of the items a rendered item may be, the one it is: the `earlier`-th (the same name rendered before it
    /// took the first ones) of those ranked by how well their keys fit the rendered item's (the branch of an
    /// `if`/`else` that rendered), in line order among equals. `None` when more of the name rendered than the
    /// template writes: the rest are pasted.
    fn item_for(
        &self,
        lines: &std::ops::RangeInclusive<u32>,
        list: &[String],
        candidates: &[usize],
        rendered: Option<&Node>,
        earlier: usize,
    ) -> Option<usize> {
        if candidates.len() <= earlier {
            return None;
        }
        if candidates.len() == 1 {
            return Some(candidates[0]);
        }
        let rendered_keys: Vec<&str> = rendered
            .map(|item| {
                item.entries()
                    .iter()
                    .map(|(k, _)| k.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let mut ranked: Vec<(usize, isize)> = candidates
            .iter()
            .map(|&j| {
                let item = format!("#{j}");
                let keys: Vec<&str> = self
                    .entries
                    .iter()
                    .filter(|e| {
                        lines.contains(&e.line)
                            && e.full.len() == list.len() + 2
                            && *e.full[list.len()] == *item
                            && e.starts_with(list)
                    })
                    .filter_map(|e| e.full.last().map(|k| &**k))
                    .collect();
                let fitting = keys.iter().filter(|k| rendered_keys.contains(k)).count();
                (j, fitting as isize - (keys.len() - fitting) as isize)
            })
            .collect();
        ranked.sort_by_key(|&(j, fit)| (std::cmp::Reverse(fit), j));
        Some(ranked[earlier].0)
    }

    /// The key of the list at `list` when every item written in it has a `name:` (so that an item of another
    /// name is not one of them).
    fn foreign_item_list(
        &self,
        lines: &std::ops::RangeInclusive<u32>,
        list: &[String],
    ) -> Option<&OutlineEntry> {
        let under = |e: &&OutlineEntry| {
            lines.contains(&e.line)
                && e.full.len() >= list.len() + 2
                && is_item(&e.full[list.len()])
                && e.starts_with(list)
        };
        let items: std::collections::BTreeSet<&str> = self
            .entries
            .iter()
            .filter(under)
            .map(|e| &*e.full[list.len()])
            .collect();
        let named = self
            .entries
            .iter()
            .filter(under)
            .filter(|e| e.full.len() == list.len() + 2 && e.refs().name.is_some())
            .count();
        if items.is_empty() || named < items.len() {
            return None;
        }
        self.entries
            .iter()
            .find(|e| lines.contains(&e.line) && e.full.len() == list.len() && e.starts_with(list))
    }

    /// What the template pastes into the list at `list` besides the items it writes.
    fn pasted_into<'s>(
        &'s self,
        lines: &'s std::ops::RangeInclusive<u32>,
        list: &'s [String],
    ) -> impl Iterator<Item = &'s Paste> + 's {
        self.entries
            .iter()
            .filter(move |e| {
                lines.contains(&e.line) && e.full.len() == list.len() && e.starts_with(list)
            })
            .flat_map(|e| e.refs().pasted.iter())
    }
}

/// The text of a template value outside its `{{ … }}` actions, in pieces, without quotes.
fn literal_parts(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = value;
    loop {
        let (literal, after) = match rest.find("{{") {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let literal = literal.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
        if !literal.is_empty() {
            parts.push(literal.to_string());
        }
        match after.and_then(|a| a.find("}}").map(|j| &a[j + 2..])) {
            Some(next) => rest = next,
            None => break,
        }
    }
    parts
}

/// `---` at the start of a line, alone or before a comment: the end of one YAML document and the start of the next.
fn is_document_separator(line: &str) -> bool {
    line.strip_prefix("---").is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty() || rest.starts_with('#')
    })
}

/// The prefix of a full path (keys and `#i` items) that ends at its `depth`-th key.
fn cut_after_keys(full: &[String], depth: usize) -> &[String] {
    let mut seen = 0;
    for (i, seg) in full.iter().enumerate() {
        if !seg.starts_with('#') {
            seen += 1;
            if seen == depth {
                return &full[..=i];
            }
        }
    }
    full
}

fn common_suffix<'a, 'b>(
    a: impl DoubleEndedIterator<Item = &'a str>,
    b: impl DoubleEndedIterator<Item = &'b str>,
) -> usize {
    a.rev().zip(b.rev()).take_while(|(x, y)| x == y).count()
}

fn strs(path: &[String]) -> impl DoubleEndedIterator<Item = &str> + Clone {
    path.iter().map(String::as_str)
}

/// `key: value` → (key, value); quoted keys allowed; `{{`-expressions as keys are not keys.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let (k, v) = if let Some(rest) = s.strip_prefix('"') {
        let end = rest.find('"')?;
        let after = &rest[end + 1..];
        (&rest[..end], after.strip_prefix(':')?)
    } else {
        let idx = s.find(':')?;
        let k = &s[..idx];
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        {
            return None;
        }
        (k, &s[idx + 1..])
    };
    if !(v.is_empty() || v.starts_with(' ')) {
        return None;
    }
    Some((k, v.trim()))
}

/// Whether an action pastes `.` itself (`toYaml .`, `tpl (toYaml .) $`, `dict "value" . "context" $`).
fn pastes_dot(action: &str) -> bool {
    let bytes = action.as_bytes();
    action.match_indices('.').any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + 1).copied();
        matches!(before, Some(b' ' | b'(')) && matches!(after, None | Some(b' ' | b')' | b'|'))
    })
}

/// The column a paste's text lands at, from its `nindent N` or `indent N`.
fn pasted_indent(action: &str) -> Option<usize> {
    let at = action.find("indent ")?;
    action[at + "indent ".len()..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The list key whose block text pasted at column `at` lands in: the nearest open key left of it, or a key at
/// that column whose items are written flush with it (`containers:` then `- name: app` at the same column, or
/// nothing yet: only list items may follow a key at its own column).
fn paste_target(stack: &[Level], at: usize) -> Option<usize> {
    stack.iter().enumerate().rev().find_map(|(i, level)| {
        let entry = level.entry?;
        let flush_items = level.indent == at
            && match stack.get(i + 1) {
                Some(item) => is_item(&item.segment) && item.indent == at + 1,
                None => level.open,
            };
        (level.indent < at || flush_items).then_some(entry)
    })
}

/// A scalar written in a template without its quotes.
fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// `include "name" …` or `template "name" …` at the start of a template action: the define's name.
fn include_name(action: &str) -> Option<String> {
    let rest = action
        .strip_prefix("include ")
        .or_else(|| action.strip_prefix("template "))?
        .trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// One `{{ define "name" }}` … `{{ end }}` block of a chart's `.tpl` files.
#[derive(Debug, Clone)]
struct Define {
    /// Index of the file among the unit's sources.
    file: usize,
    /// The line of the `define` action.
    line: u32,
    /// The body's lines (between `define` and its `end`).
    body: std::ops::RangeInclusive<u32>,
    outline: Arc<Outline>,
}

/// The named templates (`define`s) of a chart, so that a key pasted by `include` points where it is written.
#[derive(Debug, Clone, Default)]
pub struct Defines {
    by_name: std::collections::HashMap<String, Define>,
}

impl Defines {
    /// Adds the defines of one `.tpl` file (source index `file`); the first definition of a name wins.
    pub fn add_file(&mut self, file: usize, text: &str) {
        let outline = Arc::new(Outline::parse(text));
        // (name, define line, nesting depth of actions that close with `end`)
        let mut open: Option<(String, u32, usize)> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u32 + 1;
            for action in actions(raw) {
                let word = action.split_whitespace().next().unwrap_or_default();
                match (&mut open, word) {
                    (None, "define") => {
                        if let Some(name) = action
                            .strip_prefix("define")
                            .map(str::trim_start)
                            .and_then(|r| r.strip_prefix('"'))
                            .and_then(|r| r.find('"').map(|e| r[..e].to_string()))
                        {
                            open = Some((name, line_no, 0));
                        }
                    }
                    (Some((_, _, depth)), "if" | "range" | "with" | "block" | "define") => {
                        *depth += 1
                    }
                    (Some((_, _, depth)), "end") if *depth > 0 => *depth -= 1,
                    (Some(_), "end") => {
                        if let Some((name, start, _)) = open.take()
                            && start < line_no
                        {
                            self.by_name.entry(name).or_insert(Define {
                                file,
                                line: start,
                                body: start + 1..=line_no.saturating_sub(1),
                                outline: outline.clone(),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// The actions (`{{ … }}`) of a line, trimmed of their delimiters and `-` markers.
fn actions(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        // Comments are not actions.
        if !inner.starts_with("/*") {
            out.push(inner);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Every `.Values.a.b` in a line, as keys, in order.
fn all_values_references(s: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find(".Values.") {
        out.extend(values_reference(&rest[at..]));
        rest = &rest[at + ".Values.".len()..];
    }
    out
}

/// The first `.Values.a.b` in a line, as keys.
fn values_reference(s: &str) -> Option<Vec<String>> {
    let start = s.find(".Values.")? + ".Values.".len();
    let path: String = s[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    let keys: Vec<String> = path
        .split('.')
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect();
    if keys.is_empty() { None } else { Some(keys) }
}

/// How the positions of an object's document relate to the files the user edits.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Node positions are positions in this source file.
    Direct { file: usize },
    /// Rendered by Helm from a template, with these values files.
    Template {
        template: usize,
        outline: Arc<Outline>,
        values: Arc<ValuesLayers>,
        /// The chart's named templates, for keys an `include` pastes.
        defines: Arc<Defines>,
    },
}

/// One values file of a render.
#[derive(Debug, Clone)]
pub struct ValuesLayer {
    /// Index of the file among the unit's sources.
    pub file: usize,
    pub doc: Arc<Node>,
    /// The keys its settings sit under: a parent chart's settings for a subchart are under the subchart's name
    /// (and a grandparent's under both names).
    pub under: Vec<String>,
    /// Whether it is the linted chart's own values.yaml, where its defaults are set.
    pub defaults: bool,
}

/// The values files of one render, highest priority first: the files given with `-f` (or the `ci/` file), then
/// values.yaml; for a subchart, the parent's files under the subchart's key, then the subchart's values.yaml.
/// What the user edits is the file whose setting wins at install.
#[derive(Debug, Clone, Default)]
pub struct ValuesLayers(pub Vec<ValuesLayer>);

impl ValuesLayer {
    /// The keys in this file of a values path (`.Values.a.b` of a subchart is `sub.a.b` in its parent's file).
    fn keys_for<'s>(&'s self, path: &'s [String]) -> Vec<&'s str> {
        self.under.iter().chain(path).map(String::as_str).collect()
    }
}

impl ValuesLayers {
    /// The key deepest along `path` that a file sets, at least `min` keys deep (Helm merges maps across the
    /// files, key by key). Among equals: for the whole path, the file whose value wins; for a part of it (where
    /// a missing key goes), the chart's values.yaml (its defaults, the parent's settings for a subchart) before
    /// a `ci/` file or a subchart's own values.yaml, so that every render points at one place.
    fn deepest_key(&self, path: &[String], min: usize) -> Option<(usize, Pos)> {
        let mut best: Option<(usize, usize, Pos)> = None;
        for layer in &self.0 {
            let full = layer.keys_for(path);
            let prefix = full.len() - path.len();
            let (_, depth) = layer.doc.walk(full.iter().copied());
            let own = depth.saturating_sub(prefix);
            let better = match best {
                None => true,
                Some((d, _, _)) => own > d || (own == d && own < path.len() && layer.defaults),
            };
            if own == 0 || own < min || !better {
                continue;
            }
            if let Some(pos) = layer.doc.key_pos(&full[..depth]) {
                best = Some((own, layer.file, pos));
            }
        }
        best.map(|(_, file, pos)| (file, pos))
    }

    /// The key of the value at `path` in the file whose value wins, if that value renders as `text`.
    fn scalar_key(&self, path: &[String], text: &str) -> Option<(usize, Pos)> {
        self.0.iter().find_map(|layer| {
            let full = layer.keys_for(path);
            let value = layer.doc.at(full.iter().copied())?.scalar_text()?;
            (value == text)
                .then(|| layer.doc.key_pos(&full))
                .flatten()
                .map(|pos| (layer.file, pos))
        })
    }

    /// The `nth` element named `name` of the list or map at `at`, and the deepest key of `rest` inside it: in
    /// the file whose list renders (a list replaces the lists of lower files), or the first whose map has it.
    fn named(&self, at: &[String], name: &str, nth: usize, rest: &[Seg]) -> Option<(usize, Pos)> {
        for layer in &self.0 {
            let full = layer.keys_for(at);
            let Some(node) = layer.doc.at(&full) else {
                continue;
            };
            let found = match &node.value {
                crate::yaml::Value::Map(_) => {
                    node.key(name).zip(node.get(name)).map(|(k, v)| (k.pos, v))
                }
                crate::yaml::Value::Seq(items) => {
                    let item = items
                        .iter()
                        .filter(|item| item.get("name").and_then(Node::as_str) == Some(name))
                        .nth(nth);
                    // This list replaces the lists of the files below it: the item is not from them.
                    item?;
                    item.map(|item| (item.pos, item))
                }
                // Items written as YAML text in a string, for `tpl` (`extraContainers: |`): the string.
                crate::yaml::Value::String(text) if names_item(text, name) => {
                    return layer.doc.key_pos(&full).map(|pos| (layer.file, pos));
                }
                _ => None,
            };
            let Some((pos, element)) = found else {
                continue;
            };
            let (_, depth) = element.walk(rest);
            let pos = if depth > 0 {
                element.key_pos(&rest[..depth]).unwrap_or(pos)
            } else {
                pos
            };
            return Some((layer.file, pos));
        }
        None
    }
}

/// What a finding about a node is about, for where it points in a chart.
#[derive(Debug, Clone, Copy)]
pub enum Focus<'a> {
    /// Its key: the template line that writes it (or the values that set it whole).
    Place,
    /// Its value (a literal secret): the values default it renders, wherever the template pastes it.
    Value,
    /// One part of its value (an image's tag), when the template joins the value from several values.
    Part(&'a str),
}

/// Resolves a path in a document (and the node's own position, for direct files) to (file index, line, column).
pub fn locate(origin: &Origin, path: &[Seg], node_pos: Pos, focus: Focus) -> (usize, u32, u32) {
    locate_in(origin, None, path, node_pos, focus)
}

/// [`locate`], with the rendered document, so that an item a `range` over values wrote maps to its own element
/// in values.yaml (the env var `DATABASE_URL` of `range $k, $v := .Values.env` to `env.DATABASE_URL`).
pub fn locate_in(
    origin: &Origin,
    rendered: Option<&Node>,
    path: &[Seg],
    node_pos: Pos,
    focus: Focus,
) -> (usize, u32, u32) {
    match origin {
        Origin::Direct { file } => (*file, node_pos.line.max(1), node_pos.column.max(1)),
        Origin::Template {
            template,
            outline,
            values,
            defines,
        } => {
            let mapping = Mapping {
                rendered,
                values,
                defines,
                focus,
            };
            mapping
                .locate(outline, *template, &(0..=u32::MAX), path, 0, 0)
                .unwrap_or((*template, 1, 1))
        }
    }
}

/// How deep includes are followed into defines that include other defines.
const MAX_INCLUDE_NESTING: usize = 8;

/// What a finding in a template's object is mapped with.
struct Mapping<'a> {
    /// The object as Helm rendered it: its list items' names tell where each was written.
    rendered: Option<&'a Node>,
    values: &'a ValuesLayers,
    defines: &'a Defines,
    focus: Focus<'a>,
}

/// Where the rendered list items on a path were written.
enum Written<'a> {
    /// In this outline: the path as written, each item `#j` (the item of the same name where it has one, else
    /// its rendered position), and which items were matched by name.
    Here { full: Vec<String>, known: Vec<bool> },
    /// An item pasted from values, at this position of this file.
    Pasted((usize, u32, u32)),
    /// An item a define pastes: the path from segment `from` (the item) on is written there.
    Define { define: &'a Define, from: usize },
    /// An item none of the list's named items is, pasted from where the template does not say: its list's key,
    /// at this line and column of the outline's file.
    List(u32, u32),
}

impl<'a> Mapping<'a> {
    /// Maps `path[from..]`, written in `outline` on `lines` of `file`, to the line that writes it.
    fn locate(
        &self,
        outline: &Outline,
        file: usize,
        lines: &std::ops::RangeInclusive<u32>,
        path: &[Seg],
        from: usize,
        nesting: usize,
    ) -> Option<(usize, u32, u32)> {
        let keys: Vec<String> = path[from..]
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.clone()),
                Seg::Index(_) => None,
            })
            .collect();
        if let Some(at) = self.ranged(outline, lines, &keys, path) {
            return Some(at);
        }
        let (full, known) = match self.written(outline, lines, path, from) {
            Written::Here { full, known } => (full, known),
            Written::Pasted(at) => return Some(at),
            Written::Define { define, from } => {
                return Some(self.in_define(define, path, from, nesting));
            }
            Written::List(line, column) => return Some((file, line, column)),
        };
        let Some((entry, depth)) = outline.find_in(&keys, &full, &known, lines.clone()) else {
            // Not a key of the path is written here, but its item is (a define's container without a probe).
            return item_index(&full, 0)
                .filter(|_| known.first() == Some(&true))
                .and_then(|j| outline.item_start::<String>(lines, &[], j))
                .map(|e| (file, e.line, e.column));
        };
        let refs = entry.refs();
        // The value joins several values, and the finding is about one of them: the one that renders it.
        if depth == keys.len()
            && let Focus::Part(part) = self.focus
            && let Some((values_file, pos)) = refs
                .line_refs
                .iter()
                .find_map(|reference| self.values.scalar_key(reference, part))
        {
            return Some((values_file, pos.line, pos.column));
        }
        if let Some(reference) = &refs.values_ref {
            // A pasted subtree holds the rest of the path; a value reference holds the value itself.
            let pasted = !refs.ref_on_line && depth < keys.len();
            let value = matches!(self.focus, Focus::Value) || refs.whole_ref || depth < keys.len();
            if pasted || (refs.ref_on_line && value) {
                let mut values_path = reference.clone();
                values_path.extend(keys[depth..].iter().cloned());
                // The file that sets the value, at the deepest key on the way to it.
                if let Some((values_file, pos)) =
                    self.values.deepest_key(&values_path, reference.len())
                {
                    return Some((values_file, pos.line, pos.column));
                }
            }
        }
        // The key is written here, under an `if` or `with` on values, but did not render: those values turned
        // it off (`livenessProbe.enabled: false`), and are where it is turned back on.
        if depth == keys.len()
            && let Some(guard) = &entry.guard
            && self.rendered.is_some_and(|doc| doc.at(path).is_none())
            && let Some((values_file, pos)) = self.values.deepest_key(guard, 1)
        {
            return Some((values_file, pos.line, pos.column));
        }
        // Keys a `range` over values writes (`{{ $k }}: {{ $v }}` in a ConfigMap's `data`): the key in values.
        if depth < keys.len() {
            for paste in &refs.pasted {
                if let Paste::Values(reference) = paste {
                    let values_path: Vec<String> =
                        reference.iter().chain(&keys[depth..]).cloned().collect();
                    if let Some((values_file, pos)) =
                        self.values.deepest_key(&values_path, reference.len() + 1)
                    {
                        return Some((values_file, pos.line, pos.column));
                    }
                }
            }
        }
        let cut = from + cut_after_keys(&full, depth).len();
        // A block pasted from a define (`{{- include "x.podSecurityContext" . | nindent 8 }}`): the rest of the
        // path is written in the define, where the user changes it.
        if depth < keys.len()
            && let Some(define) = refs
                .include
                .as_ref()
                .and_then(|n| self.defines.by_name.get(n))
        {
            return Some(self.in_define(define, path, cut, nesting));
        }
        // A missing key inside a list item (a container without a probe) points at the item's first line.
        if depth < keys.len()
            && let Some(index) = item_index(&full, cut - from)
            && let Some(child) = outline.item_start(lines, &entry.full, index)
        {
            return Some((file, child.line, child.column));
        }
        Some((file, entry.line, entry.column))
    }

    /// Maps `path[from..]` into a define's body; the define itself when its body does not write it.
    fn in_define(
        &self,
        define: &Define,
        path: &[Seg],
        from: usize,
        nesting: usize,
    ) -> (usize, u32, u32) {
        if nesting < MAX_INCLUDE_NESTING
            && let Some(at) = self.locate(
                &define.outline,
                define.file,
                &define.body,
                path,
                from,
                nesting + 1,
            )
        {
            return at;
        }
        (define.file, define.line, 1)
    }

    /// An item a `range` over values wrote (list positions then say nothing about the template): the element of
    /// those values it came from, found by the item's name.
    fn ranged(
        &self,
        outline: &Outline,
        lines: &std::ops::RangeInclusive<u32>,
        keys: &[String],
        path: &[Seg],
    ) -> Option<(usize, u32, u32)> {
        let doc = self.rendered?;
        outline
            .entries
            .iter()
            .filter(|e| lines.contains(&e.line))
            .filter_map(|e| {
                let range = e.refs().range_ref.as_ref()?;
                let parent = e.key_count.checked_sub(1)?;
                (keys.len() >= parent && strs(keys).take(parent).eq(e.keys().take(parent)))
                    .then_some(range)
            })
            .find_map(|range| {
                // The item nearest the end of the path that has a `name` (an env var, a container, a port).
                let (i, name) = (0..path.len()).rev().find_map(|i| {
                    matches!(path[i], Seg::Index(_))
                        .then(|| doc.at(&path[..=i])?.get("name")?.as_str())
                        .flatten()
                        .map(|name| (i, name))
                })?;
                let (file, pos) = self.values.named(range, name, 0, &path[i + 1..])?;
                Some((file, pos.line, pos.column))
            })
    }

    /// Rewrites the rendered positions of the list items on `path[from..]` into the positions written in
    /// `outline`: an item with a `name` is the item written with that name, or comes from what the template
    /// pastes into its list (values, a define); one without a name keeps its rendered position.
    fn written(
        &self,
        outline: &Outline,
        lines: &std::ops::RangeInclusive<u32>,
        path: &[Seg],
        from: usize,
    ) -> Written<'a> {
        let mut full = Vec::new();
        let mut known = Vec::new();
        for (p, seg) in path.iter().enumerate().skip(from) {
            let index = match seg {
                Seg::Key(k) => {
                    full.push(k.clone());
                    known.push(false);
                    continue;
                }
                Seg::Index(i) => *i,
            };
            let item = self.rendered.and_then(|doc| doc.at(&path[..=p]));
            if let Some(name) = item.and_then(|item| item.get("name")?.as_str()) {
                // The same name twice (a duplicate env var): the second is the template's second such item, or
                // pasted.
                let earlier = self
                    .rendered
                    .and_then(|doc| doc.at(&path[..p]))
                    .map_or(0, |list| {
                        list.as_seq()[..index.min(list.as_seq().len())]
                            .iter()
                            .filter(|item| item.get("name").and_then(Node::as_str) == Some(name))
                            .count()
                    });
                let candidates = outline.items_named(lines, &full, name);
                if let Some(j) = outline.item_for(lines, &full, &candidates, item, earlier) {
                    full.push(format!("#{j}"));
                    known.push(true);
                    continue;
                }
                let nth = earlier - candidates.len();
                for paste in outline.pasted_into(lines, &full) {
                    match paste {
                        Paste::Values(at) => {
                            if let Some((file, pos)) =
                                self.values.named(at, name, nth, &path[p + 1..])
                            {
                                return Written::Pasted((file, pos.line, pos.column));
                            }
                        }
                        Paste::Define(define) => {
                            if let Some(define) = self.defines.by_name.get(define)
                                && !define
                                    .outline
                                    .items_named(&define.body, &[], name)
                                    .is_empty()
                            {
                                return Written::Define { define, from: p };
                            }
                        }
                    }
                }
                // Every item the template writes here has a name, and none is this one's: the item is not
                // written here at all, and the item written at its position is another one.
                if let Some(list) = outline.foreign_item_list(lines, &full) {
                    return Written::List(list.line, list.column);
                }
            }
            full.push(format!("#{index}"));
            known.push(false);
        }
        Written::Here { full, known }
    }
}

/// Whether a template value is one action and nothing else (`{{ .Values.image | quote }}`, quoted or not).
fn is_one_action(value: &str) -> bool {
    let value = unquote(value);
    value.starts_with("{{") && value.ends_with("}}") && value.matches("{{").count() == 1
}

/// Whether YAML text holds a list item `name: <name>`.
fn names_item(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").unwrap_or(line).trim_start();
        line.strip_prefix("name:")
            .is_some_and(|value| unquote(value) == name)
    })
}

/// The list position `#j` at segment `at` of a written path.
fn item_index(full: &[String], at: usize) -> Option<usize> {
    full.get(at)?.strip_prefix('#')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_document;

    const TEMPLATE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}
spec:
  template:
    spec:
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: DB_PASSWORD
              value: {{ .Values.db.password | quote }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
"#;

    const VALUES: &str = "image:\n  repository: app\n  tag: latest\ndb:\n  password: hunter2\nsecurityContext:\n  allowPrivilegeEscalation: true\npodSecurityContext: {}\n";

    fn origin() -> Origin {
        let values = Arc::new(parse_document(VALUES).expect("values"));
        Origin::Template {
            template: 0,
            outline: Arc::new(Outline::parse(TEMPLATE)),
            values: Arc::new(ValuesLayers(vec![ValuesLayer {
                file: 1,
                doc: values,
                under: Vec::new(),
                defaults: true,
            }])),
            defines: Arc::default(),
        }
    }

    fn path(p: &str) -> Vec<Seg> {
        p.split('.')
            .map(|s| s.parse::<usize>().map_or_else(|_| key(s), Seg::Index))
            .collect()
    }

    #[test]
    fn keys_written_in_the_template_point_at_their_line() {
        let at = locate(
            &origin(),
            &path("spec.template.spec.containers.0.image"),
            Pos::default(),
            Focus::Place,
        );
        assert_eq!(at, (0, 12, 11));
    }

    #[test]
    fn pasted_values_point_into_values_yaml() {
        let p = path("spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation");
        assert_eq!(
            locate(&origin(), &p, Pos::default(), Focus::Place),
            (1, 7, 3)
        );
    }

    #[test]
    fn secret_values_point_at_their_default() {
        let p = path("spec.template.spec.containers.0.env.0.value");
        assert_eq!(
            locate(&origin(), &p, Pos::default(), Focus::Value),
            (1, 5, 3)
        );
        // The whole value is the reference: whatever the finding, the value is set in values.yaml.
        assert_eq!(
            locate(&origin(), &p, Pos::default(), Focus::Place),
            (1, 5, 3)
        );
    }

    #[test]
    fn list_items_are_told_apart() {
        let template = "spec:\n  containers:\n    - name: a\n      env:\n        - name: ONE\n          value: x\n        - name: TWO\n          value: y\n    - name: b\n      image: b\n";
        let origin = Origin::Template {
            template: 0,
            outline: Arc::new(Outline::parse(template)),
            values: Arc::default(),
            defines: Arc::default(),
        };
        assert_eq!(
            locate(
                &origin,
                &path("spec.containers.0.env.1.value"),
                Pos::default(),
                Focus::Place
            ),
            (0, 8, 11)
        );
        assert_eq!(
            locate(
                &origin,
                &path("spec.containers.1.image"),
                Pos::default(),
                Focus::Place
            ),
            (0, 10, 7)
        );
    }

    #[test]
    fn missing_keys_point_at_the_nearest_ancestor() {
        let p = path("spec.template.spec.containers.0.livenessProbe");
        assert_eq!(
            locate(&origin(), &p, Pos::default(), Focus::Place),
            (0, 11, 11)
        );
    }
}
