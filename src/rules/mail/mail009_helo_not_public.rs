use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::model::special::non_public_outside;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that each outbound mail host's HELO/EHLO name (the inventory's `helo:`, or
    /// its `name`) is a fully qualified name the internet can look up: not a single
    /// label, not a bare IP address, and not under a special-use or private suffix —
    /// `.local` (RFC 6762), `.test .example .invalid .localhost` (RFC 6761), `home.arpa`
    /// (RFC 8375), `.internal`, `.lan .corp .home .localdomain` — unless a zone of the
    /// set holds the name.
    ///
    /// ## Why is this bad?
    /// RFC 5321 §4.1.1.1 wants the client's primary host name, fully qualified
    /// (§2.3.5). Receivers look it up; a name that cannot resolve — typically an Active
    /// Directory name such as `exchange.corp.company.local` — is among the most common
    /// reasons mail from a correctly published server is refused. No DNS record can fix
    /// it: the name is the mail server's own setting.
    ///
    /// ## Example
    /// ```yaml
    /// hosts:
    ///   - name: mail.company.com
    ///     helo: exch01.corp.company.local
    /// ```
    /// Use instead: `helo: mail.company.com`, and set the server to announce it
    /// (Exchange: the send connector's FQDN; Postfix: `smtp_helo_name`; Exim:
    /// `helo_data`; Sendmail: `confDOMAIN_NAME`).
    ///
    /// ## Fix safety
    /// No automatic fix: the HELO name is configured on the mail server, not in DNS.
    ///
    /// ## References
    /// RFC 5321 §2.3.5 and §4.1.1.1; RFC 6761; RFC 6762; RFC 8375.
    MAIL009, "MAIL009", Error, None, "the HELO/EHLO name is not a public fully qualified name"
}

/// Where the usual mail servers set the name they announce.
pub const WHERE_HELO_IS_SET: &str = "Exchange: the send connector's FQDN; Postfix: `smtp_helo_name`; Exim: `helo_data`; Sendmail: `confDOMAIN_NAME`";

/// Why a HELO name cannot work on the internet, or `None` when it can.
pub fn helo_problem(set: &crate::model::ZoneSet, helo: &str) -> Option<String> {
    let bare = helo.trim_end_matches('.');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Some(format!(
            "`{bare}` is an address without brackets; RFC 5321 allows only `[{bare}]`, and a name is better"
        ));
    }
    if bare.starts_with('[') && bare.ends_with(']') {
        return None;
    }
    non_public_outside(set, helo)
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        let Some(why) = helo_problem(ctx.set, &host.helo) else {
            continue;
        };
        let suggestion = if helo_problem(ctx.set, &host.name).is_none() {
            format!(
                "announce `{}` (a public name that resolves to the address mail leaves from), ",
                host.name
            )
        } else {
            "announce a public name that resolves to the address mail leaves from, ".to_string()
        };
        out.push(
            Diagnostic::new(
                "MAIL009",
                ctx.at(host.helo_span),
                format!("mail host `{}` says HELO `{}`, which receivers cannot look up: {why}", host.name, host.helo),
            )
            .with_owner(host.helo.clone())
            .with_label("announced in HELO/EHLO")
            .with_related(ctx.at(host.name_span), "the mail host")
            .with_help(format!(
                "{suggestion}set on the mail server, not in DNS ({WHERE_HELO_IS_SET}); then update `helo:` in the inventory"
            )),
        );
    }
}
