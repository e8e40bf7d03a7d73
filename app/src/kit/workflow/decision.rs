//! A decider's answer, parsed once from the decide form (`decision`, `comment`).

use crate::errors::AppError;

/// Approve (a comment optional), or reject with a comment: the applicant reads why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve(Option<String>),
    Reject(String),
}

impl Decision {
    /// The form's `decision` (`approve` or `reject`) and `comment`, trimmed and bounded; a
    /// rejection without a comment, an over-long comment or another verb is refused.
    pub fn parse(decision: &str, comment: &str) -> Result<Decision, AppError> {
        Decision::with(Decision::approving(decision)?, comment)
    }

    /// Whether the form's `decision` approves (`approve`) or rejects (`reject`): a workflow
    /// whose comment is checked later, after its state (requests: a moved-on request is told
    /// so before a missing reason).
    pub fn approving(decision: &str) -> Result<bool, AppError> {
        match decision {
            "approve" => Ok(true),
            "reject" => Ok(false),
            _ => Err(AppError::invalid("decision", "change.unknown")),
        }
    }

    /// The decision with its comment checked: trimmed, bounded, required for a rejection.
    pub fn with(approve: bool, comment: &str) -> Result<Decision, AppError> {
        let comment = crate::domain::requests::comment(comment, "comment", !approve)?;
        if approve {
            Ok(Decision::Approve(comment))
        } else {
            comment
                .map(Decision::Reject)
                .ok_or_else(|| AppError::invalid("comment", "request.comment_required"))
        }
    }

    pub fn approves(&self) -> bool {
        matches!(self, Decision::Approve(_))
    }

    pub fn comment(&self) -> Option<&str> {
        match self {
            Decision::Approve(comment) => comment.as_deref(),
            Decision::Reject(comment) => Some(comment),
        }
    }

    /// The event the decision takes (the audit action's and the history's word).
    pub fn event(&self) -> &'static str {
        if self.approves() {
            "approved"
        } else {
            "rejected"
        }
    }

    /// Of the two outcomes' words, this decision's.
    pub fn either<T>(&self, approved: T, rejected: T) -> T {
        if self.approves() { approved } else { rejected }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_parsed_once_and_a_rejection_says_why() {
        assert_eq!(
            Decision::parse("approve", "  ").unwrap(),
            Decision::Approve(None)
        );
        assert_eq!(
            Decision::parse("reject", " 理由不足 ").unwrap(),
            Decision::Reject("理由不足".into())
        );
        let code = |e: AppError| e.fields[0].code.clone();
        assert_eq!(
            code(Decision::parse("reject", "").unwrap_err()),
            "request.comment_required"
        );
        assert_eq!(
            code(Decision::parse("maybe", "x").unwrap_err()),
            "change.unknown"
        );
        assert_eq!(
            code(Decision::parse("approve", &"长".repeat(501)).unwrap_err()),
            "request.too_long"
        );
        assert!(Decision::parse("approve", &"长".repeat(500)).is_ok());
        let d = Decision::parse("reject", "no").unwrap();
        assert_eq!(
            (d.event(), d.comment(), d.either(1, 2)),
            ("rejected", Some("no"), 2)
        );
    }
}
