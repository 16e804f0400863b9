"""Parsing of Ed web links that people paste, such as a thread's address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ._constants import REGION_API_BASE_URLS, WEB_HOST
from .errors import InvalidArgumentError

__all__ = ["EdUrl", "parse_ed_url"]

_COURSE_PATH = re.compile(
    r"^/(?P<region>[a-z]{2})/courses/(?P<course>\d+)"
    r"(?:/(?P<section>discussion|lessons|resources|analytics|workspaces|people)"
    r"(?:/(?P<object>\d+)(?:/slides/(?P<slide>\d+))?)?)?/?$"
)


@dataclass(frozen=True)
class EdUrl:
    """The parts of an Ed web link.

    Attributes:
        region: ``au``, ``us`` or ``eu``.
        course_id: The course id.
        thread_id: The global thread id of a discussion link.
        comment_id: The comment the link points at, from ``?comment=``.
        lesson_id: The lesson id of a lessons link.
        slide_id: The slide id of a slide link.
    """

    region: str
    course_id: int
    thread_id: int | None = None
    comment_id: int | None = None
    lesson_id: int | None = None
    slide_id: int | None = None

    @property
    def base_url(self) -> str:
        """The API base URL of the link's region."""
        return REGION_API_BASE_URLS[self.region]


def parse_ed_url(url: str) -> EdUrl:
    """Parse an Ed web link into its region, course, thread, lesson and slide.

    Accepts links such as ``https://edstem.org/us/courses/123/discussion/456``
    and ``https://edstem.org/au/courses/123/lessons/45/slides/678``.

    Args:
        url: The link, with or without ``www.`` and surrounding white space.

    Returns:
        The link's region and ids. An id that the link does not contain is
        None.

    Raises:
        InvalidArgumentError: The text is not a link to an Ed course.
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    match = _COURSE_PATH.match(parts.path)
    if host != WEB_HOST or match is None:
        raise InvalidArgumentError(
            f"Not an Ed course link: {url!r}. Expected a link such as "
            f"'https://{WEB_HOST}/us/courses/123/discussion/456'."
        )
    region = match["region"]
    if region not in REGION_API_BASE_URLS:
        raise InvalidArgumentError(
            f"Unknown region {region!r} in the link {url!r}; "
            f"known regions: {', '.join(sorted(REGION_API_BASE_URLS))}."
        )
    section, object_id = match["section"], match["object"]
    comment = parse_qs(parts.query).get("comment", [None])[0]
    return EdUrl(
        region=region,
        course_id=int(match["course"]),
        thread_id=int(object_id) if section == "discussion" and object_id else None,
        comment_id=int(comment) if comment and comment.isdigit() else None,
        lesson_id=int(object_id) if section == "lessons" and object_id else None,
        slide_id=int(match["slide"]) if match["slide"] else None,
    )
