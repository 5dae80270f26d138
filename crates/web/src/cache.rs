//! A small cache of serialized read responses, valid while the store's data generation is
//! unchanged: every write transaction bumps the generation (in the database, so this holds
//! across several server processes too), so a hit can never be older than the data.
//!
//! The key must contain everything the response depends on: the caller's scope and role
//! as well as the query.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

pub struct ResponseCache {
    entries: Mutex<HashMap<String, (i64, Bytes)>>,
    max_entries: usize,
}

impl ResponseCache {
    /// `max_entries == 0` turns the cache off.
    pub fn new(max_entries: usize) -> Self {
        ResponseCache { entries: Mutex::new(HashMap::new()), max_entries }
    }

    pub fn enabled(&self) -> bool {
        self.max_entries > 0
    }

    pub fn get(&self, key: &str, generation: i64) -> Option<Bytes> {
        let map = self.entries.lock().ok()?;
        map.get(key).filter(|(g, _)| *g == generation).map(|(_, b)| b.clone())
    }

    pub fn put(&self, key: String, generation: i64, body: Bytes) {
        if !self.enabled() {
            return;
        }
        let Ok(mut map) = self.entries.lock() else { return };
        if map.len() >= self.max_entries {
            // Entries of an older generation can never hit again; if that frees nothing,
            // start over (simple, bounded, and the common case after any write).
            map.retain(|_, (g, _)| *g == generation);
            if map.len() >= self.max_entries {
                map.clear();
            }
        }
        map.insert(key, (generation, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_for_the_same_generation_and_stays_bounded() {
        let c = ResponseCache::new(2);
        c.put("a".into(), 1, Bytes::from_static(b"A"));
        assert_eq!(c.get("a", 1).as_deref(), Some(&b"A"[..]));
        assert!(c.get("a", 2).is_none(), "a write since makes it stale");
        c.put("b".into(), 2, Bytes::from_static(b"B"));
        c.put("c".into(), 2, Bytes::from_static(b"C"));
        assert!(c.get("a", 1).is_none(), "older generations are evicted first");
        assert!(c.get("b", 2).is_some() && c.get("c", 2).is_some());
        let off = ResponseCache::new(0);
        off.put("a".into(), 1, Bytes::from_static(b"A"));
        assert!(off.get("a", 1).is_none());
    }
}
