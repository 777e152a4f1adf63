//! Findings about zonelint's own suppression directives.

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `zonelint:` directive comment that zonelint cannot read: a verb other
    /// than `disable` or `disable-file`, a missing `=`, or a code that names no rule.
    ///
    /// ## Why is this bad?
    /// A directive with a misspelt code suppresses nothing, so the finding it was meant
    /// to silence comes back — or, worse, the writer believes a finding is handled that
    /// zonelint never saw.
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME web   ; zonelint: disable=ZONE04
    /// ```
    /// Use instead:
    /// ```text
    /// www  IN CNAME web   ; zonelint: disable=ZONE004
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the writer knows which code was meant.
    ///
    /// ## References
    /// The README's "Inline suppression" section.
    LINT001, "LINT001", Warning, None, "unreadable suppression directive or unknown code"
}

declare_rule! {
    /// ## What it does
    /// Reports a `zonelint: disable=` or `disable-file=` directive that suppressed no
    /// finding in this run. Codes whose rules did not run (not selected, ignored, or
    /// preview rules without `--preview`) are not counted against it.
    ///
    /// ## Why is this bad?
    /// A stale directive hides the next real problem of that kind on the same record,
    /// long after the reason for it has gone.
    ///
    /// ## Example
    /// ```text
    /// ; zonelint: disable=MX002
    /// @  IN MX 10 mail      ; mail has its own A record now
    /// ```
    /// Use instead: remove the directive.
    ///
    /// ## Fix safety
    /// No fix yet: removing a comment is safe, but the writer may want to keep the note.
    ///
    /// ## References
    /// The README's "Inline suppression" section.
    LINT002, "LINT002", Warning, None, "suppression directive that suppressed nothing"
}
