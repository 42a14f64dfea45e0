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
