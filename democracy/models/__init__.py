"""Democratic management: the staff congress, proposals and suggestions, ballots, public
notices (公示), affairs disclosure and the opinion box. One module per part."""

from democracy.models.ballots import Ballot, BallotMethod, BallotStatus, Candidate, Choice, PaperCount, Tally, Voter
from democracy.models.congress import Attendance, Congress, Representative, Resolution, Session, SessionStatus
from democracy.models.disclosure import DisclosureItem, DisclosurePeriod
from democracy.models.notices import Notice, NoticeStatus, Objection
from democracy.models.opinions import Opinion, OpinionQuota
from democracy.models.proposals import (
    Answer,
    Category,
    CoSign,
    Kind,
    NumberSequence,
    Outcome,
    Proposal,
    ProposalStatus,
    Rating,
)

__all__ = [
    "Answer",
    "Attendance",
    "Ballot",
    "BallotMethod",
    "BallotStatus",
    "Candidate",
    "Category",
    "Choice",
    "CoSign",
    "Congress",
    "DisclosureItem",
    "DisclosurePeriod",
    "Kind",
    "Notice",
    "NumberSequence",
    "NoticeStatus",
    "Objection",
    "Opinion",
    "OpinionQuota",
    "Outcome",
    "PaperCount",
    "Proposal",
    "ProposalStatus",
    "Rating",
    "Representative",
    "Resolution",
    "Session",
    "SessionStatus",
    "Tally",
    "Voter",
]
