//! String-keyed maps and sets in key order, in place of `BTreeMap<String, V>` and
//! `BTreeSet<String>`, that share one B-tree instantiation.
//!
//! Every `BTreeMap`/`BTreeSet` key/value type brings its own copy of the B-tree's insert,
//! rebalance, iteration and drop code into the Wasm bundle (2 to 8 KB each). Here every map
//! and set is one `BTreeMap<String, usize>` (key -> slot) plus, for maps, a `Vec<V>` of the
//! values in insertion order: whatever `V` is, the tree code exists once. Inserts and lookups
//! stay O(log n) (a template may hold tens of thousands of resources), and iteration is in
//! key order, as with the B-tree collections.

use std::collections::btree_map;
use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

/// A hashed map from strings to lists of strings: the crate's one `HashMap<String, usize>`
/// into a `Vec` of lists, instead of another copy of the hash table code for
/// `HashMap<String, Vec<String>>`. Iteration order is unspecified, as with a `HashMap`.
#[derive(Debug, Default, Clone)]
pub struct StrLists {
    ix: std::collections::HashMap<String, usize>,
    lists: Vec<Vec<String>>,
}

impl StrLists {
    pub fn get(&self, key: &str) -> Option<&Vec<String>> {
        self.ix.get(key).map(|&i| &self.lists[i])
    }

    /// The list of `key`, empty and added first when absent (`entry(key).or_default()`).
    pub fn list_mut(&mut self, key: &str) -> &mut Vec<String> {
        let i = match self.ix.get(key) {
            Some(&i) => i,
            None => {
                self.ix.insert(key.to_owned(), self.lists.len());
                self.lists.push(Vec::new());
                self.lists.len() - 1
            }
        };
        &mut self.lists[i]
    }

    /// Set the list of `key` (replacing the one it had).
    pub fn insert(&mut self, key: &str, list: Vec<String>) {
        *self.list_mut(key) = list;
    }

    /// Every key and its list, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.ix.iter().map(|(k, &i)| (k, &self.lists[i]))
    }
}

/// A map from strings to `V`, iterated in key order (like `BTreeMap<String, V>`).
#[derive(Clone)]
pub struct StrMap<V> {
    index: BTreeMap<String, usize>,
    vals: Vec<V>,
}

impl<V> Default for StrMap<V> {
    fn default() -> Self {
        StrMap {
            index: BTreeMap::new(),
            vals: Vec::new(),
        }
    }
}

impl<V: PartialEq> PartialEq for StrMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for StrMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> StrMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.index.get(key).map(|&i| &self.vals[i])
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.index.get(key).map(|&i| &mut self.vals[i])
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Set `key` to `value` (replacing the value it had).
    pub fn insert(&mut self, key: String, value: V) {
        match self.index.get(key.as_str()) {
            Some(&i) => self.vals[i] = value,
            None => {
                self.index.insert(key, self.vals.len());
                self.vals.push(value);
            }
        }
    }

    /// The value of `key`, inserted by `make` first when absent (`entry(key).or_insert_with`).
    pub fn entry_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_owned(), self.vals.len());
                self.vals.push(make());
                self.vals.len() - 1
            }
        };
        &mut self.vals[i]
    }

    pub fn len(&self) -> usize {
        self.vals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter {
            keys: self.index.iter(),
            vals: &self.vals,
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.index.keys()
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// The values, to change each one (in no particular order).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.vals.iter_mut()
    }

    pub fn into_keys(self) -> impl Iterator<Item = String> {
        self.index.into_keys()
    }

    /// The values in key order.
    pub fn into_values(self) -> impl Iterator<Item = V> {
        let mut vals: Vec<Option<V>> = self.vals.into_iter().map(Some).collect();
        self.index
            .into_values()
            .filter_map(move |i| vals.get_mut(i).and_then(Option::take))
    }
}

/// The entries of a [`StrMap`] in key order.
#[derive(Debug)]
pub struct Iter<'a, V> {
    keys: btree_map::Iter<'a, String, usize>,
    vals: &'a [V],
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a String, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        let (k, &i) = self.keys.next()?;
        Some((k, &self.vals[i]))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.keys.size_hint()
    }
}

impl<'a, V> IntoIterator for &'a StrMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Serialized as a map, like `BTreeMap<String, V>`.
impl<V: Serialize> Serialize for StrMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// A set of strings, iterated in order (like `BTreeSet<String>`): the same tree type as
/// [`StrMap`]'s index, with every slot 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StrSet(BTreeMap<String, usize>);

impl StrSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// Add `key`; false when it was there already.
    pub fn insert(&mut self, key: String) -> bool {
        self.0.insert(key, 0).is_none()
    }

    /// The set of the strings in `v`.
    pub fn from_vec(v: Vec<String>) -> Self {
        v.into_iter().collect()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> btree_map::Keys<'_, String, usize> {
        self.0.keys()
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0.into_keys().collect()
    }
}

impl Extend<String> for StrSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, iter: I) {
        for s in iter {
            self.insert(s);
        }
    }
}

impl FromIterator<String> for StrSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut s = StrSet::new();
        s.extend(iter);
        s
    }
}

impl IntoIterator for StrSet {
    type Item = String;
    type IntoIter = btree_map::IntoKeys<String, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_keys()
    }
}

impl<'a> IntoIterator for &'a StrSet {
    type Item = &'a String;
    type IntoIter = btree_map::Keys<'a, String, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.keys()
    }
}

/// Serialized as a sequence, like `BTreeSet<String>`.
impl Serialize for StrSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn behaves_like_the_btree_collections() {
        let mut seed = 11u32;
        let mut words = Vec::new();
        for _ in 0..300 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            words.push(format!("k{}", (seed >> 16) % 97));
        }
        let mut m = StrMap::new();
        let mut bm = BTreeMap::new();
        let mut s = StrSet::new();
        let mut bs = BTreeSet::new();
        for (i, w) in words.iter().enumerate() {
            m.insert(w.clone(), i);
            bm.insert(w.clone(), i);
            *m.entry_or_insert_with(&format!("e{w}"), || 0) += i;
            *bm.entry(format!("e{w}")).or_insert(0) += i;
            assert_eq!(s.insert(w.clone()), bs.insert(w.clone()));
            assert_eq!(m.get(w), bm.get(w));
            assert_eq!(s.contains("k3"), bs.contains("k3"));
        }
        assert!(m.iter().eq(bm.iter()));
        assert!(s.iter().eq(bs.iter()));
        assert_eq!(StrSet::from_vec(words.clone()), s);
        assert_eq!(m.len(), bm.len());
        assert_eq!(
            serde_json::to_string(&m).ok(),
            serde_json::to_string(&bm).ok()
        );
        assert_eq!(
            serde_json::to_string(&s).ok(),
            serde_json::to_string(&bs).ok()
        );
        assert!(s.into_iter().eq(bs));
    }
}
