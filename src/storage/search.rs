//! The keys customers are found by: folded name, pinyin initials, phone digits (prefix and last
//! four), member number. The same keys feed the IndexedDB indexes and the in-memory search.
use orchid_core::customer::{Customer, normalize_name};
use orchid_core::ids::CustomerId;

use super::pinyin;

/// A customer's search keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerKeys {
    /// The customer.
    pub id: CustomerId,
    /// `normalize_name(name)`.
    pub name: String,
    /// Pinyin initials of the name's Chinese characters, first letters of its latin words
    /// (`王丽华` → `wlh`, `Anna Li` → `al`); empty if none.
    pub initials: String,
    /// National digits of the phone (`13812345678`), empty if none.
    pub phone: String,
    /// Member number, folded.
    pub member: String,
}

impl CustomerKeys {
    /// The keys of a customer.
    pub fn of(c: &Customer) -> Self {
        Self {
            id: c.id,
            name: normalize_name(c.name.as_str()),
            initials: initials(c.name.as_str()),
            phone: c
                .phone
                .as_ref()
                .map(|p| p.national_digits().to_owned())
                .unwrap_or_default(),
            member: c
                .membership_no
                .as_ref()
                .map(|m| normalize_name(m.as_str()))
                .unwrap_or_default(),
        }
    }

    /// The keys as stored in the customer's record row (index name → key).
    pub fn row_keys(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("name", self.name.as_str()),
            ("initials", self.initials.as_str()),
            ("phone", self.phone.as_str()),
            ("phone4", self.phone4()),
            ("member", self.member.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// The last four digits of the phone.
    pub fn phone4(&self) -> &str {
        let n = self.phone.len();
        self.phone.get(n.saturating_sub(4)..).unwrap_or("")
    }

    /// How well this customer matches a folded query: `None` for no match, lower is better
    /// (0 exact, 1 prefix of name / initials / phone / member number, 2 phone's last four digits,
    /// 3 inside the name or member number, 4 inside the phone).
    pub fn rank(&self, q: &str) -> Option<u8> {
        if q.is_empty() {
            return Some(3);
        }
        if self.name == q || self.member == q || self.phone == q {
            return Some(0);
        }
        let digits = q.chars().all(|c| c.is_ascii_digit());
        if self.name.starts_with(q)
            || (!self.initials.is_empty() && self.initials.starts_with(q))
            || (!self.member.is_empty() && self.member.starts_with(q))
            || (digits && q.len() >= 3 && self.phone.starts_with(q))
        {
            return Some(1);
        }
        if digits && q.len() == 4 && self.phone4() == q {
            return Some(2);
        }
        if self.name.contains(q) || (!self.member.is_empty() && self.member.contains(q)) {
            return Some(3);
        }
        if digits && q.len() >= 4 && self.phone.contains(q) {
            return Some(4);
        }
        None
    }
}

/// The customers' keys sorted for prefix lookups, so that search as you type over 10,000+
/// customers does not rank every customer when the prefixes alone fill the page. Built lazily
/// by the device after its customers change.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// Every customer's keys, by (name, id): an empty query lists these in order.
    keys: Vec<CustomerKeys>,
    /// Positions in `keys`, sorted by initials, phone and member number.
    by_initials: Vec<u32>,
    by_phone: Vec<u32>,
    by_member: Vec<u32>,
    by_phone4: Vec<u32>,
    /// Names, member numbers and phones of `keys` joined by newlines (which folded keys never
    /// hold), with where each customer's starts: "anywhere in" is one substring search each.
    names: Haystack,
    members: Haystack,
    phones: Haystack,
}

/// Keys joined by `\n`, and the byte offset where each position's key starts.
#[derive(Clone, Debug, Default)]
struct Haystack {
    text: String,
    starts: Vec<usize>,
}

impl Haystack {
    fn new(keys: &[CustomerKeys], key: fn(&CustomerKeys) -> &str) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(keys.len());
        for k in keys {
            starts.push(text.len());
            text.push_str(key(k));
            text.push('\n');
        }
        Self { text, starts }
    }

    /// Positions whose key contains `q` (which holds no newline).
    fn containing<'a>(&'a self, q: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.text.match_indices(q).filter_map(move |(at, _)| {
            let position = self.starts.partition_point(|&s| s <= at).checked_sub(1)?;
            u32::try_from(position).ok()
        })
    }
}

impl SearchIndex {
    /// The index of these customers.
    pub fn new<'a>(keys: impl Iterator<Item = &'a CustomerKeys>) -> Self {
        let mut keys: Vec<CustomerKeys> = keys.cloned().collect();
        keys.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let sorted_by = |key: fn(&CustomerKeys) -> &str| {
            let mut positions: Vec<u32> = (0..keys.len())
                .filter(|&i| !key(&keys[i]).is_empty())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            positions.sort_by(|&a, &b| key(&keys[a as usize]).cmp(key(&keys[b as usize])));
            positions
        };
        let by_initials = sorted_by(|k| &k.initials);
        let by_phone = sorted_by(|k| &k.phone);
        let by_member = sorted_by(|k| &k.member);
        let by_phone4 = sorted_by(|k| k.phone4());
        let names = Haystack::new(&keys, |k| &k.name);
        let members = Haystack::new(&keys, |k| &k.member);
        let phones = Haystack::new(&keys, |k| &k.phone);
        Self {
            keys,
            by_initials,
            by_phone,
            by_member,
            by_phone4,
            names,
            members,
            phones,
        }
    }

    /// How many customers.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The customers matching the folded query `q`, best first (by [`CustomerKeys::rank`], then
    /// name, then id), at most `limit`: the same answer as ranking every customer, but when the
    /// exact and prefix matches (found by binary search) fill `limit`, nobody else is looked at.
    pub fn search(&self, q: &str, limit: usize) -> Vec<CustomerId> {
        if limit == 0 {
            return Vec::new();
        }
        if q.is_empty() {
            return self.keys.iter().take(limit).map(|k| k.id).collect();
        }
        let mut candidates: Vec<u32> = Vec::new();
        let names = prefix_range(&self.keys, q, |k| &k.name);
        candidates.extend(names.filter_map(|i| u32::try_from(i).ok()));
        for (positions, key) in [
            (
                &self.by_initials,
                (|k: &CustomerKeys| k.initials.as_str()) as fn(&CustomerKeys) -> &str,
            ),
            (&self.by_member, |k: &CustomerKeys| k.member.as_str()),
        ] {
            candidates.extend_from_slice(self.prefix_positions(positions, q, key));
        }
        if q.len() >= 3 && q.chars().all(|c| c.is_ascii_digit()) {
            candidates.extend_from_slice(self.prefix_positions(&self.by_phone, q, |k| &k.phone));
        }
        candidates.sort_unstable();
        candidates.dedup();
        // Every customer outside these candidates ranks 2 or worse: with enough of them the
        // answer is among them. Otherwise add the other ways to match (last four digits, inside
        // the name, member number or phone), each found without looking at every customer.
        let prefixes_only = candidates.len() >= limit;
        if !prefixes_only {
            if q.contains('\n') {
                candidates = (0..self.keys.len())
                    .filter_map(|i| u32::try_from(i).ok())
                    .collect();
            } else {
                if q.len() == 4 && q.chars().all(|c| c.is_ascii_digit()) {
                    candidates.extend_from_slice(
                        self.prefix_positions(&self.by_phone4, q, |k| k.phone4()),
                    );
                }
                candidates.extend(self.names.containing(q));
                candidates.extend(self.members.containing(q));
                if q.len() >= 4 && q.chars().all(|c| c.is_ascii_digit()) {
                    candidates.extend(self.phones.containing(q));
                }
                candidates.sort_unstable();
                candidates.dedup();
            }
        }
        let mut hits: Vec<(u8, u32)> = if prefixes_only {
            // Only exact and prefix matches: rank 0 or 1, told apart by equality alone.
            candidates
                .iter()
                .map(|&i| {
                    let k = &self.keys[i as usize];
                    let exact = k.name == q || k.member == q || k.phone == q;
                    (u8::from(!exact), i)
                })
                .collect()
        } else {
            candidates
                .iter()
                .filter_map(|&i| self.keys[i as usize].rank(q).map(|r| (r, i)))
                .collect()
        };
        // `keys` is in (name, id) order, so position order is the tie-break.
        let take = limit.min(hits.len());
        if take > 0 && take < hits.len() {
            hits.select_nth_unstable(take - 1);
            hits.truncate(take);
        }
        hits.sort_unstable();
        hits.iter()
            .map(|&(_, i)| self.keys[i as usize].id)
            .collect()
    }

    fn prefix_positions<'p>(
        &self,
        positions: &'p [u32],
        q: &str,
        key: fn(&CustomerKeys) -> &str,
    ) -> &'p [u32] {
        let start = positions.partition_point(|&i| key(&self.keys[i as usize]) < q);
        let end = start
            + positions[start..].partition_point(|&i| key(&self.keys[i as usize]).starts_with(q));
        &positions[start..end]
    }
}

/// The range of `sorted` (sorted by `key`) whose key starts with `q`.
fn prefix_range(
    sorted: &[CustomerKeys],
    q: &str,
    key: fn(&CustomerKeys) -> &str,
) -> std::ops::Range<usize> {
    let start = sorted.partition_point(|k| key(k) < q);
    let end = start + sorted[start..].partition_point(|k| key(k).starts_with(q));
    start..end
}

/// Folds what was typed in a search box the way names are folded.
pub fn fold_query(q: &str) -> String {
    normalize_name(q)
}

/// Pinyin initials of Chinese characters and first letters of latin words, lower case.
pub fn initials(name: &str) -> String {
    let mut out = String::new();
    let mut in_word = false;
    for c in name.chars() {
        if let Some(letter) = pinyin::initial(c) {
            out.push(letter);
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                out.extend(c.to_lowercase());
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use orchid_core::customer::{MembershipNo, Phone};
    use orchid_core::ids::StoreId;
    use orchid_core::text::Name;

    fn customer(name: &str, phone: Option<&str>, member: Option<&str>) -> Customer {
        let mut c = Customer::new(
            CustomerId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse(name).unwrap(),
        );
        c.phone = phone.map(|p| Phone::parse(p).unwrap());
        c.membership_no = member.map(|m| MembershipNo::parse(m).unwrap());
        c
    }

    /// The index gives what ranking every customer gives, for every kind of query and limit.
    #[test]
    fn the_index_answers_like_ranking_everyone() {
        let names = [
            "王丽华",
            "王丽",
            "王芳",
            "李娜",
            "李丽",
            "Anna Li",
            "Anne Wang",
            "张伟",
            "张薇",
            "陈静",
        ];
        let customers: Vec<CustomerKeys> = (0..200u32)
            .map(|i| {
                let mut c = customer(
                    names[i as usize % names.len()],
                    Some(&format!("13{:09}", u64::from(i) * 7_919 % 1_000_000_000)),
                    (i % 3 == 0).then(|| format!("M{:04}", i)).as_deref(),
                );
                c.id = CustomerId::from_u128(u128::from(i) + 1);
                CustomerKeys::of(&c)
            })
            .collect();
        let index = SearchIndex::new(customers.iter());
        for q in [
            "", "王", "王丽", "wl", "w", "l", "an", "anna", "13", "130", "1300", "7919", "m00",
            "m0003", "丽", "xyz", "li",
        ] {
            for limit in [1, 5, 50, 1000] {
                let mut all: Vec<(u8, &str, CustomerId)> = customers
                    .iter()
                    .filter_map(|k| k.rank(q).map(|r| (r, k.name.as_str(), k.id)))
                    .collect();
                all.sort();
                let expected: Vec<CustomerId> =
                    all.iter().take(limit).map(|(_, _, id)| *id).collect();
                assert_eq!(index.search(q, limit), expected, "{q:?} limit {limit}");
            }
        }
    }

    #[test]
    fn latin_initials() {
        assert_eq!(initials("Anna  Li-Smith"), "als");
    }

    #[test]
    fn chinese_names_are_found_by_their_pinyin_initials() {
        let k = CustomerKeys::of(&customer("王丽华", None, None));
        assert_eq!(k.initials, "wlh");
        assert_eq!(k.rank("wl"), Some(1));
        assert_eq!(k.rank("丽"), Some(3));
    }

    #[test]
    fn ranks_prefix_last_four_and_substring() {
        let k = CustomerKeys::of(&customer(
            "Anna Li",
            Some("138 1234 5678"),
            Some("vip-0042"),
        ));
        assert_eq!(k.rank("annali"), Some(0));
        assert_eq!(k.rank("ann"), Some(1));
        assert_eq!(k.rank("al"), Some(1));
        assert_eq!(k.rank("138"), Some(1));
        assert_eq!(k.rank("5678"), Some(2));
        assert_eq!(k.rank("nal"), Some(3));
        assert_eq!(k.rank("vip"), Some(1));
        assert_eq!(k.rank("1234"), Some(4));
        assert_eq!(k.rank("xyz"), None);
        assert_eq!(k.rank("12"), None);
    }
}
