//! Why an education entry was set aside by a credential requirement, in words for a notice:
//! "bachelor in Social Work set aside: not from an accredited school".

use crate::applicant::{CreditUnit, Education};
use crate::check::model::Exact;
use crate::compile::{CredentialKey, Program};

use crate::eval::exact;
use crate::eval::outcome::plural;

/// One line per education entry that does not meet the requirement, with every reason.
pub(crate) fn set_aside(
    program: &Program,
    key: &CredentialKey,
    rank: u8,
    entries: &[Education],
    as_of: jiff::civil::Date,
) -> Vec<String> {
    let Some(profile) = program.profile(key.profile) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let mut reasons: Vec<String> = Vec::new();
            match profile.credential(&entry.credential) {
                Some(cred) if cred.rank < rank => reasons.push(format!(
                    "below the {} asked",
                    profile
                        .credentials
                        .iter()
                        .find(|c| c.rank == rank)
                        .map_or_else(|| "credential".to_owned(), |c| c.title.to_lowercase())
                )),
                Some(_) => {}
                None => reasons.push("not a credential on the profile's scale".into()),
            }
            if let Some(done) = entry.completed.filter(|d| *d > as_of) {
                reasons.push(format!("completed {done}, after the evaluation date"));
            }
            if key.accredited && !entry.accredited {
                reasons.push("not from an accredited school".into());
            }
            if let Some((id, set)) = key
                .fields
                .and_then(|f| program.field_set(f).map(|set| (f, set)))
            {
                let inside = entry
                    .field
                    .as_deref()
                    .is_some_and(|f| program.field_set_lists(id, f));
                if !inside {
                    reasons.push(match entry.field.as_deref() {
                        Some(f) => format!("the field {f} is not one of {}", set.description),
                        None => format!("no field given (asked: {})", set.description),
                    });
                }
            }
            if let Some((needed, subjects)) = key.includes {
                let set = program.field_set(subjects);
                let have = entry
                    .subjects
                    .iter()
                    .filter(|s| program.field_set_lists(subjects, &s.subject))
                    .map(|s| match s.credits.unit {
                        CreditUnit::Semester => Some(s.credits.amount),
                        CreditUnit::Quarter => profile
                            .semester_per_quarter_credit
                            .map_or(Some(Exact::from_integer(0)), |r| {
                                exact::times(s.credits.amount, r)
                            }),
                    })
                    .try_fold(Exact::from_integer(0), |a, b| exact::add(a, b?));
                let name = set.map_or("", |s| &s.name);
                match have {
                    None => reasons.push(format!(
                        "its credits in {name} cannot be added up exactly"
                    )),
                    Some(have) if have < needed => reasons.push(if entry.subjects.is_empty() {
                        format!(
                            "lists no credits per subject ({} in {name} asked; credits count only when listed per subject)",
                            plural(needed, "credit")
                        )
                    } else {
                        format!(
                            "lists {} in {name}, fewer than {}",
                            plural(have, "credit"),
                            plural(needed, "credit")
                        )
                    }),
                    Some(_) => {}
                }
            }
            if reasons.is_empty() {
                return None;
            }
            let title = profile
                .credential(&entry.credential)
                .map_or_else(|| entry.credential.clone(), |c| c.title.to_string());
            let what = match entry.field.as_deref() {
                Some(f) => format!("{title} in {f}"),
                None => title,
            };
            Some(format!("{what} set aside: {}", reasons.join("; ")))
        })
        .collect()
}
