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
    LOAD001, "LOAD001", Error, None, "cannot tell the zone's origin"
}

declare_rule! {
    /// ## What it does
    /// Reports a file that the inventory names (under `zones:`) but that lies outside
    /// the checked directories and the project (the directory of `zonelint.toml`, else
    /// the working directory). The file is not read.
    ///
    /// ## Why is this bad?
    /// In CI over a pull request, every file zonelint reads can be attacker-written:
    /// an inventory that names `/etc/shadow` or `../../secret` would otherwise make the
    /// report print another file's lines. The finding reads the same whether or not the
    /// file exists, so it does not tell either.
    ///
    /// ## Example
    /// ```text
    /// zones:
    ///   - /srv/other-repo/example.com.zone
    /// ```
    /// Use instead: keep the zone in the repository, name it on the command line, or
    /// pass `--allow-inventory-outside` (on the command line; no file can set it).
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// SECURITY.md (what zonelint confines, and the flags that lift it).
    LOAD002, "LOAD002", Error, None, "a file named by the inventory lies outside the checked directories"
}
