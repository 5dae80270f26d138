//! The measures' SQL pieces. Their statements are `crate::sql::Sql`: read row by row
//! (`Sql::all`, for the small as-of lookups) or packed by the database into ONE JSON array
//! (`Sql::packed`): at 1,000,000 funds entries the run reads ~450,000 of them, and row by
//! row that alone took longer than the whole run may (BENCHMARKS.md, "Assessment run").

/// The unit ids as an `IN` list (integers of our own: safe to inline).
pub(crate) fn id_list(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 4);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s
}
