//! What a zone file says about its own origin: the owner of its SOA record (resolved
//! against any `$ORIGIN` before it), a leading `$ORIGIN`, or the header Windows DNS
//! writes at the top of an exported zone.

use crate::model::zone::OriginSource;
use crate::rr::RType;
use crate::rr::types::RClass;
use crate::syntax::entries::{Chunk, EntryReader, Tok};

/// How far into a file to look: a zone's SOA comes first in practice, and scanning a
/// whole large file twice would double the cost.
pub const SCAN_LIMIT: usize = 1 << 20;

/// Whether presentation text ends with an unescaped dot (an absolute name).
fn is_absolute(text: &[u8]) -> bool {
    if !text.ends_with(b".") {
        return false;
    }
    let backslashes = text[..text.len() - 1]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 0
}

/// An absolute, lowercase name from presentation text, if it is a valid name.
fn valid_name(text: &str) -> Option<String> {
    let mut labels = crate::model::names::LabelBuf::default();
    labels.parse(text.as_bytes()).ok()?;
    let lower = text.to_ascii_lowercase();
    Some(if lower.ends_with('.') {
        lower
    } else {
        format!("{lower}.")
    })
}

/// `name` relative to `origin` (absolute text), or `name` itself when absolute.
fn resolve(name: &[u8], origin: Option<&str>) -> Option<String> {
    if name == b"@" {
        return origin.map(str::to_string);
    }
    let text = String::from_utf8_lossy(name);
    if is_absolute(name) {
        return valid_name(&text);
    }
    let origin = origin?;
    if origin == "." {
        valid_name(&format!("{text}."))
    } else {
        valid_name(&format!("{text}.{origin}"))
    }
}

/// The origin named by the header `dnscmd /ZoneExport` and the Windows DNS server write:
/// `;  Database file example.com.dns for example.com zone.`
pub fn windows_header(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some(comment) = t.strip_prefix(';') else {
            break;
        };
        let c = comment.trim();
        let Some(rest) = c.strip_prefix("Database file ") else {
            continue;
        };
        let (_, zone) = rest.split_once(" for ")?;
        let zone = zone.trim_end_matches('.').trim();
        let zone = zone.strip_suffix(" zone")?.trim();
        return valid_name(zone);
    }
    None
}

/// The origin a file's own text gives, in the first [`SCAN_LIMIT`] bytes (`at_eof`:
/// they are the whole file): the SOA's owner (absolute, or relative to a `$ORIGIN`
/// before it), else a `$ORIGIN` before the first record, else a Windows DNS header.
///
/// The SOA decides even after `$ORIGIN .`: BIND's dump format and many hand-kept zones
/// write `$ORIGIN .` and then `example.com IN SOA ...`, and that zone is `example.com.`,
/// not the root.
pub fn from_text(bytes: &[u8], at_eof: bool) -> Option<(String, OriginSource)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = Chunk::whole(bytes);
    let mut reader = EntryReader::new(text, at_eof);
    let mut toks: Vec<Tok> = Vec::new();
    let mut current: Option<String> = None;
    let mut leading: Option<String> = None;
    let mut seen_record = false;
    while let Some(entry) = reader.next_entry(&mut toks) {
        let Some(first) = toks.first() else { continue };
        let word = first.text(text);
        if !entry.blank_owner && word.first() == Some(&b'$') && !first.quoted {
            if word.eq_ignore_ascii_case(b"$ORIGIN")
                && let Some(arg) = toks.get(1)
            {
                current = resolve(arg.text(text), current.as_deref());
                if !seen_record && leading.is_none() {
                    leading.clone_from(&current);
                }
            }
            continue;
        }
        seen_record = true;
        if entry.blank_owner {
            continue;
        }
        let is_soa = toks[1..]
            .iter()
            .take(3)
            .map(|t| t.text(text))
            .take_while(|w| {
                w.first().is_some_and(u8::is_ascii_digit)
                    || RClass::from_mnemonic(w).is_some()
                    || RType::from_mnemonic(w).is_some()
            })
            .any(|w| RType::from_mnemonic(w) == Some(RType::SOA));
        if !is_soa {
            continue;
        }
        if let Some(owner) = resolve(word, current.as_deref()) {
            let source = if is_absolute(word) {
                OriginSource::SoaOwner
            } else {
                OriginSource::Directive
            };
            return Some((owner, source));
        }
        break;
    }
    if let Some(o) = leading {
        return Some((o, OriginSource::Directive));
    }
    windows_header(bytes).map(|o| (o, OriginSource::Header))
}

/// Whether the text is a root hints file (`named.root`, `db.root`, Windows `cache.dns`):
/// no SOA, and its first record is an NS record of the root. Hints prime a resolver's
/// cache; they are not a zone.
pub fn is_root_hints(bytes: &[u8]) -> bool {
    let text = Chunk::whole(bytes);
    let mut reader = EntryReader::new(text, true);
    let mut toks: Vec<Tok> = Vec::new();
    let mut first_is_root_ns = None;
    while let Some(entry) = reader.next_entry(&mut toks) {
        let Some(first) = toks.first() else { continue };
        let word = first.text(text);
        if !entry.blank_owner && word.first() == Some(&b'$') {
            continue;
        }
        let types: Vec<RType> = toks
            .iter()
            .filter_map(|t| RType::from_mnemonic(t.text(text)))
            .collect();
        if types.contains(&RType::SOA) {
            return false;
        }
        if first_is_root_ns.is_none() {
            first_is_root_ns =
                Some(!entry.blank_owner && word == b"." && types.first() == Some(&RType::NS));
        }
    }
    first_is_root_ns == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> Option<(String, OriginSource)> {
        from_text(text.as_bytes(), true)
    }

    #[test]
    fn the_soa_owner_decides() {
        assert_eq!(
            origin("$TTL 1\n$ORIGIN example.org.\n@ SOA a b 1 2 3 4 5\n"),
            Some(("example.org.".into(), OriginSource::Directive))
        );
        assert_eq!(
            origin("; c\nexample.net. 3600 IN SOA a b 1 2 3 4 5\n"),
            Some(("example.net.".into(), OriginSource::SoaOwner))
        );
        // BIND's dump format: `$ORIGIN .` then a relative SOA owner.
        assert_eq!(
            origin(
                "$ORIGIN .\n$TTL 3600\nexample.com IN SOA ns1.example.com. h.example.com. 1 2 3 4 5\n$ORIGIN example.com.\nwww A 192.0.2.1\n"
            ),
            Some(("example.com.".into(), OriginSource::Directive))
        );
        assert_eq!(
            origin("$ORIGIN com.\nExample IN SOA a b 1 2 3 4 5\n"),
            Some(("example.com.".into(), OriginSource::Directive))
        );
        assert_eq!(origin("@ IN SOA a b 1 2 3 4 5\n"), None);
        assert_eq!(
            origin("\u{feff}$ORIGIN bom.example.\n@ SOA a b 1 2 3 4 5\n"),
            Some(("bom.example.".into(), OriginSource::Directive))
        );
        assert_eq!(
            origin("$ORIGIN a.example.\nwww A 192.0.2.1\n"),
            Some(("a.example.".into(), OriginSource::Directive))
        );
        // A `$ORIGIN` after the first record is not the zone's.
        assert_eq!(origin("www A 192.0.2.1\n$ORIGIN b.example.\n"), None);
        // An escaped final dot is not absolute.
        assert_eq!(origin("a\\. SOA x y 1 2 3 4 5\n"), None);
    }

    #[test]
    fn root_hints_are_not_a_zone() {
        let hints = ";  root hints\n.                        3600000      NS    A.ROOT-SERVERS.NET.\nA.ROOT-SERVERS.NET.      3600000      A     198.41.0.4\n";
        assert!(is_root_hints(hints.as_bytes()));
        assert!(!is_root_hints(b"@ SOA a b 1 2 3 4 5\n. NS a.\n"));
        assert!(!is_root_hints(b"www A 192.0.2.1\n"));
        assert!(!is_root_hints(b". NS a.\n@ SOA a b 1 2 3 4 5\n"));
    }

    #[test]
    fn windows_dns_header() {
        let text = ";\r\n;  Database file example.com.dns for example.com zone.\r\n;      Zone version:  2019\r\n;\r\n\r\n@                       IN  SOA dc1.example.com.  hostmaster.example.com. (\r\n 2019 900 600 86400 3600 )\r\n";
        assert_eq!(
            origin(text),
            Some(("example.com.".into(), OriginSource::Header))
        );
        assert_eq!(
            windows_header(
                b";  Database file 1.168.192.in-addr.arpa.dns for 1.168.192.in-addr.arpa zone.\n"
            ),
            Some("1.168.192.in-addr.arpa.".into())
        );
        assert_eq!(
            windows_header(b"$TTL 1\n; Database file x.dns for x zone.\n"),
            None
        );
        assert_eq!(
            windows_header(b"; Database file x.dns for bad..name zone.\n"),
            None
        );
    }
}
