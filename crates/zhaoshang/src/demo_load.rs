//! Loads the demo dataset (`crates/demo`) through the same store calls the API uses, so
//! demo data obeys every rule real data does: stage transitions, scope, audit.

use std::time::Instant;

use domain::Role;
use store::attachments::Folder;
use store::bulk::BulkProject;
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

pub async fn load(
    store: &Store,
    folder: &Folder,
    seed: u64,
    n_projects: usize,
    password: &str,
) -> Result<Loaded, String> {
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

    let (n_companies, n_projects) = (data.companies.len(), data.projects.len());
    let mut company_ids = Vec::with_capacity(n_companies);
    let tx = store.scoped(&system).begin().await.map_err(|e| e.to_string())?;
    for new in data.companies {
        let name = new.name.clone();
        let created = tx.create_company(new).await.map_err(|e| format!("{name}: {e:?}"))?;
        company_ids.push(created.id);
    }
    tx.commit().await.map_err(|e| e.to_string())?;

    // 领导名录 before the projects: their 包联领导 texts are matched to it as they go in
    let leader_ids = crate::demo_leaders::load(store, &data.leaders).await?;

    // Projects in batches through the bulk path: the same validation and stage rules,
    // multi-row inserts, one audited event per batch. The demo names investors by their
    // index among its companies; here they get the ids the store gave them.
    // each project's unit, for the landing records loaded after them
    let units: Vec<String> = data.projects.iter().map(|p| p.input.unit.clone()).collect();
    let mut projects = data.projects;
    for p in &mut projects {
        let keys = std::mem::take(&mut p.input.investor_ids);
        p.input.investor_ids = keys.iter().filter_map(|&k| company_ids.get(k as usize).copied()).collect();
    }
    let mut project_ids = Vec::with_capacity(n_projects);
    let mut projects = projects.into_iter().peekable();
    while projects.peek().is_some() {
        let items: Vec<BulkProject> = projects.by_ref().take(2000).collect();
        let tx = store.scoped(&system).begin().await.map_err(|e| e.to_string())?;
        let ids = tx.bulk_insert_projects(items).await.map_err(|e| match e {
            store::StoreError::Validation(f) => f.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; "),
            other => other.to_string(),
        })?;
        tx.commit().await.map_err(|e| e.to_string())?;
        project_ids.extend(ids);
    }
    crate::demo_work::load(store, &data.tasks, &data.problems, &project_ids).await?;
    crate::demo_landing::load(store, folder, &data.landing, &units, &project_ids).await?;
    crate::demo_reportable::load(store, &data.raises, &units, &project_ids).await?;
    crate::demo_outcomes::load(store, &data.outcomes, &units, &project_ids).await?;
    crate::demo_targets::load(store, &data.targets, &company_ids).await?;
    let ids = crate::demo_activities::Ids { leaders: &leader_ids, companies: &company_ids, projects: &project_ids };
    crate::demo_activities::load(store, &data.activities, &data.targets, ids).await?;
    crate::demo_inquiries::load(store, &demo::build_inquiries(domain::today_shanghai())).await?;
    crate::demo_ambassadors::load(store).await?;
    let _annual_run = crate::demo_assessment::load(store).await?;
    Ok(Loaded {
        companies: n_companies,
        projects: n_projects,
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
