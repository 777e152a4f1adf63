use super::mx_records;
use crate::diagnostic::Diagnostic;
use crate::model::{NameId, NameTable};
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an MX record whose target is an IP address written as a name, such as
    /// `MX 10 192.0.2.25.` (or `192.0.2.25` without the dot, which becomes
    /// `192.0.2.25.example.com.`).
    ///
    /// ## Why is this bad?
    /// The exchange must be a host name (RFC 5321 §5.1, RFC 1035 §3.3.9). An address
    /// literal is looked up as a name, which does not exist, so no mail arrives.
    ///
    /// ## Example
    /// ```text
    /// @     IN MX 10 192.0.2.25.
    /// ```
    /// Use instead:
    /// ```text
    /// @     IN MX 10 mail
    /// mail  IN A  192.0.2.25
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the host needs a name first.
    ///
    /// ## References
    /// RFC 5321 §5.1; RFC 1035 §3.3.9; RFC 7505 §1.
    MX003, "MX003", Error, None, "MX target is an IP address literal written as a name"
}

/// The address a name spells, when its leftmost labels are an IPv4 address and the rest
/// is the root or `origin`, or one label is an IPv6 address.
fn spelled_address(names: &NameTable, id: NameId, origin: NameId) -> Option<String> {
    // Most exchanges are host names: reject them before building any text.
    let first = names.label(id);
    if !first.iter().all(|b| b.is_ascii_hexdigit() || *b == b':') {
        return None;
    }
    let mut labels = Vec::new();
    let mut cur = id;
    while cur != NameId::ROOT && cur != origin && labels.len() <= 4 {
        labels.push(String::from_utf8_lossy(names.label(cur)).into_owned());
        cur = names.parent(cur)?;
    }
    if labels.len() == 1 && labels[0].parse::<std::net::Ipv6Addr>().is_ok() {
        return Some(labels.remove(0));
    }
    let text = labels.join(".");
    (labels.len() == 4 && text.parse::<std::net::Ipv4Addr>().is_ok()).then_some(text)
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for (r, _, target) in mx_records(ctx) {
        if let Some(address) = spelled_address(&zone.names, target, zone.origin) {
            out.push(
                Diagnostic::new(
                    "MX003",
                    zone.location(r),
                    format!(
                        "MX target `{}` is the address {address} written as a name",
                        zone.name(target)
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("an MX names a host, not an address")
                .with_help(format!(
                    "give {address} a host name with an A record and use that name in the MX"
                )),
            );
        }
    }
}
