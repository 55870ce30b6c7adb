"""Imports every model so that metadata (and Alembic) sees all tables."""

from levensloop.api.models import ApiToken  # noqa: F401
from levensloop.audit.models import AuditChainHead, AuditEvent  # noqa: F401
from levensloop.auth.models import RecoveryCode, RoleAssignment, User, UserSession  # noqa: F401
from levensloop.documents.models import Document, DocumentContent  # noqa: F401
from levensloop.escalations.models import Escalation, EscalationLevel  # noqa: F401
from levensloop.handovers.models import Handover  # noqa: F401
from levensloop.inclusion.models import (  # noqa: F401
    InclusionDecision,
    InclusionMeeting,
    Referral,
    RegionCriteriaSet,
    Trajectory,
    Triage,
)
from levensloop.keys.models import DataKey  # noqa: F401
from levensloop.notifications.models import Notification  # noqa: F401
from levensloop.organisations.models import Organisation, Region  # noqa: F401
from levensloop.persons.models import Person  # noqa: F401
from levensloop.persons.network import NetworkContact  # noqa: F401
from levensloop.plans.models import Action, Goal, Plan, PlanSection, ScoreChange  # noqa: F401
from levensloop.privacy.models import InformationNotice, RightsRequest  # noqa: F401
from levensloop.reports.models import ReportCell, ReportSnapshot  # noqa: F401
from levensloop.retention.models import DestructionEntry, RetentionRule  # noqa: F401
from levensloop.reviews.models import (  # noqa: F401
    PlanReview,
    PlanReviewDomain,
    ReviewSchedule,
    ReviewSetting,
)
from levensloop.scheduler.models import JobRun  # noqa: F401
from levensloop.sharing.models import BreakGlass, CaseAssignment, CaseParticipant, SharingRule  # noqa: F401
from levensloop.titles.models import (  # noqa: F401
    LegalTitle,
    Placement,
    PlacementRefusal,
    TitleExtension,
    TitleType,
)
