//! A and AAAA addresses read straight from the bytes of a field.
//!
//! They accept exactly what the standard library's `FromStr` accepts (a test holds them
//! to it), in one pass and without going through `str`: the standard parser backtracks
//! through an embedded-IPv4 attempt at every group, and a zone of many AAAA records
//! spent a few percent of its whole run there.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Dotted-quad IPv4: four decimal octets (see [`parse_octet`]).
pub fn parse_ipv4(text: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split(|&b| b == b'.');
    for octet in &mut octets {
        *octet = parse_octet(parts.next()?)?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// One decimal octet as dotted quads and in-addr.arpa labels write it: one to three
/// digits, no leading zero, no sign, at most 255.
pub fn parse_octet(text: &[u8]) -> Option<u8> {
    if text.is_empty() || text.len() > 3 || (text.len() > 1 && text[0] == b'0') {
        return None;
    }
    let mut value = 0u16;
    for &b in text {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u16::from(b - b'0');
    }
    u8::try_from(value).ok()
}

/// IPv6 in the text forms of RFC 4291 §2.2: eight groups of one to four hex digits,
/// one `::` standing for one or more zero groups, and a dotted quad for the last two
/// groups. No zone index (`%eth0`): an AAAA record has none.
pub fn parse_ipv6(text: &[u8]) -> Option<Ipv6Addr> {
    let mut groups = [0u16; 8];
    // Short text: a plain scan beats setting up a substring searcher.
    let Some(gap) = text.windows(2).position(|pair| pair == b"::") else {
        return (read_groups(text, &mut groups, true)? == 8).then(|| Ipv6Addr::from(groups));
    };
    // A dotted quad is only allowed at the very end, so never before the `::`.
    let head = read_groups(&text[..gap], &mut groups, false)?;
    // The `::` stands for at least one group.
    let room = 7usize.checked_sub(head)?;
    let mut tail = [0u16; 7];
    let tail_len = read_groups(&text[gap + 2..], &mut tail[..room], true)?;
    groups[8 - tail_len..].copy_from_slice(&tail[..tail_len]);
    Some(Ipv6Addr::from(groups))
}

/// Reads `:`-separated groups into `out` and gives how many it read (none from empty
/// text). With `quad_last`, the last may be a dotted quad filling two groups. `None`
/// when a group is malformed or they do not fit.
fn read_groups(text: &[u8], out: &mut [u16], quad_last: bool) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut read = 0;
    let mut parts = text.split(|&b| b == b':').peekable();
    while let Some(part) = parts.next() {
        if quad_last && parts.peek().is_none() && part.contains(&b'.') {
            let [a, b, c, d] = parse_ipv4(part)?.octets();
            let pair = out.get_mut(read..read + 2)?;
            pair.copy_from_slice(&[u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])]);
            return Some(read + 2);
        }
        if part.is_empty() || part.len() > 4 {
            return None;
        }
        let mut group = 0u16;
        for &b in part {
            group = group << 4 | char::from(b).to_digit(16)? as u16;
        }
        *out.get_mut(read)? = group;
        read += 1;
    }
    Some(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    fn agree(text: &str) {
        assert_eq!(
            parse_ipv6(text.as_bytes()),
            text.parse::<Ipv6Addr>().ok(),
            "IPv6 `{text}`"
        );
        assert_eq!(
            parse_ipv4(text.as_bytes()),
            text.parse::<Ipv4Addr>().ok(),
            "IPv4 `{text}`"
        );
    }

    #[test]
    fn octets_are_plain_decimal_up_to_255() {
        let alphabet = b"0125 9+-a";
        let mut texts = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, Vec::len))
                .flat_map(|t| alphabet.iter().map(move |&b| [t.as_slice(), &[b]].concat()))
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), 1 + 9 + 81 + 729 + 6561);
        for text in &texts {
            let digits = !text.is_empty() && text.iter().all(u8::is_ascii_digit);
            let plain = digits && (text.len() == 1 || text[0] != b'0');
            let expected = plain
                .then(|| std::str::from_utf8(text).ok()?.parse::<u8>().ok())
                .flatten();
            assert_eq!(
                parse_octet(text),
                expected,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        assert_eq!(parse_octet(b"255"), Some(255));
        assert_eq!(
            (parse_octet(b"256"), parse_octet(b"+5"), parse_octet(b"05")),
            (None, None, None)
        );
    }

    #[test]
    fn agrees_with_the_standard_parser_on_chosen_forms() {
        for text in [
            "",
            "::",
            ":",
            ":::",
            "::1",
            "1::",
            "1:::2",
            "1::2::3",
            ":1::2",
            "1::2:",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "1:2:3:4::5:6:7:8",
            "1::2:3:4:5:6:7",
            "ffff:FFFF:0:00:000:0000:abcd:EF01",
            "00000::",
            "12345::1",
            "g::1",
            "::1.2.3.4",
            "::ffff:192.0.2.1",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1.2.3.4::",
            "1.2.3.4",
            "::1.2.3.04",
            "::1.2.3.256",
            "::1.2.3",
            "::1.2.3.4.5",
            "::1.2.3.4:5",
            "1:2:3:4:5::1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "::2:3:4:5:6:1.2.3.4",
            "fe80::1%eth0",
            " ::1",
            "0.0.0.0",
            "255.255.255.255",
            "256.0.0.1",
            "01.2.3.4",
            "1..2.3",
            "1.2.3.4.",
            ".1.2.3",
            "1.2.3.4444",
            "000.1.2.3",
            "1.2.3.-4",
            "1.2.3.4 ",
        ] {
            agree(text);
        }
    }

    #[test]
    fn agrees_with_the_standard_parser_on_random_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let pieces = [
            "0", "1", "9", "a", "F", "g", "00", "ff", "abc", "0db8", "12345", ":", "::", ".",
            "1.2.3.4", "255", "256", "01", "%", " ", "é",
        ];
        for _ in 0..200_000 {
            let text: String = (0..rng.below(14)).map(|_| rng.pick(&pieces)).collect();
            agree(&text);
        }
    }

    #[test]
    fn reads_every_valid_form_of_random_addresses() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..50_000 {
            let mut groups = [0u16; 8];
            for g in &mut groups {
                // Many zero groups, so that `::` is often written.
                *g = if rng.below(3) == 0 {
                    0
                } else {
                    rng.below(0x1_0000) as u16
                };
            }
            let address = Ipv6Addr::from(groups);
            let [.., a, b, c, d] = address.octets();
            let long: Vec<String> = groups.iter().map(|g| format!("{g:04X}")).collect();
            let short = address.to_string();
            for text in [
                long.join(":"),
                short.clone(),
                format!("{}:{a}.{b}.{c}.{d}", long[..6].join(":")),
                short.to_uppercase(),
            ] {
                assert_eq!(parse_ipv6(text.as_bytes()), Some(address), "{text}");
            }
            let v4 = Ipv4Addr::new(a, b, c, d);
            assert_eq!(parse_ipv4(v4.to_string().as_bytes()), Some(v4));
            // Cutting a valid text anywhere agrees too (mostly invalid, some valid).
            let cut = rng.below(short.len() + 1);
            agree(&short[..cut]);
            agree(&short[cut..]);
        }
    }
}
