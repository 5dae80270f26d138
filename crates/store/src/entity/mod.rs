//! SeaORM entities, one module per table. The schema itself is in `migration`.

pub mod agreement;
pub mod agreement_sub_project;
pub mod attachment;
pub mod audit_record;
pub mod clause;
pub mod company;
pub mod dept_task;
pub mod funds_entry;
pub mod login_record;
pub mod milestone;
pub mod problem;
pub mod progress_note;
pub mod project;
pub mod project_gram;
pub mod project_investor;
pub mod review;
pub mod session;
pub mod setting;
pub mod team_member;
pub mod transition;
pub mod unit;
pub mod user;
pub mod user_role;

/// One SeaORM entity module's `Model`, `Relation` and `ActiveModelBehavior`, so each
/// entity file holds only its own columns. Written as
/// `entity_model! { #[doc/attrs] <kind> "table" [extra derives] { columns } }`, where `kind` is
/// `plain` (the columns as given), `keyed` (an `id` primary key first) or `audited` (`keyed`
/// plus the `created_by / version / created_at / updated_at` tail).
macro_rules! entity_model {
    ($(#[$attr:meta])* audited $table:literal $([$($derive:path),+])? { $($column:tt)* }) => {
        $crate::entity::entity_model! {
            $(#[$attr])* keyed $table $([$($derive),+])? {
                $($column)*
                pub created_by: Option<i64>,
                pub version: i32,
                pub created_at: DateTimeUtc,
                pub updated_at: DateTimeUtc,
            }
        }
    };
    ($(#[$attr:meta])* keyed $table:literal $([$($derive:path),+])? { $($column:tt)* }) => {
        $crate::entity::entity_model! {
            $(#[$attr])* plain $table $([$($derive),+])? {
                #[sea_orm(primary_key)]
                pub id: i64,
                $($column)*
            }
        }
    };
    ($(#[$attr:meta])* plain $table:literal $([$($derive:path),+])? { $($column:tt)* }) => {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel $($(, $derive)+)?)]
        $(#[$attr])*
        #[sea_orm(table_name = $table)]
        pub struct Model {
            $($column)*
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
pub(crate) use entity_model;
