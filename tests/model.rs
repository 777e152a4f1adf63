//! The zone-set model over the example zones: which zone holds a name, reverse zone
//! coverage, and how a resolver sees names and addresses across files.

use crate::common::{check_with, manifest_dir};
use std::net::IpAddr;
use zonelint::model::ZoneSet;
use zonelint::model::index::{Answer, SetIndex};

fn addresses(set: &ZoneSet, index: &SetIndex, name: &str) -> Vec<IpAddr> {
    match index.resolve_text(set, name) {
        answer @ (Answer::Addresses { .. } | Answer::NoAddress) => {
            index.answer_addresses(set, &answer)
        }
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn forward_and_reverse_lookups_across_the_example_zones() {
    // The external view only: the internal one has the same origin.
    let dir = manifest_dir().join("zones");
    let files: Vec<_> = [
        "source.example.zone",
        "113.0.203.in-addr.arpa.zone",
        "192-26.113.0.203.in-addr.arpa.zone",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let paths: Vec<_> = files.iter().map(|f| (f.as_path(), None)).collect();
    let run = check_with(&paths, None, false);
    let set = &run.report.set;
    let index = SetIndex::build(set);
    let origin = |z: usize| set.zones[z].origin_text();

    assert_eq!(
        set.zone_for("mail.source.example.").map(origin).as_deref(),
        Some("source.example.")
    );
    assert_eq!(
        set.zone_for("25.113.0.203.in-addr.arpa.")
            .map(origin)
            .as_deref(),
        Some("113.0.203.in-addr.arpa.")
    );
    assert_eq!(set.zone_for("www.other.example."), None);

    let public: IpAddr = "203.0.113.25".parse().unwrap();
    assert_eq!(
        set.reverse_zone_for(public).map(origin).as_deref(),
        Some("113.0.203.in-addr.arpa.")
    );
    assert_eq!(set.reverse_zone_for("198.51.100.1".parse().unwrap()), None);

    let v6: IpAddr = "2001:db8:113::25".parse().unwrap();
    assert_eq!(
        addresses(set, &index, "mail.source.example."),
        vec![public, v6]
    );
    assert_eq!(
        index.resolve_text(set, "nowhere.source.example."),
        Answer::NoAddress
    );
    assert_eq!(
        index.resolve_text(set, "www.other.example."),
        Answer::OutOfSet
    );
    assert!(matches!(
        index.resolve_text(set, "webmail.source.example."),
        Answer::Cname(_)
    ));
    assert_eq!(
        index.resolve_text(set, "ns.branch.source.example."),
        Answer::Delegated
    );

    let www: Vec<_> = index
        .ptrs_for(set, "203.0.113.80".parse().unwrap())
        .collect();
    let (z, i) = www[0];
    let target = set.zones[z]
        .target(&set.zones[z].records[i])
        .map(|t| set.zones[z].name(t));
    assert_eq!(target.as_deref(), Some("www.source.example."));
    assert_eq!(
        index.ptrs_for(set, public).count(),
        0,
        "the example's missing PTR for the mail host"
    );
}

#[test]
fn wildcards_answer_names_that_do_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let zone = "$ORIGIN w.example.\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n*.hosts IN A 192.0.2.9\nreal.hosts IN TXT \"x\"\n";
    std::fs::write(dir.path().join("w.example.zone"), zone).unwrap();
    let run = check_with(&[(dir.path(), None)], None, false);
    let set = &run.report.set;
    let index = SetIndex::build(set);
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert_eq!(
        addresses(set, &index, "anything.hosts.w.example."),
        vec![ip("192.0.2.9")]
    );
    assert_eq!(
        addresses(set, &index, "ns.w.example."),
        vec![ip("192.0.2.1")]
    );
    // A name that exists (it owns a TXT) is not answered by the wildcard.
    assert!(addresses(set, &index, "real.hosts.w.example.").is_empty());
    assert!(addresses(set, &index, "x.nohosts.w.example.").is_empty());
}

#[test]
fn dname_redirects_and_cnames_are_followed_where_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let zone = "$ORIGIN d.example.\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\nold IN DNAME new.d.example.\nhost.new IN A 192.0.2.7\nalias IN CNAME host.new\n";
    std::fs::write(dir.path().join("d.example.zone"), zone).unwrap();
    let run = check_with(&[(dir.path(), None)], None, false);
    let set = &run.report.set;
    let index = SetIndex::build(set);
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    // host.old.d.example. is rewritten to host.new.d.example. (RFC 6672 §2.2).
    assert_eq!(
        addresses(set, &index, "host.old.d.example."),
        vec![ip("192.0.2.7")]
    );
    assert!(matches!(
        index.resolve_text(set, "alias.d.example."),
        Answer::Cname(_)
    ));
    let followed = index.resolve_text_following(set, "alias.d.example.");
    assert_eq!(
        index.answer_addresses(set, &followed),
        vec![ip("192.0.2.7")]
    );
}
