//! A served view of an entity model: the struct and its `From<Model>` from ONE field list,
//! each field taken as it is stored, through the conversion named after `=>`, or (a field
//! the table does not have) the value given after `=`.

/// `model_view! { #[derive(..)] pub struct View from module { pub field: Type [= value | => conv], … } }`
macro_rules! model_view {
    ($(#[$a:meta])* pub struct $name:ident from $m:ident {
        $($(#[$fa:meta])* pub $f:ident: $t:ty $(= $val:expr)? $(=> $conv:expr)?),* $(,)?
    }) => {
        $(#[$a])*
        pub struct $name {
            $($(#[$fa])* pub $f: $t,)*
        }

        impl From<$m::Model> for $name {
            fn from(m: $m::Model) -> Self {
                $name { $($f: $crate::model_view::model_view!(@take m.$f $(, = $val)? $(, => $conv)?),)* }
            }
        }
    };
    (@take $v:expr) => { $v };
    (@take $v:expr, => $conv:expr) => { ($conv)($v) };
    (@take $v:expr, = $val:expr) => { $val };
}
pub(crate) use model_view;
