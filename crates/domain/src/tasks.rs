//! Tasks on a case: something a caseworker must do by a date ("ring søkeren", "purre NAV"), given to
//! a caseworker of the municipality. A task is open until it is done; a task marked done by
//! mistake is opened again. Tasks are the office's own reminders, not deadlines the law sets (those
//! are the case's `next_due`).

use crate::validation::FieldError;
use time::Date;

/// The longest task title, in characters.
pub const MAX_TITLE: usize = 200;

/// How far ahead a task may be due, in days (a typo in the year is caught).
pub const MAX_DAYS_AHEAD: i64 = 3 * 366;

/// A task as it will be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub title: String,
    pub due_on: Date,
}

/// Checks a task: a title of 1 to [`MAX_TITLE`] characters, due today or later but within
/// [`MAX_DAYS_AHEAD`] days. Errors are named `title` and `due_on`.
pub fn check_task(title: &str, due_on: Option<Date>, today: Date) -> Result<NewTask, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = title.trim();
    if title.is_empty() {
        errors.push(FieldError::required("title"));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(FieldError::too_long("title", MAX_TITLE));
    }
    match due_on {
        None => errors.push(FieldError::invalid_date("due_on")),
        Some(due) if due < today => errors.push(FieldError::new("due_on", "in_the_past", "error.task.due_in_the_past")),
        Some(due) if (due - today).whole_days() > MAX_DAYS_AHEAD => {
            errors.push(FieldError::new("due_on", "too_far_ahead", "error.task.due_too_far"))
        }
        Some(_) => {}
    }
    match (errors.is_empty(), due_on) {
        (true, Some(due_on)) => Ok(NewTask {
            title: title.to_string(),
            due_on,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_task_has_a_title_and_a_due_date_from_today_on() {
        let today = date!(2026 - 12 - 02);
        let codes = |title: &str, due| crate::validation::error_codes(check_task(title, due, today));
        let task = check_task("  Ring søkeren om lønnsslipp ", Some(today), today).unwrap();
        assert_eq!(task.title, "Ring søkeren om lønnsslipp");
        assert_eq!(codes("Purre NAV", Some(date!(2029 - 12 - 01))), []);
        assert_eq!(codes(" ", Some(today)), [("title".to_string(), "required")]);
        assert_eq!(
            codes(&"x".repeat(MAX_TITLE + 1), Some(today)),
            [("title".to_string(), "too_long")]
        );
        assert_eq!(codes("Ring", None), [("due_on".to_string(), "invalid_date")]);
        assert_eq!(
            codes("Ring", Some(date!(2026 - 12 - 01))),
            [("due_on".to_string(), "in_the_past")]
        );
        assert_eq!(
            codes("Ring", Some(date!(2036 - 12 - 01))),
            [("due_on".to_string(), "too_far_ahead")]
        );
    }
}
