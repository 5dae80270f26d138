//! Timelines: stage dates, funds in place and progress notes that agree with the stage.

use super::*;

pub(crate) struct Timeline {
    pub(crate) created: NaiveDate,
    pub(crate) steps: Vec<(usize, NaiveDate)>,
    pub(crate) expected: Option<NaiveDate>,
    pub(crate) signed: Option<NaiveDate>,
    /// Dates between which funds may arrive (signing or 24 months ago, to
    /// today or the pause), when the project got that far.
    pub(crate) funds_window: Option<(NaiveDate, NaiveDate)>,
    /// Share of the investment in place by now, in ‰ of the whole.
    pub(crate) funds_permille: i64,
}

pub(crate) fn days_before(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_sub_days(Days::new(days as u64)).expect("date in range")
}

pub(crate) fn days_after(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_days(Days::new(days as u64)).expect("date in range")
}

/// Days since the last stage change. Signed projects come in three bands so
/// that the 180/365-day "重签约、轻落地" warnings have cases of each.
pub(crate) fn idle_days(rng: &mut Rng, stage: usize) -> i64 {
    match stage {
        NEGOTIATING if rng.permille(600) => rng.range(0, 120),
        NEGOTIATING => rng.range(121, 420),
        SIGNED => match rng.weighted([40u32, 35, 25].into_iter()) {
            0 => rng.range(5, 179),
            1 => rng.range(181, 364),
            _ => rng.range(366, 700),
        },
        APPROVED if rng.permille(550) => rng.range(5, 150),
        APPROVED => rng.range(151, 420),
        STARTED => rng.range(10, 900),
        PRODUCING => rng.range(0, 420),
        AT_CAPACITY => rng.range(0, 240),
        ON_HOLD => rng.range(0, 420),
        _ => rng.range(0, 600),
    }
}

/// The dated path of a project ending in `stage`, built backwards from
/// today: sampled gaps between stages, then the whole story shifted so that
/// its last event is `idle` days ago. Stories longer than the window are
/// compressed, except signed→started which stays within 2–12 months.
pub(crate) fn timeline(rng: &mut Rng, stage: usize, land: Land, today: NaiveDate) -> Timeline {
    if stage == RESERVE {
        return Timeline {
            created: days_before(today, rng.range(0, 540)),
            steps: Vec::new(),
            expected: None,
            signed: None,
            funds_window: None,
            funds_permille: 0,
        };
    }
    let (path_end, tail) = match stage {
        ON_HOLD => {
            ([NEGOTIATING, SIGNED, APPROVED, STARTED][rng.weighted([25u32, 30, 15, 30].into_iter())], Some(ON_HOLD))
        }
        TERMINATED => (
            [RESERVE, NEGOTIATING, SIGNED, APPROVED, STARTED][rng.weighted([15u32, 45, 25, 10, 5].into_iter())],
            Some(TERMINATED),
        ),
        s => (s, None),
    };
    let service = matches!(land, Land::Office | Land::Commercial);

    let mut gaps: Vec<(usize, i64)> = Vec::new();
    let mut idle = 0;
    for _attempt in 0..12 {
        gaps.clear();
        if path_end >= NEGOTIATING {
            gaps.push((NEGOTIATING, rng.range(7, 120)));
        }
        if path_end >= SIGNED {
            gaps.push((SIGNED, rng.range(20, 240)));
        }
        if path_end >= STARTED {
            let signed_to_started = rng.range(60, 365);
            let to_approved = (signed_to_started * rng.range(35, 80) / 100).max(10);
            gaps.push((APPROVED, to_approved));
            gaps.push((STARTED, signed_to_started - to_approved));
        } else if path_end == APPROVED {
            gaps.push((APPROVED, rng.range(20, 240)));
        }
        if path_end >= PRODUCING {
            gaps.push((PRODUCING, if service { rng.range(60, 300) } else { rng.range(150, 600) }));
        }
        if path_end >= AT_CAPACITY {
            gaps.push((AT_CAPACITY, rng.range(90, 450)));
        }
        match tail {
            Some(ON_HOLD) => gaps.push((ON_HOLD, rng.range(20, 300))),
            Some(_) => gaps.push((TERMINATED, rng.range(15, 360))),
            None => {}
        }
        idle = idle_days(rng, stage);
        if gaps.iter().map(|g| g.1).sum::<i64>() + idle <= WINDOW_DAYS {
            break;
        }
    }
    let total: i64 = gaps.iter().map(|g| g.1).sum::<i64>() + idle;
    if total > WINDOW_DAYS {
        // Compress everything but signed→approved→started.
        let fixed: i64 =
            gaps.iter().filter(|g| matches!(g.0, APPROVED | STARTED) && path_end >= STARTED).map(|g| g.1).sum();
        let budget = WINDOW_DAYS - fixed;
        let scalable = total - fixed;
        for g in gaps.iter_mut() {
            if !(matches!(g.0, APPROVED | STARTED) && path_end >= STARTED) {
                g.1 = (g.1 * budget / scalable).max(1);
            }
        }
        idle = idle * budget / scalable;
    }
    let span: i64 = gaps.iter().map(|g| g.1).sum::<i64>() + idle;
    let created = days_before(today, span);
    let mut date = created;
    let steps: Vec<(usize, NaiveDate)> = gaps
        .iter()
        .map(|&(s, gap)| {
            date = days_after(date, gap);
            (s, date)
        })
        .collect();
    let date_of = |s: usize| steps.iter().find(|step| step.0 == s).map(|step| step.1);
    let signed = date_of(SIGNED);
    let started = date_of(STARTED);

    let expected = match (stage, started, signed) {
        (TERMINATED, _, _) => None,
        (_, Some(started), _) => {
            // Planned construction period; for projects already producing the
            // plan was close to what happened.
            let plan = match date_of(PRODUCING) {
                Some(producing) => ((producing - started).num_days() + rng.range(-60, 120)).max(30),
                None if service => rng.range(120, 360),
                None => rng.range(240, 720),
            };
            Some(days_after(started, plan))
        }
        (_, None, Some(signed)) => Some(days_after(signed, rng.range(300, 900))),
        _ => None,
    };

    let reached = if tail.is_some() { path_end } else { stage };
    let funds_window = match (signed, stage) {
        (Some(signed), s) if s != TERMINATED => {
            let window_start = months_back(today, 23);
            let end = if s == ON_HOLD { date_of(ON_HOLD).expect("on hold date") } else { today };
            Some((signed.max(window_start), end))
        }
        _ => None,
    };
    let mut funds_permille = match reached {
        SIGNED => rng.range(20, 120),
        APPROVED => rng.range(50, 200),
        STARTED => rng.range(200, 600),
        PRODUCING => rng.range(500, 850),
        AT_CAPACITY => rng.range(700, 1_000),
        _ => 0,
    };
    if stage == ON_HOLD {
        funds_permille /= 2;
    }
    Timeline { created, steps, expected, signed, funds_window, funds_permille }
}

/// First day of the month `months` months before `date`'s month.
pub(crate) fn months_back(date: NaiveDate, months: i32) -> NaiveDate {
    let index = date.year() * 12 + date.month0() as i32 - months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}

pub(crate) fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

/// Monthly funds-in-place entries between `from` and `to` (at most one per
/// month, most months having one) summing to the share of `base` that fits
/// the project's progress and the part of its life inside the window.
pub(crate) fn funds(
    rng: &mut Rng,
    kind: &str,
    base: i64,
    permille: i64,
    signed: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NewFunds> {
    if from > to || permille == 0 {
        return Vec::new();
    }
    let (first, last) = (month_index(from), month_index(to));
    let months_in_window = i64::from(last - first + 1);
    let months_since_signing = i64::from(last - month_index(signed) + 1);
    let target = base * permille / 1_000 * months_in_window / months_since_signing;

    let mut months: Vec<i32> = (first..=last).filter(|_| rng.permille(700)).collect();
    if months.is_empty() {
        months.push(last);
    }
    let weights: Vec<i64> = months.iter().map(|_| rng.range(50, 150)).collect();
    let weight_sum: i64 = weights.iter().sum();
    let notes = if kind == "foreign" { catalog::FUNDS_NOTES_FOREIGN } else { catalog::FUNDS_NOTES_DOMESTIC };
    months
        .iter()
        .zip(&weights)
        .map(|(&m, &w)| {
            let day = rng.range(5, 28) as u32;
            let date = NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, day)
                .expect("valid day")
                .clamp(from, to);
            // Whole 万 per entry, like bank receipts are reported.
            let amount = (target * w / weight_sum / 100 * 100).max(100);
            NewFunds {
                date,
                kind: kind.to_string(),
                amount: Money::from_hundredths(amount),
                note: Some(rng.pick(notes).replace("{m}", &date.month().to_string())),
            }
        })
        .collect()
}

pub(crate) struct NoteContext<'a> {
    pub(crate) unit: &'a str,
    pub(crate) short: &'a str,
    pub(crate) hq: &'a str,
}

pub(crate) fn note(rng: &mut Rng, stage: usize, land: Land, ctx: &NoteContext) -> String {
    let builds = !matches!(land, Land::Office);
    let producing_like_plant = matches!(land, Land::Factory);
    let options: &[&str] = match stage {
        NEGOTIATING => catalog::NOTES_NEGOTIATING,
        SIGNED => catalog::NOTES_SIGNED,
        APPROVED => catalog::NOTES_APPROVED,
        STARTED if builds => catalog::NOTES_STARTED_BUILD,
        STARTED => catalog::NOTES_STARTED_FIT_OUT,
        PRODUCING if producing_like_plant => catalog::NOTES_PRODUCING_FACTORY,
        PRODUCING => catalog::NOTES_PRODUCING_SERVICE,
        AT_CAPACITY => catalog::NOTES_AT_CAPACITY,
        ON_HOLD => catalog::NOTES_ON_HOLD,
        _ => catalog::NOTES_TERMINATED,
    };
    // A Zhengzhou company is not visited "in 郑州" nor does it "come to 郑州".
    let local = ctx.hq == "郑州";
    let fitting: Vec<&str> =
        options.iter().copied().filter(|o| !local || !(o.contains("{hq}") || o.contains("来郑"))).collect();
    rng.pick(&fitting).replace("{unit}", ctx.unit).replace("{short}", ctx.short).replace("{hq}", ctx.hq)
}
