//! The command catalogue: each command's usage, one-line summary, details and example.

/// One command of the REPL.
#[derive(Clone, Copy, Debug)]
pub struct CommandInfo {
    /// The name, without the leading `:`.
    pub name: &'static str,
    /// The arguments, as shown in help.
    pub usage: &'static str,
    pub summary: &'static str,
    pub details: &'static str,
    pub example: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "help",
        usage: "[COMMAND]",
        summary: "list the commands, or explain one",
        details: "Without an argument, lists every command with a one-line summary. With a command name (with or without the `:`), shows its syntax, what it does and an example.",
        example: ":help add",
    },
    CommandInfo {
        name: "rules",
        usage: "[PATH]",
        summary: "load rules from a file or folder",
        details: "Reads every `*.qual` file below PATH (or PATH itself when it is a file) as one rule set and checks it. Diagnostics are shown as `qualify check` shows them. When the new rules have errors, the rules loaded before stay in use. Without PATH, reloads the current rules.",
        example: ":rules rules/",
    },
    CommandInfo {
        name: "reload",
        usage: "",
        summary: "re-read the current rule files",
        details: "Reads and checks the rule files again from the path they were loaded from, showing every diagnostic. When they now have errors, the last good rules stay in use.",
        example: ":reload",
    },
    CommandInfo {
        name: "load",
        usage: "FILE",
        summary: "load an applicant file (TOML or JSON)",
        details: "Reads an applicant file and validates it against the rules' vocabulary. Problems are shown as diagnostics pointing into the file, and the current applicant stays as it was. Loading can be undone.",
        example: ":load examples/applicants/maria.toml",
    },
    CommandInfo {
        name: "new",
        usage: "[NAME]",
        summary: "start an empty applicant",
        details: "Replaces the current applicant with one that has no education and no experience, optionally with a name. Can be undone.",
        example: ":new \"Test applicant\"",
    },
    CommandInfo {
        name: "show",
        usage: "",
        summary: "show the applicant, with numbered entries",
        details: "Lists the applicant's education, coursework and jobs, numbered from 1 within each kind. The numbers are the ones `:set` and `:remove` take.",
        example: ":show",
    },
    CommandInfo {
        name: "eval",
        usage: "[CLASS [LEVEL]]",
        summary: "evaluate the applicant: all classes, one class or one level",
        details: "Evaluates the applicant on the evaluation date (see `:date`) and shows one line per class, level and tier: met or not, the path used, and the shortfall when not met.",
        example: ":eval K9099 O",
    },
    CommandInfo {
        name: "explain",
        usage: "CLASS [LEVEL]",
        summary: "show the audit trace of a class or level",
        details: "Shows the same tree as `qualify explain`: each requirement with what was found, the citation and rule text of each tier, the path taken and why the others failed.",
        example: ":explain K9099 O",
    },
    CommandInfo {
        name: "gap",
        usage: "CLASS [LEVEL]",
        summary: "what it would take to reach a level: the shortfall of each path",
        details: "For each tier of the level (or of every level of the class), lists every path (the direct requirement and each substitution clause) with what is still missing on it.",
        example: ":gap K9099 A",
    },
    CommandInfo {
        name: "why",
        usage: "CLASS [LEVEL]",
        summary: "why each tier is met or not, with the notes that bear on it",
        details: "For each tier of the class (or of one level): met or not; the path the decision rests on, or, when not met, every path with what it lacks and each requirement that failed, with the jobs and education it set aside and why. Each path shows the sentence it encodes and its rule; the notes of the class, level, tier and clause are shown beside them, and the terms used are listed with their descriptions and notes.",
        example: ":why G1099 A",
    },
    CommandInfo {
        name: "add",
        usage: "job|edu|course ...",
        summary: "add a job, a credential or coursework",
        details: "add job \"TITLE\" CATEGORY[,CATEGORY...] START..[END] [HOURSh]\n    dates are YYYY-MM-DD; leave END empty for a current job; hours per week default to full time\nadd edu CREDENTIAL [\"FIELD\"] [accredited] [completed DATE] [subject \"NAME\" CREDITS]...\nadd course CREDITS [semester|quarter] [\"FIELD\"] [accredited] [subject \"NAME\" CREDITS]...\nNames are checked against the rules' credentials and experience categories.",
        example: ":add job \"Eligibility clerk\" public_program_experience 2019-01-01..2021-06-30 20h",
    },
    CommandInfo {
        name: "set",
        usage: "job|edu|course N PROPERTY VALUE",
        summary: "change one property of an entry",
        details: "job: title \"TEXT\" | categories A[,B] | start DATE | end DATE|current | hours N|full\nedu: credential NAME | field \"TEXT\"|none | accredited yes|no | completed DATE|none\ncourse: credits N [semester|quarter] | field \"TEXT\"|none | accredited yes|no\nN is the entry's number in `:show`.",
        example: ":set job 1 hours 40",
    },
    CommandInfo {
        name: "remove",
        usage: "job|edu|course N",
        summary: "remove an entry",
        details: "Removes entry N (its number in `:show`). Can be undone.",
        example: ":remove job 2",
    },
    CommandInfo {
        name: "date",
        usage: "[DATE]",
        summary: "show or set the evaluation date",
        details: "Jobs with no end date run to the evaluation date, and the rule version in force on it is used. Dates are YYYY-MM-DD. Setting it can be undone.",
        example: ":date 2024-06-30",
    },
    CommandInfo {
        name: "whatif",
        usage: "CHANGE",
        summary: "try a change and show only the outcomes that flip",
        details: "CHANGE is an `add`, `set`, `remove` or `date` command without its `:`. It is applied tentatively: the outcomes that change are shown, before → after, with the clause responsible, and the applicant is left as it was.",
        example: ":whatif add edu associate \"Finance\"",
    },
    CommandInfo {
        name: "undo",
        usage: "",
        summary: "undo the last change to the applicant or date",
        details: "Steps back through `:add`, `:set`, `:remove`, `:date`, `:load` and `:new`.",
        example: ":undo",
    },
    CommandInfo {
        name: "redo",
        usage: "",
        summary: "redo what `:undo` undid",
        details: "Steps forward again; any new change clears what could be redone.",
        example: ":redo",
    },
    CommandInfo {
        name: "baseline",
        usage: "",
        summary: "remember the current outcomes for `:diff`",
        details: "Evaluates the applicant now and keeps every outcome, so later changes can be compared with `:diff`.",
        example: ":baseline",
    },
    CommandInfo {
        name: "diff",
        usage: "",
        summary: "show the outcomes that changed since `:baseline`",
        details: "Evaluates the applicant now and lists every class, level and tier whose outcome differs from the baseline, before → after, with the clause responsible.",
        example: ":diff",
    },
    CommandInfo {
        name: "save",
        usage: "[FILE]",
        summary: "save the applicant as TOML",
        details: "Writes the applicant to FILE (default: the file it was loaded from or last saved to). The file is written to a temporary file and renamed into place, so an existing file is never left half-written.",
        example: ":save maria-with-degree.toml",
    },
    CommandInfo {
        name: "quit",
        usage: "",
        summary: "leave the REPL (Ctrl-D also works)",
        details: "Ends the session. Unsaved changes to the applicant are lost.",
        example: ":quit",
    },
];

/// The help shown after the command list: what a line that is not a command means.
pub const EXPRESSION_HELP: &str = "Any other line is a requirement in the rule language, evaluated against the applicant, e.g.\n  associate in healthcare_admin_fields and 2 years of public_program_experience\nA line ending in `\\` or with an unclosed `(` continues on the next line.";

/// Looks a command up by name, with or without its `:`.
pub fn find(name: &str) -> Option<&'static CommandInfo> {
    let name = name.strip_prefix(':').unwrap_or(name);
    COMMANDS.iter().find(|c| c.name == name)
}

/// The text of `:help`.
pub fn overview() -> String {
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + c.usage.len() + 2)
        .max()
        .unwrap_or(0);
    let mut text = String::from("commands:\n");
    for command in COMMANDS {
        let head = if command.usage.is_empty() {
            format!(":{}", command.name)
        } else {
            format!(":{} {}", command.name, command.usage)
        };
        text.push_str(&format!("  {head:<width$}  {}\n", command.summary));
    }
    text.push('\n');
    text.push_str(EXPRESSION_HELP);
    text.push_str("\n`:help COMMAND` shows details and an example.\n");
    text
}

/// The text of `:help COMMAND`.
pub fn details(command: &CommandInfo) -> String {
    let usage = if command.usage.is_empty() {
        format!(":{}", command.name)
    } else {
        format!(":{} {}", command.name, command.usage)
    };
    let mut text = format!("{usage}\n  {}\n\n", command.summary);
    for line in command.details.lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str(&format!("\nexample:\n  {}\n", command.example));
    text
}
