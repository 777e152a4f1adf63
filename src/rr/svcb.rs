//! SvcParams of SVCB and HTTPS records (RFC 9460 §2.1, §7 and Appendix A).

use super::rdata::{Field, RdataError, err, missing, show};
use super::text::{is_base64, unescape};
use super::types::parse_decimal;

const KEYS: &[(&str, u16)] = &[
    ("mandatory", 0),
    ("alpn", 1),
    ("no-default-alpn", 2),
    ("port", 3),
    ("ipv4hint", 4),
    ("ech", 5),
    ("ipv6hint", 6),
    ("dohpath", 7),
    ("ohttp", 8),
    ("tls-supported-groups", 9),
];

fn key_number(name: &[u8]) -> Option<u16> {
    if let Some(&(_, n)) = KEYS.iter().find(|(k, _)| k.as_bytes() == name) {
        return Some(n);
    }
    let digits = name.strip_prefix(b"key")?;
    if digits.len() > 1 && digits[0] == b'0' {
        return None;
    }
    parse_decimal(digits, 65535).map(|n| n as u16)
}

/// Splits a value-list (Appendix A.1): items separated by `,`, where `\,` and `\\` are the
/// only escapes left after the zone-file level has been unescaped.
fn value_list(value: &[u8]) -> Result<Vec<Vec<u8>>, &'static str> {
    let mut items = vec![Vec::new()];
    let mut i = 0;
    while i < value.len() {
        match value[i] {
            b'\\' => match value.get(i + 1) {
                Some(&c @ (b',' | b'\\')) => {
                    items.last_mut().unwrap().push(c);
                    i += 2;
                }
                _ => return Err("has an escape other than `\\,` or `\\\\`"),
            },
            b',' => {
                items.push(Vec::new());
                i += 1;
            }
            c => {
                items.last_mut().unwrap().push(c);
                i += 1;
            }
        }
    }
    if items.iter().any(Vec::is_empty) {
        return Err("has an empty item");
    }
    Ok(items)
}

/// Validates the SvcParams starting at field `from`.
pub fn check_params(
    fields: &[Field],
    from: usize,
    scratch: &mut Vec<u8>,
) -> Result<(), RdataError> {
    let mut seen: Vec<u16> = Vec::new();
    let mut mandatory: Vec<(u16, usize)> = Vec::new();
    let mut i = from;
    while i < fields.len() {
        let f = fields[i];
        let at = i;
        i += 1;
        if f.quoted {
            return Err(err(at, format!("`{}` is not a SvcParam key", show(f.text))));
        }
        let (key, mut value): (&[u8], Option<Vec<u8>>) =
            match f.text.iter().position(|&b| b == b'=') {
                None => (f.text, None),
                Some(eq) => {
                    let raw = &f.text[eq + 1..];
                    if raw.is_empty() && fields.get(i).is_some_and(|n| n.glued && n.quoted) {
                        // key="quoted value"
                        let q = fields[i];
                        i += 1;
                        (&f.text[..eq], Some(q.text.to_vec()))
                    } else {
                        (&f.text[..eq], Some(raw.to_vec()))
                    }
                }
            };
        let Some(number) = key_number(key) else {
            return Err(err(
                at,
                format!("`{}` is not a SvcParam key (keys are lowercase)", show(key)),
            ));
        };
        if seen.contains(&number) {
            return Err(err(at, format!("SvcParam `{}` appears twice", show(key))));
        }
        seen.push(number);
        // `keyNNNNN` is the generic presentation form (RFC 9460 §2.1): its value is opaque.
        if key.starts_with(b"key") {
            continue;
        }
        if let Some(v) = value.as_mut() {
            unescape(&v.clone(), scratch)
                .map_err(|e| err(at, format!("SvcParam `{}` value {e}", show(key))))?;
            *v = scratch.clone();
        }
        let need_value = |v: &Option<Vec<u8>>| -> Result<Vec<u8>, RdataError> {
            match v {
                Some(v) if !v.is_empty() => Ok(v.clone()),
                _ => Err(err(at, format!("SvcParam `{}` needs a value", show(key)))),
            }
        };
        match number {
            0 => {
                let v = need_value(&value)?;
                let items = value_list(&v).map_err(|m| err(at, format!("`mandatory` {m}")))?;
                for item in items {
                    let n = key_number(&item).ok_or_else(|| {
                        err(
                            at,
                            format!("`mandatory` lists `{}`, which is not a key", show(&item)),
                        )
                    })?;
                    if n == 0 {
                        return Err(err(at, "`mandatory` must not list itself"));
                    }
                    if mandatory.iter().any(|&(m, _)| m == n) {
                        return Err(err(
                            at,
                            format!("`mandatory` lists `{}` twice", show(&item)),
                        ));
                    }
                    mandatory.push((n, at));
                }
            }
            1 => {
                let v = need_value(&value)?;
                let items = value_list(&v).map_err(|m| err(at, format!("`alpn` {m}")))?;
                if let Some(long) = items.iter().find(|x| x.len() > 255) {
                    return Err(err(
                        at,
                        format!("`alpn` protocol of {} octets exceeds 255", long.len()),
                    ));
                }
            }
            2 | 8 if value.is_some() => {
                return Err(err(at, format!("SvcParam `{}` takes no value", show(key))));
            }
            3 => {
                let v = need_value(&value)?;
                if parse_decimal(&v, 65535).is_none() {
                    return Err(err(
                        at,
                        format!("`port` `{}` is not a number up to 65535", show(&v)),
                    ));
                }
            }
            4 | 6 => {
                let v = need_value(&value)?;
                let items = value_list(&v).map_err(|m| err(at, format!("`{}` {m}", show(key))))?;
                for item in items {
                    let ok = if number == 4 {
                        super::address::parse_ipv4(&item).is_some()
                    } else {
                        super::address::parse_ipv6(&item).is_some()
                    };
                    if !ok {
                        let text = String::from_utf8_lossy(&item);
                        return Err(err(
                            at,
                            format!("`{}` has a bad address `{text}`", show(key)),
                        ));
                    }
                }
            }
            5 => {
                let v = need_value(&value)?;
                if !is_base64(&v) {
                    return Err(err(at, "`ech` is not a single base64 value"));
                }
            }
            7 => {
                need_value(&value)?;
            }
            _ => {}
        }
    }
    for (m, at) in mandatory {
        if !seen.contains(&m) {
            return Err(err(at, "`mandatory` lists a key the record does not carry"));
        }
    }
    if fields.len() < from {
        return Err(missing("TargetName is missing"));
    }
    Ok(())
}
