use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a zone whose first record has no TTL and no `$TTL` before it.
    ///
    /// ## Why is this bad?
    /// The TTL of such records is left to the server: BIND takes the SOA's last field
    /// (the "minimum") for them and warns ("no TTL specified; using SOA MINTTL
    /// instead"), other servers use a default of their own, so the same file publishes
    /// different TTLs depending on who serves it. Windows DNS exports never carry
    /// `$TTL`. Since RFC 2308 the SOA minimum means the negative-caching TTL, not a
    /// default for records.
    ///
    /// ## Example
    /// ```text
    /// @    IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )
    ///      IN NS  ns1
    /// ```
    /// Use instead:
    /// ```text
    /// $TTL 3600
    /// @    IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )
    ///      IN NS  ns1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix yet: the TTL to state is yours to choose.
    ///
    /// ## References
    /// RFC 2308 §4 (`$TTL`; the SOA minimum is the negative TTL); RFC 1035 §5.1.
    ZONE016, "ZONE016", Info, None, "no `$TTL` and no TTL on the first record"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let Some((location, ttl)) = zone.implicit_ttl else {
        return;
    };
    let soa_minimum = zone.soa.first().map(|s| s.minimum);
    let used = match soa_minimum {
        Some(m) => format!(
            "BIND uses the SOA minimum ({m} s) for it and warns; other servers may use their own default"
        ),
        None => format!("zonelint took {ttl} s; servers will use a default of their own"),
    };
    out.push(
        Diagnostic::new(
            "ZONE016",
            location,
            format!(
                "the first record of `{}` has no TTL and no `$TTL` comes before it: {used}",
                zone.origin_text()
            ),
        )
        .with_owner(zone.origin_text())
        .with_label("no TTL stated")
        .with_help("state the default TTL at the top of the file, e.g. `$TTL 3600`"),
    );
}
