//! SPF (RFC 7208): the record's syntax, and `check_host()` evaluated offline against
//! the zone set.
//!
//! A receiver evaluates the SPF record of the envelope domain for the connecting
//! address: mechanisms left to right, the first that matches decides (`-all` fails the
//! address). zonelint does the same with the set's zones in place of DNS. A lookup of a
//! name no zone of the set holds cannot be answered offline: the evaluation then says
//! *unknown* — unless an earlier mechanism already decided.

use std::net::IpAddr;

/// A qualifier: what a matching mechanism yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    fn of(c: u8) -> Option<Qualifier> {
        Some(match c {
            b'+' => Qualifier::Pass,
            b'-' => Qualifier::Fail,
            b'~' => Qualifier::SoftFail,
            b'?' => Qualifier::Neutral,
            _ => return None,
        })
    }
}

/// One mechanism.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(String),
    A(Option<String>, u8, u8),
    Mx(Option<String>, u8, u8),
    Ptr(Option<String>),
    Ip(ipnet::IpNet),
    Exists(String),
}

impl Mechanism {
    /// Whether evaluating it costs a DNS lookup toward the limit of 10 (§4.6.4).
    pub fn looks_up(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A(..)
                | Mechanism::Mx(..)
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// A term of a record and where it is in the record's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Directive(Qualifier, Mechanism),
    Redirect(String),
    Explanation(String),
    /// An unknown modifier: allowed and ignored (§6).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub term: Term,
    /// Byte range in the record's text (the strings joined).
    pub at: std::ops::Range<usize>,
}

/// A parsed record; `Err` is a syntax error (a permerror) at a range of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub terms: Vec<Located>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub at: std::ops::Range<usize>,
}

/// Whether a TXT record's text is an SPF record: `v=spf1` alone or followed by a space
/// (§4.5; `v=spf10` is not one).
pub fn is_spf(text: &str) -> bool {
    let t = text.as_bytes();
    t.len() >= 6 && t[..6].eq_ignore_ascii_case(b"v=spf1") && (t.len() == 6 || t[6] == b' ')
}

/// Checks a macro-string (§7.1): `%{...}`, `%%`, `%_`, `%-` and visible characters;
/// `in_explanation` allows the `c`, `r` and `t` letters.
fn check_macros(s: &str, in_explanation: bool) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => match b.get(i + 1) {
                Some(b'%' | b'_' | b'-') => i += 2,
                Some(b'{') => {
                    let close = s[i..]
                        .find('}')
                        .ok_or("a `%{` macro is not closed with `}`")?;
                    let inner = &s[i + 2..i + close];
                    let mut chars = inner.chars();
                    let letter = chars.next().ok_or("a `%{}` macro names no letter")?;
                    let allowed = "slodiphv".contains(letter.to_ascii_lowercase())
                        || (in_explanation && "crt".contains(letter.to_ascii_lowercase()));
                    if !allowed {
                        return Err(format!("`%{{{inner}}}` is not a macro SPF knows here"));
                    }
                    let rest: &str = chars.as_str();
                    let digits = rest.chars().take_while(char::is_ascii_digit).count();
                    let rest = &rest[digits..];
                    let rest = rest.strip_prefix(['r', 'R']).unwrap_or(rest);
                    if !rest.chars().all(|c| ".-+,/_=".contains(c)) {
                        return Err(format!(
                            "`%{{{inner}}}` has an unknown transformer or delimiter"
                        ));
                    }
                    i += close + 1;
                }
                _ => return Err("a `%` must start a macro (`%{d}`) or be written `%%`".into()),
            },
            0x21..=0x7e => i += 1,
            _ => return Err("a macro-string holds a character that is not visible ASCII".into()),
        }
    }
    Ok(())
}

/// A domain-spec (§7.1 `domain-spec`): macros allowed; without macros, a domain whose
/// last label is not all digits.
fn domain_spec(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("a domain is missing".into());
    }
    check_macros(s, false)?;
    if !s.contains('%') {
        let name = s.trim_end_matches('.');
        let last = name.rsplit('.').next().unwrap_or("");
        if name.split('.').any(str::is_empty) {
            return Err(format!("`{s}` has an empty label"));
        }
        if last.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{s}` does not end in a top-level label"));
        }
    }
    Ok(s.to_string())
}

fn cidr(text: &str, max: u8, what: &str) -> Result<u8, String> {
    let ok = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    text.parse::<u8>()
        .ok()
        .filter(|n| ok && *n <= max)
        .ok_or_else(|| format!("`/{text}` is not an {what} prefix length (0-{max})"))
}

/// `[:domain][/cidr4][//cidr6]` after `a` or `mx`.
fn a_args(rest: &str) -> Result<(Option<String>, u8, u8), String> {
    let (domain_part, cidrs) = match rest.find('/') {
        Some(k) => (&rest[..k], &rest[k..]),
        None => (rest, ""),
    };
    let domain = match domain_part.strip_prefix(':') {
        Some(d) => Some(domain_spec(d)?),
        None if domain_part.is_empty() => None,
        None => return Err(format!("`{domain_part}` must follow a `:`")),
    };
    let (mut v4, mut v6) = (32u8, 128u8);
    if !cidrs.is_empty() {
        let (four, six) = match cidrs.find("//") {
            Some(k) => (&cidrs[..k], Some(&cidrs[k + 2..])),
            None => (cidrs, None),
        };
        // `a//64` has no IPv4 length; `a/` has an empty one, which is an error.
        if let Some(f) = four.strip_prefix('/') {
            v4 = cidr(f, 32, "IPv4")?;
        }
        if let Some(s) = six {
            v6 = cidr(s, 128, "IPv6")?;
        }
    }
    Ok((domain, v4, v6))
}

fn mechanism(name: &str, rest: &str) -> Result<Mechanism, String> {
    let lower = name.to_ascii_lowercase();
    let value = || rest.strip_prefix(':').filter(|v| !v.is_empty());
    Ok(match lower.as_str() {
        "all" if rest.is_empty() => Mechanism::All,
        "include" => Mechanism::Include(domain_spec(value().ok_or("`include` needs `:domain`")?)?),
        "exists" => Mechanism::Exists(domain_spec(value().ok_or("`exists` needs `:domain`")?)?),
        "a" => {
            let (d, v4, v6) = a_args(rest)?;
            Mechanism::A(d, v4, v6)
        }
        "mx" => {
            let (d, v4, v6) = a_args(rest)?;
            Mechanism::Mx(d, v4, v6)
        }
        "ptr" => Mechanism::Ptr(match rest.strip_prefix(':') {
            Some(d) => Some(domain_spec(d)?),
            None if rest.is_empty() => None,
            None => return Err(format!("`ptr{rest}` is not a mechanism")),
        }),
        "ip4" | "ip6" => {
            let v = value().ok_or_else(|| format!("`{lower}` needs `:address`"))?;
            let (addr, len) = match v.split_once('/') {
                Some((a, l)) => (a, Some(l)),
                None => (v, None),
            };
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("`{addr}` is not an IP address"))?;
            let max = if lower == "ip4" { 32 } else { 128 };
            if ip.is_ipv4() != (lower == "ip4") {
                return Err(format!(
                    "`{addr}` is not an {} address",
                    if lower == "ip4" { "IPv4" } else { "IPv6" }
                ));
            }
            let len = match len {
                Some(l) => cidr(l, max, if max == 32 { "IPv4" } else { "IPv6" })?,
                None => max,
            };
            Mechanism::Ip(
                ipnet::IpNet::new(ip, len)
                    .map_err(|e| e.to_string())?
                    .trunc(),
            )
        }
        _ => return Err(format!("`{name}{rest}` is not an SPF mechanism")),
    })
}

/// Parses an SPF record (its TXT strings joined).
pub fn parse(text: &str) -> Result<Record, SyntaxError> {
    if !is_spf(text) {
        return Err(SyntaxError {
            message: "an SPF record starts with `v=spf1`".into(),
            at: 0..text.len().min(6),
        });
    }
    let mut terms = Vec::new();
    let mut offset = 6;
    let (mut redirect, mut exp) = (false, false);
    for word in text[6..].split(' ') {
        let start = offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let at = start..start + word.len();
        let fail = |message: String| SyntaxError {
            message,
            at: at.clone(),
        };
        // A modifier is `name=value` with no `:` or `/` before the `=`.
        let eq = word.find('=');
        let colon_or_slash = word.find([':', '/']);
        let is_modifier = eq.is_some_and(|e| colon_or_slash.is_none_or(|c| e < c));
        if is_modifier {
            let e = eq.unwrap_or_default();
            let (name, value) = (&word[..e], &word[e + 1..]);
            if name.is_empty()
                || !name.as_bytes()[0].is_ascii_alphabetic()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            {
                return Err(fail(format!("`{name}` is not a modifier name")));
            }
            let term = match name.to_ascii_lowercase().as_str() {
                "redirect" => {
                    if std::mem::replace(&mut redirect, true) {
                        return Err(fail("`redirect=` appears more than once".into()));
                    }
                    Term::Redirect(domain_spec(value).map_err(fail)?)
                }
                "exp" => {
                    if std::mem::replace(&mut exp, true) {
                        return Err(fail("`exp=` appears more than once".into()));
                    }
                    Term::Explanation(domain_spec(value).map_err(fail)?)
                }
                _ => {
                    check_macros(value, false).map_err(fail)?;
                    Term::Other
                }
            };
            terms.push(Located { term, at });
            continue;
        }
        let (qualifier, body) = match Qualifier::of(word.as_bytes()[0]) {
            Some(q) => (q, &word[1..]),
            None => (Qualifier::Pass, word),
        };
        let split = body.find([':', '/']).unwrap_or(body.len());
        let m = mechanism(&body[..split], &body[split..]).map_err(fail)?;
        terms.push(Located {
            term: Term::Directive(qualifier, m),
            at,
        });
    }
    Ok(Record { terms })
}

/// What the offline DNS (the zone set) says about a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup<T> {
    Found(T),
    /// The name exists nowhere or holds no such data: a void lookup (§4.6.4).
    Void,
    /// No zone of the set holds the name: nothing can be said offline.
    Unknown,
}

/// The zone set as the evaluation's DNS.
pub trait Dns {
    /// The text of each TXT record at `name` (strings joined).
    fn txt(&self, name: &str) -> Lookup<Vec<String>>;
    /// The A and AAAA addresses of `name`, CNAMEs followed.
    fn addresses(&self, name: &str) -> Lookup<Vec<IpAddr>>;
    /// The exchanges of the MX records at `name`.
    fn mx(&self, name: &str) -> Lookup<Vec<String>>;
    /// The names of the PTR records of `address`.
    fn ptr(&self, address: IpAddr) -> Lookup<Vec<String>>;
}

/// The result of `check_host()` (§2.6), with *unknown* for what offline data cannot tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    /// No SPF record.
    None,
    PermError(String),
    /// A lookup left the set before anything decided.
    Unknown(String),
}

/// What decided a result: the domain whose record, and the term's range in its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decider {
    pub domain: String,
    pub at: std::ops::Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub decided_by: Option<Decider>,
    /// The lookups made, in order (`include:_spf.example.com`, `mx example.com`...).
    pub trail: Vec<String>,
    pub lookups: usize,
}

struct Evaluation<'a> {
    dns: &'a dyn Dns,
    address: IpAddr,
    lookups: usize,
    voids: usize,
    trail: Vec<String>,
}

fn absolute(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    if n.ends_with('.') { n } else { format!("{n}.") }
}

fn matches_cidr(address: IpAddr, candidate: IpAddr, v4: u8, v6: u8) -> bool {
    match (address, candidate) {
        (IpAddr::V4(a), IpAddr::V4(c)) => {
            ipnet::Ipv4Net::new(c, v4).is_ok_and(|n| n.trunc().contains(&a))
        }
        (IpAddr::V6(a), IpAddr::V6(c)) => {
            ipnet::Ipv6Net::new(c, v6).is_ok_and(|n| n.trunc().contains(&a))
        }
        _ => false,
    }
}

/// Expands the macros of a domain-spec where offline data allows: `%{d}`, `%{i}`, `%{v}`,
/// `%{o}`, `%{h}`; `None` when it needs what offline data cannot give (`%{p}`).
fn expand(spec: &str, domain: &str, address: IpAddr, helo: &str) -> Option<String> {
    if !spec.contains('%') {
        return Some(spec.to_string());
    }
    let mut out = String::new();
    let mut rest = spec;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let tail = &rest[p + 1..];
        match tail.as_bytes().first() {
            Some(b'%') => {
                out.push('%');
                rest = &tail[1..];
            }
            Some(b'_') => {
                out.push(' ');
                rest = &tail[1..];
            }
            Some(b'-') => {
                out.push_str("%20");
                rest = &tail[1..];
            }
            Some(b'{') => {
                let close = tail.find('}')?;
                let inner = &tail[1..close];
                let letter = inner.chars().next()?.to_ascii_lowercase();
                let value = match letter {
                    'd' | 'o' => domain.trim_end_matches('.').to_string(),
                    'h' => helo.trim_end_matches('.').to_string(),
                    'l' => "postmaster".to_string(),
                    's' => format!("postmaster@{}", domain.trim_end_matches('.')),
                    'v' => if address.is_ipv4() { "in-addr" } else { "ip6" }.to_string(),
                    'i' => match address {
                        IpAddr::V4(a) => a.to_string(),
                        IpAddr::V6(a) => {
                            let hex = format!("{:032x}", u128::from(a));
                            hex.chars().map(String::from).collect::<Vec<_>>().join(".")
                        }
                    },
                    _ => return None,
                };
                let spec = &inner[1..];
                let digits: String = spec.chars().take_while(char::is_ascii_digit).collect();
                let spec = &spec[digits.len()..];
                let reverse = spec.starts_with(['r', 'R']);
                let delimiters: Vec<char> = spec.trim_start_matches(['r', 'R']).chars().collect();
                let split: Vec<&str> = if delimiters.is_empty() {
                    value.split('.').collect()
                } else {
                    value.split(|c| delimiters.contains(&c)).collect()
                };
                let mut parts = split;
                if reverse {
                    parts.reverse();
                }
                if let Ok(n) = digits.parse::<usize>() {
                    let n = n.max(1);
                    if parts.len() > n {
                        parts = parts[parts.len() - n..].to_vec();
                    }
                }
                out.push_str(&parts.join("."));
                rest = &tail[close + 1..];
            }
            _ => return None,
        }
    }
    out.push_str(rest);
    Some(out)
}

impl Evaluation<'_> {
    fn count(&mut self) -> Result<(), Verdict> {
        self.lookups += 1;
        if self.lookups > 10 {
            return Err(Verdict::PermError(
                "more than 10 DNS lookups (RFC 7208 §4.6.4)".into(),
            ));
        }
        Ok(())
    }

    fn void(&mut self) -> Result<(), Verdict> {
        self.voids += 1;
        if self.voids > 2 {
            return Err(Verdict::PermError(
                "more than 2 lookups found nothing (void lookups, RFC 7208 §4.6.4)".into(),
            ));
        }
        Ok(())
    }

    /// `check_host()` for `domain`, with the deciding term.
    fn check_host(&mut self, domain: &str, helo: &str, depth: usize) -> (Verdict, Option<Decider>) {
        if depth > 10 {
            return (Verdict::PermError("includes nest too deeply".into()), None);
        }
        let domain = absolute(domain);
        let records = match self.dns.txt(&domain) {
            Lookup::Unknown => {
                return (
                    Verdict::Unknown(format!("`{domain}` is not in the checked zones")),
                    None,
                );
            }
            Lookup::Void => Vec::new(),
            Lookup::Found(t) => t,
        };
        let spf: Vec<&String> = records.iter().filter(|t| is_spf(t)).collect();
        let text = match spf.as_slice() {
            [] => return (Verdict::None, None),
            [one] => one.as_str(),
            _ => {
                return (
                    Verdict::PermError(format!(
                        "`{domain}` has {} SPF records; there must be one",
                        spf.len()
                    )),
                    None,
                );
            }
        };
        let record = match parse(text) {
            Ok(r) => r,
            Err(e) => {
                return (
                    Verdict::PermError(e.message),
                    Some(Decider { domain, at: e.at }),
                );
            }
        };
        let decider = |at: &std::ops::Range<usize>| Decider {
            domain: domain.clone(),
            at: at.clone(),
        };
        for t in &record.terms {
            let Term::Directive(q, m) = &t.term else {
                continue;
            };
            if m.looks_up()
                && let Err(e) = self.count()
            {
                return (e, Some(decider(&t.at)));
            }
            match self.matches(m, &domain, helo, depth) {
                Ok(true) => {
                    let v = match q {
                        Qualifier::Pass => Verdict::Pass,
                        Qualifier::Fail => Verdict::Fail,
                        Qualifier::SoftFail => Verdict::SoftFail,
                        Qualifier::Neutral => Verdict::Neutral,
                    };
                    return (v, Some(decider(&t.at)));
                }
                Ok(false) => {}
                Err(v) => return (v, Some(decider(&t.at))),
            }
        }
        for t in &record.terms {
            if let Term::Redirect(target) = &t.term {
                if let Err(e) = self.count() {
                    return (e, Some(decider(&t.at)));
                }
                let Some(target) = expand(target, &domain, self.address, helo) else {
                    return (
                        Verdict::Unknown(format!("`{target}` needs data zonelint does not have")),
                        Some(decider(&t.at)),
                    );
                };
                self.trail.push(format!("redirect={target}"));
                let (v, d) = self.check_host(&target, helo, depth + 1);
                let v = match v {
                    Verdict::None => Verdict::PermError(format!(
                        "the redirect target `{target}` has no SPF record"
                    )),
                    other => other,
                };
                return (v, d.or_else(|| Some(decider(&t.at))));
            }
        }
        (Verdict::Neutral, None)
    }

    /// Whether mechanism `m` of `domain`'s record matches the address; `Err` ends the
    /// evaluation (an error, or a lookup offline data cannot answer).
    fn matches(
        &mut self,
        m: &Mechanism,
        domain: &str,
        helo: &str,
        depth: usize,
    ) -> Result<bool, Verdict> {
        let target = |d: &Option<String>| -> Result<String, Verdict> {
            match d {
                None => Ok(domain.to_string()),
                Some(spec) => expand(spec, domain, self.address, helo)
                    .map(|s| absolute(&s))
                    .ok_or_else(|| {
                        Verdict::Unknown(format!("`{spec}` needs data zonelint does not have"))
                    }),
            }
        };
        match m {
            Mechanism::All => Ok(true),
            Mechanism::Ip(net) => Ok(net.contains(&self.address)),
            Mechanism::A(d, v4, v6) => {
                let name = target(d)?;
                self.trail.push(format!("a {name}"));
                match self.dns.addresses(&name) {
                    Lookup::Found(list) => Ok(list
                        .iter()
                        .any(|&c| matches_cidr(self.address, c, *v4, *v6))),
                    Lookup::Void => self.void().map(|_| false),
                    Lookup::Unknown => Err(Verdict::Unknown(format!(
                        "`{name}` is not in the checked zones"
                    ))),
                }
            }
            Mechanism::Mx(d, v4, v6) => {
                let name = target(d)?;
                self.trail.push(format!("mx {name}"));
                let exchanges = match self.dns.mx(&name) {
                    Lookup::Found(list) => list,
                    Lookup::Void => return self.void().map(|_| false),
                    Lookup::Unknown => {
                        return Err(Verdict::Unknown(format!(
                            "`{name}` is not in the checked zones"
                        )));
                    }
                };
                if exchanges.len() > 10 {
                    return Err(Verdict::PermError(format!(
                        "`{name}` has {} MX records; `mx` may look up at most 10 (RFC 7208 §4.6.4)",
                        exchanges.len()
                    )));
                }
                let mut unknown = None;
                for x in exchanges {
                    match self.dns.addresses(&x) {
                        Lookup::Found(list) => {
                            if list
                                .iter()
                                .any(|&c| matches_cidr(self.address, c, *v4, *v6))
                            {
                                self.trail.push(format!("{x} has {}", self.address));
                                return Ok(true);
                            }
                        }
                        Lookup::Void => {}
                        Lookup::Unknown => unknown = Some(x),
                    }
                }
                match unknown {
                    Some(x) => Err(Verdict::Unknown(format!(
                        "the exchange `{x}` is not in the checked zones"
                    ))),
                    None => Ok(false),
                }
            }
            Mechanism::Include(spec) => {
                let name = target(&Some(spec.clone()))?;
                self.trail.push(format!("include:{name}"));
                let (v, _) = self.check_host(&name, helo, depth + 1);
                match v {
                    Verdict::Pass => Ok(true),
                    Verdict::Fail | Verdict::SoftFail | Verdict::Neutral => Ok(false),
                    Verdict::None => Err(Verdict::PermError(format!(
                        "the included `{name}` has no SPF record"
                    ))),
                    other => Err(other),
                }
            }
            Mechanism::Exists(spec) => {
                let name = target(&Some(spec.clone()))?;
                self.trail.push(format!("exists:{name}"));
                match self.dns.addresses(&name) {
                    Lookup::Found(list) => Ok(list.iter().any(IpAddr::is_ipv4)),
                    Lookup::Void => self.void().map(|_| false),
                    Lookup::Unknown => Err(Verdict::Unknown(format!(
                        "`{name}` is not in the checked zones"
                    ))),
                }
            }
            Mechanism::Ptr(d) => {
                let name = target(d)?;
                self.trail.push(format!("ptr {name}"));
                let names = match self.dns.ptr(self.address) {
                    Lookup::Found(n) => n,
                    Lookup::Void => return self.void().map(|_| false),
                    Lookup::Unknown => {
                        return Err(Verdict::Unknown(format!(
                            "the PTR of {} is not in the checked zones",
                            self.address
                        )));
                    }
                };
                for n in names.into_iter().take(10) {
                    let n = absolute(&n);
                    if !(n == name || n.ends_with(&format!(".{name}"))) {
                        continue;
                    }
                    if let Lookup::Found(list) = self.dns.addresses(&n)
                        && list.contains(&self.address)
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}

/// Evaluates the SPF record of `domain` for mail from `address` (the public address a
/// receiver sees), with `helo` as the HELO name.
pub fn check_host(dns: &dyn Dns, address: IpAddr, domain: &str, helo: &str) -> Outcome {
    let mut e = Evaluation {
        dns,
        address,
        lookups: 0,
        voids: 0,
        trail: Vec::new(),
    };
    let (verdict, decided_by) = e.check_host(domain, helo, 0);
    Outcome {
        verdict,
        decided_by,
        trail: e.trail,
        lookups: e.lookups,
    }
}

/// The lookups a record costs at most, with the records it includes (in the set): more
/// than 10 is a permerror for every sender (§4.6.4). Returns the count and the term
/// that passes the limit.
pub fn worst_case_lookups(
    dns: &dyn Dns,
    domain: &str,
    depth: usize,
    seen: &mut Vec<String>,
) -> usize {
    let domain = absolute(domain);
    if depth > 10 || seen.contains(&domain) {
        return 0;
    }
    seen.push(domain.clone());
    let Lookup::Found(texts) = dns.txt(&domain) else {
        return 0;
    };
    let Some(text) = texts.iter().find(|t| is_spf(t)) else {
        return 0;
    };
    let Ok(record) = parse(text) else {
        return 0;
    };
    let mut n = 0;
    for t in &record.terms {
        match &t.term {
            Term::Directive(_, Mechanism::Include(d)) | Term::Redirect(d) => {
                n += 1;
                if !d.contains('%') {
                    n += worst_case_lookups(dns, d, depth + 1, seen);
                }
            }
            Term::Directive(_, m) if m.looks_up() => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Fake {
        txt: HashMap<String, Vec<String>>,
        addresses: HashMap<String, Vec<IpAddr>>,
        mx: HashMap<String, Vec<String>>,
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    impl Dns for Fake {
        fn txt(&self, name: &str) -> Lookup<Vec<String>> {
            if name.ends_with("outside.example.") {
                return Lookup::Unknown;
            }
            self.txt
                .get(name)
                .cloned()
                .map_or(Lookup::Void, Lookup::Found)
        }
        fn addresses(&self, name: &str) -> Lookup<Vec<IpAddr>> {
            if name.ends_with("outside.example.") {
                return Lookup::Unknown;
            }
            self.addresses
                .get(name)
                .cloned()
                .map_or(Lookup::Void, Lookup::Found)
        }
        fn mx(&self, name: &str) -> Lookup<Vec<String>> {
            self.mx
                .get(name)
                .cloned()
                .map_or(Lookup::Void, Lookup::Found)
        }
        fn ptr(&self, _: IpAddr) -> Lookup<Vec<String>> {
            Lookup::Void
        }
    }

    fn fake() -> Fake {
        let mut f = Fake::default();
        f.txt
            .insert("a.example.".into(), vec!["v=spf1 mx -all".into()]);
        f.mx.insert("a.example.".into(), vec!["mail.a.example.".into()]);
        f.addresses
            .insert("mail.a.example.".into(), vec![ip("10.0.0.25")]);
        f.txt.insert(
            "b.example.".into(),
            vec!["v=spf1 ip4:192.0.2.0/24 include:c.example ~all".into()],
        );
        f.txt.insert(
            "c.example.".into(),
            vec!["v=spf1 a:host.c.example/28 -all".into()],
        );
        f.addresses
            .insert("host.c.example.".into(), vec![ip("198.51.100.1")]);
        f.txt.insert(
            "d.example.".into(),
            vec!["v=spf1 include:x.outside.example -all".into()],
        );
        f.txt.insert(
            "e.example.".into(),
            vec!["v=spf1 ip4:203.0.113.9 include:x.outside.example -all".into()],
        );
        f.txt.insert(
            "two.example.".into(),
            vec!["v=spf1 -all".into(), "v=spf1 +all".into()],
        );
        f
    }

    #[test]
    fn qualifiers_and_prefix_lengths() {
        let r = parse("v=spf1 +a -mx ~ptr ?all").unwrap();
        let q: Vec<Qualifier> = r
            .terms
            .iter()
            .map(|t| match &t.term {
                Term::Directive(q, _) => *q,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            q,
            [
                Qualifier::Pass,
                Qualifier::Fail,
                Qualifier::SoftFail,
                Qualifier::Neutral
            ]
        );
        for (good, want) in [
            ("v=spf1 a/0", Mechanism::A(None, 0, 128)),
            ("v=spf1 a/32//128", Mechanism::A(None, 32, 128)),
            (
                "v=spf1 a:example.com/9//0",
                Mechanism::A(Some("example.com".into()), 9, 0),
            ),
            ("v=spf1 mx//64", Mechanism::Mx(None, 32, 64)),
        ] {
            let r = parse(good).unwrap_or_else(|e| panic!("{good}: {e:?}"));
            assert_eq!(
                r.terms[0].term,
                Term::Directive(Qualifier::Pass, want),
                "{good}"
            );
        }
        for bad in [
            "v=spf1 a/01",
            "v=spf1 a/",
            "v=spf1 a/x",
            "v=spf1 a//129",
            "v=spf1 a:/24",
            "v=spf1 aexample.com",
            "v=spf1 ip4:192.0.2.0/33",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.at.start, 7, "{bad}: the error is at the term");
        }
    }

    #[test]
    fn every_mechanism_and_modifier() {
        let text = concat!(
            "v=spf1 ptr ptr:example.org ip6:2001:db8::/32 ip4:192.0.2.1 ",
            "exists:%{i}.x.example include:a.example -all ",
            "exp=why.example redirect=b.example x-note=%{d}",
        );
        let r = parse(text).unwrap();
        let terms: Vec<&Term> = r.terms.iter().map(|t| &t.term).collect();
        assert_eq!(
            terms[0],
            &Term::Directive(Qualifier::Pass, Mechanism::Ptr(None))
        );
        assert_eq!(
            terms[1],
            &Term::Directive(Qualifier::Pass, Mechanism::Ptr(Some("example.org".into())))
        );
        assert_eq!(
            terms[2],
            &Term::Directive(
                Qualifier::Pass,
                Mechanism::Ip("2001:db8::/32".parse().unwrap())
            )
        );
        assert_eq!(
            terms[3],
            &Term::Directive(
                Qualifier::Pass,
                Mechanism::Ip("192.0.2.1/32".parse().unwrap())
            )
        );
        assert_eq!(terms[7], &Term::Explanation("why.example".into()));
        assert_eq!(terms[8], &Term::Redirect("b.example".into()));
        assert_eq!(terms[9], &Term::Other);
        // `ip4:...` holds no `=`, but `exists:%{i}=x` is a mechanism with a bad domain,
        // not a modifier: a `:` before the `=` decides.
        assert!(parse("v=spf1 exists:a=b.example").is_ok());
    }

    #[test]
    fn explanations_expand_the_escapes() {
        let a: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(
            expand("a%%b%_c%-d", "x.example.", a, "h.").unwrap(),
            "a%b c%20d"
        );
        assert_eq!(
            expand("%{d2}", "a.b.example.", a, "h.").unwrap(),
            "b.example"
        );
        assert_eq!(
            expand("%{ir}.%{v}.%{h}", "x.", a, "mail.example.").unwrap(),
            "7.2.0.192.in-addr.mail.example"
        );
        assert_eq!(expand("%{p}", "x.", a, "h."), None);
        assert_eq!(expand("%", "x.", a, "h."), None);
    }

    #[test]
    fn macro_strings() {
        for good in [
            "%%",
            "%_",
            "%-",
            "%{d}",
            "%{ir}.%{v}",
            "%{l1r-}",
            "a%%b",
            "%{D2}",
        ] {
            assert_eq!(check_macros(good, false), Ok(()), "{good}");
        }
        assert_eq!(check_macros("%{c}", true), Ok(()));
        for bad in ["%", "%x", "%{", "%{}", "%{c}", "%{d2x}", "a b", "%{d}%"] {
            assert!(check_macros(bad, false).is_err(), "{bad}");
        }
        // A modifier's macro-string is checked where it stands.
        let e = parse("v=spf1 -all exp=%{z}.example").unwrap_err();
        assert_eq!(e.at, 12..28);
    }

    #[test]
    fn parsing() {
        let r = parse("v=spf1 a mx/24 -ip4:10.0.0.0/8 ~all redirect=_spf.example.com").unwrap();
        assert_eq!(r.terms.len(), 5);
        assert_eq!(
            r.terms[1].term,
            Term::Directive(Qualifier::Pass, Mechanism::Mx(None, 24, 128))
        );
        assert_eq!(r.terms[1].at, 9..14);
        for bad in [
            "v=spf1 ip4:300.0.0.1",
            "v=spf1 a/33",
            "v=spf1 include",
            "v=spf1 foo",
            "v=spf1 redirect=a.example redirect=b.example",
            "v=spf1 exists:%{z}.example",
            "v=spf1 a:example.123",
            "v=spf1 ip6:192.0.2.1",
            "v=spf1 mx:a..b",
            "v=spf1 all:x",
            "v=spf1 ptrx",
            "v=spf1 ip4",
            "v=spf1 ip4:",
            "v=spf1 ip6:2001:db8::/129",
            "v=spf1 1x=y",
            "v=spf1 exp=a.example exp=b.example",
            "v=spf1 x-y.z=%",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("v=spf1 exists:%{ir}.%{v}._spf.%{d2} ?all moo=bar").is_ok());
        assert!(!is_spf("v=spf10 -all"));
        assert!(is_spf("V=SPF1"));
    }

    #[test]
    fn evaluation_follows_mx_includes_and_stops_at_the_set_edge() {
        let f = fake();
        let o = check_host(&f, ip("203.0.113.25"), "a.example.", "h");
        assert_eq!(
            o.verdict,
            Verdict::Fail,
            "the MX leads to a private address"
        );
        assert_eq!(o.decided_by.unwrap().at, 10..14);
        assert_eq!(
            check_host(&f, ip("10.0.0.25"), "a.example.", "h").verdict,
            Verdict::Pass
        );
        assert_eq!(
            check_host(&f, ip("198.51.100.9"), "b.example.", "h").verdict,
            Verdict::Pass,
            "/28 of the include"
        );
        assert_eq!(
            check_host(&f, ip("198.51.100.99"), "b.example.", "h").verdict,
            Verdict::SoftFail
        );
        assert!(matches!(
            check_host(&f, ip("1.1.1.1"), "d.example.", "h").verdict,
            Verdict::Unknown(_)
        ));
        assert_eq!(
            check_host(&f, ip("203.0.113.9"), "e.example.", "h").verdict,
            Verdict::Pass,
            "decided before the unknown include"
        );
        assert!(matches!(
            check_host(&f, ip("1.1.1.1"), "two.example.", "h").verdict,
            Verdict::PermError(_)
        ));
        assert_eq!(
            check_host(&f, ip("1.1.1.1"), "none.example.", "h").verdict,
            Verdict::None
        );
        let mut six = Fake::default();
        six.txt
            .insert("v6.example.".into(), vec!["v=spf1 a//64 -all".into()]);
        six.addresses.insert(
            "v6.example.".into(),
            vec![ip("2001:db8::1"), ip("192.0.2.1")],
        );
        assert_eq!(
            check_host(&six, ip("2001:db8::abcd"), "v6.example.", "h").verdict,
            Verdict::Pass
        );
        assert_eq!(
            check_host(&six, ip("2001:db9::1"), "v6.example.", "h").verdict,
            Verdict::Fail
        );
        assert_eq!(
            check_host(&six, ip("192.0.2.1"), "v6.example.", "h").verdict,
            Verdict::Pass
        );
        assert_eq!(
            check_host(&six, ip("192.0.2.2"), "v6.example.", "h").verdict,
            Verdict::Fail
        );
    }

    #[test]
    fn lookup_limits() {
        let mut f = Fake::default();
        let many = (0..11)
            .map(|i| format!("a:h{i}.example"))
            .collect::<Vec<_>>()
            .join(" ");
        f.txt
            .insert("l.example.".into(), vec![format!("v=spf1 {many} -all")]);
        for i in 0..11 {
            f.addresses
                .insert(format!("h{i}.example."), vec![ip("192.0.2.1")]);
        }
        let o = check_host(&f, ip("203.0.113.1"), "l.example.", "h");
        assert!(
            matches!(o.verdict, Verdict::PermError(ref m) if m.contains("10 DNS lookups")),
            "{o:?}"
        );
        assert_eq!(worst_case_lookups(&f, "l.example.", 0, &mut Vec::new()), 11);
        let mut v = Fake::default();
        v.txt.insert(
            "v.example.".into(),
            vec!["v=spf1 a:x1.example a:x2.example a:x3.example -all".into()],
        );
        let o = check_host(&v, ip("203.0.113.1"), "v.example.", "h");
        assert!(
            matches!(o.verdict, Verdict::PermError(ref m) if m.contains("void")),
            "{o:?}"
        );
    }

    #[test]
    fn macros_expand_what_offline_data_allows() {
        assert_eq!(
            expand(
                "%{ir}.%{v}._spf.%{d2}",
                "mail.example.com.",
                ip("192.0.2.3"),
                "h"
            )
            .unwrap(),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(expand("%{p}.x", "d.", ip("192.0.2.3"), "h"), None);
    }
}
