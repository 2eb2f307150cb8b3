"""SQLAlchemy models, one concept per file. Import from here."""
from .access_log import AttachmentDownload
from .admin_event import AdminEvent
from .api_token import ApiToken
from .attachment import Attachment
from .audit import HistoryAnchor, IdentityAccess, VisitAccess
from .base import Base
from .calendar_override import CalendarOverride
from .case import Case, TrackingCounter
from .case_move import CaseUnitMove
from .clock import Clock, EscalationRecord
from .document import Document, DocumentSeries, UnitTemplate
from .event import CaseEvent
from .identity_key import IdentityKeyCheck
from .intake_request import IntakeRequest
from .notification import Notification
from .party import CaseParty, Party
from .rating import Rating
from .read_mostly import ReadMostlyVersion
from .reception import (
    Commitment,
    ReceptionBooking,
    ReceptionOfficial,
    ReceptionSession,
    ReceptionVisit,
)
from .scorecard import (
    DanVanKheoModel,
    EvidenceFile,
    ScorecardEntry,
    ScorecardEntryEvent,
)
from .unit import Unit
from .user import Membership, RecoveryCode, User
from .workflow_version import WorkflowVersion

__all__ = [
    "AdminEvent", "ApiToken", "Attachment", "AttachmentDownload", "Base", "CalendarOverride", "Case", "CaseEvent", "CaseUnitMove", "CaseParty", "Clock",
    "Commitment", "DanVanKheoModel", "EvidenceFile", "ScorecardEntry", "ScorecardEntryEvent",
    "Document", "DocumentSeries", "EscalationRecord", "HistoryAnchor", "IdentityAccess", "IdentityKeyCheck", "IntakeRequest", "Membership", "Notification", "Party",
    "Rating", "ReadMostlyVersion", "ReceptionBooking", "ReceptionOfficial", "ReceptionSession", "ReceptionVisit", "RecoveryCode", "TrackingCounter", "Unit", "UnitTemplate", "User", "VisitAccess",
    "WorkflowVersion",
]
