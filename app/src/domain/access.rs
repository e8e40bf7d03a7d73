//! Who may do what: every action a server function can be asked to do, the resource it is
//! about, and the rule (`permits`). Pure: the guard that reads the request and records a
//! refusal is `crate::authz`.

use crate::domain::{Actor, Role};

/// Everything a server function can be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ChooseLanguage,
    ReadSystemStatus,
    SignIn,
    CompleteSetup,
    SignOut,
    ViewOwnAccount,
    ChangeOwnPassword,
    /// List, create, disable, re-enable accounts, end their sessions, reset passwords, grant
    /// and take away roles.
    ManageAccounts,
    /// See the pending requests to grant privileged roles.
    ReviewRoleGrants,
    /// Approve or reject one such request.
    DecideRoleGrant,
    /// Read the audit trail (the part one's roles cover).
    ReadAudit,
    /// Read the password policy (its rule is shown wherever a password is chosen).
    ReadPasswordPolicy,
    /// Create school years and classes.
    ManageSchoolStructure,
    /// Make someone the homeroom teacher of a class.
    AssignHomeroomTeacher,
    /// Open the records pages (one's own classes, or all for a records administrator).
    ViewRecords,
    /// See a class's roster (classified values masked).
    ViewClass,
    /// Enter or edit students of a class, save drafts, submit records.
    EditStudents,
    /// Verify or return a record, mark it 绝密, see it for review.
    ReviewRecords,
    /// The verification queue: reading it, and verifying several records from it at once.
    WorkReviewQueue,
    /// Unmask one classified value of a record, with a stated reason.
    UnmaskField,
    /// Find students by name or number (a teacher: in their own classes).
    SearchRecords,
    /// Import a roster file into a class (its homeroom teacher, or a records administrator).
    ImportRoster,
    /// Download the empty roster template (whoever may import).
    ReadImportTemplate,
    /// Read and dismiss the notices addressed to oneself.
    ReadOwnNotices,
    /// File an information request, see one's own, pick its students: anyone signed in.
    FileRequest,
    /// See one request: its requester, a leader, a records administrator.
    ViewRequest,
    /// Withdraw one's own request before it is released.
    WithdrawRequest,
    /// Approve (narrowing it) or reject a request: a leader, never their own.
    DecideRequest,
    /// Release what was approved, or less: a records administrator who neither filed nor
    /// approved it.
    FulfilRequest,
    /// Open a release, or close it when done: its requester alone.
    OpenRelease,
    /// End a release (or an approval not yet released) early, with a reason: a leader or a
    /// records administrator.
    RevokeRelease,
    /// Read the disclosure register of all requests: leaders and the leading group.
    ReadRegister,
    /// Read one student's disclosure register: those and records administrators.
    ReadStudentRegister,
    /// See the account handovers one takes part in or decides: holders of a privileged role.
    ViewHandovers,
    /// Apply to hand a privileged role one holds to a named successor.
    ApplyHandover,
    /// See one handover and its printable record: its two parties, the leading group, leaders.
    ViewHandover,
    /// Approve or reject a handover: a leading-group member who is neither party (a leader,
    /// when no such member is there to).
    DecideHandover,
    /// Withdraw one's own pending handover.
    WithdrawHandover,
    /// Write a text for publication, have it scanned, submit it for review, see one's own:
    /// anyone signed in.
    WritePublication,
    /// Edit, submit or withdraw one's own text.
    EditPublication,
    /// See one text under review: its author, the leading group, leaders.
    ViewPublication,
    /// Approve or reject a text: a leading-group member other than its author (a leader,
    /// when no such member is there to).
    DecidePublication,
    /// Report a possible or actual leak: anyone signed in.
    ReportLeak,
    /// See the leak-report page: anyone signed in (their own reports; all of them for
    /// those who handle them).
    ViewLeaks,
    /// See one report: its reporter, those who handle reports, the leading group.
    ViewLeak,
    /// Acknowledge a report: one who handles reports (a leader, a records administrator,
    /// the system administrator) other than its reporter.
    AcknowledgeLeak,
    /// Freeze accounts and revoke releases because of a report, or unfreeze: a leader.
    ContainLeak,
    /// Be shown a setup link's activation code, to hand it to its person: a leading-group
    /// member, a leader or a system administrator (the service refuses whoever received the
    /// link and the account's own person).
    ShowActivationCode,
    /// Confirm the freeze of a privileged holder another leader proposed: a leader or a
    /// leading-group member (the service refuses the proposer and the holder).
    ConfirmFreeze,
    /// Add a remedy taken to a report: one who handles reports.
    RemedyLeak,
    /// Close a report with a conclusion: a leader or leading-group member other than its
    /// reporter.
    CloseLeak,
    /// See the students due for destruction and the destruction batches: records
    /// administrators, leaders, the leading group.
    ViewDestructions,
    /// See one destruction batch: the same people.
    ViewDestruction,
    /// Propose a batch of students due for destruction: a records administrator.
    ProposeDestruction,
    /// Approve (and so carry out) or reject a batch: a leader other than its proposer.
    DecideDestruction,
    /// Undo a marking as left made by mistake: a records administrator other than the one
    /// who marked it.
    UndoStudentLeft,
    /// See the changes of status (学籍异动): records administrators (their own applications)
    /// and leaders (those to decide, the latest decided).
    ViewStatusChanges,
    /// File a change of status for a student: a records administrator.
    FileStatusChange,
    /// See one application and its 异动审批表: records administrators and leaders.
    ViewStatusChange,
    /// Approve or return an application: a leader who did not file it.
    DecideStatusChange,
    /// Withdraw an application while it waits: the records administrator who filed it.
    WithdrawStatusChange,
    /// Add a proof (佐证材料) to an application while it waits: the records administrator
    /// who filed it.
    AddStatusChangeProof,
    /// See the semi-annual inspections: records administrators, the leading group, leaders,
    /// the system administrator (who takes away the roles not re-confirmed).
    ViewInspections,
    /// See one inspection record: the same people.
    ViewInspection,
    /// Record an inspection: a records administrator or leading-group member.
    RecordInspection,
    /// See the problem records (问题学籍): records administrators (each problem), leaders
    /// (their counts, and what was resolved and deleted).
    ViewProblemRecords,
    /// Import the national system's check of the school's numbers: a records administrator.
    ImportProblemFeedback,
    /// Settle a student's problem record with 佐证: a records administrator.
    SettleProblemRecord,
}

impl Action {
    pub const ALL: &[Action] = &[
        Action::ChooseLanguage,
        Action::ReadSystemStatus,
        Action::SignIn,
        Action::CompleteSetup,
        Action::SignOut,
        Action::ViewOwnAccount,
        Action::ChangeOwnPassword,
        Action::ManageAccounts,
        Action::ReviewRoleGrants,
        Action::DecideRoleGrant,
        Action::ReadAudit,
        Action::ReadPasswordPolicy,
        Action::ManageSchoolStructure,
        Action::AssignHomeroomTeacher,
        Action::ViewRecords,
        Action::ViewClass,
        Action::EditStudents,
        Action::ReviewRecords,
        Action::WorkReviewQueue,
        Action::UnmaskField,
        Action::SearchRecords,
        Action::ImportRoster,
        Action::ReadImportTemplate,
        Action::ReadOwnNotices,
        Action::FileRequest,
        Action::ViewRequest,
        Action::WithdrawRequest,
        Action::DecideRequest,
        Action::FulfilRequest,
        Action::OpenRelease,
        Action::RevokeRelease,
        Action::ReadRegister,
        Action::ReadStudentRegister,
        Action::ViewHandovers,
        Action::ApplyHandover,
        Action::ViewHandover,
        Action::DecideHandover,
        Action::WithdrawHandover,
        Action::WritePublication,
        Action::EditPublication,
        Action::ViewPublication,
        Action::DecidePublication,
        Action::ReportLeak,
        Action::ViewLeaks,
        Action::ViewLeak,
        Action::AcknowledgeLeak,
        Action::ContainLeak,
        Action::ConfirmFreeze,
        Action::ShowActivationCode,
        Action::RemedyLeak,
        Action::CloseLeak,
        Action::ViewDestructions,
        Action::ViewDestruction,
        Action::ProposeDestruction,
        Action::DecideDestruction,
        Action::UndoStudentLeft,
        Action::ViewStatusChanges,
        Action::FileStatusChange,
        Action::ViewStatusChange,
        Action::DecideStatusChange,
        Action::WithdrawStatusChange,
        Action::AddStatusChangeProof,
        Action::ViewInspections,
        Action::ViewInspection,
        Action::RecordInspection,
        Action::ViewProblemRecords,
        Action::ImportProblemFeedback,
        Action::SettleProblemRecord,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::ChooseLanguage => "choose_language",
            Action::ReadSystemStatus => "read_system_status",
            Action::SignIn => "sign_in",
            Action::CompleteSetup => "complete_setup",
            Action::SignOut => "sign_out",
            Action::ViewOwnAccount => "view_own_account",
            Action::ChangeOwnPassword => "change_own_password",
            Action::ManageAccounts => "manage_accounts",
            Action::ReviewRoleGrants => "review_role_grants",
            Action::DecideRoleGrant => "decide_role_grant",
            Action::ReadAudit => "read_audit",
            Action::ReadPasswordPolicy => "read_password_policy",
            Action::ManageSchoolStructure => "manage_school_structure",
            Action::AssignHomeroomTeacher => "assign_homeroom_teacher",
            Action::ViewRecords => "view_records",
            Action::ViewClass => "view_class",
            Action::EditStudents => "edit_students",
            Action::ReviewRecords => "review_records",
            Action::WorkReviewQueue => "work_review_queue",
            Action::UnmaskField => "unmask_field",
            Action::SearchRecords => "search_records",
            Action::ImportRoster => "import_roster",
            Action::ReadImportTemplate => "read_import_template",
            Action::ReadOwnNotices => "read_own_notices",
            Action::FileRequest => "file_request",
            Action::ViewRequest => "view_request",
            Action::WithdrawRequest => "withdraw_request",
            Action::DecideRequest => "decide_request",
            Action::FulfilRequest => "fulfil_request",
            Action::OpenRelease => "open_release",
            Action::RevokeRelease => "revoke_release",
            Action::ReadRegister => "read_register",
            Action::ReadStudentRegister => "read_student_register",
            Action::ViewHandovers => "view_handovers",
            Action::ApplyHandover => "apply_handover",
            Action::ViewHandover => "view_handover",
            Action::DecideHandover => "decide_handover",
            Action::WithdrawHandover => "withdraw_handover",
            Action::WritePublication => "write_publication",
            Action::EditPublication => "edit_publication",
            Action::ViewPublication => "view_publication",
            Action::DecidePublication => "decide_publication",
            Action::ReportLeak => "report_leak",
            Action::ViewLeaks => "view_leaks",
            Action::ViewLeak => "view_leak",
            Action::AcknowledgeLeak => "acknowledge_leak",
            Action::ContainLeak => "contain_leak",
            Action::ConfirmFreeze => "confirm_freeze",
            Action::ShowActivationCode => "show_activation_code",
            Action::RemedyLeak => "remedy_leak",
            Action::CloseLeak => "close_leak",
            Action::ViewDestructions => "view_destructions",
            Action::ViewDestruction => "view_destruction",
            Action::ProposeDestruction => "propose_destruction",
            Action::DecideDestruction => "decide_destruction",
            Action::UndoStudentLeft => "undo_student_left",
            Action::ViewStatusChanges => "view_status_changes",
            Action::FileStatusChange => "file_status_change",
            Action::ViewStatusChange => "view_status_change",
            Action::DecideStatusChange => "decide_status_change",
            Action::WithdrawStatusChange => "withdraw_status_change",
            Action::AddStatusChangeProof => "add_status_change_proof",
            Action::ViewInspections => "view_inspections",
            Action::ViewInspection => "view_inspection",
            Action::RecordInspection => "record_inspection",
            Action::ViewProblemRecords => "view_problem_records",
            Action::ImportProblemFeedback => "import_problem_feedback",
            Action::SettleProblemRecord => "settle_problem_record",
        }
    }
}

/// What an action is about, when it is about something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Nothing,
    User(i64),
    /// A privileged role one holds (what a handover hands over).
    Role(Role),
    /// A request about a privileged role (a grant, a removal, a reset, a handover): who
    /// proposed it, for whom, and whether leaders decide it (no enabled leading-group member
    /// but those two is there to).
    RoleGrant {
        proposed_by: i64,
        grantee: i64,
        leaders_decide: bool,
    },
    /// A text under publication review: its author, and whether leaders decide it (no
    /// enabled leading-group member but its author is there to).
    Publication {
        author: i64,
        leaders_decide: bool,
    },
    /// A class, and its homeroom teacher as the database says on this request.
    Class {
        id: i64,
        homeroom_teacher: Option<i64>,
    },
    /// A student, and the homeroom teacher of their class as the database says now.
    Student {
        id: i64,
        homeroom_teacher: Option<i64>,
    },
    /// A student's marking as left that may be undone, and who marked it.
    LeftMarking {
        marked_by: i64,
    },
    /// A change of status (学籍异动): who filed it, who decided it, whether it waits.
    StatusChange {
        filed_by: i64,
        decided_by: Option<i64>,
        waiting: bool,
    },
    /// A recorded inspection.
    Inspection,
    /// A destruction batch, and who proposed it.
    Destruction {
        proposed_by: i64,
    },
    /// A leak report, and who filed it.
    LeakReport {
        reporter: i64,
    },
    /// An information request and the people who took part so far.
    InfoRequest {
        id: i64,
        requester: i64,
        approver: Option<i64>,
        fulfiller: Option<i64>,
    },
}

impl Resource {
    /// The homeroom teacher of the class this resource belongs to.
    fn homeroom_teacher(self) -> Option<i64> {
        match self {
            Resource::Class {
                homeroom_teacher, ..
            }
            | Resource::Student {
                homeroom_teacher, ..
            } => homeroom_teacher,
            _ => None,
        }
    }
}

/// Whether `actor` is the homeroom teacher of the class `resource` belongs to.
fn teaches(actor: &Actor, resource: Resource) -> bool {
    actor.has(Role::HomeroomTeacher) && resource.homeroom_teacher() == Some(actor.id)
}

/// Who may do what, as a pure rule over the actor's roles (read from the database on this
/// very request). `true` allows; anything without a rule denies.
pub fn permits(actor: Option<&Actor>, action: Action, resource: Resource) -> bool {
    use Action::*;
    match (action, actor) {
        // Open to everyone, signed in or not.
        (ChooseLanguage | SignIn | CompleteSetup | ReadPasswordPolicy, _) => true,
        // The portal's inner workings (schema, journal mode, installation time) tell an
        // outsider what to attack: the system administrator's alone.
        (ReadSystemStatus, Some(actor)) => actor.has(Role::SystemAdmin),
        // A signed-in person manages their own account, whatever their roles.
        (SignOut, Some(_)) => true,
        (ViewOwnAccount | ChangeOwnPassword | ReadOwnNotices, Some(actor)) => {
            resource == Resource::User(actor.id)
        }
        // Accounts belong to the system administrator, and to nobody else.
        (ManageAccounts, Some(actor)) => actor.has(Role::SystemAdmin),
        (ReviewRoleGrants, Some(actor)) => actor.has(Role::LeadingGroup) || actor.has(Role::Leader),
        // Which part each may read is the audit viewer's rule (readable_parts).
        (ReadAudit, Some(actor)) => [
            Role::Leader,
            Role::LeadingGroup,
            Role::SystemAdmin,
            Role::RecordsAdmin,
        ]
        .into_iter()
        .any(|r| actor.has(r)),
        (ManageSchoolStructure | WorkReviewQueue, Some(actor)) => actor.has(Role::RecordsAdmin),
        (AssignHomeroomTeacher, Some(actor)) => {
            actor.has(Role::RecordsAdmin) || actor.has(Role::SystemAdmin)
        }
        (SearchRecords | ReadImportTemplate, Some(actor)) => {
            actor.has(Role::RecordsAdmin) || actor.has(Role::HomeroomTeacher)
        }
        // Leaders and the leading group see the aggregates only (the service leaves the rest out).
        (ViewRecords, Some(actor)) => [
            Role::RecordsAdmin,
            Role::HomeroomTeacher,
            Role::Leader,
            Role::LeadingGroup,
        ]
        .into_iter()
        .any(|r| actor.has(r)),
        // A teacher reaches the students of the classes assigned to them, and no others.
        (EditStudents, Some(actor)) => teaches(actor, resource),
        (ViewClass, Some(actor)) => {
            teaches(actor, resource)
                || (actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Class { .. }))
        }
        (ImportRoster, Some(actor)) => {
            teaches(actor, resource)
                || (actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Class { .. }))
        }
        (ReviewRecords, Some(actor)) => {
            actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Student { .. })
        }
        // A records administrator, to review; the homeroom teacher, to check what they
        // collected for their own class (each view an audit entry, never a 绝密 record).
        (UnmaskField, Some(actor)) => {
            (actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Student { .. }))
                || teaches(actor, resource)
        }
        (FileRequest, Some(_)) => true,
        // Information requests: requester, approver and fulfiller are three people.
        (ViewRequest, Some(actor)) => match resource {
            Resource::InfoRequest { requester, .. } => {
                requester == actor.id || actor.has(Role::Leader) || actor.has(Role::RecordsAdmin)
            }
            _ => false,
        },
        (WithdrawRequest | OpenRelease, Some(actor)) => {
            matches!(resource, Resource::InfoRequest { requester, .. } if requester == actor.id)
        }
        (DecideRequest, Some(actor)) => match resource {
            Resource::InfoRequest { requester, .. } => {
                actor.has(Role::Leader) && distinct(actor.id, &[Some(requester)])
            }
            _ => false,
        },
        (FulfilRequest, Some(actor)) => match resource {
            Resource::InfoRequest {
                requester,
                approver,
                ..
            } => actor.has(Role::RecordsAdmin) && distinct(actor.id, &[Some(requester), approver]),
            _ => false,
        },
        (RevokeRelease, Some(actor)) => {
            matches!(resource, Resource::InfoRequest { .. })
                && (actor.has(Role::Leader) || actor.has(Role::RecordsAdmin))
        }
        (ReadRegister, Some(actor)) => actor.has(Role::Leader) || actor.has(Role::LeadingGroup),
        (ReadStudentRegister, Some(actor)) => {
            matches!(resource, Resource::Student { .. })
                && [Role::Leader, Role::LeadingGroup, Role::RecordsAdmin]
                    .into_iter()
                    .any(|r| actor.has(r))
        }
        (WritePublication, Some(_)) => true,
        (EditPublication, Some(actor)) => {
            matches!(resource, Resource::Publication { author, .. } if author == actor.id)
        }
        (ViewPublication, Some(actor)) => match resource {
            Resource::Publication { author, .. } => {
                author == actor.id || actor.has(Role::LeadingGroup) || actor.has(Role::Leader)
            }
            _ => false,
        },
        // 谁上网谁负责: the author answers for the text, someone else approves it.
        (DecidePublication, Some(actor)) => match resource {
            Resource::Publication {
                author,
                leaders_decide,
            } => {
                (actor.has(Role::LeadingGroup) || (leaders_decide && actor.has(Role::Leader)))
                    && actor.id != author
            }
            _ => false,
        },
        // Leak reports: anyone reports at once; those who handle them are told until one of
        // them (never the reporter) acknowledges; a leader contains; closing is someone
        // else's than the reporter's.
        (ReportLeak | ViewLeaks, Some(_)) => true,
        (ViewLeak, Some(actor)) => match resource {
            Resource::LeakReport { reporter } => {
                reporter == actor.id || handles_leaks(actor) || actor.has(Role::LeadingGroup)
            }
            _ => false,
        },
        (AcknowledgeLeak, Some(actor)) => {
            matches!(resource, Resource::LeakReport { reporter } if reporter != actor.id)
                && handles_leaks(actor)
        }
        (ContainLeak, Some(actor)) => {
            matches!(resource, Resource::LeakReport { .. }) && actor.has(Role::Leader)
        }
        (ShowActivationCode, Some(actor)) => {
            actor.has(Role::LeadingGroup) || actor.has(Role::Leader) || actor.has(Role::SystemAdmin)
        }
        (ConfirmFreeze, Some(actor)) => {
            matches!(resource, Resource::LeakReport { .. })
                && (actor.has(Role::Leader) || actor.has(Role::LeadingGroup))
        }
        (RemedyLeak, Some(actor)) => {
            matches!(resource, Resource::LeakReport { .. }) && handles_leaks(actor)
        }
        (CloseLeak, Some(actor)) => {
            matches!(resource, Resource::LeakReport { reporter } if reporter != actor.id)
                && (actor.has(Role::Leader) || actor.has(Role::LeadingGroup))
        }
        // Destruction: a records administrator proposes, a leader other than the proposer
        // approves; nobody destroys alone.
        (ViewDestructions, Some(actor)) => [Role::RecordsAdmin, Role::Leader, Role::LeadingGroup]
            .into_iter()
            .any(|r| actor.has(r)),
        (ViewDestruction, Some(actor)) => {
            matches!(resource, Resource::Destruction { .. })
                && permits(Some(actor), ViewDestructions, Resource::Nothing)
        }
        (ProposeDestruction, Some(actor)) => actor.has(Role::RecordsAdmin),
        (DecideDestruction, Some(actor)) => {
            matches!(resource, Resource::Destruction { proposed_by } if proposed_by != actor.id)
                && actor.has(Role::Leader)
        }
        (ViewInspections, Some(actor)) => [
            Role::RecordsAdmin,
            Role::LeadingGroup,
            Role::Leader,
            Role::SystemAdmin,
        ]
        .into_iter()
        .any(|r| actor.has(r)),
        (ViewInspection, Some(actor)) => {
            resource == Resource::Inspection
                && permits(Some(actor), ViewInspections, Resource::Nothing)
        }
        (RecordInspection, Some(actor)) => {
            actor.has(Role::RecordsAdmin) || actor.has(Role::LeadingGroup)
        }
        (UndoStudentLeft, Some(actor)) => {
            actor.has(Role::RecordsAdmin)
                && matches!(resource, Resource::LeftMarking { marked_by } if marked_by != actor.id)
        }
        (ViewStatusChanges, Some(actor)) => {
            actor.has(Role::RecordsAdmin) || actor.has(Role::Leader)
        }
        (ViewProblemRecords, Some(actor)) => {
            actor.has(Role::RecordsAdmin) || actor.has(Role::Leader)
        }
        (ImportProblemFeedback, Some(actor)) => actor.has(Role::RecordsAdmin),
        (SettleProblemRecord, Some(actor)) => {
            actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Student { .. })
        }
        (FileStatusChange, Some(actor)) => {
            actor.has(Role::RecordsAdmin) && matches!(resource, Resource::Student { .. })
        }
        // Records administrators keep the records; a leader sees a pupil's application while
        // it waits for a decision and those they decided themselves, no other.
        (ViewStatusChange, Some(actor)) => match resource {
            Resource::StatusChange {
                decided_by,
                waiting,
                ..
            } => {
                actor.has(Role::RecordsAdmin)
                    || (actor.has(Role::Leader) && (waiting || decided_by == Some(actor.id)))
            }
            _ => false,
        },
        // Separation of duties: the 学籍主管领导 approves what the 学籍管理员 filed, never
        // their own application (one person holding both roles files or decides, not both).
        (DecideStatusChange, Some(actor)) => {
            actor.has(Role::Leader)
                && matches!(resource, Resource::StatusChange { filed_by, .. } if filed_by != actor.id)
        }
        (WithdrawStatusChange, Some(actor)) => {
            actor.has(Role::RecordsAdmin)
                && matches!(resource, Resource::StatusChange { filed_by, .. } if filed_by == actor.id)
        }
        (AddStatusChangeProof, Some(actor)) => {
            actor.has(Role::RecordsAdmin)
                && matches!(resource, Resource::StatusChange { filed_by, waiting: true, .. } if filed_by == actor.id)
        }
        // Anyone signed in: a successor who holds no privileged role yet sees the handovers
        // naming them (the page lists one's own and, for those who decide, the rest).
        (ViewHandovers, Some(_)) => true,
        (ApplyHandover, Some(actor)) => {
            matches!(resource, Resource::Role(role) if role.is_privileged() && actor.has(role))
        }
        (ViewHandover, Some(actor)) => match resource {
            Resource::RoleGrant {
                proposed_by,
                grantee,
                ..
            } => {
                actor.id == proposed_by
                    || actor.id == grantee
                    || actor.has(Role::LeadingGroup)
                    || actor.has(Role::Leader)
            }
            _ => false,
        },
        (WithdrawHandover, Some(actor)) => {
            matches!(resource, Resource::RoleGrant { proposed_by, .. } if proposed_by == actor.id)
        }
        // Separation of duties: never one's own proposal, never a change to oneself; a
        // leader decides only when no leading-group member but the two parties is there.
        (DecideRoleGrant | DecideHandover, Some(actor)) => match resource {
            Resource::RoleGrant {
                proposed_by,
                grantee,
                leaders_decide,
            } => {
                (actor.has(Role::LeadingGroup) || (leaders_decide && actor.has(Role::Leader)))
                    && actor.id != proposed_by
                    && actor.id != grantee
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether `actor` handles leak reports (is told of each until it is acknowledged): a
/// leader, a records administrator, the system administrator.
pub fn handles_leaks(actor: &Actor) -> bool {
    [Role::Leader, Role::RecordsAdmin, Role::SystemAdmin]
        .into_iter()
        .any(|r| actor.has(r))
}

/// Whether `actor` is reminded on every page that the semi-annual inspection is overdue:
/// those who answer for it, a leader and a records administrator.
pub fn reminded_of_inspections(actor: &Actor) -> bool {
    actor.has(Role::Leader) || actor.has(Role::RecordsAdmin)
}

/// What the navigation offers `actor`: each link is there when the action behind its page
/// is permitted (the page's own check still decides).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Navigation {
    /// The records home (class lists, or the school's figures for leaders).
    pub records: bool,
    /// The account console.
    pub accounts: bool,
    /// The role grants waiting for a decision.
    pub role_grants: bool,
    /// The handovers: a privileged role's holder, who may hand it over.
    pub handovers: bool,
    /// The audit viewer.
    pub audit: bool,
    /// The changes of status: records administrators and leaders.
    pub changes: bool,
}

impl Navigation {
    pub fn of(actor: &Actor) -> Self {
        let may = |action| permits(Some(actor), action, Resource::Nothing);
        Navigation {
            records: may(Action::ViewRecords),
            accounts: may(Action::ManageAccounts),
            role_grants: may(Action::ReviewRoleGrants),
            handovers: Role::ALL
                .into_iter()
                .any(|role| permits(Some(actor), Action::ApplyHandover, Resource::Role(role))),
            audit: may(Action::ReadAudit),
            changes: may(Action::ViewStatusChanges),
        }
    }
}

/// Separation of duties: `actor` is none of the `others` who already took part.
pub fn distinct(actor: i64, others: &[Option<i64>]) -> bool {
    others.iter().all(|o| *o != Some(actor))
}

/// Whether `role` is among the actor's roles: for the rules of later actions.
pub fn holds(actor: Option<&Actor>, role: Role) -> bool {
    actor.is_some_and(|a| a.has(role))
}

/// The resource of actions on one's own account.
pub fn own_account(actor: Option<&Actor>) -> Resource {
    actor.map_or(Resource::Nothing, |a| Resource::User(a.id))
}

/// For actions about nothing in particular.
pub fn nothing(_: Option<&Actor>) -> Resource {
    Resource::Nothing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, roles: &[Role]) -> Actor {
        Actor {
            id,
            username: "u".into(),
            display_name: "U".into(),
            roles: roles.to_vec(),
            must_change_password: false,
        }
    }

    #[test]
    fn anonymous_people_reach_only_the_public_doors() {
        for action in [
            Action::ChooseLanguage,
            Action::SignIn,
            Action::CompleteSetup,
        ] {
            assert!(permits(None, action, Resource::Nothing), "{action:?}");
        }
        assert!(!permits(None, Action::ReadSystemStatus, Resource::Nothing));
        for action in [
            Action::ReadSystemStatus,
            Action::ViewOwnAccount,
            Action::ChangeOwnPassword,
        ] {
            assert!(!permits(None, action, Resource::User(1)), "{action:?}");
        }
    }

    #[test]
    fn only_system_administrators_manage_accounts() {
        assert!(permits(
            Some(&actor(1, &[Role::SystemAdmin])),
            Action::ManageAccounts,
            Resource::Nothing
        ));
        for role in [
            Role::HomeroomTeacher,
            Role::RecordsAdmin,
            Role::Leader,
            Role::LeadingGroup,
        ] {
            assert!(
                !permits(
                    Some(&actor(1, &[role])),
                    Action::ManageAccounts,
                    Resource::Nothing
                ),
                "{role:?}"
            );
        }
        assert!(!permits(None, Action::ManageAccounts, Resource::Nothing));
    }

    #[test]
    fn nobody_decides_their_own_grant_or_proposal() {
        let member = actor(5, &[Role::LeadingGroup]);
        let grant = |proposed_by, grantee| Resource::RoleGrant {
            proposed_by,
            grantee,
            leaders_decide: false,
        };
        assert!(permits(Some(&member), Action::DecideRoleGrant, grant(1, 2)));
        assert!(
            !permits(Some(&member), Action::DecideRoleGrant, grant(5, 2)),
            "own proposal"
        );
        assert!(
            !permits(Some(&member), Action::DecideRoleGrant, grant(1, 5)),
            "own grant"
        );
        let admin = actor(1, &[Role::SystemAdmin]);
        assert!(
            !permits(Some(&admin), Action::DecideRoleGrant, grant(2, 3)),
            "not a leading-group member"
        );
        assert!(!permits(
            Some(&member),
            Action::DecideRoleGrant,
            Resource::Nothing
        ));
        // A leader decides only when no leading-group member but the parties is there.
        let leader = actor(6, &[Role::Leader]);
        assert!(!permits(
            Some(&leader),
            Action::DecideRoleGrant,
            grant(1, 2)
        ));
        let leaders = |proposed_by, grantee| Resource::RoleGrant {
            proposed_by,
            grantee,
            leaders_decide: true,
        };
        assert!(permits(
            Some(&leader),
            Action::DecideRoleGrant,
            leaders(1, 2)
        ));
        assert!(!permits(
            Some(&leader),
            Action::DecideRoleGrant,
            leaders(6, 2)
        ));
        assert!(!permits(
            Some(&leader),
            Action::DecideRoleGrant,
            leaders(1, 6)
        ));
    }

    #[test]
    fn a_handover_is_applied_for_by_its_holder_and_decided_by_neither_party() {
        let records = actor(1, &[Role::RecordsAdmin]);
        let apply = |a: &Actor, role| permits(Some(a), Action::ApplyHandover, Resource::Role(role));
        assert!(apply(&records, Role::RecordsAdmin));
        assert!(!apply(&records, Role::Leader), "a role not held");
        let teacher = actor(2, &[Role::HomeroomTeacher]);
        assert!(
            !apply(&teacher, Role::HomeroomTeacher),
            "not a privileged role"
        );
        assert!(!permits(
            Some(&records),
            Action::ApplyHandover,
            Resource::Nothing
        ));
        let handover = |leaders_decide| Resource::RoleGrant {
            proposed_by: 1,
            grantee: 3,
            leaders_decide,
        };
        let member = actor(5, &[Role::LeadingGroup]);
        let successor = actor(3, &[Role::LeadingGroup]);
        let leader = actor(6, &[Role::Leader]);
        assert!(permits(
            Some(&member),
            Action::DecideHandover,
            handover(false)
        ));
        assert!(!permits(
            Some(&successor),
            Action::DecideHandover,
            handover(false)
        ));
        assert!(!permits(
            Some(&leader),
            Action::DecideHandover,
            handover(false)
        ));
        assert!(permits(
            Some(&leader),
            Action::DecideHandover,
            handover(true)
        ));
        assert!(permits(
            Some(&records),
            Action::WithdrawHandover,
            handover(false)
        ));
        assert!(!permits(
            Some(&member),
            Action::WithdrawHandover,
            handover(false)
        ));
        assert!(permits(
            Some(&successor),
            Action::ViewHandover,
            handover(false)
        ));
        assert!(!permits(
            Some(&teacher),
            Action::ViewHandover,
            handover(false)
        ));
    }

    #[test]
    fn a_text_is_approved_by_someone_other_than_its_author() {
        let text = |author, leaders_decide| Resource::Publication {
            author,
            leaders_decide,
        };
        let member = actor(5, &[Role::LeadingGroup]);
        let leader = actor(6, &[Role::Leader]);
        let teacher = actor(7, &[Role::HomeroomTeacher]);
        assert!(permits(
            Some(&member),
            Action::DecidePublication,
            text(7, false)
        ));
        assert!(
            !permits(Some(&member), Action::DecidePublication, text(5, false)),
            "own text"
        );
        assert!(!permits(
            Some(&leader),
            Action::DecidePublication,
            text(7, false)
        ));
        assert!(permits(
            Some(&leader),
            Action::DecidePublication,
            text(5, true)
        ));
        assert!(!permits(
            Some(&teacher),
            Action::DecidePublication,
            text(8, true)
        ));
        assert!(permits(
            Some(&teacher),
            Action::EditPublication,
            text(7, false)
        ));
        assert!(!permits(
            Some(&teacher),
            Action::EditPublication,
            text(8, false)
        ));
        assert!(!permits(
            Some(&teacher),
            Action::ViewPublication,
            text(8, false)
        ));
        assert!(permits(
            Some(&leader),
            Action::ViewPublication,
            text(8, false)
        ));
    }

    #[test]
    fn a_leak_report_is_acknowledged_and_closed_by_someone_other_than_its_reporter() {
        let teacher = actor(1, &[Role::HomeroomTeacher]);
        let records = actor(2, &[Role::RecordsAdmin]);
        let leader = actor(3, &[Role::Leader]);
        let group = actor(4, &[Role::LeadingGroup]);
        let admin = actor(5, &[Role::SystemAdmin]);
        let by = |reporter| Resource::LeakReport { reporter };
        let may = |a: &Actor, action, r| permits(Some(a), action, r);
        // Anyone signed in reports; nobody anonymous does.
        assert!(may(&teacher, Action::ReportLeak, Resource::Nothing));
        assert!(!permits(None, Action::ReportLeak, Resource::Nothing));
        // The reporter sees their report; another teacher does not.
        assert!(may(&teacher, Action::ViewLeak, by(1)));
        assert!(!may(
            &actor(9, &[Role::HomeroomTeacher]),
            Action::ViewLeak,
            by(1)
        ));
        for handler in [&records, &leader, &admin] {
            assert!(may(handler, Action::AcknowledgeLeak, by(1)));
            assert!(may(handler, Action::RemedyLeak, by(1)));
        }
        // Nobody acknowledges their own report, and the leading group only reads and closes.
        assert!(!may(&records, Action::AcknowledgeLeak, by(2)));
        assert!(!may(&group, Action::AcknowledgeLeak, by(1)));
        assert!(may(&group, Action::ViewLeak, by(1)));
        // A leader contains (even their own report: containment does not wait).
        assert!(may(&leader, Action::ContainLeak, by(3)));
        assert!(!may(&records, Action::ContainLeak, by(1)));
        assert!(!may(&admin, Action::ContainLeak, by(1)));
        // Closing is a leader's or the leading group's, never the reporter's.
        assert!(may(&leader, Action::CloseLeak, by(1)));
        assert!(may(&group, Action::CloseLeak, by(1)));
        assert!(!may(&leader, Action::CloseLeak, by(3)));
        assert!(!may(&records, Action::CloseLeak, by(1)));
        assert!(!may(&teacher, Action::AcknowledgeLeak, Resource::Nothing));
    }

    #[test]
    fn a_destruction_is_proposed_by_a_records_administrator_and_approved_by_another_leader() {
        let records = actor(1, &[Role::RecordsAdmin]);
        let leader = actor(2, &[Role::Leader]);
        let both = actor(3, &[Role::Leader, Role::RecordsAdmin]);
        let teacher = actor(4, &[Role::HomeroomTeacher]);
        let batch = |proposed_by| Resource::Destruction { proposed_by };
        assert!(permits(
            Some(&records),
            Action::ProposeDestruction,
            Resource::Nothing
        ));
        assert!(!permits(
            Some(&leader),
            Action::ProposeDestruction,
            Resource::Nothing
        ));
        assert!(permits(Some(&leader), Action::DecideDestruction, batch(1)));
        assert!(!permits(
            Some(&records),
            Action::DecideDestruction,
            batch(2)
        ));
        // One who is both proposes, and then may not approve their own batch.
        assert!(!permits(Some(&both), Action::DecideDestruction, batch(3)));
        assert!(permits(Some(&both), Action::DecideDestruction, batch(1)));
        assert!(!permits(
            Some(&teacher),
            Action::ViewDestructions,
            Resource::Nothing
        ));
        let student = Resource::Student {
            id: 9,
            homeroom_teacher: Some(4),
        };
        // A change of status: filed by a records administrator, decided by a leader who did
        // not file it (one who is both decides only what another filed), withdrawn by its
        // filer; a teacher does none of it.
        assert!(permits(Some(&records), Action::FileStatusChange, student));
        assert!(!permits(Some(&teacher), Action::FileStatusChange, student));
        assert!(!permits(
            Some(&both),
            Action::FileStatusChange,
            Resource::Nothing
        ));
        let filed_by = |id| Resource::StatusChange {
            filed_by: id,
            decided_by: None,
            waiting: true,
        };
        // A leader sees what waits and what they decided, not another leader's decisions.
        let decided = |by| Resource::StatusChange {
            filed_by: records.id,
            decided_by: Some(by),
            waiting: false,
        };
        assert!(permits(
            Some(&leader),
            Action::ViewStatusChange,
            decided(leader.id)
        ));
        assert!(!permits(
            Some(&leader),
            Action::ViewStatusChange,
            decided(both.id)
        ));
        assert!(permits(
            Some(&records),
            Action::ViewStatusChange,
            decided(both.id)
        ));
        assert!(permits(
            Some(&both),
            Action::DecideStatusChange,
            filed_by(records.id)
        ));
        assert!(!permits(
            Some(&both),
            Action::DecideStatusChange,
            filed_by(both.id)
        ));
        assert!(!permits(
            Some(&records),
            Action::DecideStatusChange,
            filed_by(both.id)
        ));
        assert!(permits(
            Some(&records),
            Action::WithdrawStatusChange,
            filed_by(records.id)
        ));
        assert!(!permits(
            Some(&both),
            Action::WithdrawStatusChange,
            filed_by(records.id)
        ));
        // Proof is added by its filer, while it waits.
        assert!(permits(
            Some(&records),
            Action::AddStatusChangeProof,
            filed_by(records.id)
        ));
        assert!(!permits(
            Some(&both),
            Action::AddStatusChangeProof,
            filed_by(records.id)
        ));
        assert!(!permits(
            Some(&records),
            Action::AddStatusChangeProof,
            Resource::StatusChange {
                filed_by: records.id,
                decided_by: None,
                waiting: false,
            }
        ));
        for action in [
            Action::ViewStatusChanges,
            Action::ViewStatusChange,
            Action::DecideStatusChange,
        ] {
            assert!(
                !permits(Some(&teacher), action, filed_by(records.id)),
                "{action:?}"
            );
        }
        // A marking is undone by another records administrator, never by who made it.
        let marked_by_other = Resource::LeftMarking {
            marked_by: records.id + 1,
        };
        let marked_by_self = Resource::LeftMarking {
            marked_by: records.id,
        };
        assert!(permits(
            Some(&records),
            Action::UndoStudentLeft,
            marked_by_other
        ));
        assert!(!permits(
            Some(&records),
            Action::UndoStudentLeft,
            marked_by_self
        ));
        assert!(!permits(
            Some(&teacher),
            Action::UndoStudentLeft,
            marked_by_other
        ));
        assert!(!permits(Some(&records), Action::UndoStudentLeft, student));
    }

    #[test]
    fn teachers_reach_only_the_classes_assigned_to_them() {
        let teacher = actor(7, &[Role::HomeroomTeacher]);
        let own = Resource::Student {
            id: 1,
            homeroom_teacher: Some(7),
        };
        let other = Resource::Student {
            id: 2,
            homeroom_teacher: Some(8),
        };
        let unassigned = Resource::Class {
            id: 3,
            homeroom_teacher: None,
        };
        assert!(permits(Some(&teacher), Action::EditStudents, own));
        assert!(!permits(Some(&teacher), Action::EditStudents, other));
        assert!(!permits(Some(&teacher), Action::EditStudents, unassigned));
        assert!(!permits(Some(&teacher), Action::ReviewRecords, own));
        // A homeroom teacher checks a saved value of their own class (audited), no other.
        assert!(permits(Some(&teacher), Action::UnmaskField, own));
        assert!(!permits(Some(&teacher), Action::UnmaskField, other));
        // Assigned, but no longer a homeroom teacher.
        let former = actor(7, &[Role::Leader]);
        assert!(!permits(Some(&former), Action::EditStudents, own));
        let records_admin = actor(9, &[Role::RecordsAdmin]);
        assert!(
            !permits(Some(&records_admin), Action::EditStudents, own),
            "admins verify, teachers enter"
        );
        assert!(permits(Some(&records_admin), Action::ReviewRecords, other));
        assert!(permits(Some(&records_admin), Action::ViewClass, unassigned));
        assert!(!permits(
            Some(&records_admin),
            Action::ReviewRecords,
            Resource::Nothing
        ));
        for role in [Role::SystemAdmin, Role::Leader, Role::LeadingGroup] {
            let someone = actor(7, &[role]);
            assert!(
                !permits(Some(&someone), Action::ViewClass, unassigned),
                "{role:?}"
            );
            assert!(
                !permits(Some(&someone), Action::ReviewRecords, own),
                "{role:?}"
            );
        }
    }

    #[test]
    fn an_account_is_its_owners_alone() {
        let admin = actor(1, &[Role::SystemAdmin]);
        assert!(permits(
            Some(&admin),
            Action::ChangeOwnPassword,
            Resource::User(1)
        ));
        assert!(!permits(
            Some(&admin),
            Action::ChangeOwnPassword,
            Resource::User(2)
        ));
        assert!(!permits(
            Some(&admin),
            Action::ViewOwnAccount,
            Resource::Nothing
        ));
    }

    #[test]
    fn each_role_is_offered_the_links_to_what_it_may_open() {
        let nav = |role| Navigation::of(&actor(1, &[role]));
        let offered = |n: Navigation| [n.records, n.accounts, n.role_grants, n.handovers, n.audit];
        //                                              records accounts grants handovers audit
        let expected = [
            (Role::HomeroomTeacher, [true, false, false, false, false]),
            (Role::RecordsAdmin, [true, false, false, true, true]),
            (Role::SystemAdmin, [false, true, false, true, true]),
            (Role::Leader, [true, false, true, true, true]),
            (Role::LeadingGroup, [true, false, true, true, true]),
        ];
        for (role, links) in expected {
            assert_eq!(offered(nav(role)), links, "{role:?}");
        }
        assert_eq!(Navigation::of(&actor(1, &[])), Navigation::default());
        assert!(reminded_of_inspections(&actor(1, &[Role::Leader])));
        assert!(!reminded_of_inspections(&actor(1, &[Role::SystemAdmin])));
    }
}
