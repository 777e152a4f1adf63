//! Findings about the server configurations discovery reads.

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a place in a server configuration (`named.conf` and the files it
    /// includes, `knot.conf`, `nsd.conf`) that zonelint could not read as the server
    /// would: an unbalanced `{` or `}`, a missing `;`, an unterminated string or
    /// comment, a line that is not `key: value`.
    ///
    /// ## Why is this bad?
    /// The server refuses a configuration it cannot parse, so none of its zones load.
    /// zonelint reads what it can of the file and still checks every zone file it
    /// finds, but the zones declared after the problem may be missing from the check.
    ///
    /// ## Example
    /// ```text
    /// zone "example.com" { type master; file "db.example.com"; }
    /// zone "example.net" { type master; file "db.example.net"; };
    /// ```
    /// Use instead:
    /// ```text
    /// zone "example.com" { type master; file "db.example.com"; };
    /// zone "example.net" { type master; file "db.example.net"; };
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the configuration is the server's, not a zone.
    ///
    /// ## References
    /// BIND 9 Administrator Reference Manual, "Configuration File Grammar"; Knot DNS
    /// reference, "Description"; nsd.conf(5), "FILE FORMAT".
    CONF001, "CONF001", Error, None, "server configuration cannot be parsed"
}
