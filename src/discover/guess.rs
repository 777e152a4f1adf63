//! Origins guessed from file names, and the checks that decide whether a parsed file
//! fits its guess.
//!
//! A file name is the weakest evidence there is: `db.test` may hold any zone, and a file
//! named after a forward domain may hold that domain's reverse zone. So a name yields
//! an origin only when what is left after the usual decorations (`db.`, `.zone`, ...) is
//! a plausible zone name, and the guess is dropped — the file is reported as LOAD001,
//! not its records — when the parsed file contradicts it.

use crate::model::index::ZoneIndex;
use crate::model::reverse::ptr_address;
use crate::model::zone::Zone;
use crate::rr::RType;
use std::path::Path;

const PREFIXES: &[&str] = &["db.", "rev.", "fwd.", "pri.", "zone."];
const SUFFIXES: &[&str] = &[".zone", ".db", ".dns", ".rev", ".hosts", ".fwd"];

/// Labels that are file-naming habits, never part of a zone's name.
const NOISE: &[&str] = &[
    "zone", "zones", "db", "dns", "rev", "hosts", "fwd", "bak", "old", "orig", "tmp", "backup",
    "copy", "txt", "conf", "file", "named",
];

/// The origin a file name suggests, or why it suggests none.
pub fn from_file_name(path: &Path) -> Result<String, String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| "its name is not UTF-8".to_string())?;
    let mut stem = name;
    let mut reverse_hint = false;
    if let Some(p) = PREFIXES.iter().find(|p| stem.starts_with(**p)) {
        reverse_hint |= *p == "rev.";
        stem = &stem[p.len()..];
    }
    if let Some(s) = SUFFIXES.iter().find(|s| stem.ends_with(**s)) {
        reverse_hint |= *s == ".rev";
        stem = &stem[..stem.len() - s.len()];
    }
    let stem = stem.trim_end_matches('.').to_ascii_lowercase();
    if stem.is_empty() {
        return Err(format!("`{name}` names no zone"));
    }
    let labels: Vec<&str> = stem.split('.').collect();
    let ldh = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if let Some(bad) = labels.iter().find(|l| !ldh(l)) {
        return Err(format!("`{bad}` in `{name}` is not a host name label"));
    }
    if stem.ends_with("in-addr.arpa") || stem.ends_with("ip6.arpa") {
        return Ok(format!("{stem}."));
    }
    let numeric = labels.iter().all(|l| l.parse::<u8>().is_ok());
    if numeric && labels.len() <= 3 {
        let mut rev = labels.clone();
        rev.reverse();
        return Ok(format!("{}.in-addr.arpa.", rev.join(".")));
    }
    if numeric {
        return Err(format!("`{stem}` is an address, not a reverse zone"));
    }
    if reverse_hint {
        return Err(format!(
            "`{name}` marks a reverse zone, but `{stem}` is a forward name; the networks it covers are not in the name"
        ));
    }
    if let Some(noise) = labels.iter().find(|l| NOISE.contains(l)) {
        return Err(format!(
            "`{noise}` in `{name}` looks like part of a file name, not of a zone's name"
        ));
    }
    if labels.len() < 2 {
        return Err(format!(
            "`{stem}` is a single label; the file could hold any zone"
        ));
    }
    let tld = labels[labels.len() - 1];
    if !tld.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return Err(format!("`{tld}` is not a top-level domain"));
    }
    Ok(format!("{stem}."))
}

/// Why a zone parsed with an origin guessed from its file name does not fit that
/// origin, or `None` when nothing in it contradicts the guess.
pub fn contradiction(zone: &Zone) -> Option<String> {
    let origin = zone.origin;
    let names = &zone.names;
    let reverse = crate::model::reverse::zone_prefix(names, origin).is_some();
    let mut ptrs = 0usize;
    let mut other_data = 0usize;
    for r in &zone.records {
        if !names.is_at_or_below(r.owner, origin) {
            return Some(format!(
                "its record for `{}` lies outside that zone",
                names.display(r.owner)
            ));
        }
        match r.rtype {
            RType::PTR => {
                ptrs += 1;
                let service = names
                    .ancestors(r.owner)
                    .chain(std::iter::once(r.owner))
                    .any(|a| {
                        let l = names.label(a);
                        l.first() == Some(&b'_') || l == b"*"
                    });
                if reverse && !service && ptr_address(names, r.owner).is_none() {
                    return Some(format!(
                        "its PTR owner `{}` is not a whole address under it",
                        names.display(r.owner)
                    ));
                }
            }
            RType::SOA | RType::NS | RType::RRSIG | RType::NSEC | RType::NSEC3 | RType::DNSKEY => {}
            _ => other_data += 1,
        }
    }
    if !reverse && ptrs > 0 && other_data == 0 {
        return Some(format!(
            "it holds only PTR records ({ptrs}), as a reverse zone does, under a forward name"
        ));
    }
    let index = ZoneIndex::build(zone);
    for r in zone.records.iter().filter(|r| r.rtype == RType::NS) {
        let Some(target) = zone.target(r) else {
            continue;
        };
        if names.is_at_or_below(target, origin)
            && index.occluder(zone, target).is_none()
            && index.addresses(zone, target).next().is_none()
        {
            return Some(format!(
                "its name server `{}` would be inside that zone but has no address in it",
                names.display(target)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(name: &str) -> Result<String, String> {
        from_file_name(Path::new(name))
    }

    #[test]
    fn plausible_names_give_origins() {
        assert_eq!(guess("zones/example.com.zone").unwrap(), "example.com.");
        assert_eq!(guess("db.example.com").unwrap(), "example.com.");
        assert_eq!(guess("example.com.dns").unwrap(), "example.com.");
        assert_eq!(
            guess("113.0.203.in-addr.arpa.zone").unwrap(),
            "113.0.203.in-addr.arpa."
        );
        assert_eq!(guess("db.192.168.1").unwrap(), "1.168.192.in-addr.arpa.");
        assert_eq!(guess("db.10").unwrap(), "10.in-addr.arpa.");
        assert_eq!(guess("192.168.1.rev").unwrap(), "1.168.192.in-addr.arpa.");
        assert_eq!(
            guess("rev.1.168.192.in-addr.arpa").unwrap(),
            "1.168.192.in-addr.arpa."
        );
        assert_eq!(guess("0.10.in-addr.arpa").unwrap(), "0.10.in-addr.arpa.");
        assert_eq!(guess("Example.COM.hosts").unwrap(), "example.com.");
    }

    #[test]
    fn implausible_names_ask() {
        for name in [
            "db.test",
            "db.local",
            "example.com.rev",
            "named.localhost",
            "db.10.0.0.1",
            "zone.db",
            "db.example.zone.bak",
            "db.my zone",
            "x.123",
        ] {
            assert!(guess(name).is_err(), "{name} gave {:?}", guess(name));
        }
    }
}
