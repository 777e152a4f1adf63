//! Findings about loading a zone set that are not syntax.

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a zone file whose origin zonelint cannot work out.
    ///
    /// ## Why is this bad?
    /// Relative names (`www`, `@`) mean nothing without an origin: zonelint would have to
    /// guess which zone the file is, and every later check would rest on that guess. The
    /// origin comes, in order, from `PATH=ORIGIN` or `--origin`, a `$ORIGIN` before the
    /// first record, an SOA whose owner is absolute, or a file name such as
    /// `example.com.zone`, `db.example.com` or BIND's `db.192.168.1`.
    ///
    /// ## Example
    /// A file named `primary` that starts with `@ IN SOA ...`.
    ///
    /// Use instead: `zonelint check primary=example.com.`, or begin the file with
    /// `$ORIGIN example.com.`.
    ///
    /// ## Fix safety
    /// No fix: only you know which zone the file holds.
    ///
    /// ## References
    /// RFC 1035 §5.1 (`$ORIGIN` and relative names).
    LOAD001, "LOAD001", Error, "cannot tell the zone's origin"
}
