"""Lesson authoring: creation and edits of lessons and slides.

`LessonAuthoring` and `AsyncLessonAuthoring` are part of the
``client.lessons`` group; `Lessons` and `AsyncLessons` inherit them. They
inherit the staff reads of results from `LessonResults`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .._operation import APIRequest, Operation, check_id, single
from ..errors import InvalidArgumentError
from ..models import LessonDetail, SlideSummary
from ._base import async_twin_of
from ._discussion import comment_content
from ._edits import edit_whole_object, iso_time, set_fields
from ._parse import nothing, object_field
from .lesson_results import AsyncLessonResults, LessonResults

__all__ = ["AsyncLessonAuthoring", "LessonAuthoring"]


def _lesson_request(lesson_id: int) -> APIRequest:
    check_id("lesson_id", lesson_id)
    return APIRequest("GET", "/lessons/{lesson_id}", {"lesson_id": lesson_id})


def _slide_request(slide_id: int) -> APIRequest:
    check_id("slide_id", slide_id)
    return APIRequest("GET", "/lessons/slides/{slide_id}", {"slide_id": slide_id})


def update_lesson(lesson_id: int, changes: dict[str, Any]) -> Operation[LessonDetail]:
    """Edit a lesson: fetch it, merge the changes and PUT it back whole."""

    def build_write(merged: dict[str, Any]) -> APIRequest:
        return APIRequest(
            "PUT",
            "/lessons/{lesson_id}",
            {"lesson_id": lesson_id},
            json={"lesson": merged},
        )

    return edit_whole_object(
        _lesson_request(lesson_id),
        "lesson",
        changes,
        build_write=build_write,
        parse=LessonDetail.model_validate,
        leave_out=frozenset({"slides"}),
    )


def create_lesson(
    course_id: int, *, title: str, module_id: int | None
) -> Operation[LessonDetail]:
    """Create a lesson, then give it its title.

    NOTE: clients disagree on the body (``{"kind": "content"}`` or a
    ``lesson`` object). Ed names every new lesson "Untitled Lesson" and hides
    it, whatever the body contains, so the title is set by a second request.
    """
    check_id("course_id", course_id)
    if module_id is not None:
        check_id("module_id", module_id)
    if not title.strip():
        raise InvalidArgumentError("title must not be blank; pass the lesson title.")
    response = yield APIRequest(
        "POST",
        "/courses/{course_id}/lessons",
        {"course_id": course_id},
        json={"lesson": {"title": title, "kind": "content"}},
    )
    created = LessonDetail.model_validate(object_field("lesson")(response))
    changes = set_fields(title=title, module_id=module_id)
    return (yield from update_lesson(created.id, changes))


def _slide_write(slide_id: int, merged: dict[str, Any]) -> APIRequest:
    # Ed reads the slide as JSON text in a form field, and rejects a JSON body
    # with 400 "Missing slide".
    return APIRequest(
        "PUT",
        "/lessons/slides/{slide_id}",
        {"slide_id": slide_id},
        data={"slide": json.dumps(merged)},
    )


def update_slide(slide_id: int, changes: dict[str, Any]) -> Operation[SlideSummary]:
    """Edit a slide: fetch it, merge the changes and PUT it back whole."""
    return edit_whole_object(
        _slide_request(slide_id),
        "slide",
        changes,
        build_write=lambda merged: _slide_write(slide_id, merged),
        parse=SlideSummary.model_validate,
    )


def create_slide(
    lesson_id: int,
    *,
    slide_type: str | None,
    copy_of: int | None,
    is_hidden: bool,
    changes: dict[str, Any],
) -> Operation[SlideSummary]:
    """Add a slide to a lesson, new or as a copy, then apply `changes`."""
    check_id("lesson_id", lesson_id)
    if (slide_type is None) == (copy_of is None):
        raise InvalidArgumentError(
            "Pass exactly one of type= (a new slide) or copy_of= (a copy of a slide)."
        )
    if copy_of is not None:
        request = APIRequest(
            "POST",
            "/lessons/slides/{slide_id}/clone",
            {"slide_id": check_id("copy_of", copy_of)},
            json={"lesson_id": lesson_id, "is_hidden": is_hidden},
        )
    else:
        # NOTE: one client creates slides this way, but another reports that Ed
        # has no such route and copies a template slide instead (copy_of=).
        request = APIRequest(
            "POST",
            "/lessons/{lesson_id}/slides",
            {"lesson_id": lesson_id},
            data={"slide": json.dumps({"type": slide_type, "is_hidden": is_hidden})},
        )
    slide = SlideSummary.model_validate(object_field("slide")((yield request)))
    if not changes:
        return slide
    return (yield from update_slide(slide.id, changes))


def slide_id_request(method: str, route: str, slide_id: int) -> Operation[None]:
    """Send a body-less request to a slide route and accept any reply."""
    check_id("slide_id", slide_id)
    return single(APIRequest(method, route, {"slide_id": slide_id}), nothing)


def lesson_changes(
    *,
    title: str | None,
    module_id: int | None,
    is_hidden: bool | None,
    is_unlisted: bool | None,
    available_at: datetime | str | None,
    due_at: datetime | str | None,
    locked_at: datetime | str | None,
    solutions_at: datetime | str | None,
    fields: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Collect the fields a lesson edit sets, leaving out those passed as None."""
    if title is not None and not title.strip():
        raise InvalidArgumentError("title must not be blank; pass the lesson title.")
    if module_id is not None:
        check_id("module_id", module_id)
    dates = set_fields(
        available_at=available_at,
        due_at=due_at,
        locked_at=locked_at,
        solutions_at=solutions_at,
    )
    return {
        **dict(fields or {}),
        **set_fields(
            title=title,
            module_id=module_id,
            is_hidden=is_hidden,
            is_unlisted=is_unlisted,
        ),
        **{name: iso_time(value) for name, value in dates.items()},
    }


def slide_changes(
    *,
    title: str | None,
    markdown: str | None,
    document: str | None,
    is_hidden: bool | None,
    fields: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Collect the fields a slide edit sets, leaving out those passed as None."""
    changes = {
        **dict(fields or {}),
        **set_fields(title=title, is_hidden=is_hidden),
    }
    if markdown is not None or document is not None:
        changes["content"] = comment_content(markdown=markdown, document=document)
    return changes


class LessonAuthoring(LessonResults):
    """Lesson and slide creation and edits, part of `Lessons`."""

    def create(
        self, course_id: int, *, title: str, module_id: int | None = None
    ) -> LessonDetail:
        """Create a hidden lesson with a title.

        Endpoint: ``POST /courses/{course_id}/lessons``, then ``PUT
        /lessons/{lesson_id}`` to set the title, because Ed names every new
        lesson "Untitled Lesson". The lesson stays hidden until
        ``update(lesson_id, is_hidden=False)``.

        Args:
            course_id: Numeric Ed course id.
            title: The lesson title.
            module_id: The module to put the lesson in.

        Returns:
            The new lesson, hidden and with its title set.

        Raises:
            InvalidArgumentError: The title is blank, or an id is not a
                positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such course in this region.
            WriteOutcomeUnknownError: The outcome of the create or of the title
                edit is unknown. ``client.check_write(error)`` can check only
                the title edit.
        """
        return self._run(create_lesson(course_id, title=title, module_id=module_id))

    def update(
        self,
        lesson_id: int,
        *,
        title: str | None = None,
        module_id: int | None = None,
        is_hidden: bool | None = None,
        is_unlisted: bool | None = None,
        available_at: datetime | str | None = None,
        due_at: datetime | str | None = None,
        locked_at: datetime | str | None = None,
        solutions_at: datetime | str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> LessonDetail:
        """Edit a lesson; everything passed as None keeps its current value.

        Endpoint: ``PUT /lessons/{lesson_id}``, after a ``GET`` of the same
        route: Ed resets the fields a body leaves out, so the edit sends the
        whole lesson. An edit made by someone else in between is overwritten.

        Args:
            lesson_id: Numeric Ed lesson id.
            title: The new title.
            module_id: The module to move the lesson to.
            is_hidden: Hide the lesson from students, or show it.
            is_unlisted: Leave the lesson out of the lesson list.
            available_at: When students can open the lesson; an aware
                datetime or an ISO 8601 string.
            due_at: The due date.
            locked_at: When the lesson locks.
            solutions_at: When solutions are released.
            fields: Any other lesson fields to change.

        Returns:
            The lesson as Ed stored it.

        Raises:
            InvalidArgumentError: Nothing to change, a blank title or a
                datetime without a timezone.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such lesson in this region.
            WriteOutcomeUnknownError: The outcome of the edit is unknown, and
                ``client.check_write(error)`` returns the lesson if it landed.
        """
        changes = lesson_changes(
            title=title,
            module_id=module_id,
            is_hidden=is_hidden,
            is_unlisted=is_unlisted,
            available_at=available_at,
            due_at=due_at,
            locked_at=locked_at,
            solutions_at=solutions_at,
            fields=fields,
        )
        return self._run(update_lesson(lesson_id, changes))

    def create_slide(
        self,
        lesson_id: int,
        *,
        type: str | None = None,
        copy_of: int | None = None,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        is_hidden: bool = False,
    ) -> SlideSummary:
        """Add a slide to a lesson, new or as a copy of another slide.

        Endpoint: ``POST /lessons/slides/{copy_of}/clone`` with `copy_of`, or
        ``POST /lessons/{lesson_id}/slides`` with `type`; then ``PUT
        /lessons/slides/{slide_id}`` when a title or body is given.

        Args:
            lesson_id: The lesson that gets the slide.
            type: The type of a new slide, such as ``document`` or ``quiz``.
            copy_of: The id of a slide to copy, from any lesson of the course.
            title: The slide title.
            markdown: The slide body in Markdown.
            document: The slide body as an Ed ``<document>``.
            is_hidden: Hide the slide from students.

        Returns:
            The new slide, with the title and body applied.

        Raises:
            InvalidArgumentError: Neither or both of `type` and `copy_of` are
                given, the body is blank or given twice, or an id is not a
                positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such lesson or slide to copy in this region.
            WriteOutcomeUnknownError: The outcome of the create or of the edit
                that follows is unknown. ``client.check_write(error)`` can
                check only the edit.
        """
        changes = slide_changes(
            title=title,
            markdown=markdown,
            document=document,
            is_hidden=None,
            fields=None,
        )
        return self._run(
            create_slide(
                lesson_id,
                slide_type=type,
                copy_of=copy_of,
                is_hidden=is_hidden,
                changes=changes,
            )
        )

    def update_slide(
        self,
        slide_id: int,
        *,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        is_hidden: bool | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> SlideSummary:
        """Edit a slide; everything passed as None keeps its current value.

        Endpoint: ``PUT /lessons/slides/{slide_id}``, after a ``GET`` of the
        same route, with the whole slide as JSON in the form field ``slide``.

        Args:
            slide_id: Numeric Ed slide id.
            title: The new title.
            markdown: The new body in Markdown.
            document: The new body as an Ed ``<document>``.
            is_hidden: Hide the slide from students, or show it.
            fields: Any other slide fields to change.

        Returns:
            The slide as Ed stored it.

        Raises:
            InvalidArgumentError: Nothing to change, or a blank body.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such slide in this region.
            WriteOutcomeUnknownError: The outcome of the edit is unknown, and
                ``client.check_write(error)`` returns the slide if it landed.
        """
        changes = slide_changes(
            title=title,
            markdown=markdown,
            document=document,
            is_hidden=is_hidden,
            fields=fields,
        )
        return self._run(update_slide(slide_id, changes))

    def delete_slide(self, slide_id: int) -> None:
        """Delete a slide from its lesson.

        Endpoint: ``DELETE /lessons/slides/{slide_id}``.

        Args:
            slide_id: Numeric Ed slide id.

        Raises:
            InvalidArgumentError: ``slide_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such slide in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have deleted the slide.
        """
        self._run(slide_id_request("DELETE", "/lessons/slides/{slide_id}", slide_id))

    def complete_slide(self, slide_id: int) -> None:
        """Mark a slide as completed by the token's user.

        Endpoint: ``PUT /lessons/slides/{slide_id}/complete``.

        Args:
            slide_id: Numeric Ed slide id.

        Raises:
            InvalidArgumentError: ``slide_id`` is not a positive integer.
            NotFoundError: No such slide in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have recorded the completion.
        """
        self._run(
            slide_id_request("PUT", "/lessons/slides/{slide_id}/complete", slide_id)
        )


@async_twin_of(LessonAuthoring)
class AsyncLessonAuthoring(AsyncLessonResults):
    async def create(
        self, course_id: int, *, title: str, module_id: int | None = None
    ) -> LessonDetail:
        return await self._run(
            create_lesson(course_id, title=title, module_id=module_id)
        )

    async def update(
        self,
        lesson_id: int,
        *,
        title: str | None = None,
        module_id: int | None = None,
        is_hidden: bool | None = None,
        is_unlisted: bool | None = None,
        available_at: datetime | str | None = None,
        due_at: datetime | str | None = None,
        locked_at: datetime | str | None = None,
        solutions_at: datetime | str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> LessonDetail:
        changes = lesson_changes(
            title=title,
            module_id=module_id,
            is_hidden=is_hidden,
            is_unlisted=is_unlisted,
            available_at=available_at,
            due_at=due_at,
            locked_at=locked_at,
            solutions_at=solutions_at,
            fields=fields,
        )
        return await self._run(update_lesson(lesson_id, changes))

    async def create_slide(
        self,
        lesson_id: int,
        *,
        type: str | None = None,
        copy_of: int | None = None,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        is_hidden: bool = False,
    ) -> SlideSummary:
        changes = slide_changes(
            title=title,
            markdown=markdown,
            document=document,
            is_hidden=None,
            fields=None,
        )
        return await self._run(
            create_slide(
                lesson_id,
                slide_type=type,
                copy_of=copy_of,
                is_hidden=is_hidden,
                changes=changes,
            )
        )

    async def update_slide(
        self,
        slide_id: int,
        *,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        is_hidden: bool | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> SlideSummary:
        changes = slide_changes(
            title=title,
            markdown=markdown,
            document=document,
            is_hidden=is_hidden,
            fields=fields,
        )
        return await self._run(update_slide(slide_id, changes))

    async def delete_slide(self, slide_id: int) -> None:
        await self._run(
            slide_id_request("DELETE", "/lessons/slides/{slide_id}", slide_id)
        )

    async def complete_slide(self, slide_id: int) -> None:
        await self._run(
            slide_id_request("PUT", "/lessons/slides/{slide_id}/complete", slide_id)
        )
