//! The `attachments` table: evidence files (附件), the project's case file (招商专案).

crate::entity::entity_model! {
    keyed "attachments" {
        /// `domain::evidence::AttachedTo` code.
        pub entity: String,
        pub entity_id: i64,
        /// The owning project (every attachment is scoped through it).
        pub project_id: Option<i64>,
        /// The display name (`domain::evidence::display_name`), never a path.
        pub name: String,
        /// The generated file name in the attachments folder (`domain::evidence::StoredName`).
        pub stored_name: String,
        pub content_type: String,
        pub size: i64,
        /// Hex SHA-256 of the bytes.
        pub sha256: String,
        pub uploaded_by: Option<i64>,
        pub uploaded_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }
}
