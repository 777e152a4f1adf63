//! The mail policy records receivers and senders read besides SPF, checked offline:
//! DMARC (RFC 7489), DKIM keys (RFC 6376 §3.6.1), MTA-STS (RFC 8461 §3.1) and TLSRPT
//! (RFC 8460 §3). All four are tag lists, `tag=value; tag=value`, in one TXT record
//! whose strings are joined first. Each check returns problems with the byte range of
//! the offending tag in the joined text.

use std::ops::Range;

/// One `name=value` of a tag list, with where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub value: String,
    /// The whole tag-spec, whitespace trimmed.
    pub at: Range<usize>,
    /// The value, whitespace trimmed.
    pub value_at: Range<usize>,
}

/// How bad a problem is: an error makes the record unusable (or wrong); a warning is a
/// record that works but not as meant; a note is for information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    pub at: Range<usize>,
    pub message: String,
}

fn error(at: Range<usize>, message: impl Into<String>) -> Problem {
    Problem {
        level: Level::Error,
        at,
        message: message.into(),
    }
}

/// At most 40 characters of `s`, for a message: keys and reports are long.
fn excerpt(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// Splits a tag list (RFC 6376 §3.2; DMARC, MTA-STS and TLSRPT use the same form).
/// An empty tag-spec is allowed only at the end (a trailing `;`). A tag named twice is
/// an error.
pub fn tags(text: &str) -> Result<Vec<Tag>, Problem> {
    let mut out: Vec<Tag> = Vec::new();
    let mut start = 0;
    let mut parts = text.split(';').peekable();
    while let Some(part) = parts.next() {
        let range = start..start + part.len();
        start = range.end + 1;
        let at = trimmed(text, range.clone());
        if at.is_empty() {
            if parts.peek().is_none() {
                continue;
            }
            return Err(error(
                at.start..at.start.max(range.end.min(text.len())),
                "empty tag between two `;`",
            ));
        }
        let Some(eq) = part.find('=') else {
            return Err(error(
                at,
                format!(
                    "`{}` is not `tag=value`",
                    excerpt(&text[trimmed(text, range)])
                ),
            ));
        };
        let name = part[..eq].trim();
        if name.is_empty()
            || !name.as_bytes()[0].is_ascii_alphabetic()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(error(at, format!("`{name}` is not a tag name")));
        }
        let value_at = trimmed(text, range.start + eq + 1..range.end);
        if out.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            return Err(error(at, format!("tag `{name}` appears twice")));
        }
        out.push(Tag {
            name: name.to_string(),
            value: text[value_at.clone()].to_string(),
            at,
            value_at,
        });
    }
    Ok(out)
}

fn find<'a>(tags: &'a [Tag], name: &str) -> Option<&'a Tag> {
    tags.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Checks that the first tag is `v=` with exactly `version`; `None` when it is.
fn version_first(tags: &[Tag], text: &str, version: &str) -> Option<Problem> {
    match tags.first() {
        Some(t) if t.name == "v" && t.value == version => None,
        Some(t) if t.name.eq_ignore_ascii_case("v") => Some(error(
            t.value_at.clone(),
            format!(
                "the version must be exactly `{version}` (case matters), not `{}`",
                t.value
            ),
        )),
        _ => Some(error(
            0..text.len().min(8),
            format!("the record must start with `v={version}`"),
        )),
    }
}

/// Whether a TXT text is meant as a record of the kind `v=<version>` names: it starts
/// with `v=` and the version, in any case (so that a miscased one is reported, not
/// ignored).
pub fn looks_like(text: &str, version: &str) -> bool {
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix('=') else {
        return false;
    };
    let rest = rest.trim_start().as_bytes();
    rest.len() >= version.len() && rest[..version.len()].eq_ignore_ascii_case(version.as_bytes())
}

fn parse_all(text: &str) -> Result<Vec<Tag>, Vec<Problem>> {
    tags(text).map_err(|p| vec![p])
}

/// A mailbox a DMARC report URI sends to: its domain (lowercase, absolute) and where
/// the URI stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTarget {
    pub domain: String,
    pub at: Range<usize>,
}

/// Checks a DMARC record (RFC 7489 §6.3, §6.4). `authorization` is true for a
/// `<domain>._report._dmarc.<other>` record, which needs only `v=DMARC1`. Returns the
/// problems and the `mailto:` domains of `rua`/`ruf`.
pub fn dmarc(text: &str, authorization: bool) -> (Vec<Problem>, Vec<ReportTarget>) {
    let tags = match parse_all(text) {
        Ok(t) => t,
        Err(p) => return (p, Vec::new()),
    };
    let mut problems: Vec<Problem> = version_first(&tags, text, "DMARC1").into_iter().collect();
    let mut targets = Vec::new();
    if authorization {
        return (problems, targets);
    }
    if find(&tags, "p").is_none() {
        problems.push(error(
            0..text.len(),
            "the policy tag `p=` is required (none, quarantine or reject)",
        ));
    }
    for t in &tags {
        let v = t.value.as_str();
        let bad = |what: &str| error(t.value_at.clone(), format!("`{}={v}`: {what}", t.name));
        let number = |max: u32| {
            !v.is_empty()
                && v.bytes().all(|b| b.is_ascii_digit())
                && v.parse::<u32>().is_ok_and(|n| n <= max)
        };
        let one_of = |list: &[&str], x: &str| list.iter().any(|k| x.trim().eq_ignore_ascii_case(k));
        let complaint = match t.name.to_ascii_lowercase().as_str() {
            "p" | "sp" if !one_of(&["none", "quarantine", "reject"], v) => {
                Some("the policy is none, quarantine or reject")
            }
            "adkim" | "aspf" if !one_of(&["r", "s"], v) => {
                Some("alignment is `r` (relaxed) or `s` (strict)")
            }
            "pct" if !number(100) => Some("a percentage is a whole number from 0 to 100"),
            "ri" if !number(u32::MAX) => Some("the report interval is a number of seconds"),
            "fo" if v.split(':').any(|o| !one_of(&["0", "1", "d", "s"], o)) => {
                Some("failure options are `0`, `1`, `d` or `s`, separated by `:`")
            }
            "rf" if v.split(':').any(|f| {
                f.trim().is_empty() || !f.trim().bytes().all(|b| b.is_ascii_alphanumeric())
            }) =>
            {
                Some("report formats are keywords such as `afrf`, separated by `:`")
            }
            _ => None,
        };
        if let Some(what) = complaint {
            problems.push(bad(what));
        }
        match t.name.to_ascii_lowercase().as_str() {
            "rua" | "ruf" => {
                let mut offset = t.value_at.start;
                for uri in v.split(',') {
                    let at = trimmed(text, offset..offset + uri.len());
                    offset += uri.len() + 1;
                    let u = uri.trim();
                    // A size limit may follow: `!10m` (digits, then at most one unit).
                    let u = match u.rsplit_once('!') {
                        Some((uri, size)) => {
                            let digits =
                                size.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
                            if digits.is_empty()
                                || size.len() - digits.len() > 1
                                || !digits.bytes().all(|b| b.is_ascii_digit())
                            {
                                let message = format!(
                                    "`!{size}` is not a size limit (`!10m`: a number and k, m, g or t)"
                                );
                                problems.push(error(at, message));
                                continue;
                            }
                            uri
                        }
                        None => u,
                    };
                    let scheme_ok = u.find(':').is_some_and(|c| {
                        c > 0
                            && u.as_bytes()[0].is_ascii_alphabetic()
                            && u[..c]
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                    });
                    if !scheme_ok {
                        problems.push(error(at, format!("`{u}` is not a URI: report addresses are written `mailto:reports@example.com`")));
                        continue;
                    }
                    if let Some(mailbox) = u
                        .strip_prefix("mailto:")
                        .or_else(|| u.strip_prefix("MAILTO:"))
                    {
                        match mailbox.rsplit_once('@') {
                            Some((local, domain)) if !local.is_empty() && domain.contains('.') => {
                                targets.push(ReportTarget {
                                    domain: format!(
                                        "{}.",
                                        domain.trim_end_matches('.').to_ascii_lowercase()
                                    ),
                                    at,
                                })
                            }
                            _ => problems.push(error(
                                at,
                                format!("`{u}` does not name a mailbox (`mailto:name@domain`)"),
                            )),
                        }
                    }
                }
            }
            _ => {} // Unknown tags are ignored (§6.3).
        }
    }
    (problems, targets)
}

/// What a DKIM key record says about its key, for the checks that need the key itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkimKey {
    /// `rsa` (the default) or `ed25519`, lowercase.
    pub kind: String,
    /// The decoded key; empty for a revoked key (`p=`).
    pub key: Vec<u8>,
    pub key_at: Range<usize>,
}

/// Checks a DKIM key record (RFC 6376 §3.6.1; `k=ed25519` from RFC 8463). Returns the
/// syntax problems, and the key when the syntax allows reading it.
pub fn dkim(text: &str) -> (Vec<Problem>, Option<DkimKey>) {
    let tags = match parse_all(text) {
        Ok(t) => t,
        Err(p) => return (p, None),
    };
    let mut problems = Vec::new();
    if let Some(v) = find(&tags, "v")
        && (tags[0].name != "v" || v.value != "DKIM1")
    {
        problems.push(error(
            v.at.clone(),
            "`v=` must come first and be exactly `DKIM1`",
        ));
    }
    let kind = match find(&tags, "k") {
        Some(k)
            if k.value.eq_ignore_ascii_case("rsa") || k.value.eq_ignore_ascii_case("ed25519") =>
        {
            k.value.to_ascii_lowercase()
        }
        Some(k) => {
            problems.push(error(
                k.value_at.clone(),
                format!(
                    "`k={}` is not a key type verifiers know (rsa, ed25519)",
                    k.value
                ),
            ));
            String::new()
        }
        None => "rsa".into(),
    };
    if let Some(t) = find(&tags, "t")
        && t.value.split(':').any(|f| f.trim().is_empty())
    {
        problems.push(error(
            t.value_at.clone(),
            "flags are separated by `:` (`t=y:s`)",
        ));
    }
    let Some(p) = find(&tags, "p") else {
        problems.push(error(0..text.len(), "the public key tag `p=` is required"));
        return (problems, None);
    };
    let compact: Vec<u8> = p
        .value
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if compact.is_empty() {
        return (
            problems,
            Some(DkimKey {
                kind,
                key: Vec::new(),
                key_at: p.at.clone(),
            }),
        );
    }
    match crate::rr::text::decode_base64(&compact) {
        Some(key) => (
            problems,
            (!kind.is_empty()).then(|| DkimKey {
                kind,
                key,
                key_at: p.value_at.clone(),
            }),
        ),
        None => {
            problems.push(error(
                p.value_at.clone(),
                "the public key is not valid base64",
            ));
            (problems, None)
        }
    }
}

/// One DER element: its tag and contents.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The modulus size in bits of an RSA public key, given as SubjectPublicKeyInfo (what
/// RFC 6376 asks for) or as a bare RSAPublicKey (which some tools publish).
pub fn rsa_modulus_bits(key: &[u8]) -> Option<usize> {
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (0x30, outer, _) = der(key)? else {
        return None;
    };
    let (tag, first, rest) = der(outer)?;
    let rsa_key = match tag {
        // SubjectPublicKeyInfo: AlgorithmIdentifier, then the key in a BIT STRING.
        0x30 => {
            let (0x06, oid, _) = der(first)? else {
                return None;
            };
            if oid != RSA_ENCRYPTION {
                return None;
            }
            let (0x03, bits, _) = der(rest)? else {
                return None;
            };
            let (&unused, inner) = bits.split_first()?;
            if unused != 0 {
                return None;
            }
            let (0x30, inner, _) = der(inner)? else {
                return None;
            };
            inner
        }
        0x02 => outer,
        _ => return None,
    };
    let (0x02, modulus, rest) = der(rsa_key)? else {
        return None;
    };
    let (0x02, _exponent, _) = der(rest)? else {
        return None;
    };
    let significant: &[u8] = {
        let skip = modulus.iter().take_while(|&&b| b == 0).count();
        &modulus[skip..]
    };
    let (&top, _) = significant.split_first()?;
    Some(significant.len() * 8 - top.leading_zeros() as usize)
}

/// Problems with the key itself: not the stated type, or too short to be trusted.
pub fn dkim_key(key: &DkimKey) -> Option<Problem> {
    let at = key.key_at.clone();
    let warn = |message: String| Problem {
        level: Level::Warning,
        at: at.clone(),
        message,
    };
    if key.key.is_empty() {
        return Some(Problem {
            level: Level::Note,
            at: at.clone(),
            message: "the key is revoked (empty `p=`): signatures with this selector fail".into(),
        });
    }
    match key.kind.as_str() {
        "ed25519" if key.key.len() != 32 => Some(warn(format!(
            "an Ed25519 key is 32 bytes; this one is {} (RFC 8463 §4)",
            key.key.len()
        ))),
        "rsa" => match rsa_modulus_bits(&key.key) {
            None => Some(warn(
                "the key does not read as an RSA public key (DER SubjectPublicKeyInfo)".into(),
            )),
            Some(bits) if bits < 1024 => Some(warn(format!(
                "the RSA key has {bits} bits; verifiers must not accept keys under 1024 bits (RFC 8301 §3.2)"
            ))),
            Some(_) => None,
        },
        _ => None,
    }
}

/// Checks an MTA-STS policy indicator at `_mta-sts.<domain>` (RFC 8461 §3.1).
pub fn mta_sts(text: &str) -> Vec<Problem> {
    let tags = match parse_all(text) {
        Ok(t) => t,
        Err(p) => return p,
    };
    let mut problems: Vec<Problem> = version_first(&tags, text, "STSv1").into_iter().collect();
    match find(&tags, "id") {
        None => problems.push(error(0..text.len(), "the policy id `id=` is required")),
        Some(id)
            if id.value.is_empty()
                || id.value.len() > 32
                || !id.value.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            problems.push(error(
                id.value_at.clone(),
                format!("`id={}`: the id is 1 to 32 letters and digits", id.value),
            ));
        }
        Some(_) => {}
    }
    problems
}

/// Checks a TLS reporting record at `_smtp._tls.<domain>` (RFC 8460 §3).
pub fn tlsrpt(text: &str) -> Vec<Problem> {
    let tags = match parse_all(text) {
        Ok(t) => t,
        Err(p) => return p,
    };
    let mut problems: Vec<Problem> = version_first(&tags, text, "TLSRPTv1").into_iter().collect();
    let Some(rua) = find(&tags, "rua") else {
        problems.push(error(
            0..text.len(),
            "the report destination `rua=` is required",
        ));
        return problems;
    };
    let mut offset = rua.value_at.start;
    for uri in rua.value.split(',') {
        let at = trimmed(text, offset..offset + uri.len());
        offset += uri.len() + 1;
        let u = uri.trim();
        let ok = match u.split_once(':') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mailto") => rest.contains('@'),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => {
                rest.starts_with("//") && rest.len() > 2
            }
            _ => false,
        };
        if !ok {
            problems.push(error(
                at,
                format!("`{u}` is not a `mailto:` or `https:` report destination"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(p: &[Problem]) -> Vec<&str> {
        p.iter().map(|p| p.message.as_str()).collect()
    }

    #[test]
    fn tag_lists() {
        let t = tags(" v=DMARC1 ; p = reject ;").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[1].name.as_str(), t[1].value.as_str()), ("p", "reject"));
        assert_eq!(&" v=DMARC1 ; p = reject ;"[t[1].at.clone()], "p = reject");
        assert!(tags("v=DKIM1;;p=x").is_err());
        assert!(tags("v=DKIM1; p").is_err());
        assert!(tags("a=1; a=2").is_err());
        assert!(tags("1a=1").is_err());
    }

    #[test]
    fn tag_list_edges() {
        assert!(tags("a=1;").is_ok(), "a trailing `;` is allowed");
        assert_eq!(
            tags("a=1;;").unwrap_err().message,
            "empty tag between two `;`"
        );
        assert!(tags("a=1; A=2").unwrap_err().message.contains("twice"));
        let e = tags(&format!("a=1; {}", "k".repeat(61))).unwrap_err();
        assert!(
            e.message.contains('…') && !e.message.contains(&"k".repeat(41)),
            "{}",
            e.message
        );
        assert_eq!(e.at, 5..66);
        let t = tags("v = DKIM1 ;p= AB CD").unwrap();
        assert_eq!(
            (t[0].value.as_str(), t[0].value_at.clone()),
            ("DKIM1", 4..9)
        );
        assert_eq!((t[1].value.as_str(), t[1].at.clone()), ("AB CD", 11..19));
        // A tag name is a letter, then letters, digits and underscores (RFC 6376 §3.2).
        let t = tags("x_y2=1; a=2").unwrap();
        assert_eq!(t[0].name, "x_y2");
        assert!(
            tags("a-b=1")
                .unwrap_err()
                .message
                .contains("not a tag name")
        );
        assert!(looks_like("  v = dmarc1; p=none", "DMARC1"));
        assert!(!looks_like("x=DMARC1", "DMARC1"));
        assert!(!looks_like("v=DMARC", "DMARC1"));
    }

    #[test]
    fn dmarc_values_that_are_right_pass() {
        let good = concat!(
            "v=DMARC1; p=none; sp=REJECT; adkim=s; aspf=r; pct=0; ri=86400; fo=0:1:d:s; ",
            "rf=afrf; ruf=mailto:f@example.com!5k; ",
            "rua=MAILTO:a@example.com, https://r.example.com/x!10",
        );
        let (p, t) = dmarc(good, false);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(&good[t[0].at.clone()], "mailto:f@example.com!5k");
        assert_eq!(&good[t[1].at.clone()], "MAILTO:a@example.com");
        assert!(dmarc("v=DMARC1; p=none; pct=100", false).0.is_empty());
        for (bad, at) in [
            ("v=DMARC1; p=none; pct=1000", "1000"),
            ("v=DMARC1; p=none; pct=", ""),
            ("v=DMARC1; p=none; ri=-5", "-5"),
            ("v=DMARC1; p=none; aspf=relaxed", "relaxed"),
            ("v=DMARC1; p=none; fo=0:x", "0:x"),
            ("v=DMARC1; p=none; rf=af rf", "af rf"),
            ("v=DMARC1; p=none; rf=afrf:", "afrf:"),
            (
                "v=DMARC1; p=none; rua=mailto:@example.com",
                "mailto:@example.com",
            ),
            (
                "v=DMARC1; p=none; rua=mailto:a@localhost",
                "mailto:a@localhost",
            ),
            ("v=DMARC1; p=none; rua=1x:a@b.example", "1x:a@b.example"),
            ("v=DMARC1; p=none; rua=:a@b.example", ":a@b.example"),
            (
                "v=DMARC1; p=none; rua=mailto:a@b.example!",
                "mailto:a@b.example!",
            ),
            (
                "v=DMARC1; p=none; rua=mailto:a@b.example!10mm",
                "mailto:a@b.example!10mm",
            ),
        ] {
            let (p, _) = dmarc(bad, false);
            assert_eq!(p.len(), 1, "{bad}: {p:?}");
            assert_eq!(&bad[p[0].at.clone()], at, "{bad}");
        }
    }

    #[test]
    fn dmarc_records() {
        let (p, t) = dmarc(
            "v=DMARC1; p=reject; rua=mailto:d@reports.example.net!10m, mailto:x@source.example",
            false,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].domain, "reports.example.net.");
        for (bad, what) in [
            ("v=DMARC1; rua=mailto:a@b.example", "`p=` is required"),
            ("v=dmarc1; p=none", "exactly `DMARC1`"),
            ("p=none; v=DMARC1", "must start with"),
            ("v=DMARC1; p=block", "none, quarantine or reject"),
            ("v=DMARC1; p=none; pct=101", "0 to 100"),
            ("v=DMARC1; p=none; adkim=x", "relaxed"),
            ("v=DMARC1; p=none; fo=2", "failure options"),
            ("v=DMARC1; p=none; ri=soon", "seconds"),
            ("v=DMARC1; p=none; rua=reports@example.com", "not a URI"),
            ("v=DMARC1; p=none; rua=mailto:nobody", "mailbox"),
            ("v=DMARC1; p=none; rf=", "keywords"),
        ] {
            let (p, _) = dmarc(bad, false);
            assert!(
                messages(&p).iter().any(|m| m.contains(what)),
                "{bad}: {p:?}"
            );
        }
        assert!(dmarc("v=DMARC1", true).0.is_empty());
    }

    /// A 1024-bit RSA SubjectPublicKeyInfo (a throwaway key made with `openssl genrsa 1024`).
    const RSA1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCZ5BO9p8VlD8XdBFxU+00tQzZP2bZ6nC/iNvN7zZ/klQQepJ5OM4lGcLpheNP78092p/5e3/Lx6APOBuLrsuWt42M1mDQ1ulcKuKqHzcZm5enNPa0gw2yBKm/R6r4MY792wk+iUJvYxO0Jj/DysNMzFLFTBkJU/kC+UO6IgqHc2wIDAQAB";

    #[test]
    fn dkim_records() {
        let (p, key) = dkim(&format!("v=DKIM1; k=rsa; p={RSA1024}"));
        assert!(p.is_empty(), "{p:?}");
        let key = key.unwrap();
        assert_eq!(rsa_modulus_bits(&key.key), Some(1024));
        assert_eq!(dkim_key(&key), None);
        let (_, revoked) = dkim("v=DKIM1; p=");
        assert_eq!(dkim_key(&revoked.unwrap()).unwrap().level, Level::Note);
        let (p, _) = dkim("v=DKIM1; p=not*base64");
        assert!(messages(&p)[0].contains("base64"));
        let (p, _) = dkim("k=rsa; v=DKIM1; p=");
        assert!(messages(&p)[0].contains("first"));
        let (p, _) = dkim("v=DKIM1; k=dsa; p=AAAA");
        assert!(messages(&p)[0].contains("key type"));
        let (p, _) = dkim("v=DKIM1; k=rsa");
        assert!(messages(&p)[0].contains("`p=` is required"));
        let (_, short) = dkim("v=DKIM1; k=ed25519; p=AAAA");
        assert_eq!(dkim_key(&short.unwrap()).unwrap().level, Level::Warning);
        let (_, not_rsa) = dkim("v=DKIM1; p=AAAA");
        assert!(
            dkim_key(&not_rsa.unwrap())
                .unwrap()
                .message
                .contains("does not read")
        );
    }

    #[test]
    fn small_rsa_keys_are_weak() {
        // SEQUENCE { INTEGER (512-bit modulus), INTEGER 65537 }, a bare RSAPublicKey.
        let mut modulus = vec![0x00, 0xc1];
        modulus.extend([0x5a; 63]);
        let mut key = vec![0x30, 0x48, 0x02, 0x41];
        key.extend(&modulus);
        key.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
        assert_eq!(rsa_modulus_bits(&key), Some(512));
        let k = DkimKey {
            kind: "rsa".into(),
            key,
            key_at: 0..1,
        };
        assert!(dkim_key(&k).unwrap().message.contains("512 bits"));
        assert_eq!(rsa_modulus_bits(&[0x30, 0x05, 0x02]), None);
    }

    #[test]
    fn der_lengths_and_rsa_shapes() {
        assert_eq!(
            der(&[0x30, 0x02, 1, 2, 9]),
            Some((0x30, &[1u8, 2][..], &[9u8][..]))
        );
        assert_eq!(
            der(&[0x30, 0x81, 0x01, 7]),
            Some((0x30, &[7u8][..], &[][..]))
        );
        assert_eq!(
            der(&[0x30, 0x82, 0x00, 0x01, 7]),
            Some((0x30, &[7u8][..], &[][..]))
        );
        assert_eq!(der(&[0x30, 0x80]), None, "indefinite length");
        assert_eq!(
            der(&[0x30, 0x85, 0, 0, 0, 0, 1]),
            None,
            "more than 4 length bytes"
        );
        assert_eq!(der(&[0x30, 0x82, 0x01]), None, "length bytes cut");
        assert_eq!(der(&[0x30, 0x03, 1]), None, "contents cut");
        // A modulus whose top byte is 0x41 has 7 significant bits in it.
        let mut key = vec![
            0x30, 0x0a, 0x02, 0x03, 0x00, 0x41, 0x00, 0x02, 0x03, 0x01, 0x00, 0x01,
        ];
        assert_eq!(rsa_modulus_bits(&key), Some(15));
        key[2] = 0x04;
        assert_eq!(
            rsa_modulus_bits(&key),
            None,
            "the exponent must be an INTEGER"
        );
        let spki = crate::rr::text::decode_base64(RSA1024.as_bytes()).unwrap();
        let mut other_oid = spki.clone();
        other_oid[13] ^= 1;
        assert_eq!(rsa_modulus_bits(&other_oid), None, "not rsaEncryption");
        let mut unused_bits = spki.clone();
        let bit_string = unused_bits.iter().position(|&b| b == 0x03).unwrap();
        unused_bits[bit_string + 3] = 1;
        assert_eq!(rsa_modulus_bits(&unused_bits), None);
        let ed = DkimKey {
            kind: "ed25519".into(),
            key: vec![7; 32],
            key_at: 0..1,
        };
        assert_eq!(dkim_key(&ed), None);
    }

    #[test]
    fn mta_sts_and_tlsrpt() {
        assert!(mta_sts("v=STSv1; id=20261202T1200;").is_empty());
        assert!(mta_sts(&format!("v=STSv1; id={}", "a".repeat(32))).is_empty());
        assert_eq!(mta_sts(&format!("v=STSv1; id={}", "a".repeat(33))).len(), 1);
        assert_eq!(mta_sts("v=STSv1; id=").len(), 1);
        assert!(tlsrpt("v=TLSRPTv1; rua=https://r.example").is_empty());
        for bad in ["https://", "https:/x", "http://r.example", "mailto:nobody"] {
            let text = format!("v=TLSRPTv1; rua=mailto:a@b.example,{bad}");
            let p = tlsrpt(&text);
            assert_eq!(p.len(), 1, "{bad}");
            assert_eq!(&text[p[0].at.clone()], bad);
        }
        assert!(
            mta_sts("v=STSv1; id=2026-12-02")[0]
                .message
                .contains("1 to 32")
        );
        assert!(mta_sts("v=STSv1;")[0].message.contains("required"));
        assert!(mta_sts("id=1; v=STSv1")[0].message.contains("start with"));
        assert!(
            tlsrpt("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/v1").is_empty()
        );
        assert!(
            tlsrpt("v=TLSRPTv1; rua=tls@example.com")[0]
                .message
                .contains("not a `mailto:`")
        );
        assert!(tlsrpt("v=TLSRPTv1")[0].message.contains("required"));
        assert!(looks_like("v=tlsrptv1; rua=x", "TLSRPTv1"));
        assert!(!looks_like("google-site-verification=x", "STSv1"));
    }
}
