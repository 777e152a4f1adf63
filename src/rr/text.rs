//! Small scanners shared by the RDATA parsers: TTLs, character strings, encodings.

/// Parses a TTL: plain seconds or BIND units (`1h30m`, `2W`), at most 2^32-1.
pub fn parse_ttl(word: &[u8]) -> Option<u32> {
    if word.is_empty() || !word[0].is_ascii_digit() {
        return None;
    }
    if word.iter().all(u8::is_ascii_digit) {
        return crate::rr::types::parse_decimal(word, u32::MAX as u64).map(|n| n as u32);
    }
    let mut total: u64 = 0;
    let mut current: Option<u64> = None;
    for &b in word {
        if b.is_ascii_digit() {
            let c = current.unwrap_or(0);
            current = Some(c.checked_mul(10)?.checked_add((b - b'0') as u64)?);
            if current? > u32::MAX as u64 {
                return None;
            }
        } else {
            let unit = match b.to_ascii_lowercase() {
                b's' => 1,
                b'm' => 60,
                b'h' => 3600,
                b'd' => 86400,
                b'w' => 604800,
                _ => return None,
            };
            total += current.take()? * unit;
        }
        if total > u32::MAX as u64 {
            return None;
        }
    }
    total += current.unwrap_or(0);
    (total <= u32::MAX as u64).then_some(total as u32)
}

/// Why a character string is malformed.
#[derive(Debug, PartialEq, Eq)]
pub enum StringError {
    BadEscape,
    TooLong(usize),
}

impl std::fmt::Display for StringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StringError::BadEscape => {
                f.write_str("has a bad escape (`\\DDD` needs three digits, at most 255)")
            }
            StringError::TooLong(n) => write!(f, "is {n} octets long; the limit is 255"),
        }
    }
}

/// Decodes the escape whose backslash is at `text[i]`: the byte it stands for and the
/// index just after it. `None` for a backslash at the end, or `\D`/`\DD`/`\DDD` that is
/// not three digits of at most 255 (RFC 1035 §5.1).
pub fn decode_escape(text: &[u8], i: usize) -> Option<(u8, usize)> {
    let next = *text.get(i + 1)?;
    if !next.is_ascii_digit() {
        return Some((next, i + 2));
    }
    let d = text.get(i + 1..i + 4)?;
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = (d[0] - b'0') as u32 * 100 + (d[1] - b'0') as u32 * 10 + (d[2] - b'0') as u32;
    u8::try_from(v).ok().map(|b| (b, i + 4))
}

/// Unescapes a character string's content (quotes already removed) into `out`.
pub fn unescape(text: &[u8], out: &mut Vec<u8>) -> Result<(), StringError> {
    out.clear();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &text[i..]) {
        out.extend_from_slice(&text[i..i + k]);
        let (byte, next) = decode_escape(text, i + k).ok_or(StringError::BadEscape)?;
        out.push(byte);
        i = next;
    }
    out.extend_from_slice(&text[i..]);
    Ok(())
}

/// Checks the escapes of a character string without copying it; returns its length in
/// octets once unescaped.
pub fn check_escapes(text: &[u8]) -> Result<usize, StringError> {
    let mut len = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &text[i..]) {
        let (_, next) = decode_escape(text, i + k).ok_or(StringError::BadEscape)?;
        len += k + 1;
        i = next;
    }
    Ok(len + text.len() - i)
}

/// Checks one `<character-string>` (RFC 1035 §5.1): escapes and the 255-octet limit.
pub fn check_char_string(text: &[u8], scratch: &mut Vec<u8>) -> Result<(), StringError> {
    unescape(text, scratch)?;
    if scratch.len() > 255 {
        return Err(StringError::TooLong(scratch.len()));
    }
    Ok(())
}

pub fn is_hex(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_hexdigit)
}

/// Base64 (RFC 4648 §4) with padding, as DNSKEY, RRSIG and friends use it.
pub fn is_base64(text: &[u8]) -> bool {
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return false;
    }
    let pad = text.iter().rev().take_while(|&&b| b == b'=').count();
    if pad > 2 {
        return false;
    }
    text[..text.len() - pad]
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Decodes padded base64 (RFC 4648 §4); `None` when it is not valid.
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    if !is_base64(text) {
        return None;
    }
    let value = |b: u8| -> u32 {
        match b {
            b'A'..=b'Z' => (b - b'A') as u32,
            b'a'..=b'z' => (b - b'a' + 26) as u32,
            b'0'..=b'9' => (b - b'0' + 52) as u32,
            b'+' => 62,
            _ => 63,
        }
    };
    let pad = text.iter().rev().take_while(|&&b| b == b'=').count();
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for quad in text.chunks_exact(4) {
        let n = quad.iter().fold(0u32, |acc, &b| {
            (acc << 6) | if b == b'=' { 0 } else { value(b) }
        });
        out.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    out.truncate(out.len() - pad);
    Some(out)
}

/// Decodes hex digits (an even number of them); `None` otherwise.
pub fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks_exact(2)
        .map(|p| {
            let hi = (p[0] as char).to_digit(16)?;
            let lo = (p[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

/// The value of a base32hex digit (RFC 4648 §7), case-insensitively.
fn base32hex_digit(b: u8) -> Option<u8> {
    match b.to_ascii_lowercase() {
        d @ b'0'..=b'9' => Some(d - b'0'),
        l @ b'a'..=b'v' => Some(l - b'a' + 10),
        _ => None,
    }
}

/// Base32hex without padding (RFC 4648 §7, RFC 5155 §3.3): a length that encodes whole
/// octets, and no stray bits set in the last digit.
pub fn is_base32hex_unpadded(text: &[u8]) -> bool {
    let spare_bits = match text.len() % 8 {
        0 => 0,
        2 => 2,
        4 => 4,
        5 => 1,
        7 => 3,
        _ => return false,
    };
    let Some(digits) = text
        .iter()
        .map(|&b| base32hex_digit(b))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    digits
        .last()
        .is_some_and(|&last| last & ((1 << spare_bits) - 1) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_hex() {
        assert_eq!(decode_base64(b"AwEAAQ==").unwrap(), vec![3, 1, 0, 1]);
        assert_eq!(decode_base64(b"YWJj").unwrap(), b"abc");
        assert_eq!(decode_base64(b"YWI="), Some(b"ab".to_vec()));
        assert_eq!(decode_base64(b"YW"), None);
        assert_eq!(decode_hex(b"0aFF"), Some(vec![10, 255]));
        assert_eq!(decode_hex(b"0"), None);
        assert_eq!(decode_hex(b"zz"), None);
    }

    #[test]
    fn base32hex() {
        assert!(is_base32hex_unpadded(b"CPNMU"));
        assert!(is_base32hex_unpadded(b"2t7b4g4vsa5smi47k61mv5bv1a22bojr"));
        assert!(!is_base32hex_unpadded(b"CPNMU==="), "padding");
        assert!(!is_base32hex_unpadded(b"ABC"), "length");
        assert!(
            !is_base32hex_unpadded(b"nsec301"),
            "stray bits in the last digit"
        );
        assert!(
            !is_base32hex_unpadded(b"wxyz"),
            "not the base32hex alphabet"
        );
        assert!(!is_base32hex_unpadded(b""));
    }

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl(b"3600"), Some(3600));
        assert_eq!(parse_ttl(b"1h30m"), Some(5400));
        assert_eq!(parse_ttl(b"2W"), Some(1_209_600));
        assert_eq!(parse_ttl(b"1d2"), Some(86402));
        assert_eq!(parse_ttl(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_ttl(b"4294967296"), None);
        assert_eq!(parse_ttl(b"1x"), None);
        assert_eq!(parse_ttl(b"h"), None);
    }

    #[test]
    fn strings_and_encodings() {
        let mut s = Vec::new();
        assert!(check_char_string(b"a\\\"b\\065", &mut s).is_ok());
        assert_eq!(s, b"a\"bA");
        assert_eq!(
            check_char_string(b"\\01", &mut s),
            Err(StringError::BadEscape)
        );
        assert_eq!(
            check_char_string(b"\\256", &mut s),
            Err(StringError::BadEscape)
        );
        assert_eq!(check_escapes(b"a\\\"b\\065"), Ok(4));
        assert_eq!(check_escapes(b"\\01"), Err(StringError::BadEscape));
        assert_eq!(check_escapes(b"x\\"), Err(StringError::BadEscape));
        assert!(is_base64(b"AA=="));
        assert!(!is_base64(b"AA="));
        assert!(is_base32hex_unpadded(b"CPNMU"));
        assert!(!is_base32hex_unpadded(b"CPNMU==="));
        assert!(!is_base32hex_unpadded(b"wxyz"));
    }
}
