//! The applicant as evaluation sees it: validated, plain data with exact amounts.
//!
//! Names (credentials, experience categories) are those of the rule set the applicant was
//! validated against. Nothing here holds a span: an applicant can be built in the REPL as
//! well as read from a file.

use jiff::civil::Date;

use crate::check::model::Exact;

/// An id or name the applicant gave, when it says something: one of only white space is
/// none, as an absent one is.
pub fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// One applicant: who, what education, what experience.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applicant {
    pub id: Option<String>,
    pub name: Option<String>,
    /// Completed credentials (degrees, diplomas).
    pub education: Vec<Education>,
    /// College coursework without a degree.
    pub coursework: Vec<Coursework>,
    /// Jobs, each tagged with the categories an HR analyst judged it to meet.
    pub experience: Vec<Job>,
}

/// How a credit amount was counted by the school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CreditUnit {
    Semester,
    Quarter,
}

/// A number of credits in the unit the school used. The rule set's profile converts
/// quarter credits to semester credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credits {
    pub amount: Exact,
    pub unit: CreditUnit,
}

impl Credits {
    /// Whether these credits, a subject's, are more than the `total` of the entry they are
    /// part of (Q315). Credits in another unit than the total are compared by the units'
    /// definition, a quarter credit being two thirds of a semester credit: the transcript's
    /// own arithmetic, whatever rate a profile credits education at. Compared exactly, in
    /// 128 bits, without overflow.
    pub fn exceed_total(&self, total: Credits) -> bool {
        let in_thirds = |credits: &Credits| {
            let thirds_per_credit: i128 = match credits.unit {
                CreditUnit::Semester => 3,
                CreditUnit::Quarter => 2,
            };
            let numer = i128::from(*credits.amount.numer()) * thirds_per_credit;
            num_rational::Ratio::new_raw(numer, i128::from(*credits.amount.denom()))
        };
        in_thirds(self) > in_thirds(&total)
    }

    /// The unit's word when it differs from `other`'s (`"quarter "`), for a message that
    /// sets the two side by side; nothing when they are the same.
    pub fn unit_beside(&self, other: Credits) -> &'static str {
        match (self.unit == other.unit, self.unit) {
            (true, _) => "",
            (false, CreditUnit::Semester) => "semester ",
            (false, CreditUnit::Quarter) => "quarter ",
        }
    }
}

/// Credits earned in one subject area ("Psychology": 12 semester credits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectCredits {
    pub subject: String,
    pub credits: Credits,
}

/// A completed credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Education {
    /// A credential name from the rules' profiles, e.g. `bachelor`.
    pub credential: String,
    /// The major or field of study, matched against field sets without regard to case.
    pub field: Option<String>,
    pub accredited: bool,
    pub completed: Option<Date>,
    /// Total credits of the credential, when known.
    pub credits: Option<Credits>,
    /// Credits per subject area inside this credential.
    pub subjects: Vec<SubjectCredits>,
}

/// College coursework that did not lead to a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coursework {
    pub field: Option<String>,
    pub accredited: bool,
    pub credits: Credits,
    pub subjects: Vec<SubjectCredits>,
}

/// One job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub title: String,
    /// Experience category names from the rules.
    pub categories: Vec<String>,
    pub start: Date,
    /// Inclusive last day; `None` means the job is current and runs to the evaluation date.
    pub end: Option<Date>,
    /// Weekly hours; `None` means the profile's full time.
    pub hours_per_week: Option<Exact>,
}
