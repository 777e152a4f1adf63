//! Names that never resolve on the public internet: the special-use domains of RFC 6761
//! (`.test`, `.example`, `.invalid`, `.localhost`), multicast DNS's `.local` (RFC 6762),
//! `home.arpa` (RFC 8375), `.internal` (reserved for private use by ICANN in 2024), the
//! private suffixes networks use without delegation (`.lan`, `.corp`, `.home`,
//! `.localdomain`), and single-label names. A receiver cannot look any of them up, so
//! none can serve as a HELO name or a PTR target for mail to the internet.

/// Why `name` (absolute, lowercase) cannot be a public name, or `None` when it can.
pub fn non_public(name: &str) -> Option<String> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Some("the root is not a host name".into());
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() == 1 {
        return Some(format!(
            "`{name}` is a single label, not a fully qualified name (RFC 5321 §2.3.5)"
        ));
    }
    let last = labels[labels.len() - 1];
    let reason = match last {
        "test" | "example" | "invalid" | "localhost" => {
            format!("`.{last}` is a special-use domain that never resolves on the internet (RFC 6761)")
        }
        "local" => "`.local` belongs to multicast DNS on the local link (RFC 6762); it never resolves on the internet".into(),
        "internal" => "`.internal` is reserved for private networks and never resolves on the internet".into(),
        "lan" | "corp" | "home" | "localdomain" | "intranet" | "private" => {
            format!("`.{last}` is a private suffix that is not delegated on the internet")
        }
        "arpa" if labels.len() >= 2 && labels[labels.len() - 2] == "home" => {
            "`home.arpa` is for home networks only (RFC 8375)".into()
        }
        _ => return None,
    };
    Some(reason)
}

/// Like [`non_public`], but a name under a zone of the set is the set's own and fine:
/// the set publishes it (the project's own examples live under `.example`).
pub fn non_public_outside(set: &super::ZoneSet, name: &str) -> Option<String> {
    let absolute = if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    };
    if set.zone_for(&absolute).is_some() {
        return None;
    }
    non_public(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_use_and_private_names() {
        for name in [
            "exchange.corp.company.local.",
            "mail.test.",
            "a.example",
            "x.invalid.",
            "localhost.",
            "srv.internal.",
            "pc.lan.",
            "dc.corp.",
            "nas.home.arpa.",
            "box.localdomain.",
            "exchange.",
            "srv1",
        ] {
            assert!(non_public(name).is_some(), "{name}");
        }
        for name in [
            "mail.example.com.",
            "mx1.provider.net.",
            "host.home.example.org.",
        ] {
            assert_eq!(non_public(name), None, "{name}");
        }
    }
}
