//! Small input helpers the writes of unit-owned records share (targets, activities,
//! inquiries, ambassadors).

/// A text as stored: trimmed, and none when blank.
pub(crate) fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Ids once each, ascending.
pub(crate) fn dedup(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Ids as a message lists them: `3、5、8`.
pub(crate) fn list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_none_and_ids_are_listed_once() {
        assert_eq!(trimmed(Some("  ".into())), None);
        assert_eq!(trimmed(Some(" 郑州 ".into())).as_deref(), Some("郑州"));
        assert_eq!(dedup(vec![5, 3, 5, 8]), vec![3, 5, 8]);
        assert_eq!(list(&[3, 5, 8]), "3、5、8");
    }
}
