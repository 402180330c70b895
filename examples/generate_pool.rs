//! Writes a deterministic pool of applicants as JSON Lines, for measuring and trying
//! `qualify screen`: dated jobs (some overlapping, part-time or current), a mix of
//! credentials, fields, coursework and experience categories across every shipped class,
//! and a self-identified group.
//!
//! `cargo run --release --example generate_pool -- 100000 > pool.jsonl` (an optional second
//! argument is the seed; the same count and seed give the same bytes).

use std::io::Write;

const CREDENTIALS: &[&str] = &[
    "high_school",
    "ged",
    "associate",
    "bachelor",
    "master",
    "doctorate",
];
const FIELDS: &[&str] = &[
    "Business Administration",
    "Healthcare Administration",
    "Psychology",
    "Social Work",
    "Human Services",
    "Public Health",
    "Accounting",
    "Sociology",
    "History",
    "Finance",
    "Statistics",
    "Fine Arts",
];
const CATEGORIES: &[&str] = &[
    "public_program_experience",
    "social_community_coordinator",
    "social_worker_assistant",
    "sud_mh_counseling",
    "sud_mh_case_management",
];
const TITLES: &[&str] = &[
    "Benefits Office Clerk",
    "Case Aide",
    "Counselor",
    "Program Analyst",
    "Intake Worker",
    "Patient Accounts Representative",
];
const GROUPS: &[&str] = &["group A", "group B", "group C", "group D"];
const FIRST: &[&str] = &["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana"];
const LAST: &[&str] = &["Okafor", "Raman", "Kowalski", "Mwangi", "Lopez", "Nguyen"];

/// splitmix64: a small deterministic generator, enough to vary test data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

fn date(year: usize, month: usize, day: usize) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

fn applicant(random: &mut Random, index: usize) -> String {
    let group_index = random.below(GROUPS.len());
    let mut parts = vec![
        format!("\"id\":\"P-{index:07}\""),
        format!("\"name\":\"{} {}\"", random.pick(FIRST), random.pick(LAST)),
        format!(
            "\"group\":\"{}\"",
            GROUPS.get(group_index).copied().unwrap_or("")
        ),
    ];
    // Groups differ a little in how often they hold a degree, so rates differ by group.
    let degree_odds = [70, 60, 50, 35].get(group_index).copied().unwrap_or(50);
    let mut education = Vec::new();
    if random.below(10) > 0 {
        education.push(format!(
            "{{\"credential\":\"high_school\",\"completed\":\"{}\"}}",
            date(1995 + random.below(20), 6, 1)
        ));
    }
    if random.below(100) < degree_odds {
        let credential = CREDENTIALS
            .get(2 + random.below(4))
            .copied()
            .unwrap_or("bachelor");
        education.push(format!(
            "{{\"credential\":\"{credential}\",\"field\":\"{}\",\"accredited\":{},\"completed\":\"{}\"}}",
            random.pick(FIELDS),
            random.below(5) > 0,
            date(2000 + random.below(22), 5, 15)
        ));
    }
    if !education.is_empty() {
        parts.push(format!("\"education\":[{}]", education.join(",")));
    }
    if random.below(5) == 0 {
        parts.push(format!(
            "\"coursework\":[{{\"field\":\"{}\",\"accredited\":true,\"credits\":{},\"credit_unit\":\"{}\"}}]",
            random.pick(FIELDS),
            6 + random.below(80),
            if random.below(3) == 0 { "quarter" } else { "semester" }
        ));
    }
    let jobs: Vec<String> = (0..random.below(5)).map(|_| job(random)).collect();
    if !jobs.is_empty() {
        parts.push(format!("\"experience\":[{}]", jobs.join(",")));
    }
    format!("{{{}}}", parts.join(","))
}

fn job(random: &mut Random) -> String {
    let start_year = 2005 + random.below(19);
    let start = date(start_year, 1 + random.below(12), 1 + random.below(28));
    let mut fields = vec![
        format!("\"title\":\"{}\"", random.pick(TITLES)),
        format!("\"categories\":[\"{}\"]", random.pick(CATEGORIES)),
        format!("\"start\":\"{start}\""),
    ];
    if random.below(4) > 0 {
        let end_year = (start_year + random.below(6)).min(2024);
        let end = date(
            end_year.max(start_year + 1),
            1 + random.below(12),
            1 + random.below(28),
        );
        fields.push(format!("\"end\":\"{end}\""));
    }
    if random.below(4) == 0 {
        fields.push(format!(
            "\"hours_per_week\":{}",
            [20, 24, 30, 32].get(random.below(4)).copied().unwrap_or(20)
        ));
    }
    format!("{{{}}}", fields.join(","))
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(14);
    let mut random = Random(seed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for index in 1..=count {
        writeln!(out, "{}", applicant(&mut random, index))?;
    }
    out.flush()
}
