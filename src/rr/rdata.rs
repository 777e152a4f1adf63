//! RDATA in presentation format.
//!
//! The types zonelint reasons about (A, AAAA, NS, CNAME, PTR, DNAME, MX, SRV, SOA) are
//! parsed straight from tokens into compact values. TXT, CAA and the DNSSEC, SVCB and
//! NSAP families are validated field by field. Types with no validator are accepted and
//! counted as unvalidated: a record zonelint cannot check must never be called wrong.

use super::address::{parse_ipv4, parse_ipv6};
use super::text::{check_char_string, is_base32hex_unpadded, is_base64, is_hex, parse_ttl};
use super::types::{RType, parse_decimal};
use crate::model::names::{NameId, NameReader, NameTable};
use std::net::{Ipv4Addr, Ipv6Addr};

/// One RDATA token: a word, or a quoted string with its quotes removed.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub text: &'a [u8],
    pub quoted: bool,
    /// Written directly after the previous field with no space between (`alpn="h2"`).
    pub glued: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdataError {
    /// Index of the offending field, or `None` when fields are missing.
    pub field: Option<usize>,
    pub message: String,
}

pub(crate) fn err(field: usize, message: impl Into<String>) -> RdataError {
    RdataError {
        field: Some(field),
        message: message.into(),
    }
}

pub(crate) fn missing(message: impl Into<String>) -> RdataError {
    RdataError {
        field: None,
        message: message.into(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Srv {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: NameId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Soa {
    pub mname: NameId,
    pub rname: NameId,
    pub serial: u32,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    pub minimum: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parsed {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    /// NS, CNAME, PTR, DNAME.
    Name(NameId),
    Mx(u16, NameId),
    Srv(Srv),
    Soa(Soa),
    /// Any other type; `validated` says whether a validator checked its fields.
    Other {
        validated: bool,
    },
}

pub struct Ctx<'t> {
    pub names: &'t mut NameTable,
    pub origin: NameId,
    pub reader: &'t mut NameReader,
    pub scratch: &'t mut Vec<u8>,
}

impl Ctx<'_> {
    fn name(&mut self, fields: &[Field], i: usize, what: &str) -> Result<NameId, RdataError> {
        let f = fields
            .get(i)
            .ok_or_else(|| missing(format!("{what} is missing")))?;
        if f.quoted {
            return Err(err(
                i,
                format!("{what} must be a domain name, not a quoted string"),
            ));
        }
        self.reader
            .intern(self.names, f.text, self.origin)
            .map_err(|e| err(i, format!("{what} `{}` {e}", show(f.text))))
    }

    /// A name checked for syntax only, not interned (signer names, NSEC next names).
    fn check_name(&mut self, fields: &[Field], i: usize, what: &str) -> Result<(), RdataError> {
        let f = fields
            .get(i)
            .ok_or_else(|| missing(format!("{what} is missing")))?;
        if f.text == b"@" && !f.quoted {
            return Ok(());
        }
        self.reader
            .check(f.text)
            .map_err(|e| err(i, format!("{what} `{}` {e}", show(f.text))))
    }
}

/// Lossy text of a field for messages.
pub fn show(text: &[u8]) -> String {
    let s = String::from_utf8_lossy(text);
    if s.len() > 60 {
        format!("{}…", &s[..s.floor_char_boundary(57)])
    } else {
        s.into_owned()
    }
}

fn number(fields: &[Field], i: usize, max: u64, what: &str) -> Result<u64, RdataError> {
    let f = fields
        .get(i)
        .ok_or_else(|| missing(format!("{what} is missing")))?;
    parse_decimal(f.text, max).ok_or_else(|| {
        if f.text.iter().all(u8::is_ascii_digit) && !f.text.is_empty() {
            err(i, format!("{what} `{}` is larger than {max}", show(f.text)))
        } else {
            err(i, format!("{what} `{}` is not a number", show(f.text)))
        }
    })
}

fn u8f(fields: &[Field], i: usize, what: &str) -> Result<u8, RdataError> {
    number(fields, i, 255, what).map(|n| n as u8)
}

fn u16f(fields: &[Field], i: usize, what: &str) -> Result<u16, RdataError> {
    number(fields, i, 65535, what).map(|n| n as u16)
}

fn ttl_field(fields: &[Field], i: usize, what: &str) -> Result<u32, RdataError> {
    let f = fields
        .get(i)
        .ok_or_else(|| missing(format!("{what} is missing")))?;
    parse_ttl(f.text)
        .ok_or_else(|| err(i, format!("{what} `{}` is not a valid time", show(f.text))))
}

fn exact(fields: &[Field], n: usize, rtype: RType) -> Result<(), RdataError> {
    if fields.len() > n {
        return Err(err(
            n,
            format!(
                "{rtype} takes {n} fields; `{}` is one too many",
                show(fields[n].text)
            ),
        ));
    }
    Ok(())
}

/// A DNSSEC algorithm: a number or a mnemonic such as `RSASHA256`.
fn algorithm(fields: &[Field], i: usize) -> Result<(), RdataError> {
    let f = fields
        .get(i)
        .ok_or_else(|| missing("algorithm is missing"))?;
    if f.text.first().is_some_and(u8::is_ascii_digit) {
        u8f(fields, i, "algorithm").map(|_| ())
    } else if !f.text.is_empty()
        && f.text
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
    {
        Ok(())
    } else {
        Err(err(
            i,
            format!("algorithm `{}` is not a number or mnemonic", show(f.text)),
        ))
    }
}

/// The most octets RDATA can have: its length is a 16-bit field (RFC 1035 §3.2.1).
pub const MAX_RDATA: usize = 65535;

/// Concatenated fields from `from` on, as base64 or hex split across tokens.
fn joined(fields: &[Field], from: usize, scratch: &mut Vec<u8>) {
    scratch.clear();
    for f in &fields[from.min(fields.len())..] {
        scratch.extend_from_slice(f.text);
    }
}

/// How binary data is written in a record: RFC 4648 base64 (padded) or hex digits.
#[derive(Clone, Copy)]
enum Encoding {
    Base64,
    Hex,
}

impl Encoding {
    fn valid(self, text: &[u8]) -> bool {
        match self {
            Encoding::Base64 => is_base64(text),
            Encoding::Hex => is_hex(text) && text.len().is_multiple_of(2),
        }
    }

    fn octets(self, text: &[u8]) -> usize {
        match self {
            Encoding::Base64 => text.len() / 4 * 3,
            Encoding::Hex => text.len() / 2,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Encoding::Base64 => "valid base64",
            Encoding::Hex => "an even number of hex digits",
        }
    }
}

/// The fields from `from` on, joined (base64 and hex may be split by spaces), checked
/// as `encoding` and against the RDATA size limit.
fn encoded_rest(
    fields: &[Field],
    from: usize,
    what: &str,
    scratch: &mut Vec<u8>,
    encoding: Encoding,
) -> Result<(), RdataError> {
    if fields.len() <= from {
        return Err(missing(format!("{what} is missing")));
    }
    joined(fields, from, scratch);
    if !encoding.valid(scratch) {
        return Err(err(from, format!("{what} is not {}", encoding.describe())));
    }
    if encoding.octets(scratch) > MAX_RDATA {
        return Err(err(
            from,
            format!("{what} is longer than the {MAX_RDATA} octets RDATA can hold"),
        ));
    }
    Ok(())
}

fn base64_rest(
    fields: &[Field],
    from: usize,
    what: &str,
    scratch: &mut Vec<u8>,
) -> Result<(), RdataError> {
    encoded_rest(fields, from, what, scratch, Encoding::Base64)
}

fn hex_rest(
    fields: &[Field],
    from: usize,
    what: &str,
    scratch: &mut Vec<u8>,
) -> Result<(), RdataError> {
    encoded_rest(fields, from, what, scratch, Encoding::Hex)
}

fn type_bitmap(fields: &[Field], from: usize) -> Result<(), RdataError> {
    for (k, f) in fields.iter().enumerate().skip(from) {
        if RType::from_mnemonic(f.text).is_none() {
            return Err(err(
                k,
                format!("`{}` in the type bitmap is not a record type", show(f.text)),
            ));
        }
    }
    Ok(())
}

fn salt(fields: &[Field], i: usize) -> Result<(), RdataError> {
    let f = fields.get(i).ok_or_else(|| missing("salt is missing"))?;
    if f.text == b"-"
        || (is_hex(f.text) && f.text.len() % 2 == 0 && f.text.len() <= 510 && !f.text.is_empty())
    {
        Ok(())
    } else {
        Err(err(i, format!("salt `{}` is not `-` or hex", show(f.text))))
    }
}

fn char_strings(fields: &[Field], from: usize, scratch: &mut Vec<u8>) -> Result<(), RdataError> {
    for (k, f) in fields.iter().enumerate().skip(from) {
        check_char_string(f.text, scratch).map_err(|e| err(k, format!("character string {e}")))?;
    }
    Ok(())
}

/// Types whose RDATA may legitimately be empty.
fn may_be_empty(rtype: RType) -> bool {
    matches!(rtype, RType::APL | RType::NULL) || rtype.mnemonic().is_none()
}

/// RFC 3597 generic RDATA: `\# length hex...`.
fn generic(rtype: RType, fields: &[Field], scratch: &mut Vec<u8>) -> Result<Parsed, RdataError> {
    let len = number(fields, 1, 65535, "generic RDATA length")? as usize;
    joined(fields, 2, scratch);
    if !is_hex(scratch) || !scratch.len().is_multiple_of(2) {
        return Err(err(2, "generic RDATA is not an even number of hex digits"));
    }
    if scratch.len() / 2 != len {
        return Err(err(
            1,
            format!(
                "generic RDATA length is {len} but {} octets follow",
                scratch.len() / 2
            ),
        ));
    }
    if len == 0 && !may_be_empty(rtype) {
        return Err(err(1, format!("{rtype} RDATA cannot be empty")));
    }
    let byte = |k: usize| {
        u8::from_str_radix(
            std::str::from_utf8(&scratch[2 * k..2 * k + 2]).unwrap_or("0"),
            16,
        )
        .unwrap_or(0)
    };
    match rtype {
        RType::A if len == 4 => Ok(Parsed::A(Ipv4Addr::new(byte(0), byte(1), byte(2), byte(3)))),
        RType::A => Err(err(1, "an A record is 4 octets")),
        RType::AAAA if len == 16 => {
            let mut o = [0u8; 16];
            for (k, b) in o.iter_mut().enumerate() {
                *b = byte(k);
            }
            Ok(Parsed::Aaaa(Ipv6Addr::from(o)))
        }
        RType::AAAA => Err(err(1, "an AAAA record is 16 octets")),
        _ => Ok(Parsed::Other { validated: true }),
    }
}

/// Parses or validates the RDATA of one record.
///
/// `generic_type` is true when the type was written `TYPEnnn`: a type zonelint has no
/// validator for must then use the generic `\#` form (RFC 3597 §5).
pub fn parse(
    rtype: RType,
    generic_type: bool,
    fields: &[Field],
    ctx: &mut Ctx,
) -> Result<Parsed, RdataError> {
    if fields
        .first()
        .is_some_and(|f| f.text == b"\\#" && !f.quoted)
    {
        return generic(rtype, fields, ctx.scratch);
    }
    if fields.is_empty() && !may_be_empty(rtype) {
        return Err(missing(format!("{rtype} record has no RDATA")));
    }
    let parsed = match rtype {
        RType::A => {
            exact(fields, 1, rtype)?;
            let f = &fields[0];
            let ip = parse_ipv4(f.text)
                .ok_or_else(|| err(0, format!("IPv4 address `{}` is not valid", show(f.text))))?;
            Parsed::A(ip)
        }
        RType::AAAA => {
            exact(fields, 1, rtype)?;
            let f = &fields[0];
            let ip = parse_ipv6(f.text)
                .ok_or_else(|| err(0, format!("IPv6 address `{}` is not valid", show(f.text))))?;
            Parsed::Aaaa(ip)
        }
        RType::NS | RType::CNAME | RType::PTR | RType::DNAME => {
            exact(fields, 1, rtype)?;
            Parsed::Name(ctx.name(fields, 0, "target")?)
        }
        RType::MX => {
            let pref = u16f(fields, 0, "MX preference")?;
            let target = ctx.name(fields, 1, "MX exchange")?;
            exact(fields, 2, rtype)?;
            Parsed::Mx(pref, target)
        }
        RType::SRV => {
            let priority = u16f(fields, 0, "SRV priority")?;
            let weight = u16f(fields, 1, "SRV weight")?;
            let port = u16f(fields, 2, "SRV port")?;
            let target = ctx.name(fields, 3, "SRV target")?;
            exact(fields, 4, rtype)?;
            Parsed::Srv(Srv {
                priority,
                weight,
                port,
                target,
            })
        }
        RType::SOA => {
            let mname = ctx.name(fields, 0, "SOA primary server (MNAME)")?;
            let rname = ctx.name(fields, 1, "SOA mailbox (RNAME)")?;
            let serial = number(fields, 2, u32::MAX as u64, "SOA serial")? as u32;
            let refresh = ttl_field(fields, 3, "SOA refresh")?;
            let retry = ttl_field(fields, 4, "SOA retry")?;
            let expire = ttl_field(fields, 5, "SOA expire")?;
            let minimum = ttl_field(fields, 6, "SOA minimum")?;
            exact(fields, 7, rtype)?;
            Parsed::Soa(Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            })
        }
        RType::TXT | RType::SPF | RType::AVC | RType::RESINFO | RType::WALLET => {
            // Knot and PowerDNS split a longer string silently; BIND and NSD refuse it,
            // and what a zone publishes should not depend on the server.
            let mut wire = 0usize;
            for (k, f) in fields.iter().enumerate() {
                check_char_string(f.text, ctx.scratch).map_err(|e| match e {
                    super::text::StringError::TooLong(_) => err(
                        k,
                        format!("character string {e}; split it into several quoted strings"),
                    ),
                    _ => err(k, format!("character string {e}")),
                })?;
                wire += 1 + ctx.scratch.len();
            }
            if wire > MAX_RDATA {
                return Err(err(
                    0,
                    format!("{rtype} RDATA is {wire} octets; the limit is {MAX_RDATA}"),
                ));
            }
            Parsed::Other { validated: true }
        }
        RType::HINFO => {
            char_strings(fields, 0, ctx.scratch)?;
            if fields.len() != 2 {
                return Err(missing("HINFO takes exactly two strings (CPU and OS)"));
            }
            Parsed::Other { validated: true }
        }
        RType::CAA => {
            u8f(fields, 0, "CAA flags")?;
            let tag = fields.get(1).ok_or_else(|| missing("CAA tag is missing"))?;
            if tag.text.is_empty() || !tag.text.iter().all(u8::is_ascii_alphanumeric) {
                return Err(err(
                    1,
                    format!("CAA tag `{}` must be letters and digits", show(tag.text)),
                ));
            }
            if fields.len() < 3 {
                return Err(missing("CAA value is missing"));
            }
            char_strings(fields, 2, ctx.scratch)?;
            exact(fields, 3, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::NAPTR => {
            u16f(fields, 0, "NAPTR order")?;
            u16f(fields, 1, "NAPTR preference")?;
            for (k, what) in [(2, "flags"), (3, "services"), (4, "regexp")] {
                let f = fields
                    .get(k)
                    .ok_or_else(|| missing(format!("NAPTR {what} is missing")))?;
                check_char_string(f.text, ctx.scratch)
                    .map_err(|e| err(k, format!("NAPTR {what} {e}")))?;
            }
            ctx.check_name(fields, 5, "NAPTR replacement")?;
            exact(fields, 6, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::KX | RType::AFSDB | RType::RT => {
            u16f(fields, 0, "preference")?;
            ctx.check_name(fields, 1, "exchange")?;
            exact(fields, 2, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::RP | RType::MINFO => {
            ctx.check_name(fields, 0, "mailbox")?;
            ctx.check_name(fields, 1, "name")?;
            exact(fields, 2, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::MB | RType::MG | RType::MR | RType::MD | RType::MF | RType::NSAP_PTR => {
            ctx.check_name(fields, 0, "target")?;
            exact(fields, 1, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::DS | RType::CDS | RType::TA | RType::DLV => {
            u16f(fields, 0, "key tag")?;
            algorithm(fields, 1)?;
            u8f(fields, 2, "digest type")?;
            hex_rest(fields, 3, "digest", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::DNSKEY | RType::CDNSKEY | RType::KEY => {
            u16f(fields, 0, "flags")?;
            u8f(fields, 1, "protocol")?;
            algorithm(fields, 2)?;
            base64_rest(fields, 3, "public key", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::RRSIG | RType::SIG => {
            let covered = fields
                .first()
                .ok_or_else(|| missing("type covered is missing"))?;
            if RType::from_mnemonic(covered.text).is_none() {
                return Err(err(
                    0,
                    format!("type covered `{}` is not a record type", show(covered.text)),
                ));
            }
            algorithm(fields, 1)?;
            u8f(fields, 2, "labels")?;
            number(fields, 3, u32::MAX as u64, "original TTL")?;
            for (k, what) in [(4, "signature expiration"), (5, "signature inception")] {
                let f = fields
                    .get(k)
                    .ok_or_else(|| missing(format!("{what} is missing")))?;
                let ok = if f.text.len() == 14 {
                    f.text.iter().all(u8::is_ascii_digit)
                } else {
                    parse_decimal(f.text, u32::MAX as u64).is_some()
                };
                if !ok {
                    return Err(err(
                        k,
                        format!("{what} `{}` is not YYYYMMDDHHmmSS or seconds", show(f.text)),
                    ));
                }
            }
            u16f(fields, 6, "key tag")?;
            ctx.check_name(fields, 7, "signer name")?;
            base64_rest(fields, 8, "signature", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::NSEC => {
            ctx.check_name(fields, 0, "next domain name")?;
            type_bitmap(fields, 1)?;
            Parsed::Other { validated: true }
        }
        RType::NSEC3 => {
            let algorithm = u8f(fields, 0, "hash algorithm")?;
            u8f(fields, 1, "flags")?;
            u16f(fields, 2, "iterations")?;
            salt(fields, 3)?;
            let next = fields
                .get(4)
                .ok_or_else(|| missing("next hashed owner name is missing"))?;
            if !is_base32hex_unpadded(next.text) {
                return Err(err(
                    4,
                    format!(
                        "next hashed owner `{}` is not base32hex without padding",
                        show(next.text)
                    ),
                ));
            }
            let octets = next.text.len() * 5 / 8;
            if algorithm == 1 && octets != 20 {
                return Err(err(
                    4,
                    format!(
                        "next hashed owner `{}` is {octets} octets; a SHA-1 hash (algorithm 1) is 20 (32 base32hex characters)",
                        show(next.text)
                    ),
                ));
            }
            type_bitmap(fields, 5)?;
            Parsed::Other { validated: true }
        }
        RType::NSEC3PARAM => {
            u8f(fields, 0, "hash algorithm")?;
            u8f(fields, 1, "flags")?;
            u16f(fields, 2, "iterations")?;
            salt(fields, 3)?;
            exact(fields, 4, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::SSHFP => {
            u8f(fields, 0, "algorithm")?;
            u8f(fields, 1, "fingerprint type")?;
            hex_rest(fields, 2, "fingerprint", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::TLSA | RType::SMIMEA => {
            u8f(fields, 0, "certificate usage")?;
            u8f(fields, 1, "selector")?;
            u8f(fields, 2, "matching type")?;
            hex_rest(fields, 3, "certificate association data", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::CERT => {
            let kind = fields
                .first()
                .ok_or_else(|| missing("certificate type is missing"))?;
            if kind.text.first().is_some_and(u8::is_ascii_digit) {
                u16f(fields, 0, "certificate type")?;
            } else if !kind.text.iter().all(u8::is_ascii_alphanumeric) {
                return Err(err(
                    0,
                    format!(
                        "certificate type `{}` is not a number or mnemonic",
                        show(kind.text)
                    ),
                ));
            }
            u16f(fields, 1, "key tag")?;
            algorithm(fields, 2)?;
            base64_rest(fields, 3, "certificate", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::CSYNC => {
            number(fields, 0, u32::MAX as u64, "SOA serial")?;
            u16f(fields, 1, "flags")?;
            type_bitmap(fields, 2)?;
            Parsed::Other { validated: true }
        }
        RType::ZONEMD => {
            number(fields, 0, u32::MAX as u64, "serial")?;
            u8f(fields, 1, "scheme")?;
            u8f(fields, 2, "hash algorithm")?;
            hex_rest(fields, 3, "digest", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::URI => {
            u16f(fields, 0, "priority")?;
            u16f(fields, 1, "weight")?;
            let target = fields.get(2).ok_or_else(|| missing("target is missing"))?;
            if !target.quoted {
                return Err(err(2, "URI target must be a quoted string (RFC 7553 §4.4)"));
            }
            exact(fields, 3, rtype)?;
            Parsed::Other { validated: true }
        }
        RType::DHCID | RType::OPENPGPKEY => {
            base64_rest(fields, 0, "data", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::EID | RType::NIMLOC => {
            hex_rest(fields, 0, "data", ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        RType::NSAP => {
            nsap(fields)?;
            Parsed::Other { validated: true }
        }
        RType::SVCB | RType::HTTPS => {
            u16f(fields, 0, "SvcPriority")?;
            ctx.check_name(fields, 1, "TargetName")?;
            super::svcb::check_params(fields, 2, ctx.scratch)?;
            Parsed::Other { validated: true }
        }
        _ if generic_type || rtype == RType::UNSPEC => {
            return Err(err(
                0,
                format!(
                    "{rtype} has no presentation format zonelint knows; write its RDATA as `\\# length hex` (RFC 3597)"
                ),
            ));
        }
        _ => Parsed::Other { validated: false },
    };
    Ok(parsed)
}

fn nsap(fields: &[Field]) -> Result<(), RdataError> {
    let f = &fields[0];
    let body = f
        .text
        .strip_prefix(b"0x")
        .or_else(|| f.text.strip_prefix(b"0X"))
        .ok_or_else(|| err(0, "NSAP address must start with `0x`"))?;
    let mut nibbles = 0;
    for (k, part) in fields.iter().enumerate() {
        let bytes = if k == 0 { body } else { part.text };
        for &b in bytes {
            if b == b'.' {
                continue;
            }
            if !b.is_ascii_hexdigit() {
                return Err(err(
                    k,
                    format!("NSAP address has a non-hex character `{}`", b as char),
                ));
            }
            nibbles += 1;
        }
    }
    if nibbles == 0 || nibbles % 2 != 0 {
        return Err(err(
            0,
            "NSAP address needs a whole, non-zero number of octets of hex",
        ));
    }
    Ok(())
}
