//! Findings about loading a zone set that are not syntax.

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a zone file whose origin zonelint cannot work out, or whose origin was
    /// only guessed from its file name and the file contradicts the guess. The zone's
    /// records are then not checked, and it answers for no names of other zones.
    ///
    /// ## Why is this bad?
    /// Relative names (`www`, `@`) mean nothing without an origin, and an origin taken
    /// on trust from a file name turns into a wall of false findings when it is wrong
    /// (`db.test` holding another zone, `db.10` holding a /24, `example.com.rev` holding
    /// reverse data). The origin comes, in order, from `PATH=ORIGIN`, `--origin` or
    /// `[origins]` in zonelint.toml; from the server configuration (`named.conf`,
    /// `knot.conf`, `nsd.conf`) in the checked directories or given with
    /// `--server-config`; from the file itself (the owner of its SOA, a leading
    /// `$ORIGIN`, a Windows DNS export header); and last from a plausible file name
    /// (`example.com.zone`, `db.example.com`, BIND's `db.192.168.1`). A guess is
    /// dropped when a record lies outside it, a PTR owner is not a whole address under
    /// it, a forward name holds only PTR records, or an in-zone name server has no
    /// address.
    ///
    /// ## Example
    /// A file named `db.test` that starts with `@ IN SOA ...` and holds `www.example.org`.
    ///
    /// Use instead: `zonelint check db.test=example.org.`, an `[origins]` entry, the
    /// server's configuration, or begin the file with `$ORIGIN example.org.`.
    ///
    /// ## Fix safety
    /// No fix: only you know which zone the file holds.
    ///
    /// ## References
    /// RFC 1035 §5.1 (`$ORIGIN` and relative names).
    LOAD001, "LOAD001", Error, "cannot tell the zone's origin"
}
