//! Findings about a change between two revisions of a zone set (`--changed-since`).

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// With `--changed-since REV`, reports a zone whose files differ from their version
    /// at git revision REV (an `$INCLUDE`d file counts) while its SOA serial did not
    /// increase, compared in RFC 1982 serial arithmetic.
    ///
    /// ## Why is this bad?
    /// Secondaries transfer a zone only when the primary's serial is greater than
    /// theirs. An edit without a higher serial stays on the primary: the name servers
    /// answer differently depending on which one is asked, until the next change
    /// happens to raise the serial.
    ///
    /// ## Example
    /// ```text
    /// -www  IN A 192.0.2.10
    /// +www  IN A 192.0.2.11      ; SOA serial still 2026112801
    /// ```
    /// Use instead: raise the serial with the change (`zonelint fix` does so for its own
    /// edits).
    ///
    /// ## Fix safety
    /// No fix: the change is the writer's; the serial they want may follow a scheme.
    ///
    /// ## References
    /// RFC 1982 (serial number arithmetic); RFC 1996 §2.2; RFC 1034 §4.3.5.
    SERIAL001, "SERIAL001", Error, None, "zone changed without a higher SOA serial"
}
