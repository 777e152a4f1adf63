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

/// Where a finding keeps its owner name.
#[derive(Clone, Debug, PartialEq, Eq)]
enum OwnerText {
    None,
    /// These bytes of the message (which is never changed once made).
    InMessage {
        start: u32,
        len: u32,
    },
    Own(Box<str>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    /// Not changed once the finding is made: its owner may be kept as a stretch of it
    /// (see [`Diagnostic::with_owner`]).
    pub message: String,
    pub location: Location,
    /// Label text under the primary span; empty means "use nothing". Most labels are
    /// fixed words, kept without an allocation of their own.
    pub label: std::borrow::Cow<'static, str>,
    /// The owner name the finding is about, absolute and lowercase: see
    /// [`Diagnostic::owner`].
    owner: OwnerText,
    /// Help, related places and a fix, which few findings have: boxed, so that the
    /// many without carry one pointer for them.
    details: Option<Box<Details>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Details {
    help: Option<String>,
    related: Vec<Related>,
    fix: Option<crate::fix::Fix>,
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
            message: message.into(),
            location,
            label: std::borrow::Cow::Borrowed(""),
            owner: OwnerText::None,
            details: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<crate::fix::Fix>) -> Self {
        if fix.is_some() || self.details.is_some() {
            self.details_mut().fix = fix;
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
        self.label = label.into();
        self
    }

    /// Names the owner the finding is about. Most messages name it too: it is then
    /// kept as that stretch of the message, not as a copy (a large zone's findings are
    /// tens of megabytes).
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        let owner = owner.into();
        let found = find_short(self.message.as_bytes(), owner.as_bytes())
            .and_then(|start| u32::try_from(start).ok())
            .zip(u32::try_from(owner.len()).ok());
        self.owner = match found {
            Some((start, len)) => OwnerText::InMessage { start, len },
            None => OwnerText::Own(owner.into_boxed_str()),
        };
        self
    }

    /// The owner name the finding is about, absolute and lowercase, if it is about one.
    pub fn owner(&self) -> Option<&str> {
        match &self.owner {
            OwnerText::None => None,
            OwnerText::InMessage { start, len } => self
                .message
                .get(*start as usize..*start as usize + *len as usize),
            OwnerText::Own(owner) => Some(owner),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.details_mut().help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.details_mut().related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
}

// A large zone can have hundreds of thousands of findings: what each one carries
// inline is paid that many times.
const _: () = assert!(size_of::<Diagnostic>() <= 112);

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
    fn an_owner_the_message_names_is_read_from_the_message() {
        let d = Diagnostic::new("ZONE001", at(), "record at `www.example.` is odd")
            .with_owner("www.example.");
        assert_eq!(d.owner(), Some("www.example."));
        assert!(matches!(
            d.owner,
            OwnerText::InMessage { start: 11, len: 12 }
        ));
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
        assert!(matches!(d.owner, OwnerText::InMessage { start: 2, len: 4 }));
    }

    #[test]
    fn an_owner_the_message_does_not_name_is_kept_on_its_own() {
        let d = Diagnostic::new("ZONE001", at(), "no name here").with_owner("mail.example.");
        assert_eq!(d.owner(), Some("mail.example."));
        assert!(matches!(d.owner, OwnerText::Own(_)));
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
