"""The shapes of Ed's objects that pyedstem expects, as the public sources give them.

Only fields that the sources mark as well evidenced, or that pyedstem's models
read, are listed. Every object may carry further keys.
"""

from __future__ import annotations

from .shapes import (
    BOOL,
    INT,
    OBJECT,
    STR,
    FieldSpec,
    Shape,
    lazy,
    list_of,
    nullable,
    obj,
    optional,
)

__all__ = [
    "COMMENT",
    "COURSE",
    "CURRENT_USER_RESPONSE",
    "PARTICIPANT",
    "SLIDE",
    "SLIDE_ID",
    "THREAD_DETAIL",
    "THREAD_LIST_ITEM",
    "UPLOADED_FILE",
]

PARTICIPANT = obj(id=INT, name=STR, role=STR, course_role=nullable(STR))
"""An entry of ``users`` in thread responses."""

_THREAD_FIELDS: dict[str, Shape | FieldSpec] = {
    "id": INT,
    "user_id": INT,
    "course_id": INT,
    "number": INT,
    "type": STR,
    "title": STR,
    "content": STR,
    "document": STR,
    "category": STR,
    "subcategory": STR,
    "subsubcategory": STR,
    "flag_count": INT,
    "star_count": INT,
    "view_count": INT,
    "unique_view_count": INT,
    "vote_count": INT,
    "reply_count": INT,
    "unresolved_count": INT,
    "is_locked": BOOL,
    "is_pinned": BOOL,
    "is_private": BOOL,
    "is_endorsed": BOOL,
    "is_answered": BOOL,
    "is_student_answered": BOOL,
    "is_staff_answered": BOOL,
    "is_archived": BOOL,
    "is_anonymous": BOOL,
    "is_megathread": BOOL,
    "anonymous_comments": BOOL,
    "approved_status": STR,
    "anonymous_id": INT,
    "accepted_id": nullable(INT),
    "duplicate_id": nullable(INT),
    "editor_id": nullable(INT),
    "created_at": STR,
    "updated_at": nullable(STR),
    "deleted_at": nullable(STR),
    "pinned_at": nullable(STR),
    "vote": INT,
}

THREAD_LIST_ITEM = obj(
    **_THREAD_FIELDS,
    # Per-viewer flags: the thread actions' outcome checks read them from the
    # detail, where they are required; lists may leave them out.
    is_seen=optional(BOOL),
    is_starred=optional(BOOL),
    user=optional(nullable(PARTICIPANT)),
)
"""A thread in ``GET /courses/{course_id}/threads`` and search results."""

COMMENT: Shape = obj(
    id=INT,
    user_id=INT,
    course_id=INT,
    thread_id=INT,
    parent_id=nullable(INT),
    editor_id=nullable(INT),
    number=INT,
    type=STR,
    content=STR,
    document=STR,
    flag_count=INT,
    vote_count=INT,
    is_endorsed=BOOL,
    is_anonymous=BOOL,
    is_private=BOOL,
    is_resolved=BOOL,
    created_at=STR,
    updated_at=nullable(STR),
    deleted_at=nullable(STR),
    # Sources disagree on whether these two can be null.
    anonymous_id=nullable(INT),
    vote=nullable(INT),
    comments=list_of(lazy(lambda: COMMENT)),
)
"""An answer or comment, with its nested replies."""

THREAD_DETAIL = obj(
    **_THREAD_FIELDS,
    is_seen=BOOL,
    is_starred=BOOL,
    answers=list_of(COMMENT),
    comments=list_of(COMMENT),
)
"""The ``thread`` of ``GET /threads/{thread_id}``."""

COURSE = obj(
    id=INT,
    realm_id=INT,
    code=STR,
    name=STR,
    year=STR,
    session=STR,
    status=STR,
    features=OBJECT,
    settings=OBJECT,
    created_at=STR,
    is_lab_regex_active=BOOL,
)
"""A course, in ``GET /user`` enrollments and ``GET /courses/{course_id}``."""

_CURRENT_USER = obj(
    id=INT,
    name=STR,
    email=STR,
    role=STR,
    username=nullable(STR),
    avatar=nullable(STR),
    course_role=nullable(STR),
    activated=BOOL,
    created_at=STR,
    has_pats=BOOL,
    is_lti=BOOL,
    is_sso=BOOL,
    realm_id=nullable(INT),
    settings=OBJECT,
    features=OBJECT,
)

# Ed sends an enrollment's role as an object; pyedstem also reads a string.
_ENROLLMENT = obj(course=COURSE, role=obj(role=STR, user_id=INT, course_id=INT))

CURRENT_USER_RESPONSE = obj(
    user=_CURRENT_USER,
    courses=list_of(_ENROLLMENT),
    realms=list_of(OBJECT),
    time=STR,
)
"""The whole body of ``GET /user``."""

SLIDE = obj(id=INT, lesson_id=INT, type=STR, title=STR)
"""A lesson slide, as one or two clients type it."""

SLIDE_ID = obj(id=INT)
"""A lesson slide, as far as many clients agree."""

UPLOADED_FILE = obj(id=STR, user_id=INT, filename=STR, extension=STR, created_at=STR)
"""The ``file`` of ``POST /files``."""
