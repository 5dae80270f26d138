//! Password policy (security.md §1; 等保 level 3): 8–128 characters, three of the four
//! character classes, not the username, not a common password.

/// A shipped list of passwords that pass the composition rule yet are guessed first.
const COMMON: &[&str] = &[
    "password1!",
    "password123",
    "p@ssw0rd",
    "p@ssword1",
    "passw0rd!",
    "admin@123",
    "admin123!",
    "admin@2024",
    "admin@2025",
    "admin@2026",
    "abc@1234",
    "abc123!@#",
    "qwer@1234",
    "qwe123!@#",
    "1qaz@wsx",
    "1qaz2wsx#",
    "zaq1@wsx",
    "aa123456!",
    "a123456!",
    "a1234567!",
    "welcome1!",
    "welcome@123",
    "test@123",
    "root@123",
    "huawei@123",
    "zhengzhou@123",
    "zz@123456",
    "abcd@1234",
    "123qwe!@#",
    "p@55w0rd",
    "iloveyou1!",
    "changeme1!",
    "admin#123",
    "sys@1234",
    "system@123",
    "sa@12345",
    "test1234!",
    "qq123456!",
    "woaini@1314",
    "abc@12345",
];

/// Why a password is refused, in Chinese (None when it satisfies the policy).
pub fn check(password: &str, username: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < 8 {
        return Err("密码至少8个字符");
    }
    if n > 128 {
        return Err("密码不能超过128个字符");
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|&&b| b).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少三类");
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("密码不能包含用户名");
    }
    if COMMON.contains(&lower.as_str()) {
        return Err("密码过于常见，请换一个");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn policy() {
        assert!(check("Demo#2026zs", "city_admin").is_ok());
        assert_eq!(check("Ab1!", "x"), Err("密码至少8个字符"));
        assert!(check("abcdefgh1", "x").is_err(), "two classes");
        assert!(check("Abcdefgh1", "x").is_ok(), "three classes");
        assert!(check("Admin@123", "x").is_err(), "common");
        assert!(check("Zhang.San2026", "zhang.san").is_err(), "contains the username");
        assert!(check(&"Aa1!".repeat(33), "x").is_err(), "too long");
    }
}
