"""Care and rights (关爱帮扶与维权): the most sensitive records a union keeps.

Every model here belongs to a unit and is found through ``visible_to(user, "care.view")``,
a permission only care roles hold (chair and care officer; a care officer on a federation
unit sees the files below it). Each clear read of a file, a case or an attachment writes an
AccessLog row (core.audit) from the view that shows it.
"""

from care.models.archive import (  # noqa: F401
    Attachment,
    CareSettings,
    Category,
    EventKind,
    FamilyMember,
    FileStatus,
    Household,
    HouseholdEvent,
    Level,
    settings_for,
)
from care.models.assistance import Assistance, AssistanceCap, AssistanceKind, Purpose  # noqa: F401
from care.models.campaigns import Campaign, CampaignEntry, CampaignKind, CareTag, TagKind  # noqa: F401
from care.models.insurance import (  # noqa: F401
    HealthCheck,
    InsuranceClaim,
    InsuranceEnrollment,
    InsuranceProduct,
    ProtectionItem,
)
from care.models.pairing import Pairing, PairingContact  # noqa: F401
from care.models.rights import CaseCategory, CaseStatus, CaseStep, RightsCase  # noqa: F401
from care.models.visits import Visit, VisitKind  # noqa: F401
