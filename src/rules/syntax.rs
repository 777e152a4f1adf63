//! Syntax and RDATA findings. The parser emits them; this file documents them.

use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `(` without `)`, `)` without `(`, nested parentheses, and a quoted string that runs to the end of the file.
    ///
    /// ## Why is this bad?
    /// The parser cannot tell where the record ends: everything up to the matching character is swallowed, so later records silently disappear from the zone.
    ///
    /// ## Example
    /// ```text
    /// @ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300
    /// ```
    /// Use instead:
    /// ```text
    /// @ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §5.1 (parentheses group lines; quoted strings).
    SYN001, "SYN001", Error, None, "unbalanced parentheses or an unterminated quoted string"
}

declare_rule! {
    /// ## What it does
    /// Reports an owner with an empty label (`..`, a leading dot), a label over 63 octets, a name over 255 octets, a bad `\DDD` escape, `@` inside a longer name, or a blank owner after an invalid one.
    ///
    /// ## Why is this bad?
    /// Servers refuse to load the zone, or load a different name from the one you meant.
    ///
    /// ## Example
    /// ```text
    /// www..example.com. IN A 192.0.2.1
    /// ```
    /// Use instead:
    /// ```text
    /// www.example.com. IN A 192.0.2.1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §2.3.4 (size limits), §5.1 (escapes, `@`).
    SYN002, "SYN002", Error, None, "owner name is not a valid domain name"
}

declare_rule! {
    /// ## What it does
    /// Reports a TTL (on a record or in `$TTL`) that is not a number of seconds up to 4294967295 or a BIND unit form such as `1h30m` or `2W`.
    ///
    /// ## Why is this bad?
    /// The server rejects the record or the whole zone.
    ///
    /// ## Example
    /// ```text
    /// www 1x IN A 192.0.2.1
    /// ```
    /// Use instead:
    /// ```text
    /// www 1h IN A 192.0.2.1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 2181 §8 (TTL is an unsigned 32-bit number); BIND's TTL units.
    SYN003, "SYN003", Error, None, "TTL is not valid"
}

declare_rule! {
    /// ## What it does
    /// Reports a field where a TTL, class or type belongs that is none of them, and a record with no type at all.
    ///
    /// ## Why is this bad?
    /// A misspelt type (`CNAM`, `AAA`) makes the server refuse the zone.
    ///
    /// ## Example
    /// ```text
    /// www IN AAA 2001:db8::1
    /// ```
    /// Use instead:
    /// ```text
    /// www IN AAAA 2001:db8::1  (or `TYPE65280 \# 2 abcd` for a type with no mnemonic)
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §5.1; RFC 3597 §5 (`TYPEnnn`, `CLASSnnn`).
    SYN004, "SYN004", Error, None, "unknown record type or class, or no type"
}

declare_rule! {
    /// ## What it does
    /// Reports RDATA that does not fit its type: a missing or extra field, a number out of range, a bad address, name, string, base64, hex or base32hex value, an SVCB parameter that breaks RFC 9460, or generic `\#` data whose length disagrees. The message names the field.
    ///
    /// ## Why is this bad?
    /// The server refuses the zone, or (for `TYPEnnn` data) publishes bytes you did not intend.
    ///
    /// ## Example
    /// ```text
    /// @ IN MX ten mail.example.com.
    /// ```
    /// Use instead:
    /// ```text
    /// @ IN MX 10 mail.example.com.
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §3.3 and the RFC of each type; RFC 3597 §5; RFC 9460 §2.1 and Appendix A.
    SYN005, "SYN005", Error, None, "RDATA is malformed"
}

declare_rule! {
    /// ## What it does
    /// Reports an unknown `$` directive or a `$ORIGIN`, `$TTL` or `$INCLUDE` with a missing, extra or invalid argument.
    ///
    /// ## Why is this bad?
    /// The directive is ignored or the zone is rejected; names after it are read against the wrong origin or TTL.
    ///
    /// ## Example
    /// ```text
    /// $TTL
    /// ```
    /// Use instead:
    /// ```text
    /// $TTL 3600
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §5.1; RFC 2308 §4 (`$TTL`).
    SYN006, "SYN006", Error, None, "malformed directive"
}

declare_rule! {
    /// ## What it does
    /// Reports an `$INCLUDE` whose file is missing, is a directory, cannot be read, includes itself (a cycle), nests deeper than 16 files, or lies outside the directories being checked (unless `--allow-include-outside`).
    ///
    /// ## Why is this bad?
    /// The server cannot load the zone. Confining includes also keeps a CI job that lints an untrusted change from printing files such as `/etc/shadow` in its diagnostics.
    ///
    /// ## Example
    /// ```text
    /// $INCLUDE ../../../etc/shadow
    /// ```
    /// Use instead:
    /// ```text
    /// $INCLUDE common/ns.inc
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §5.1 (`$INCLUDE`).
    SYN007, "SYN007", Error, None, "`$INCLUDE` cannot be read"
}

declare_rule! {
    /// ## What it does
    /// Reports TSIG, TKEY, OPT, ANY, AXFR, IXFR, MAILA, MAILB and the other meta types (RFC 6895 §3.1) used as record types, also through `$GENERATE`.
    ///
    /// ## Why is this bad?
    /// These types exist only in messages; a server refuses a zone that contains them.
    ///
    /// ## Example
    /// ```text
    /// @ IN TKEY ...
    /// ```
    /// Use instead:
    /// ```text
    /// (remove the record)
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 6895 §3.1; RFC 2845; RFC 2930.
    SYN008, "SYN008", Error, None, "query or transport type in zone data"
}

declare_rule! {
    /// ## What it does
    /// Reports a `$GENERATE` line with a bad range (`1-3/`, start above stop), a range of more than 65536 records, a bad `${offset,width,base}` modifier, or templates that produce an invalid record. One finding per line.
    ///
    /// ## Why is this bad?
    /// BIND refuses the zone; a huge range also stalls every tool that expands it.
    ///
    /// ## Example
    /// ```text
    /// $GENERATE 1-3/ host-$ A 192.0.2.$
    /// ```
    /// Use instead:
    /// ```text
    /// $GENERATE 1-3 host-$ A 192.0.2.$
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// BIND 9 Administrator Reference Manual, `$GENERATE`.
    SYN009, "SYN009", Error, None, "`$GENERATE` cannot be expanded"
}

declare_rule! {
    /// ## What it does
    /// Reports a record whose class (IN, CH, HS, CLASSnnn) differs from the class of the zone's first record.
    ///
    /// ## Why is this bad?
    /// A zone has one class; servers reject a zone that mixes them.
    ///
    /// ## Example
    /// ```text
    /// @ IN SOA ...
    /// www CH A 192.0.2.1
    /// ```
    /// Use instead:
    /// ```text
    /// www IN A 192.0.2.1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know what was meant.
    ///
    /// ## References
    /// RFC 1035 §5.2 (all records in a file must have the same class).
    SYN010, "SYN010", Error, None, "record class differs from the zone's class"
}

declare_rule! {
    /// ## What it does
    /// Notes a zone file that starts with a UTF-8 byte order mark (the bytes `EF BB BF`,
    /// which some Windows editors write). zonelint reads the file from after the mark
    /// and reports nothing else for it.
    ///
    /// ## Why is this bad?
    /// A zone file is ASCII text. Servers that do not expect the mark read it as part
    /// of the first word: BIND then sees a directive or owner it does not know.
    ///
    /// ## Example
    /// A file saved as "UTF-8 with BOM" whose first line is `$TTL 3600`.
    ///
    /// Use instead: save the file as plain UTF-8 (without BOM) or ASCII.
    ///
    /// ## Fix safety
    /// No automatic fix yet.
    ///
    /// ## References
    /// RFC 1035 §5.1 (master files are text); The Unicode Standard, §23.8 (the BOM).
    SYN011, "SYN011", Info, None, "the file starts with a UTF-8 byte order mark"
}
