"""Turning what a user types into Ed ids: course codes, links, ``CODE#12``.

A course is named by its id (``12345``), its code (``CS101``), or a pasted Ed
link. A code that several terms share is an error that lists the courses. A thread
is named by its global id, a pasted discussion link, or a course and the
thread's number (``CS101#42`` or ``12345#42``). A lesson is named by its id or
a pasted lessons link.
"""

from __future__ import annotations

from ..client import EdStemClient
from ..errors import InvalidArgumentError
from ..models import CourseInfo
from ..urls import EdUrl, parse_ed_url
from .errors import EXIT_NOT_FOUND, EXIT_USAGE, CliError
from .session import Session


def _is_link(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://", "edstem.org/"))


def parse_link(text: str) -> EdUrl:
    """Parse a pasted Ed link, adding ``https://`` when it is missing.

    Raises:
        CliError: The text is not a link to an Ed course.
    """
    link = text.strip()
    if not link.lower().startswith(("http://", "https://")):
        link = f"https://{link}"
    try:
        return parse_ed_url(link)
    except InvalidArgumentError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc


def check_link_region(link: EdUrl, client: EdStemClient) -> None:
    """Reject a link of another region than the client's.

    Ids do not cross Ed's regions, so a course id from a ``/us/`` link means
    nothing on the Australian host. A client of another host (such as the
    sandbox) accepts every link.
    """
    if client.region is not None and link.region != client.region:
        raise CliError(
            f"The link is for Ed's {link.region!r} region, but the client uses "
            f"{client.region!r} ({client.base_url}). Pass --region {link.region}, "
            "or log in with a token of that region.",
            EXIT_USAGE,
        )


def _describe_course(course: CourseInfo) -> str:
    term = " ".join(part for part in (course.session, course.year) if part)
    details = ", ".join(part for part in (course.code, term, course.status) if part)
    return f"{course.id} ({details})"


def course_id(session: Session, text: str) -> int:
    """Resolve a course id, code or link to the course id.

    Raises:
        CliError: The code matches no course or several, or the link is bad.
    """
    value = text.strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if _is_link(value):
        link = parse_link(value)
        check_link_region(link, session.client())
        return link.course_id
    return find_course_by_code(session.client(), value).id


def find_course_by_code(client: EdStemClient, code: str) -> CourseInfo:
    """Find the one enrolled course with this code, ignoring case and spaces.

    Raises:
        CliError: No course or several courses have the code.
    """
    wanted = "".join(code.split()).casefold()
    if not wanted:
        raise CliError("The course is empty. Pass an id, a code or a link.", EXIT_USAGE)
    courses = client.courses.list_all()
    matches = [
        course
        for course in courses
        if course.code and "".join(course.code.split()).casefold() == wanted
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(
            f"No course with code {code!r} among your {len(courses)} courses. "
            "Run 'edstem courses list --all' to see them, or pass the course id.",
            EXIT_NOT_FOUND,
        )
    candidates = "; ".join(_describe_course(course) for course in matches)
    raise CliError(
        f"The code {code!r} matches {len(matches)} courses: {candidates}. "
        "Pass the course id instead.",
        EXIT_USAGE,
    )


def thread_id(session: Session, text: str) -> int:
    """Resolve a thread id, discussion link or ``COURSE#NUMBER`` to the thread id.

    A plain id is returned without a request.

    Raises:
        CliError: The reference has none of the accepted forms.
    """
    value = text.strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if _is_link(value):
        link = parse_link(value)
        if link.thread_id is None:
            raise CliError(
                f"The link {value!r} does not point at a thread. Paste the link "
                "of a discussion thread.",
                EXIT_USAGE,
            )
        check_link_region(link, session.client())
        return link.thread_id
    course_part, hash_sign, number = value.rpartition("#")
    if hash_sign and course_part and number.isdigit() and int(number) > 0:
        course = course_id(session, course_part)
        thread = session.client().threads.get_by_number(course, int(number))
        return thread.id
    raise CliError(
        f"Invalid thread {text!r}: pass a thread id (4521), a discussion link, or "
        "a course and thread number (CS101#42).",
        EXIT_USAGE,
    )


def lesson_id(session: Session, text: str) -> int:
    """Resolve a lesson id or lessons link to the lesson id.

    Raises:
        CliError: The text is neither.
    """
    value = text.strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if _is_link(value):
        link = parse_link(value)
        if link.lesson_id is None:
            raise CliError(
                f"The link {value!r} does not point at a lesson. Paste the link "
                "of a lesson.",
                EXIT_USAGE,
            )
        check_link_region(link, session.client())
        return link.lesson_id
    raise CliError(
        f"Invalid lesson {text!r}: pass a lesson id or a lesson link.", EXIT_USAGE
    )
