//! Diagnostics are plain data: rules create them, emitters render them. Nothing here
//! prints or decides how a finding looks.

use crate::span::Span;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in one loaded source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Index into [`crate::source::Sources`].
    pub source: u32,
    pub span: Span,
}

/// A second place that explains the first (the other record of a conflict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// Where a finding keeps its owner name: the bytes `start..start + len` of its
/// message (which is never changed once made), or, with `len` [`OwnerText::ELSEWHERE`],
/// its details (where a finding without an owner has none).
#[derive(Clone, Copy, Debug)]
struct OwnerText {
    start: u32,
    len: u32,
}

impl OwnerText {
    const ELSEWHERE: u32 = u32::MAX;
    const NOT_IN_MESSAGE: OwnerText = OwnerText {
        start: 0,
        len: OwnerText::ELSEWHERE,
    };
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: &'static str,
    /// Not changed once the finding is made: its owner may be kept as a stretch of it
    /// (see [`Diagnostic::with_owner`]).
    pub message: Box<str>,
    pub location: Location,
    pub severity: Severity,
    /// Label text under the primary span when it is a fixed word, as most are; empty
    /// means a label made for this finding (in the details) or none at all.
    label: &'static str,
    /// The owner name the finding is about, absolute and lowercase: see
    /// [`Diagnostic::owner`].
    owner: OwnerText,
    /// Help, related places and a fix, and a label or owner that is text of its own,
    /// which few findings have: boxed, so that the many without carry one pointer for
    /// them.
    details: Option<Box<Details>>,
}

/// Two findings are equal when they show the same: where a label or an owner is kept
/// does not matter.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Diagnostic) -> bool {
        self.code == other.code
            && self.severity == other.severity
            && self.message == other.message
            && self.location == other.location
            && self.label() == other.label()
            && self.owner() == other.owner()
            && self.help() == other.help()
            && self.related() == other.related()
            && self.fix() == other.fix()
    }
}

impl Eq for Diagnostic {}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Details {
    help: Option<Box<str>>,
    related: Box<[Related]>,
    fix: Option<crate::fix::Fix>,
    label: Option<Box<str>>,
    owner: Option<Box<str>>,
}

// Texts and lists in boxes of their own length, not in vectors and strings that keep
// their room beside it: a large zone's findings hold tens of thousands of these.
const _: () = assert!(size_of::<Details>() <= 120);

/// `message` in an allocation of its own length. A message made by `format!` has
/// grown by doubling: on a large zone the messages took 30 % more room than their text.
/// A finding is kept until the run ends, and a large zone has hundreds of thousands.
/// The grown buffer is freed once copied, and can serve the next message made.
fn exact(message: String) -> Box<str> {
    if message.capacity() == message.len() {
        message.into_boxed_str()
    } else {
        Box::from(message.as_str())
    }
}

/// Gives back the room `text` grew beyond its length, for a text a finding keeps in a
/// type it shares with others (see [`exact`]): `format!` makes room by doubling, and a
/// fix title often ends in twice its length.
fn fit(text: &mut String) {
    if text.capacity() != text.len() {
        text.shrink_to_fit();
    }
}

/// Where `needle` first occurs in `haystack`, for a message and a name in it: both are
/// short, and a finding is made per record in some rules, so the candidates the first
/// byte gives are compared directly instead of building a substring searcher each time.
fn find_short(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    memchr::memchr_iter(first, haystack).find(|&at| haystack[at..].starts_with(needle))
}

impl Diagnostic {
    pub fn new(code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: crate::rules::default_severity(code),
            message: exact(message.into()),
            location,
            label: "",
            owner: OwnerText::NOT_IN_MESSAGE,
            details: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<crate::fix::Fix>) -> Self {
        if fix.is_some() || self.details.is_some() {
            self.details_mut().fix = fix.map(|mut fix| {
                fit(&mut fix.title);
                fix.edits.shrink_to_fit();
                for edit in &mut fix.edits {
                    fit(&mut edit.content);
                }
                fix
            });
        }
        self
    }

    fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }

    pub fn help(&self) -> Option<&str> {
        self.details.as_ref()?.help.as_deref()
    }

    pub fn related(&self) -> &[Related] {
        self.details.as_ref().map_or(&[], |d| &d.related)
    }

    pub fn related_mut(&mut self) -> &mut [Related] {
        match &mut self.details {
            Some(details) => &mut details.related,
            None => &mut [],
        }
    }

    pub fn fix(&self) -> Option<&crate::fix::Fix> {
        self.details.as_ref()?.fix.as_ref()
    }

    pub fn fix_mut(&mut self) -> Option<&mut crate::fix::Fix> {
        self.details.as_mut()?.fix.as_mut()
    }

    pub fn with_label(mut self, label: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        match label.into() {
            std::borrow::Cow::Borrowed(word) => {
                self.label = word;
                if let Some(details) = &mut self.details {
                    details.label = None;
                }
            }
            std::borrow::Cow::Owned(text) => {
                self.label = "";
                self.details_mut().label = Some(text.into_boxed_str());
            }
        }
        self
    }

    /// Label text under the primary span; empty means none.
    pub fn label(&self) -> &str {
        match self.details.as_ref().and_then(|d| d.label.as_deref()) {
            Some(text) => text,
            None => self.label,
        }
    }

    /// Names the owner the finding is about. Most messages name it too: it is then
    /// kept as that stretch of the message, not as a copy (a large zone's findings are
    /// tens of megabytes).
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        let owner = owner.into();
        let found = find_short(self.message.as_bytes(), owner.as_bytes())
            .and_then(|start| u32::try_from(start).ok())
            .zip(
                u32::try_from(owner.len())
                    .ok()
                    .filter(|&len| len != OwnerText::ELSEWHERE),
            );
        match found {
            Some((start, len)) => {
                self.owner = OwnerText { start, len };
                if let Some(details) = &mut self.details {
                    details.owner = None;
                }
            }
            None => {
                self.owner = OwnerText::NOT_IN_MESSAGE;
                self.details_mut().owner = Some(owner.into_boxed_str());
            }
        }
        self
    }

    /// The owner name the finding is about, absolute and lowercase, if it is about one.
    pub fn owner(&self) -> Option<&str> {
        let OwnerText { start, len } = self.owner;
        if len == OwnerText::ELSEWHERE {
            return self.details.as_ref()?.owner.as_deref();
        }
        self.message
            .get(start as usize..start as usize + len as usize)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.details_mut().help = Some(help.into().into_boxed_str());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        let mut message = message.into();
        fit(&mut message);
        let details = self.details_mut();
        let mut related = std::mem::take(&mut details.related).into_vec();
        related.push(Related { location, message });
        details.related = related.into_boxed_slice();
        self
    }
}

// A large zone can have hundreds of thousands of findings: what each one carries
// inline is paid that many times.
const _: () = assert!(size_of::<Diagnostic>() <= 80);

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location {
            source: 0,
            span: Span::new(0, 1),
        }
    }

    #[test]
    fn a_message_is_kept_in_no_more_room_than_it_needs() {
        let mut grown = String::with_capacity(256);
        grown.push_str("a message of some forty bytes, or so");
        let grown_at = grown.as_ptr();
        let d = Diagnostic::new("ZONE001", at(), grown);
        assert_eq!(&*d.message, "a message of some forty bytes, or so");
        // Copied out of the grown buffer, not that buffer kept.
        assert_ne!(d.message.as_ptr(), grown_at);
        let exact = String::from("no room to spare");
        let exact_at = exact.as_ptr();
        let d = Diagnostic::new("ZONE001", at(), exact);
        assert_eq!(d.message.as_ptr(), exact_at);
    }

    #[test]
    fn a_findings_texts_are_kept_in_no_more_room_than_they_need() {
        let grown = |text: &str| {
            let mut s = String::with_capacity(200);
            s.push_str(text);
            s
        };
        let edit = crate::fix::Edit {
            source: 0,
            span: Span::new(0, 0),
            content: grown("h IN PTR host.\n"),
        };
        let mut edits = Vec::with_capacity(8);
        edits.push(edit);
        let fix = crate::fix::Fix {
            applicability: crate::fix::Applicability::Unsafe,
            title: grown("add the PTR"),
            edits,
        };
        let d = Diagnostic::new("PTR001", at(), "no PTR")
            .with_label(grown("no reverse record"))
            .with_related(at(), grown("after this one"))
            .with_help(grown("add the PTR to the reverse zone"))
            .with_fix(Some(fix));
        let details = d.details.as_ref().unwrap();
        let fix = details.fix.as_ref().unwrap();
        let texts = [
            &details.related[0].message,
            &fix.title,
            &fix.edits[0].content,
        ];
        for text in texts {
            assert_eq!(text.capacity(), text.len(), "{text}");
        }
        assert_eq!(d.label(), "no reverse record");
        assert_eq!(d.related().len(), 1);
        assert_eq!(fix.edits.capacity(), 1);
        assert_eq!(d.help(), Some("add the PTR to the reverse zone"));
        assert_eq!(d.fix().unwrap().edits[0].content, "h IN PTR host.\n");
    }

    #[test]
    fn where_a_findings_label_and_owner_are_kept_does_not_show() {
        let fixed = Diagnostic::new("ZONE001", at(), "at `a.b.`").with_label("here");
        let made = Diagnostic::new("ZONE001", at(), "at `a.b.`").with_label(String::from("here"));
        assert_eq!((fixed.label(), made.label()), ("here", "here"));
        assert!(fixed.details.is_none() && made.details.is_some());
        assert_eq!(fixed, made);
        assert_ne!(fixed, made.clone().with_label("there"));
        // A later label replaces an earlier one, wherever either is kept.
        assert_eq!(fixed.clone().with_label(String::from("x")).label(), "x");
        assert_eq!(made.clone().with_label("y").label(), "y");
        assert_eq!(Diagnostic::new("ZONE001", at(), "m").label(), "");
        // And an owner.
        let named = fixed.clone().with_owner("a.b.");
        let own = fixed.clone().with_owner("c.d.");
        assert_eq!((named.owner(), own.owner()), (Some("a.b."), Some("c.d.")));
        assert_eq!(own.clone().with_owner("a.b."), named);
        assert_eq!(named.clone().with_owner("c.d."), own);
        assert_ne!(named, fixed);
    }

    #[test]
    fn an_owner_the_message_names_is_read_from_the_message() {
        let d = Diagnostic::new("ZONE001", at(), "record at `www.example.` is odd")
            .with_owner("www.example.");
        assert_eq!(d.owner(), Some("www.example."));
        assert_eq!((d.owner.start, d.owner.len), (11, 12));
        assert!(d.details.is_none());
    }

    #[test]
    fn a_short_search_finds_the_first_whole_occurrence() {
        let naive = |h: &[u8], n: &[u8]| (0..=h.len()).find(|&i| h[i..].starts_with(n));
        let messages = [
            "",
            "a",
            "ab",
            "aab",
            "a.ab.aab.",
            "x `a.b.` at `a.b.c.`",
            "bbb",
        ];
        let names = ["", "a", "ab", "a.b.", "a.b.c.", "b", "bbbb", "`"];
        for m in messages {
            for n in names {
                let (m, n) = (m.as_bytes(), n.as_bytes());
                assert_eq!(find_short(m, n), naive(m, n), "{m:?} {n:?}");
            }
        }
        // A name that first appears as part of a longer one is found there.
        let d = Diagnostic::new("ZONE001", at(), "`xa.b.` and `a.b.`").with_owner("a.b.");
        assert_eq!((d.owner.start, d.owner.len), (2, 4));
    }

    #[test]
    fn an_owner_the_message_does_not_name_is_kept_on_its_own() {
        let d = Diagnostic::new("ZONE001", at(), "no name here").with_owner("mail.example.");
        assert_eq!(d.owner(), Some("mail.example."));
        assert_eq!(d.owner.len, OwnerText::ELSEWHERE);
        assert!(d.details.is_some());
        let none = Diagnostic::new("ZONE001", at(), "mail.example.");
        assert_eq!(none.owner(), None);
    }

    #[test]
    fn help_related_places_and_fixes_are_kept_only_by_findings_that_have_them() {
        let plain = Diagnostic::new("ZONE001", at(), "m").with_fix(None);
        assert!(plain.details.is_none());
        let fixed = plain.clone().with_fix(Some(crate::fix::Fix::new(
            crate::fix::Applicability::Safe,
            "add it",
            Vec::new(),
        )));
        assert_eq!(fixed.fix().map(|f| f.title.as_str()), Some("add it"));
        assert_eq!(
            (plain.help(), plain.related(), plain.fix()),
            (None, &[][..], None)
        );
        let mut full = plain
            .with_help("do this")
            .with_related(at(), "there")
            .with_fix(None);
        assert_eq!(full.help(), Some("do this"));
        assert_eq!(full.related().len(), 1);
        full.related_mut()[0].message = "moved".into();
        assert_eq!(full.related()[0].message, "moved");
        assert!(full.fix().is_none() && full.fix_mut().is_none());
    }
}
