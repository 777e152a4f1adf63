//! BIND's `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`.
//!
//! `$` in the templates is replaced by the iterator; `${offset,width,base}` adds an
//! offset, pads to a width and picks a base (`d`, `o`, `x`, `X`, or `n`/`N` for reversed
//! nibbles as in ip6.arpa names); `\$` is a literal dollar. Expanded records point at the
//! `$GENERATE` line. Not to be confused with `src/generate/`, which writes new records.

use super::entries::{Chunk, Tok};
use super::parser::{Parser, RecordInput};
use crate::rr::rdata::show;
use crate::span::Span;

/// The most records one `$GENERATE` line may produce.
pub const MAX_GENERATE: u64 = 65_536;

/// The most records all `$GENERATE` lines of one zone may produce together, unless
/// `max-generated-records` in zonelint.toml says otherwise: a few kilobytes of lines
/// must not expand into gigabytes.
pub const DEFAULT_BUDGET: u64 = 10_000_000;

fn parse_range(text: &[u8]) -> Result<(u64, u64, u64), String> {
    let s = std::str::from_utf8(text).map_err(|_| "range is not text".to_string())?;
    let (range, step) = match s.split_once('/') {
        Some((r, st)) => (r, Some(st)),
        None => (s, None),
    };
    let (a, b) = range
        .split_once('-')
        .ok_or_else(|| format!("range `{s}` must be `start-stop[/step]`"))?;
    let num = |x: &str, what: &str| -> Result<u64, String> {
        x.parse::<u64>()
            .ok()
            .filter(|n| *n <= u32::MAX as u64 && !x.starts_with('+'))
            .ok_or_else(|| format!("range {what} `{x}` is not a number up to 4294967295"))
    };
    let start = num(a, "start")?;
    let stop = num(b, "stop")?;
    let step = match step {
        Some(st) => num(st, "step")?,
        None => 1,
    };
    if step == 0 {
        return Err("range step must be at least 1".into());
    }
    if start > stop {
        return Err(format!("range start {start} is greater than stop {stop}"));
    }
    Ok((start, stop, step))
}

fn format_value(out: &mut Vec<u8>, value: i64, width: usize, base: u8) {
    let v = value.unsigned_abs();
    let digits = match base {
        b'o' => format!("{v:o}"),
        b'x' => format!("{v:x}"),
        b'X' => format!("{v:X}"),
        b'n' | b'N' => {
            let hex = if base == b'n' {
                format!("{v:x}")
            } else {
                format!("{v:X}")
            };
            let hex = format!("{hex:0>width$}");
            let mut parts: Vec<String> = hex.chars().rev().map(|c| c.to_string()).collect();
            if parts.is_empty() {
                parts.push("0".into());
            }
            out.extend_from_slice(parts.join(".").as_bytes());
            return;
        }
        _ => v.to_string(),
    };
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(format!("{digits:0>width$}").as_bytes());
}

/// Substitutes one template for iterator value `i`.
fn substitute(template: &[u8], i: u64, out: &mut Vec<u8>) -> Result<(), String> {
    let mut k = 0;
    while k < template.len() {
        let b = template[k];
        if b == b'\\' && k + 1 < template.len() {
            out.extend_from_slice(&template[k..k + 2]);
            k += 2;
        } else if b == b'$' {
            if template.get(k + 1) == Some(&b'{') {
                let close = template[k..]
                    .iter()
                    .position(|&c| c == b'}')
                    .ok_or("`${` is not closed with `}`")?;
                let inner =
                    std::str::from_utf8(&template[k + 2..k + close]).map_err(|_| "bad modifier")?;
                let mut parts = inner.split(',');
                let offset: i64 = match parts.next() {
                    Some("") | None => 0,
                    Some(x) => x
                        .trim()
                        .parse()
                        .map_err(|_| format!("offset `{x}` is not a number"))?,
                };
                let width: usize = match parts.next() {
                    None => 0,
                    Some(x) => x
                        .trim()
                        .parse()
                        .ok()
                        .filter(|w| *w <= 255)
                        .ok_or(format!("width `{x}` is not a number up to 255"))?,
                };
                let base = match parts.next() {
                    None => b'd',
                    Some(x) if matches!(x.trim(), "d" | "o" | "x" | "X" | "n" | "N") => {
                        x.trim().as_bytes()[0]
                    }
                    Some(x) => return Err(format!("base `{x}` is not one of d, o, x, X, n, N")),
                };
                if parts.next().is_some() {
                    return Err("`${offset,width,base}` has too many parts".into());
                }
                let value = i64::try_from(i)
                    .ok()
                    .and_then(|i| i.checked_add(offset))
                    .ok_or_else(|| format!("offset {offset} overflows for iterator value {i}"))?;
                format_value(out, value, width, base);
                k += close + 1;
            } else {
                out.extend_from_slice(i.to_string().as_bytes());
                k += 1;
            }
        } else {
            out.push(b);
            k += 1;
        }
    }
    Ok(())
}

pub(crate) fn expand(p: &mut Parser, source: u32, text: Chunk, line: Span, toks: &[Tok]) {
    let report = |p: &mut Parser, span: Span, msg: String| p.report("SYN009", source, span, msg);
    let Some(range_tok) = toks.get(1) else {
        return report(
            p,
            line,
            "`$GENERATE` needs a range, an owner template, a type and an RDATA template".into(),
        );
    };
    let (start, stop, step) = match parse_range(range_tok.text(text)) {
        Ok(r) => r,
        Err(e) => return report(p, range_tok.span, format!("`$GENERATE` {e}")),
    };
    let count = (stop - start) / step + 1;
    if count > MAX_GENERATE {
        return report(
            p,
            range_tok.span,
            format!(
                "`$GENERATE` range produces {count} records; zonelint expands at most {MAX_GENERATE} per line"
            ),
        );
    }
    if toks.len() < 5 {
        return report(
            p,
            line,
            "`$GENERATE` needs a range, an owner template, a type and an RDATA template".into(),
        );
    }
    let budget = p.policy_max_generated();
    if p.generated.saturating_add(count) > budget {
        return report(
            p,
            range_tok.span,
            format!(
                "`$GENERATE` lines of this zone would produce more than {budget} records in all; this line is not expanded (raise `max-generated-records` in zonelint.toml if the zone really is that large)"
            ),
        );
    }
    p.generated += count;
    let templates = &toks[2..];
    let mut buf: Vec<u8> = Vec::new();
    let mut gen_toks: Vec<Tok> = Vec::with_capacity(templates.len());
    let mut i = start;
    while i <= stop {
        buf.clear();
        gen_toks.clear();
        for t in templates {
            let s = buf.len();
            let quoted = t.quoted;
            if quoted {
                buf.push(b'"');
            }
            if let Err(e) = substitute(t.text(text), i, &mut buf) {
                return report(
                    p,
                    t.span,
                    format!("`$GENERATE` template `{}`: {e}", show(t.text(text))),
                );
            }
            if quoted {
                buf.push(b'"');
            }
            gen_toks.push(Tok {
                span: Span::new(s, buf.len()),
                quoted,
                glued: t.glued,
            });
        }
        let mut fields = Vec::with_capacity(gen_toks.len());
        let ok = p.record(
            RecordInput {
                text: Chunk::whole(&buf),
                toks: &gen_toks,
                blank_owner: false,
                span: line,
                source,
                generated: true,
            },
            &mut fields,
        );
        if !ok {
            // One finding per `$GENERATE` line is enough: the template is wrong for all.
            return;
        }
        i += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(t: &str, i: u64) -> String {
        let mut out = Vec::new();
        substitute(t.as_bytes(), i, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn modifiers() {
        assert_eq!(sub("host-$", 7), "host-7");
        assert_eq!(sub("${10,3,d}", 7), "017");
        assert_eq!(sub("${0,2,x}", 255), "ff");
        assert_eq!(sub("${0,4,n}", 0x1a), "a.1.0.0");
        assert_eq!(sub("a\\$b", 1), "a\\$b");
        assert_eq!(parse_range(b"1-10/3"), Ok((1, 10, 3)));
        assert!(parse_range(b"1-3/").is_err());
        assert!(parse_range(b"5-1").is_err());
        let mut out = Vec::new();
        assert!(substitute(b"${9223372036854775807,3,d}", 3, &mut out).is_err());
        assert_eq!(sub("${-5}", 3), "-2");
    }
}
