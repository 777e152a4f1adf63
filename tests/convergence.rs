//! Fix convergence over generated mail set-ups: random NAT, CNAME chains, RFC 2317
//! children, missing, stale and aliased PTRs, SPF records that do and do not cover the
//! host, HELO names that can and cannot be looked up. Whatever the set, `fix
//! --unsafe-fixes --write` adds no finding and a second fix is empty.

use proptest::prelude::*;

/// How a mail host's name is published in the forward zone.
#[derive(Clone, Copy, Debug)]
enum Published {
    Inside,
    Public,
    AliasOfInside,
    AliasOfPublic,
    Missing,
}

/// The PTR of the host's public address.
#[derive(Clone, Copy, Debug)]
enum Reverse {
    Missing,
    Correct,
    OtherHost,
    Alias,
    Nowhere,
}

#[derive(Clone, Debug)]
struct Host {
    nat: bool,
    published: Published,
    reverse: Reverse,
    local_helo: bool,
}

fn host() -> impl Strategy<Value = Host> {
    (
        any::<bool>(),
        prop_oneof![
            Just(Published::Inside),
            Just(Published::Public),
            Just(Published::AliasOfInside),
            Just(Published::AliasOfPublic),
            Just(Published::Missing),
        ],
        prop_oneof![
            Just(Reverse::Missing),
            Just(Reverse::Correct),
            Just(Reverse::OtherHost),
            Just(Reverse::Alias),
            Just(Reverse::Nowhere),
        ],
        any::<bool>(),
    )
        .prop_map(|(nat, published, reverse, local_helo)| Host {
            nat,
            published,
            reverse,
            local_helo,
        })
}

/// Writes the set: a forward zone, the reverse zone for 198.51.100.0/24 (or an RFC
/// 2317 child for its first 64 addresses), the inventory.
fn write_set(dir: &std::path::Path, hosts: &[Host], spf: usize, classless: bool, mx_alias: bool) {
    let mut fwd = String::from(
        "$ORIGIN shop.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 198.51.100.2\nweb IN A 198.51.100.3\n",
    );
    let mut rev = String::new();
    let mut inv = String::from(
        "version: 1\nmail:\n  domains:\n    shop.example:\n      mx: [mx0.shop.example]\n  hosts:\n",
    );
    let mut nat = String::from("nat:\n");
    for (k, h) in hosts.iter().enumerate() {
        let inside = format!("10.0.0.{}", 10 + k);
        let public = format!("198.51.100.{}", 10 + k);
        let own = if h.nat { &inside } else { &public };
        match h.published {
            Published::Inside => fwd.push_str(&format!("mx{k} IN A {inside}\n")),
            Published::Public => fwd.push_str(&format!("mx{k} IN A {public}\n")),
            Published::AliasOfInside => {
                fwd.push_str(&format!("mx{k} IN CNAME srv{k}\nsrv{k} IN A {inside}\n"))
            }
            Published::AliasOfPublic => {
                fwd.push_str(&format!("mx{k} IN CNAME srv{k}\nsrv{k} IN A {public}\n"))
            }
            Published::Missing => {}
        }
        let last = 10 + k;
        match h.reverse {
            Reverse::Missing => {}
            Reverse::Correct => rev.push_str(&format!("{last} IN PTR mx{k}.shop.example.\n")),
            Reverse::OtherHost => rev.push_str(&format!("{last} IN PTR web.shop.example.\n")),
            Reverse::Alias => rev.push_str(&format!("{last} IN PTR srv{k}.shop.example.\n")),
            Reverse::Nowhere => rev.push_str(&format!("{last} IN PTR gone.shop.example.\n")),
        }
        let helo = if h.local_helo {
            format!("\n      helo: exch{k}.corp.shop.local")
        } else {
            String::new()
        };
        inv.push_str(&format!(
            "    - name: mx{k}.shop.example{helo}\n      addresses: [{own}]\n"
        ));
        if h.nat {
            nat.push_str(&format!("  - inside: {inside}\n    outside: {public}\n"));
        }
    }
    fwd.push_str(if mx_alias {
        "@ IN MX 10 mail\nmail IN CNAME mx0\n"
    } else {
        "@ IN MX 10 mx0\n"
    });
    fwd.push_str(
        [
            "",
            "@ IN TXT \"v=spf1 mx -all\"\n",
            "@ IN TXT \"v=spf1 a:mx0.shop.example ~all\"\n",
            "@ IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        ][spf],
    );
    if nat.len() > 5 {
        inv.push_str(&nat);
    }
    let (name, origin) = if classless {
        (
            "0-26.100.51.198.in-addr.arpa.zone",
            "0-26.100.51.198.in-addr.arpa.",
        )
    } else {
        ("100.51.198.in-addr.arpa.zone", "100.51.198.in-addr.arpa.")
    };
    let rev = format!(
        "$ORIGIN {origin}\n$TTL 3600\n@ IN SOA ns1.shop.example. hostmaster.shop.example. 1 7200 3600 1209600 300\n@ IN NS ns1.shop.example.\n2 IN PTR ns1.shop.example.\n3 IN PTR web.shop.example.\n{rev}"
    );
    std::fs::create_dir_all(dir.join("set")).unwrap();
    std::fs::write(dir.join("set/shop.example.zone"), fwd).unwrap();
    std::fs::write(dir.join("set").join(name), rev).unwrap();
    std::fs::write(dir.join("set/inventory.yaml"), inv).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn fixes_of_generated_mail_sets_converge(
        hosts in proptest::collection::vec(host(), 1..4),
        spf in 0usize..4,
        classless in any::<bool>(),
        mx_alias in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), &hosts, spf, classless, mx_alias);
        crate::fix::assert_converges(dir.path(), "set", &["-i", "set/inventory.yaml"]);
    }
}
