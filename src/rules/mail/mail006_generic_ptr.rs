use super::{SetContext, ptrs_of};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use std::net::IpAddr;

declare_rule! {
    /// ## What it does
    /// For every outbound mail host, reports a PTR name (of each public address it sends
    /// from) that looks generic: it spells the address's octets, or has a label word such
    /// as `dynamic`, `dyn`, `dhcp`, `pool`, `dsl`, `cust`, `ppp`, `cable`, `broadband`,
    /// `client` or `dialup`.
    ///
    /// ## Why is this bad?
    /// Large receivers treat such names as end-user access lines, not mail servers, and
    /// reject or throttle their mail even when the PTR resolves back. ISPs hand these
    /// out by default; a mail server needs its own name.
    ///
    /// ## Example
    /// ```text
    /// 25  IN PTR 203-0-113-25.dyn.isp.example.
    /// ```
    /// Use instead: `25 IN PTR mail.source.example.` (ask the provider when it publishes
    /// the reverse zone).
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 8499 §7; M3AAWG "Best Practices for Managing SMTP Reverse DNS" (2021).
    MAIL006, "MAIL006", Warning, None, "the PTR name of a mail host looks generic"
}

const GENERIC_WORDS: &[&str] = &[
    "dynamic",
    "dyn",
    "dhcp",
    "pool",
    "dsl",
    "adsl",
    "xdsl",
    "cust",
    "customer",
    "ppp",
    "pppoe",
    "cable",
    "broadband",
    "client",
    "dialup",
    "dial",
];

/// Why a reverse name looks generic, if it does.
pub fn generic_reason(name: &str, address: IpAddr) -> Option<String> {
    let tokens: Vec<&str> = name
        .trim_end_matches('.')
        .split(['.', '-', '_'])
        .filter(|t| !t.is_empty())
        .collect();
    for t in &tokens {
        let word = t.trim_end_matches(|c: char| c.is_ascii_digit());
        if GENERIC_WORDS.contains(&word) {
            return Some(format!("it has the word `{word}`"));
        }
    }
    if let IpAddr::V4(a) = address {
        let octets: Vec<String> = a.octets().iter().map(|o| o.to_string()).collect();
        let numeric: Vec<&str> = tokens
            .iter()
            .copied()
            .filter(|t| t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        let hits = octets
            .iter()
            .filter(|o| numeric.contains(&o.as_str()))
            .count();
        if hits >= 3 {
            return Some(format!("it spells the address {a}"));
        }
        let hex = format!("{:08x}", u32::from(a));
        if tokens.iter().any(|t| t.to_ascii_lowercase().contains(&hex)) {
            return Some(format!("it spells the address {a} in hex"));
        }
    }
    None
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        for (public, entry) in ctx.public_addresses(host, true) {
            for ptr in ptrs_of(ctx, public, entry).unwrap_or_default() {
                let Some(reason) = generic_reason(&ptr.name, public) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        "MAIL006",
                        ptr.location,
                        format!(
                            "PTR name `{}` for {public} looks generic: {reason}",
                            ptr.name
                        ),
                    )
                    .with_owner(super::reverse_name(public))
                    .with_label("looks like an access line, not a mail server")
                    .with_related(ctx.at(host.name_span), format!("mail host `{}`", host.name))
                    .with_help(format!(
                        "publish a PTR naming `{}` (ask the provider if it runs the reverse zone)",
                        host.helo
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_names() {
        let a: IpAddr = "203.0.113.25".parse().unwrap();
        assert!(generic_reason("203-0-113-25.dyn.isp.example.", a).is_some());
        assert!(generic_reason("host25.113.0.203.static.example.", a).is_some());
        assert!(generic_reason("pool123.isp.example.", a).is_some());
        assert!(
            generic_reason("cb00711.cust.example.", a).is_some(),
            "hex form and word"
        );
        assert!(generic_reason("mail.source.example.", a).is_none());
        assert!(generic_reason("mx25.source.example.", a).is_none());
    }
}
