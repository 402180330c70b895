//! `qualify diff`: which tiers two rule sets (or two dates of one) decide differently, with
//! the simplest applicant whose outcome flips in each direction.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::check::CheckOutcome;
use qualify::diagnostics::render::Style;
use qualify::verify::diff::{Change, ClassDiff, Side};
use qualify::verify::{Counterexample, Finding};

use super::{EXIT_INPUT_ERRORS, EXIT_OK, check_cmd, evaluation, output, verify_cmd};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The old rules (a rule file or folder).
    old: PathBuf,
    /// The new rules (default: the old rules, compared at two dates).
    new: Option<PathBuf>,
    /// Only this class (code, any case); repeat for several.
    #[arg(long)]
    class: Vec<String>,
    /// Compare the old rules' versions in force on this date (default: each class's latest).
    #[arg(long, value_parser = evaluation::parse_date)]
    as_of: Option<Date>,
    /// Compare the new rules' versions in force on this date (default: `--as-of`).
    #[arg(long, value_parser = evaluation::parse_date)]
    against_as_of: Option<Date>,
    /// Write every applicant whose outcome flips to this folder, one file each.
    #[arg(long, value_name = "DIR")]
    counterexamples: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = verify_cmd::VerifyFormat::Human)]
    format: verify_cmd::VerifyFormat,
}

pub fn run(args: &DiffArgs, style: Style) -> u8 {
    let old = match load(&args.old, style) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let new_path = args.new.as_ref().unwrap_or(&args.old);
    let new = match load(new_path, style) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (Some(old_rules), Some(new_rules)) = (&old.rules, &new.rules) else {
        return EXIT_INPUT_ERRORS;
    };
    let old_program = qualify::compile::compile(old_rules);
    let new_program = qualify::compile::compile(new_rules);
    let programs = [&old_program, &new_program];
    if let Some(error) = qualify::eval::unknown_class(&programs, &args.class) {
        return evaluation::query_error(&error, style).0;
    }
    let old_side = Side {
        rules: old_rules,
        program: &old_program,
        as_of: args.as_of,
    };
    let new_side = Side {
        rules: new_rules,
        program: &new_program,
        as_of: args.against_as_of.or(args.as_of),
    };
    let classes = qualify::verify::diff::diff(&old_side, &new_side, &args.class);
    if let Some(dir) = &args.counterexamples
        && let Err(error) = verify_cmd::write_counterexamples(dir, &as_findings(&classes))
    {
        return output::report_error(&error);
    }
    let text = match args.format {
        verify_cmd::VerifyFormat::Human => human(&classes, args.counterexamples.as_deref()),
        verify_cmd::VerifyFormat::Json => json(&classes, args.counterexamples.as_deref()),
    };
    if let Err(error) = output::print(&text) {
        return output::write_failed(&error);
    }
    if classes.iter().all(ClassDiff::equivalent) {
        EXIT_OK
    } else {
        EXIT_INPUT_ERRORS
    }
}

/// Checks one rule set; on errors, prints them and gives the exit status.
fn load(path: &Path, style: Style) -> Result<CheckOutcome, u8> {
    let outcome = check_cmd::load(std::slice::from_ref(&path.to_path_buf()))
        .map_err(|error| output::report_error(&error))?;
    if outcome.rules.is_none() {
        let errors: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        output::eprint_diagnostics(&errors, &outcome.sources, style);
        return Err(EXIT_INPUT_ERRORS);
    }
    Ok(outcome)
}

/// The counterexamples as findings, for writing them as files.
fn as_findings(classes: &[ClassDiff]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for class in classes {
        for tier in &class.tiers {
            if let Change::Differs { lost, gained } = &tier.change {
                for example in lost.iter().chain(gained) {
                    findings.push(Finding {
                        class: class.code.clone(),
                        diagnostic: qualify::diagnostics::Diagnostic::without_source(
                            qualify::diagnostics::Code::Internal,
                            "",
                        ),
                        counterexample: Some((**example).clone()),
                        acknowledged: None,
                    });
                }
            }
        }
    }
    findings
}

fn human(classes: &[ClassDiff], dir: Option<&Path>) -> String {
    let mut text = String::new();
    let mut differing = 0;
    for class in classes {
        let versions = match (class.old, class.new) {
            (Some(old), Some(new)) if old == new => format!("effective {old}"),
            (Some(old), Some(new)) => format!("effective {old} against {new}"),
            (Some(_), None) => "removed".to_owned(),
            (None, Some(_)) => "added".to_owned(),
            (None, None) => "in force on neither side".to_owned(),
        };
        let verdict = if class.equivalent() {
            "equivalent"
        } else {
            differing += 1;
            "differs"
        };
        text.push_str(&format!("class {} ({versions}): {verdict}\n", class.code));
        for tier in &class.tiers {
            let name = format!("{} {}", tier.level, tier.tier.as_str());
            match &tier.change {
                Change::Equivalent => text.push_str(&format!("  {name}: equivalent\n")),
                Change::NotProved => text.push_str(&format!(
                    "  {name}: not proved equivalent: the profile changed (below), which the \
                     comparison does not put to the test\n"
                )),
                Change::OnlyOld => text.push_str(&format!("  {name}: only in the old rules\n")),
                Change::OnlyNew => text.push_str(&format!("  {name}: only in the new rules\n")),
                Change::Differs { lost, gained } => {
                    text.push_str(&format!("  {name}: differs\n"));
                    for (label, example) in [
                        ("met before, not after", lost),
                        ("met after, not before", gained),
                    ] {
                        if let Some(example) = example {
                            text.push_str(&flip_line(label, example, dir));
                        }
                    }
                }
            }
        }
        for change in &class.profile_changes {
            text.push_str(&format!("  profile: {change}\n"));
        }
        if !class.bounded.is_empty() {
            text.push_str(&format!(
                "  (compared over a bounded family of applicants: {})\n",
                class.bounded.join("; ")
            ));
        }
    }
    text.push_str(&format!(
        "{} compared: {} equivalent, {} with differences\n",
        qualify::diagnostics::suggest::count(classes.len(), "class"),
        classes.len() - differing,
        differing
    ));
    text
}

fn flip_line(label: &str, example: &Counterexample, dir: Option<&Path>) -> String {
    let outcomes: Vec<String> = example
        .outcomes
        .iter()
        .map(qualify::verify::TierResult::describe)
        .collect();
    let mut line = format!(
        "    {label}: {}; {}\n",
        example.description,
        outcomes.join("; ")
    );
    if let Some(dir) = dir {
        line.push_str(&format!(
            "      written to {}\n",
            dir.join(&example.file_name).display()
        ));
    }
    line
}

/// One JSON object per class. A counterexample names its file only when it was written
/// (`--counterexamples DIR`), and gives the dates it is evaluated at: `as_of` for the old
/// rules, and `after_as_of` for the new ones when that is another date.
fn json(classes: &[ClassDiff], dir: Option<&Path>) -> String {
    let example_json = |example: &Option<Box<Counterexample>>| {
        example.as_ref().map(|e| {
            serde_json::json!({
                "file": dir.map(|dir| dir.join(&e.file_name).display().to_string()),
                "as_of": e.as_of.to_string(),
                "after_as_of": e.after_as_of.map(|date| date.to_string()),
                "description": e.description,
                "outcomes": e.outcomes.iter().map(qualify::verify::TierResult::describe).collect::<Vec<_>>(),
                "applicant": qualify::applicant::to_toml(&e.applicant),
            })
        })
    };
    let mut text = String::new();
    for class in classes {
        let tiers: Vec<serde_json::Value> = class
            .tiers
            .iter()
            .map(|t| {
                let (change, lost, gained) = match &t.change {
                    Change::Equivalent => ("equivalent", None, None),
                    Change::NotProved => ("not_proved", None, None),
                    Change::OnlyOld => ("only_old", None, None),
                    Change::OnlyNew => ("only_new", None, None),
                    Change::Differs { lost, gained } => {
                        ("differs", example_json(lost), example_json(gained))
                    }
                };
                serde_json::json!({
                    "level": t.level,
                    "tier": t.tier.as_str(),
                    "change": change,
                    "lost": lost,
                    "gained": gained,
                })
            })
            .collect();
        let line = serde_json::json!({
            "class": class.code,
            "old_effective": class.old.map(|d| d.to_string()),
            "new_effective": class.new.map(|d| d.to_string()),
            "equivalent": class.equivalent(),
            "bounded": class.bounded,
            "profile_changes": class.profile_changes,
            "tiers": tiers,
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    text
}
