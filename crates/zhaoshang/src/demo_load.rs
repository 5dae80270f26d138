//! Loads the demo dataset (`crates/demo`) through the same store calls the API uses, so
//! demo data obeys every rule real data does: stage transitions, scope, audit.

use std::collections::BTreeMap;
use std::time::Instant;

use domain::{Category, CreditCode, Money, Role, Stage};
use store::bulk::BulkProject;
use store::companies::NewCompany;
use store::funds::NewFunds;
use store::projects::{ProjectInput, TransitionInput};
use store::users::NewUser;
use store::{Actor, Store};

/// The demo logins: one per role (issue #2), fixed names so scripts can use them.
pub const DEMO_USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("city_admin", "市商务局 李明", Role::CityAdmin, Some("shangwu")),
    ("jinshui_staff", "金水区商务局 王芳", Role::UnitStaff, Some("jinshui")),
    ("hangkonggang_staff", "航空港区招商局 赵强", Role::UnitStaff, Some("hangkonggang")),
    ("ziranziyuan_staff", "市自然资源和规划局 陈静", Role::DeptStaff, Some("ziranziyuan")),
    ("leader", "市领导 张建国", Role::Leader, Some("zhengzhou")),
    ("supervisor", "市政府办公厅督查室 刘洋", Role::Supervisor, Some("bangongting")),
    ("sysadmin", "信息中心 孙磊", Role::Sysadmin, None),
    ("secadmin", "信息中心 周敏", Role::Secadmin, None),
    ("auditor", "审计 吴涛", Role::Auditor, None),
];

pub struct Loaded {
    pub companies: usize,
    pub projects: usize,
    pub password: String,
    pub seconds: f64,
}

/// A password that satisfies the policy, for the demo accounts.
pub fn generated_password() -> String {
    const ALPHA: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    let body: String = (0..10).map(|_| ALPHA[rand::random_range(0..ALPHA.len())] as char).collect();
    format!("Zs#{body}9a")
}

pub async fn load(store: &Store, seed: u64, n_projects: usize, password: &str) -> Result<Loaded, String> {
    let started = Instant::now();
    let system = Actor::system("demo");
    let today = domain::today_shanghai();
    let data = demo::generate(seed, n_projects, today);

    // Users first, so a failure later still leaves a usable login set. Each hash has its
    // own salt (one shared hash would tell that the accounts share a password).
    for (username, display, role, unit) in DEMO_USERS {
        let exists = store.credentials(username).await.map_err(|e| e.to_string())?.is_some();
        if exists {
            continue;
        }
        let hash = web::password::hash(password)?;
        store
            .scoped(&system)
            .create_user(NewUser {
                username: username.to_string(),
                display_name: display.to_string(),
                password_hash: hash,
                roles: vec![*role],
                unit: unit.map(str::to_string),
                must_change_password: false,
            })
            .await
            .map_err(|e| format!("创建演示用户 {username} 失败: {e:?}"))?;
    }

    let mut company_ids = Vec::with_capacity(data.companies.len());
    let tx = store.scoped(&system).begin().await.map_err(|e| e.to_string())?;
    for c in &data.companies {
        let new = NewCompany {
            name: c.name.clone(),
            credit_code: c
                .credit_code
                .as_deref()
                .map(CreditCode::parse)
                .transpose()
                .map_err(|e| format!("{}: {e}", c.name))?,
            country: c.country.clone(),
            region: Some(c.region.clone()),
            hq_city: Some(c.hq_city.clone()),
            industry: Some(c.industry.clone()),
            fortune_global_500_rank: c.fortune_global_500_rank,
            china_500_rank: c.china_500_rank,
            china_private_500_rank: c.china_private_500_rank,
            rank_year: c.rank_year,
            industry_leader: c.industry_leader,
            leader_reason: c.industry_leader.then(|| "细分行业龙头企业".to_string()),
            website: None,
            notes: None,
            declared_type: None,
        };
        let created = tx.create_company(new).await.map_err(|e| format!("{}: {e:?}", c.name))?;
        company_ids.push(created.id);
    }
    tx.commit().await.map_err(|e| e.to_string())?;

    // Projects in batches through the bulk path: the same validation and stage rules,
    // multi-row inserts, one audited event per batch.
    let mut project_ids = Vec::with_capacity(data.projects.len());
    for chunk in data.projects.chunks(2000) {
        let items: Vec<BulkProject> = chunk
            .iter()
            .map(|p| -> Result<BulkProject, String> {
                let transitions = p
                    .transitions
                    .iter()
                    .map(|t| {
                        Ok(TransitionInput {
                            to: Stage::parse(&t.to).ok_or_else(|| format!("{}: 未知阶段 {}", p.name, t.to))?,
                            date: t.date,
                            skipped_dates: BTreeMap::new(),
                            note: Some(t.note.clone()),
                            reason: t.reason.clone(),
                            version: None,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                let funds = p
                    .funds
                    .iter()
                    .map(|f| NewFunds {
                        date: f.date,
                        kind: f.kind.clone(),
                        amount: Money::from_hundredths(f.amount_cents),
                        note: Some(f.note.clone()),
                    })
                    .collect();
                Ok(BulkProject {
                    input: ProjectInput {
                        name: p.name.clone(),
                        unit: p.unit.clone(),
                        investor_ids: p.investor_keys.iter().filter_map(|k| company_ids.get(*k).copied()).collect(),
                        industry: p.industry.clone(),
                        region: p.region.clone(),
                        channel: p.channel.clone(),
                        categories: p.categories.iter().filter_map(|c| Category::parse(c)).collect(),
                        total_investment: Money::from_hundredths(p.total_investment_cents),
                        foreign_investment: p.foreign_investment_cents.map(Money::from_hundredths),
                        land_mu: p.land_mu_cents.map(Money::from_hundredths),
                        expected_producing_on: p.expected_producing_on,
                        lead_leader: p.lead_leader.clone(),
                        created_on: Some(p.created_on),
                        ..Default::default()
                    },
                    transitions,
                    funds,
                })
            })
            .collect::<Result<_, _>>()?;
        let tx = store.scoped(&system).begin().await.map_err(|e| e.to_string())?;
        let ids = tx.bulk_insert_projects(items).await.map_err(|e| match e {
            store::StoreError::Validation(f) => f.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; "),
            other => other.to_string(),
        })?;
        tx.commit().await.map_err(|e| e.to_string())?;
        project_ids.extend(ids);
    }
    crate::demo_work::load(store, &data, &project_ids).await?;
    Ok(Loaded {
        companies: data.companies.len(),
        projects: data.projects.len(),
        password: password.to_string(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

pub fn print_logins(l: &Loaded) {
    println!(
        "演示数据已载入 / demo data loaded: {} 家企业 companies, {} 个项目 projects ({:.1} s)",
        l.companies, l.projects, l.seconds
    );
    println!("演示账号（密码只显示这一次）/ demo logins (the password is shown only now):");
    for (u, d, r, unit) in DEMO_USERS {
        println!("  {u:<20} {:<8} {:<10} {d}", r.label(), unit.unwrap_or("-"));
    }
    println!("  密码 / password: {}", l.password);
}
