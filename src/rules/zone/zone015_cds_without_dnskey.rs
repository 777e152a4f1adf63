use crate::diagnostic::Diagnostic;
use crate::model::names::NameTable;
use crate::model::{NameId, Zone};
use crate::rr::RType;
use crate::rr::text::{decode_base64, decode_hex};
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a CDS or CDNSKEY record at the apex that matches no DNSKEY of the zone: a
    /// CDS whose key tag, algorithm and digest fit none of the apex DNSKEYs, or a
    /// CDNSKEY that is not a copy of one. A delete request (`CDS 0 0 0 00`, `CDNSKEY 0 3
    /// 0 AA==`, RFC 8078) is fine when written exactly so. So is a CDS or CDNSKEY set in
    /// which at least one record matches: in a multi-signer setup (RFC 8901) the others
    /// may be the other signers' keys.
    ///
    /// ## Why is this bad?
    /// A parent that reads CDS/CDNSKEY (RFC 7344, RFC 8078) replaces the zone's DS
    /// records with what they say. If they point at no key the zone publishes, the
    /// parent's DS matches nothing and validating resolvers treat the zone as bogus:
    /// it disappears for them. BIND refuses to load such a zone.
    ///
    /// ## Example
    /// ```text
    /// @  IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0d...
    /// @  IN CDS    12345 13 2 0000...  ; the digest of an older key
    /// ```
    /// Use instead: publish the CDS of the current KSK (`dnssec-dsfromkey -C`), or
    /// remove the CDS/CDNSKEY records.
    ///
    /// ## Fix safety
    /// No automatic fix: which key the parent should trust is yours to say.
    ///
    /// ## References
    /// RFC 7344 §4.1 (CDS/CDNSKEY must match a key of the DNSKEY RRset); RFC 4034 §5.1.4
    /// and Appendix B (DS digest, key tag); RFC 8078 §4 (delete); RFC 8901.
    ZONE015, "ZONE015", Warning, None, "CDS or CDNSKEY that matches no DNSKEY at the apex"
}

/// A DNSKEY's RDATA in wire format.
struct Key {
    rdata: Vec<u8>,
    tag: u16,
    algorithm: u8,
}

/// DNSSEC algorithm numbers and their mnemonics (RFC 8624 and the IANA registry).
fn algorithm(field: &[u8]) -> Option<u8> {
    if let Ok(n) = std::str::from_utf8(field).unwrap_or("").parse::<u8>() {
        return Some(n);
    }
    const NAMES: &[(&str, u8)] = &[
        ("RSAMD5", 1),
        ("DH", 2),
        ("DSA", 3),
        ("RSASHA1", 5),
        ("DSA-NSEC3-SHA1", 6),
        ("RSASHA1-NSEC3-SHA1", 7),
        ("RSASHA256", 8),
        ("RSASHA512", 10),
        ("ECC-GOST", 12),
        ("ECDSAP256SHA256", 13),
        ("ECDSAP384SHA384", 14),
        ("ED25519", 15),
        ("ED448", 16),
        ("INDIRECT", 252),
        ("PRIVATEDNS", 253),
        ("PRIVATEOID", 254),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(field))
        .map(|&(_, v)| v)
}

/// RFC 4034 Appendix B.
pub fn key_tag(rdata: &[u8]) -> u16 {
    let mut ac: u32 = 0;
    for (i, &b) in rdata.iter().enumerate() {
        ac += if i & 1 == 1 {
            b as u32
        } else {
            (b as u32) << 8
        };
    }
    ac += (ac >> 16) & 0xFFFF;
    (ac & 0xFFFF) as u16
}

/// The wire form of a name, lowercase (RFC 4034 §6.2).
fn wire_name(names: &NameTable, id: NameId) -> Vec<u8> {
    let mut out = Vec::new();
    for n in std::iter::once(id).chain(names.ancestors(id)) {
        let label = names.label(n);
        out.push(label.len() as u8);
        out.extend_from_slice(label);
    }
    if id == NameId::ROOT {
        out.clear();
        out.push(0);
    }
    out
}

/// The RDATA of a DNSKEY or CDNSKEY from its fields (flags, protocol, algorithm, key).
fn key_rdata(fields: &[Vec<u8>]) -> Option<(Vec<u8>, u8)> {
    let flags: u16 = std::str::from_utf8(fields.first()?).ok()?.parse().ok()?;
    let protocol: u8 = std::str::from_utf8(fields.get(1)?).ok()?.parse().ok()?;
    let alg = algorithm(fields.get(2)?)?;
    let key = decode_base64(&fields.get(3..)?.concat())?;
    let mut rdata = flags.to_be_bytes().to_vec();
    rdata.push(protocol);
    rdata.push(alg);
    rdata.extend_from_slice(&key);
    Some((rdata, alg))
}

/// The digest of a DS/CDS of `digest_type` over owner and key; `None` for a digest
/// type zonelint does not compute.
fn digest(digest_type: u8, owner: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    use sha1::Digest as _;
    let data = [owner, key].concat();
    match digest_type {
        1 => Some(sha1::Sha1::digest(&data).to_vec()),
        2 => Some(sha2::Sha256::digest(&data).to_vec()),
        4 => Some(sha2::Sha384::digest(&data).to_vec()),
        _ => None,
    }
}

/// Whether a CDS record (its fields) names one of `keys`, or is the RFC 8078 delete
/// form; `None` when its fields cannot be read.
fn cds_matches(fields: &[Vec<u8>], owner: &[u8], keys: &[Key]) -> Option<Result<(), String>> {
    let tag: u16 = std::str::from_utf8(fields.first()?).ok()?.parse().ok()?;
    let alg = algorithm(fields.get(1)?)?;
    let digest_type: u8 = std::str::from_utf8(fields.get(2)?).ok()?.parse().ok()?;
    let wanted = decode_hex(&fields.get(3..)?.concat())?;
    if alg == 0 {
        return Some(if tag == 0 && digest_type == 0 && wanted == [0] {
            Ok(())
        } else {
            Err("a delete request (algorithm 0) must be exactly `0 0 0 00` (RFC 8078 §4)".into())
        });
    }
    let candidates: Vec<&Key> = keys
        .iter()
        .filter(|k| k.tag == tag && k.algorithm == alg)
        .collect();
    if candidates.is_empty() {
        return Some(Err(format!(
            "no DNSKEY at the apex has key tag {tag} and algorithm {alg}"
        )));
    }
    let found = candidates
        .iter()
        .any(|k| match digest(digest_type, owner, &k.rdata) {
            Some(d) => d == wanted,
            None => true,
        });
    Some(if found {
        Ok(())
    } else {
        Err(format!(
            "its digest matches no DNSKEY with key tag {tag} (algorithm {alg}, digest type {digest_type})"
        ))
    })
}

fn cdnskey_matches(fields: &[Vec<u8>], keys: &[Key]) -> Option<Result<(), String>> {
    let (rdata, alg) = key_rdata(fields)?;
    if alg == 0 {
        return Some(if rdata == [0, 0, 3, 0, 0] {
            Ok(())
        } else {
            Err("a delete request (algorithm 0) must be exactly `0 3 0 AA==` (RFC 8078 §4)".into())
        });
    }
    Some(if keys.iter().any(|k| k.rdata == rdata) {
        Ok(())
    } else {
        Err(format!(
            "it is a copy of no DNSKEY at the apex (key tag {})",
            key_tag(&rdata)
        ))
    })
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone: &Zone = ctx.zone;
    let apex = ctx.index.at(zone.origin);
    let has = |t: RType| apex.iter().any(|&i| zone.records[i as usize].rtype == t);
    if !has(RType::CDS) && !has(RType::CDNSKEY) {
        return;
    }
    let keys: Vec<Key> = apex
        .iter()
        .map(|&i| &zone.records[i as usize])
        .filter(|r| r.rtype == RType::DNSKEY)
        .filter_map(|r| crate::rules::rdata_text::fields(ctx.set, zone, r))
        .filter_map(|f| key_rdata(&f))
        .map(|(rdata, algorithm)| Key {
            tag: key_tag(&rdata),
            rdata,
            algorithm,
        })
        .collect();
    let owner = wire_name(&zone.names, zone.origin);
    for rtype in [RType::CDS, RType::CDNSKEY] {
        let verdicts: Vec<(&crate::model::Record, Result<(), String>)> = apex
            .iter()
            .map(|&i| &zone.records[i as usize])
            .filter(|r| r.rtype == rtype)
            .filter_map(|r| {
                let fields = crate::rules::rdata_text::fields(ctx.set, zone, r)?;
                let verdict = if rtype == RType::CDS {
                    cds_matches(&fields, &owner, &keys)
                } else {
                    cdnskey_matches(&fields, &keys)
                }?;
                Some((r, verdict))
            })
            .collect();
        // One match makes the set a multi-signer set; a malformed delete never passes.
        let some_match = verdicts.iter().any(|(_, v)| v.is_ok());
        for (r, verdict) in &verdicts {
            let Err(why) = verdict else { continue };
            if some_match && !why.contains("delete request") {
                continue;
            }
            out.push(
                Diagnostic::new(
                    "ZONE015",
                    zone.location(r),
                    format!("{rtype} record matches no DNSKEY of `{}`: {why}", zone.origin_text()),
                )
                .with_owner(zone.origin_text())
                .with_label("matches no DNSKEY")
                .with_help("publish the CDS/CDNSKEY of a current key (for example with `dnssec-dsfromkey -C`), or remove them; a parent that reads them would install a DS that matches nothing"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_tag_of_a_known_key() {
        // RFC 4034 §5.4: the DS example's DNSKEY has key tag 60485.
        let fields: Vec<Vec<u8>> = ["256", "3", "5"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .chain(std::iter::once(
                b"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==".to_vec(),
            ))
            .collect();
        let (rdata, alg) = key_rdata(&fields).unwrap();
        assert_eq!(alg, 5);
        assert_eq!(key_tag(&rdata), 60485);
        // And its SHA-1 DS digest for `dskey.example.com.`.
        let mut t = NameTable::new();
        let owner = t.intern_text("dskey.example.com.", NameId::ROOT).unwrap();
        let d = digest(1, &wire_name(&t, owner), &rdata).unwrap();
        assert_eq!(
            d,
            decode_hex(b"2BB183AF5F22588179A53B0A98631FAD1A292118").unwrap()
        );
    }

    #[test]
    fn delete_forms() {
        let f = |s: &str| {
            s.split_whitespace()
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(cds_matches(&f("0 0 0 00"), &[0], &[]), Some(Ok(())));
        assert!(matches!(
            cds_matches(&f("0 0 0 01"), &[0], &[]),
            Some(Err(_))
        ));
        assert_eq!(cdnskey_matches(&f("0 3 0 AA=="), &[]), Some(Ok(())));
        assert!(matches!(
            cdnskey_matches(&f("0 3 0 AQ=="), &[]),
            Some(Err(_))
        ));
        assert!(
            matches!(cds_matches(&f("1 8 2 00"), &[0], &[]), Some(Err(w)) if w.contains("key tag 1"))
        );
    }
}
