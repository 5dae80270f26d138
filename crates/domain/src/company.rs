//! 企业库 (domain.md §3): when two names are the same company.

// seed 二(二): one company, one record in the library — a legal form (有限公司, 股份, 集团),
// a "（中国）" or the spacing does not make another company.
/// The name a near-duplicate check compares: without 有限(责任)公司, 股份, 集团, （中国）
/// and any space, ASCII letters lowercased.
pub fn name_key(name: &str) -> String {
    let mut s: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    for part in ["有限责任公司", "有限公司", "股份", "集团", "（中国）", "(中国)"] {
        s = s.replace(part, "");
    }
    s
}

/// Whether two company names are near-duplicates (the same [`name_key`], not empty).
pub fn near_duplicate(a: &str, b: &str) -> bool {
    let (ka, kb) = (name_key(a), name_key(b));
    !ka.is_empty() && ka == kb
}

// seed 三(一)四 / security.md (个人信息保护): a contact's phone is for those who court the
// company; everyone else sees it masked.
/// A phone as shown to those who may not read it: the first three and last four digits
/// (`138****1234`); a short number keeps only its last two.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    let n = chars.len();
    if n >= 8 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if n > 2 {
        format!("{}{}", "*".repeat(n - 2), chars[n - 2..].iter().collect::<String>())
    } else {
        "*".repeat(n)
    }
}

/// What a phone may be: digits with an optional leading +, spaces and hyphens, 5–20 digits.
pub fn phone_ok(phone: &str) -> bool {
    let p = phone.trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && p.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (c == '+' && i == 0))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn legal_forms_and_spaces_do_not_make_another_company() {
        assert!(near_duplicate("比亚迪股份有限公司", "比亚迪"));
        assert!(near_duplicate("海尔集团（中国）有限公司", "海尔"));
        assert!(near_duplicate("宇通客车 股份有限公司", "宇通客车有限责任公司"));
        assert!(near_duplicate("Foxconn (中国) 有限公司", "foxconn"));
        assert!(!near_duplicate("比亚迪股份有限公司", "比亚迪汽车工业有限公司"));
        assert!(!near_duplicate("有限公司", "集团"), "nothing left is no match");
        assert_eq!(name_key(" 中国建筑集团有限公司 "), "中国建筑");
    }

    #[test]
    fn phones_are_masked_to_their_ends() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0371-67181234"), "037****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert!(phone_ok("13812341234") && phone_ok("+86 138-1234-1234") && phone_ok("0371-67181234"));
        assert!(!phone_ok("138abc") && !phone_ok("12") && !phone_ok("1+3812341234"));
    }

    proptest! {
        // the masked form never shows the middle digits of a mobile number
        #[test]
        fn a_mobile_number_shows_only_its_ends(mid in "[0-9]{4}", head in "1[3-9][0-9]", tail in "[0-9]{4}") {
            let masked = mask_phone(&format!("{head}{mid}{tail}"));
            prop_assert_eq!(masked, format!("{head}****{tail}"));
        }
    }

    proptest! {
        // a legal form or spaces added to a name never make a different company
        #[test]
        fn decorations_keep_the_key(stem in "[甲乙丙丁a-zA-Z]{1,6}", form in proptest::sample::select(vec!["有限公司", "股份有限公司", "集团有限公司", "（中国）有限公司", " "])) {
            let decorated = format!("{stem}{form}");
            prop_assert!(near_duplicate(&stem, &decorated));
            prop_assert_eq!(name_key(&decorated), stem.to_lowercase());
        }
    }
}
