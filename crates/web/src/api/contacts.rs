//! 企业联系人 (domain.md §3): `GET/POST /api/v1/companies/{id}/contacts`. A phone is masked
//! (`138****1234`) unless the caller is city_admin or the registering unit's staff; the
//! unmasked reads are audited. Not in api.md's table: an addition on its conventions.

use axum::Json;
use axum::http::StatusCode;
use store::contacts::{Contact, NewContact};

use super::Items;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody};

body! {
    /// A person at the company.
    pub struct ContactBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        #[schema(value_type = Option<String>)]
        position: Input<String>,
        #[schema(value_type = Option<String>)]
        phone: Input<String>,
    }
}

impl ContactBody {
    pub fn input(self) -> Result<NewContact, ApiError> {
        let mut c = Check::body(
            &domain::fields::CONTACT,
            &self.extra,
            &["id", "company_id", "unit", "unit_name", "phone_masked", "created_at"],
        );
        let new = NewContact {
            name: c.required("name", self.name).unwrap_or_default(),
            position: c.optional("position", self.position),
            phone: c.optional("phone", self.phone),
        };
        for e in store::contacts::validate(&new) {
            c.err(&e.field, e.message);
        }
        c.finish(new)
    }
}

#[utoipa::path(get, path = "/api/v1/companies/{id}/contacts", operation_id = "list_contacts", tag = "companies", security(("bearer" = ["company:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the company's contacts, phones masked where the caller may not read them", body = Items<Contact>),
              (status = 404, description = "no such company")))]
pub async fn list(db: Db<perm::CompanyRead>, Id(id): Id) -> ApiResult<Json<Items<Contact>>> {
    Ok(Json(Items::of(db.store().list_contacts(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/companies/{id}/contacts", operation_id = "add_contact", tag = "companies", security(("bearer" = ["company:write"])),
    params(("id" = i64, Path)), request_body = ContactBody,
    responses((status = 201, description = "the contact, registered for the caller's unit", body = Contact),
              (status = 404, description = "no such company"), (status = 422, description = "invalid")))]
pub async fn add(
    db: Db<perm::CompanyWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ContactBody>,
) -> NamedResult<(StatusCode, Json<Contact>), table::Contact> {
    let new = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().add_contact(id, new).await?)))
}
