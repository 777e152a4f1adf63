//! Record types and classes: numbers, mnemonics, and which ones may appear in zone data.
//!
//! Naming follows hickory-dns (`RType::AAAA`, `RType::CNAME`); the numbers are IANA's
//! "Resource Record (RR) TYPEs" registry. Any type may also be written `TYPEnnn` (RFC 3597).

use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RType(pub u16);

macro_rules! rtypes {
    ($($name:ident = $num:expr, $text:expr;)*) => {
        #[allow(non_upper_case_globals)]
        impl RType {
            $(pub const $name: RType = RType($num);)*
        }
        static MNEMONICS: &[(&str, u16)] = &[$(($text, $num)),*];
    };
}

rtypes! {
    A = 1, "A"; NS = 2, "NS"; MD = 3, "MD"; MF = 4, "MF"; CNAME = 5, "CNAME"; SOA = 6, "SOA";
    MB = 7, "MB"; MG = 8, "MG"; MR = 9, "MR"; NULL = 10, "NULL"; WKS = 11, "WKS";
    PTR = 12, "PTR"; HINFO = 13, "HINFO"; MINFO = 14, "MINFO"; MX = 15, "MX"; TXT = 16, "TXT";
    RP = 17, "RP"; AFSDB = 18, "AFSDB"; X25 = 19, "X25"; ISDN = 20, "ISDN"; RT = 21, "RT";
    NSAP = 22, "NSAP"; NSAP_PTR = 23, "NSAP-PTR"; SIG = 24, "SIG"; KEY = 25, "KEY";
    PX = 26, "PX"; GPOS = 27, "GPOS"; AAAA = 28, "AAAA"; LOC = 29, "LOC"; NXT = 30, "NXT";
    EID = 31, "EID"; NIMLOC = 32, "NIMLOC"; SRV = 33, "SRV"; ATMA = 34, "ATMA";
    NAPTR = 35, "NAPTR"; KX = 36, "KX"; CERT = 37, "CERT"; A6 = 38, "A6"; DNAME = 39, "DNAME";
    SINK = 40, "SINK"; OPT = 41, "OPT"; APL = 42, "APL"; DS = 43, "DS"; SSHFP = 44, "SSHFP";
    IPSECKEY = 45, "IPSECKEY"; RRSIG = 46, "RRSIG"; NSEC = 47, "NSEC"; DNSKEY = 48, "DNSKEY";
    DHCID = 49, "DHCID"; NSEC3 = 50, "NSEC3"; NSEC3PARAM = 51, "NSEC3PARAM"; TLSA = 52, "TLSA";
    SMIMEA = 53, "SMIMEA"; HIP = 55, "HIP"; NINFO = 56, "NINFO"; RKEY = 57, "RKEY";
    TALINK = 58, "TALINK"; CDS = 59, "CDS"; CDNSKEY = 60, "CDNSKEY";
    OPENPGPKEY = 61, "OPENPGPKEY"; CSYNC = 62, "CSYNC"; ZONEMD = 63, "ZONEMD"; SVCB = 64, "SVCB";
    HTTPS = 65, "HTTPS"; DSYNC = 66, "DSYNC"; HHIT = 67, "HHIT"; BRID = 68, "BRID";
    SPF = 99, "SPF"; UINFO = 100, "UINFO"; UID = 101, "UID"; GID = 102, "GID";
    UNSPEC = 103, "UNSPEC"; NID = 104, "NID"; L32 = 105, "L32"; L64 = 106, "L64"; LP = 107, "LP";
    EUI48 = 108, "EUI48"; EUI64 = 109, "EUI64"; NXNAME = 128, "NXNAME"; TKEY = 249, "TKEY";
    TSIG = 250, "TSIG"; IXFR = 251, "IXFR"; AXFR = 252, "AXFR"; MAILB = 253, "MAILB";
    MAILA = 254, "MAILA"; ANY = 255, "ANY"; URI = 256, "URI"; CAA = 257, "CAA"; AVC = 258, "AVC";
    DOA = 259, "DOA"; AMTRELAY = 260, "AMTRELAY"; RESINFO = 261, "RESINFO"; WALLET = 262, "WALLET";
    CLA = 263, "CLA"; IPN = 264, "IPN"; TA = 32768, "TA"; DLV = 32769, "DLV";
}

impl RType {
    /// Parses a mnemonic or `TYPEnnn`, case-insensitively.
    pub fn from_mnemonic(word: &[u8]) -> Option<RType> {
        if word.len() > 4 && word[..4].eq_ignore_ascii_case(b"TYPE") {
            return parse_u16_strict(&word[4..]).map(RType);
        }
        // The hot types first: most records are one of these.
        let hot = match word.len() {
            1 if word[0].eq_ignore_ascii_case(&b'A') => Some(RType::A),
            2 if word.eq_ignore_ascii_case(b"NS") => Some(RType::NS),
            2 if word.eq_ignore_ascii_case(b"MX") => Some(RType::MX),
            3 if word.eq_ignore_ascii_case(b"TXT") => Some(RType::TXT),
            3 if word.eq_ignore_ascii_case(b"SRV") => Some(RType::SRV),
            3 if word.eq_ignore_ascii_case(b"PTR") => Some(RType::PTR),
            4 if word.eq_ignore_ascii_case(b"AAAA") => Some(RType::AAAA),
            5 if word.eq_ignore_ascii_case(b"CNAME") => Some(RType::CNAME),
            _ => None,
        };
        if hot.is_some() {
            return hot;
        }
        for &(text, num) in MNEMONICS {
            if text.len() == word.len() && text.as_bytes().eq_ignore_ascii_case(word) {
                return Some(RType(num));
            }
        }
        None
    }

    pub fn mnemonic(self) -> Option<&'static str> {
        MNEMONICS
            .iter()
            .find(|(_, n)| *n == self.0)
            .map(|(t, _)| *t)
    }

    /// Query-only and transport types (RFC 6895 §3.1) that must never appear in zone data.
    pub fn is_meta(self) -> bool {
        matches!(self.0, 41 | 128..=255) || self.0 == 0
    }
}

impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(text) => f.write_str(text),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RClass(pub u16);

impl RClass {
    pub const IN: RClass = RClass(1);
    pub const CH: RClass = RClass(3);
    pub const HS: RClass = RClass(4);

    pub fn from_mnemonic(word: &[u8]) -> Option<RClass> {
        if word.len() > 5 && word[..5].eq_ignore_ascii_case(b"CLASS") {
            return parse_u16_strict(&word[5..]).map(RClass);
        }
        match word.len() {
            2 if word.eq_ignore_ascii_case(b"IN") => Some(RClass::IN),
            2 if word.eq_ignore_ascii_case(b"CH") || word.eq_ignore_ascii_case(b"CS") => {
                Some(if word[1].eq_ignore_ascii_case(&b'h') {
                    RClass::CH
                } else {
                    RClass(2)
                })
            }
            2 if word.eq_ignore_ascii_case(b"HS") => Some(RClass::HS),
            _ => None,
        }
    }
}

impl fmt::Display for RClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("IN"),
            2 => f.write_str("CS"),
            3 => f.write_str("CH"),
            4 => f.write_str("HS"),
            n => write!(f, "CLASS{n}"),
        }
    }
}

/// A decimal number of at most 65535 with no sign, no leading `+` and no empty string.
pub fn parse_u16_strict(digits: &[u8]) -> Option<u16> {
    parse_decimal(digits, u16::MAX as u64).map(|n| n as u16)
}

/// A decimal number no larger than `max`; `None` for anything else.
pub fn parse_decimal(digits: &[u8], max: u64) -> Option<u64> {
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    (n <= max).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics_and_generic_forms() {
        assert_eq!(RType::from_mnemonic(b"aaaa"), Some(RType::AAAA));
        assert_eq!(RType::from_mnemonic(b"TYPE65333"), Some(RType(65333)));
        assert_eq!(RType::from_mnemonic(b"TYPE65536"), None);
        assert_eq!(RType::from_mnemonic(b"NSAP-PTR"), Some(RType::NSAP_PTR));
        assert_eq!(RType::from_mnemonic(b"BOGUS"), None);
        assert!(RType::TKEY.is_meta() && RType::OPT.is_meta() && !RType::CAA.is_meta());
        assert_eq!(RType(65333).to_string(), "TYPE65333");
        assert_eq!(RClass::from_mnemonic(b"in"), Some(RClass::IN));
        assert_eq!(RClass::from_mnemonic(b"CLASS255"), Some(RClass(255)));
    }
}
