//! The demo's 投资咨询, taken down and answered through the store's write paths (their rules
//! and audit records) by each unit's staff, a transaction per unit.

use demo::DemoInquiry;
use store::Store;
use store::inquiries::InquiryInput;

use crate::demo_landing::{People, step};

pub async fn load(store: &Store, inquiries: &[DemoInquiry]) -> Result<(), String> {
    let today = domain::today_shanghai();
    let mut people = People::of(store).await?;
    for (unit, actor, rows) in people.by_unit(store, inquiries, |i| i.unit) {
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for i in rows {
            let text = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            let input = InquiryInput {
                company_name: i.company_name.into(),
                company_id: None,
                contact: i.contact.into(),
                phone: text(i.phone),
                interest: i.interest.into(),
                industry: text(i.industry),
                region: text(i.region),
                unit: unit.into(),
                received_at: i.received_at,
            };
            let what = format!("投资咨询 {unit} {}", i.company_name);
            let created = tx.create_inquiry(input, today).await.map_err(step(&what))?;
            if let Some(a) = i.answer {
                tx.answer_inquiry(created.id, a.into(), created.version).await.map_err(step(&what))?;
            }
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(())
}
