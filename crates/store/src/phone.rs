//! Phones of the people a unit registered (company contacts, inquiries, ambassadors): shown
//! to city_admin and to the registering unit's staff, masked (`138****1234`) for everyone
//! else, and every unmasked read of a record's own page audited. Written once here.

use domain::company::mask_phone;
use domain::{AuditAction, Role};

use crate::audit::Event;
use crate::{Result, Scoped};

/// A phone as the caller sees it: itself when `open`, else masked; with whether it was masked.
pub(crate) fn shown(phone: Option<String>, open: bool) -> (Option<String>, bool) {
    let masked = !open && phone.is_some();
    (phone.map(|p| if open { p } else { mask_phone(&p) }), masked)
}

impl Scoped<'_> {
    /// Whether the caller reads unmasked the phone of a record registered by `unit_id` (none:
    /// the city's own): city_admin always, a unit's staff for its own subtree's, nobody else.
    pub(crate) fn reads_phone(&self, unit_id: Option<i64>) -> bool {
        self.actor.has_role(Role::CityAdmin)
            || (self.actor.has_role(Role::UnitStaff) && unit_id.is_some_and(|u| self.actor.scope.allows_unit(u)))
    }

    /// Audit `action` on `entity` `id` when its page showed a phone unmasked.
    pub(crate) async fn audit_phone_read(
        &self,
        (phone, masked): (&Option<String>, bool),
        action: AuditAction,
        entity: &str,
        id: i64,
    ) -> Result<()> {
        if phone.is_some() && !masked {
            self.audit_alone(Event::ok(action, entity, id)).await?;
        }
        Ok(())
    }
}
