"""Challenge routes: challenges, their users, submissions, feedback and results.

Ed updates a challenge with ``PATCH`` and the whole object. ``PUT`` on the
same path is a 404, which the sandbox gets by not registering it.
"""

from __future__ import annotations

import csv
import io

from pyedstem.testing.render import with_times
from pyedstem.testing.router import (
    Context,
    Reply,
    Router,
    bad_request,
    forbidden,
    not_found,
)
from pyedstem.testing.world import Challenge, JSONObject, Submission

router = Router()

_FIXED_KEYS = frozenset({"id", "course_id", "lesson_id", "slide_id", "created_at"})


def _challenge(ctx: Context, challenge_id: int) -> Challenge:
    challenge = ctx.state.world.challenges.get(challenge_id)
    if challenge is None:
        raise not_found("Challenge")
    ctx.course(challenge.course_id)
    return challenge


def _submission_json(submission: Submission, *, detail: bool) -> JSONObject:
    data = with_times(submission.data)
    if not detail:
        data.pop("result", None)
    return data


@router.add("GET", "/challenges/{challenge_id}")
def get_challenge(ctx: Context) -> Reply:
    challenge = _challenge(ctx, ctx.params["challenge_id"])
    return Reply(body={"challenge": with_times(challenge.data)})


@router.add("PATCH", "/challenges/{challenge_id}")
def update_challenge(ctx: Context) -> Reply:
    challenge = _challenge(ctx, ctx.params["challenge_id"])
    ctx.staff_course(challenge.course_id)
    body = ctx.request.json_object("challenge")
    # Ed drops fields that a PATCH body leaves out, which is why clients send
    # the whole object; the sandbox resets top-level fields the same way.
    for key in list(challenge.data):
        if key in _FIXED_KEYS:
            continue
        challenge.data[key] = body.get(key)
    return Reply(body={"challenge": with_times(challenge.data)})


@router.add("GET", "/challenges/{challenge_id}/users")
def challenge_users(ctx: Context) -> Reply:
    challenge = _challenge(ctx, ctx.params["challenge_id"])
    ctx.staff_course(challenge.course_id)
    submissions = [
        s
        for s in ctx.state.world.submissions.values()
        if s.challenge_id == challenge.id
    ]
    users = []
    for member in ctx.state.members(challenge.course_id):
        own = [s for s in submissions if s.user_id == member.user_id]
        user = ctx.state.users[member.user_id]
        users.append(
            {
                "id": user.id,
                "name": user.name,
                "email": user.email,
                "course_role": member.role,
                "submission_count": len(own),
                "completed": any(s.data["is_completed"] for s in own),
            }
        )
    return Reply(body={"users": users})


@router.add("GET", "/users/{user_id}/challenges/{challenge_id}/submissions")
def user_submissions(ctx: Context) -> Reply:
    challenge = _challenge(ctx, ctx.params["challenge_id"])
    user_id = ctx.params["user_id"]
    if user_id != ctx.user_id and not ctx.is_staff(challenge.course_id):
        raise forbidden("Only course staff can read other users' submissions")
    submissions = [
        _submission_json(s, detail=False)
        for s in ctx.state.world.submissions.values()
        if s.challenge_id == challenge.id and s.user_id == user_id
    ]
    submissions.reverse()
    return Reply(body={"submissions": submissions})


def _submission(ctx: Context) -> tuple[Submission, Challenge]:
    submission = ctx.state.world.submissions.get(ctx.params["submission_id"])
    if submission is None:
        raise not_found("Submission")
    challenge = _challenge(ctx, submission.challenge_id)
    if submission.user_id != ctx.user_id and not ctx.is_staff(challenge.course_id):
        raise forbidden("Only course staff can read other users' submissions")
    return submission, challenge


@router.add("GET", "/challenges/submissions/{submission_id}")
def get_submission(ctx: Context) -> Reply:
    submission, _ = _submission(ctx)
    return Reply(body={"submission": _submission_json(submission, detail=True)})


@router.add("PUT", "/challenges/submissions/{submission_id}/feedback")
def submission_feedback(ctx: Context) -> Reply:
    submission, challenge = _submission(ctx)
    ctx.staff_course(challenge.course_id)
    feedback = ctx.request.json_object("feedback")
    mark = feedback.get("mark")
    if mark is not None and (
        not isinstance(mark, int | float) or isinstance(mark, bool)
    ):
        raise bad_request(f"Invalid mark {mark!r}: expected a number or null")
    submission.data["feedback"] = {
        "mark": mark,
        "formatted": bool(feedback.get("formatted", True)),
        "criteria": feedback.get("criteria") or [],
        "content": feedback.get("content") or "",
    }
    submission.data["feedback_provided"] = True
    # NOTE: Ed's reply to this route is not documented; the sandbox returns
    # the stored feedback.
    return Reply(body={"feedback": submission.data["feedback"]})


@router.add("POST", "/challenges/{challenge_id}/results")
def challenge_results(ctx: Context) -> Reply:
    challenge = _challenge(ctx, ctx.params["challenge_id"])
    ctx.staff_course(challenge.course_id)
    latest: dict[int, Submission] = {}
    for submission in ctx.state.world.submissions.values():
        if submission.challenge_id == challenge.id:
            latest[submission.user_id] = submission
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["user_id", "name", "email", "passed", "total", "completed"])
    for user_id, submission in sorted(latest.items()):
        user = ctx.state.users[user_id]
        writer.writerow(
            [
                user_id,
                user.name,
                user.email,
                submission.data["testcase_pass_count"],
                submission.data["testcase_total_count"],
                int(bool(submission.data["is_completed"])),
            ]
        )
    return Reply(
        body=buffer.getvalue().encode(), content_type="text/csv; charset=utf-8"
    )
