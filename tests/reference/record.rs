//! The engine's decision record (`qualify-decision/2`, docs/semantics.md) read back into
//! the reference's outcome types. Reading the serialised record, rather than the engine's
//! types, compares what the engine promises to its readers, whatever integers it holds.

use std::collections::BTreeSet;

use num_bigint::BigInt;
use serde_json::Value;

use super::outcome::{Combination, Lack, RefEvaluation, RefPath, RefTier, Via};
use super::{BigRational, parse_exact};

type Read<T> = Result<T, String>;

/// The classes, tiers and paths of a decision record.
pub fn read_record(record: &Value) -> Read<RefEvaluation> {
    let mut evaluation = RefEvaluation::default();
    for code in array(record, "not_in_force")? {
        evaluation.not_in_force.insert(text(code)?.to_owned());
    }
    for class in array(record, "classes")? {
        let code = string(class, "code")?;
        let highest = match class.get("highest_level_met") {
            Some(Value::String(level)) => Some(level.clone()),
            _ => None,
        };
        evaluation
            .highest_level_met
            .insert(code.to_owned(), highest);
        for level in array(class, "levels")? {
            for tier in array(level, "tiers")? {
                let key = string(tier, "key")?.to_owned();
                evaluation.tiers.insert(key, read_tier(tier)?);
            }
        }
    }
    Ok(evaluation)
}

fn read_tier(tier: &Value) -> Read<RefTier> {
    let via = match tier.get("via") {
        None | Some(Value::Null) => None,
        Some(via) => Some(read_via(via)?),
    };
    let paths = array(tier, "paths")?
        .iter()
        .map(read_path)
        .collect::<Read<Vec<_>>>()?;
    Ok(RefTier { via, paths })
}

fn read_via(via: &Value) -> Read<Via> {
    match string(via, "path")? {
        "direct" => Ok(Via::Direct),
        "substitution" => Ok(Via::Substitution(integer(via, "clause")?)),
        other => Err(format!("unknown path {other}")),
    }
}

fn read_path(path: &Value) -> Read<RefPath> {
    let met = path
        .get("met")
        .and_then(Value::as_bool)
        .ok_or("path without met")?;
    let combination = match path.get("combination") {
        None | Some(Value::Null) => None,
        Some(c) => Some(Combination {
            education_years: amount(c, "education_years")?,
            experience: amount(c, "experience")?,
            credited: amount(c, "credited")?,
            required: amount(c, "required")?,
            includes_met: c
                .get("includes_met")
                .and_then(Value::as_bool)
                .ok_or("combination without includes_met")?,
        }),
    };
    let shortfalls = read_lacks(path.get("shortfalls").ok_or("path without shortfalls")?)?;
    Ok(RefPath {
        met,
        combination,
        shortfalls,
    })
}

fn read_lacks(list: &Value) -> Read<Vec<Lack>> {
    list.as_array()
        .ok_or("shortfalls are not a list")?
        .iter()
        .map(read_lack)
        .collect()
}

fn read_lack(lack: &Value) -> Read<Lack> {
    Ok(match string(lack, "kind")? {
        "experience" => Lack::Experience {
            months: amount(lack, "months")?,
            whole: whole(lack, "whole_months")?,
            categories: names(lack, "categories")?,
        },
        "total" => Lack::Total {
            months: amount(lack, "months")?,
            whole: whole(lack, "whole_months")?,
            categories: names(lack, "categories")?,
        },
        "credits" => Lack::Credits {
            credits: amount(lack, "credits")?,
            whole: whole(lack, "whole_credits")?,
            subjects: string(lack, "subjects")?.to_owned(),
        },
        "credential" => Lack::Credential {
            credential: string(lack, "credential")?.to_owned(),
            fields: lack
                .get("fields")
                .and_then(Value::as_str)
                .map(str::to_owned),
            accredited: lack
                .get("accredited")
                .and_then(Value::as_bool)
                .ok_or("credential without accredited")?,
            includes: match lack.get("includes") {
                None | Some(Value::Null) => None,
                Some(included) => Some((
                    amount(included, "credits")?,
                    string(included, "subjects")?.to_owned(),
                )),
            },
        },
        "any_of" => Lack::AnyOf(
            array(lack, "alternatives")?
                .iter()
                .map(read_lacks)
                .collect::<Read<Vec<_>>>()?,
        ),
        other => return Err(format!("unknown shortfall kind {other}")),
    })
}

/// An exact number object's value: `{"exact": "15/2", …}`.
pub fn amount(value: &Value, key: &str) -> Read<BigRational> {
    let text = value
        .get(key)
        .and_then(|v| v.get("exact"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no exact amount {key}"))?;
    parse_exact(text).ok_or_else(|| format!("{key}: unreadable amount {text}"))
}

fn whole(value: &Value, key: &str) -> Read<BigInt> {
    match value.get(key) {
        Some(Value::Number(n)) => n
            .to_string()
            .parse()
            .map_err(|_| format!("{key}: not a whole number: {n}")),
        _ => Err(format!("no whole number {key}")),
    }
}

fn integer(value: &Value, key: &str) -> Read<usize> {
    value
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("no integer {key}"))
}

fn names(value: &Value, key: &str) -> Read<BTreeSet<String>> {
    array(value, key)?
        .iter()
        .map(|v| text(v).map(str::to_owned))
        .collect()
}

pub fn array<'v>(value: &'v Value, key: &str) -> Read<&'v Vec<Value>> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no list {key}"))
}

pub fn string<'v>(value: &'v Value, key: &str) -> Read<&'v str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no text {key}"))
}

fn text(value: &Value) -> Read<&str> {
    value.as_str().ok_or_else(|| "not text".to_owned())
}
