//! Working out a zone file's origin when the user did not give one: a leading `$ORIGIN`,
//! an absolute SOA owner, or the file name.

use super::entries::{Chunk, EntryReader, Tok};
use crate::rr::RType;
use crate::rr::types::RClass;
use std::path::Path;

/// How far into a file to look for `$ORIGIN` or an absolute SOA owner: a zone's SOA
/// comes first in practice, and scanning a whole large file twice would double the cost.
pub const SCAN_LIMIT: usize = 1 << 20;

/// Finds `$ORIGIN` before the first record, or failing that an SOA whose owner is absolute,
/// in the first [`SCAN_LIMIT`] bytes of a file (`at_eof`: they are the whole file).
/// Returns the origin as absolute text and whether it came from a directive.
pub fn from_text(bytes: &[u8], at_eof: bool) -> Option<(String, bool)> {
    let text = Chunk::whole(bytes);
    let mut reader = EntryReader::new(text, at_eof);
    let mut toks: Vec<Tok> = Vec::new();
    let mut seen_record = false;
    while let Some(entry) = reader.next_entry(&mut toks) {
        let Some(first) = toks.first() else { continue };
        let word = first.text(text);
        if !entry.blank_owner && word.first() == Some(&b'$') {
            if !seen_record
                && word.eq_ignore_ascii_case(b"$ORIGIN")
                && let Some(arg) = toks.get(1)
            {
                let t = arg.text(text);
                if t.ends_with(b".") && !t.ends_with(b"\\.") {
                    return Some((String::from_utf8_lossy(t).into_owned(), true));
                }
            }
            continue;
        }
        seen_record = true;
        if entry.blank_owner || !word.ends_with(b".") {
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
        if is_soa {
            return Some((String::from_utf8_lossy(word).into_owned(), false));
        }
    }
    None
}

/// The origin a file name implies: `example.com.zone`, `db.example.com`,
/// `113.0.203.in-addr.arpa.zone`, and BIND's `db.192.168.1` for `1.168.192.in-addr.arpa.`.
pub fn from_file_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = if let Some(rest) = name.strip_prefix("db.") {
        rest
    } else if let Some(rest) = [".zone", ".db", ".rev"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
    {
        rest
    } else if name.ends_with(".arpa") {
        name
    } else {
        return None;
    };
    let stem = stem.trim_end_matches('.');
    if stem.is_empty() || stem.contains(['/', ' ', '\\']) {
        return None;
    }
    let labels: Vec<&str> = stem.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let numeric = labels.iter().all(|l| l.parse::<u8>().is_ok());
    if numeric && labels.len() <= 3 {
        let mut rev: Vec<&str> = labels.clone();
        rev.reverse();
        return Some(format!("{}.in-addr.arpa.", rev.join(".")));
    }
    Some(format!("{stem}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let o = |s: &str| from_file_name(Path::new(s));
        assert_eq!(o("zones/example.com.zone").as_deref(), Some("example.com."));
        assert_eq!(o("db.example.com").as_deref(), Some("example.com."));
        assert_eq!(
            o("113.0.203.in-addr.arpa.zone").as_deref(),
            Some("113.0.203.in-addr.arpa.")
        );
        assert_eq!(
            o("db.192.168.1").as_deref(),
            Some("1.168.192.in-addr.arpa.")
        );
        assert_eq!(o("db.10").as_deref(), Some("10.in-addr.arpa."));
        assert_eq!(
            o("0.10.in-addr.arpa").as_deref(),
            Some("0.10.in-addr.arpa.")
        );
        assert_eq!(o("named.localhost"), None);
    }

    #[test]
    fn leading_origin_or_absolute_soa() {
        assert_eq!(
            from_text(b"$TTL 1\n$ORIGIN example.org.\n@ SOA a b 1 2 3 4 5\n", true),
            Some(("example.org.".into(), true))
        );
        assert_eq!(
            from_text(b"; c\nexample.net. 3600 IN SOA a b 1 2 3 4 5\n", true),
            Some(("example.net.".into(), false))
        );
        assert_eq!(from_text(b"@ IN SOA a b 1 2 3 4 5\n", true), None);
    }
}
