//! 企业联系人 (domain.md §3): the people at a company of the library, registered by a unit
//! (or the city). Their phone is shown to the registering unit's staff and to city_admin;
//! everyone else reads it masked (`138****1234`), and every unmasked read is audited.

use chrono::{DateTime, Utc};
use domain::company::phone_ok;
use domain::fields::CONTACT;
use domain::{AuditAction, FieldError, Permission, Role};
use sea_orm::{EntityTrait, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{company, company_contact};
use crate::handle::one_shot;
use crate::text::trimmed;
use crate::{Result, Scoped, StoreError, Tx};

/// A contact as the caller may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: i64,
    pub company_id: i64,
    /// The registering unit's code; none for the city's own.
    pub unit: Option<String>,
    pub unit_name: Option<String>,
    pub name: String,
    pub position: Option<String>,
    /// The phone, masked unless the caller may read it.
    pub phone: Option<String>,
    pub phone_masked: bool,
    pub created_at: DateTime<Utc>,
}

impl Contact {
    /// The view of a stored contact, its phone unmasked when `open`.
    fn of(r: company_contact::Model, tree: &crate::UnitTree, open: bool) -> Contact {
        let unit = r.unit_id.and_then(|u| tree.get(u));
        let (phone, phone_masked) = crate::phone::shown(r.phone, open);
        Contact {
            id: r.id,
            company_id: r.company_id,
            unit: unit.map(|u| u.code.clone()),
            unit_name: unit.map(|u| u.name.clone()),
            name: r.name,
            position: r.position,
            phone,
            phone_masked,
            created_at: r.created_at,
        }
    }
}

/// A new contact.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub name: String,
    pub position: Option<String>,
    pub phone: Option<String>,
}

/// What is wrong with a new contact, each error naming its field.
pub fn validate(c: &NewContact) -> Vec<FieldError> {
    let mut errors = vec![];
    CONTACT.check_required("name", &c.name, &mut errors);
    CONTACT.check_opt("position", c.position.as_deref(), &mut errors);
    if let Some(p) = c.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        if !phone_ok(p) {
            errors.push(FieldError::new("phone", "联系电话应为5到20位数字，可含+、-和空格"));
        }
        CONTACT.check_len("phone", p, &mut errors);
    }
    errors
}

impl Scoped<'_> {
    /// A company's contacts; the unmasked phones read are audited (contact.phone_read).
    pub async fn list_contacts(&self, company_id: i64) -> Result<Vec<Contact>> {
        use company_contact::Column::{CompanyId, Id};
        let rows = self
            .company_children::<company_contact::Entity>(company_id, CompanyId, &[(Id, sea_orm::Order::Asc)])
            .await?;
        let tree = self.store.unit_tree();
        let mut unmasked = vec![];
        let out: Vec<Contact> = rows
            .into_iter()
            .map(|r| {
                let open = self.reads_phone(r.unit_id);
                if open && r.phone.is_some() {
                    unmasked.push(r.id);
                }
                Contact::of(r, &tree, open)
            })
            .collect();
        if !unmasked.is_empty() {
            let ev = Event::ok(AuditAction::ContactPhoneRead, "company", company_id)
                .after(serde_json::json!({ "contacts": unmasked }));
            self.audit_alone(ev).await?;
        }
        Ok(out)
    }
}

one_shot! {
    write fn add_contact(company_id: i64, new: NewContact) -> Contact;
}

impl Tx<'_> {
    /// Register a contact of a company for the caller's unit (city_admin: the city's).
    pub async fn add_contact(&self, company_id: i64, new: NewContact) -> Result<Contact> {
        self.s.require(Permission::CompanyWrite)?;
        let errors = validate(&new);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        company::Entity::find_by_id(company_id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let actor = self.actor();
        let unit_id = if actor.has_role(Role::CityAdmin) { None } else { actor.unit_id };
        let am = company_contact::ActiveModel {
            company_id: Set(company_id),
            unit_id: Set(unit_id),
            name: Set(new.name.trim().into()),
            position: Set(trimmed(new.position)),
            phone: Set(trimmed(new.phone)),
            ..Default::default()
        };
        let r = self.insert_new(am).await?;
        let c = Contact::of(r, &self.store().unit_tree(), true);
        self.audited(Event::ok(AuditAction::ContactCreate, "company", company_id), c).await
    }
}
