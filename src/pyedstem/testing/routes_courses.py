"""Course routes: the course, its roster, labs, resources and analytics.

NOTE: the shapes of ``stats``, ``groups``, ``bots``, ``workspaces`` and the
``analytics`` routes are not documented; the sandbox sends plausible objects
under the documented top-level keys.
"""

from __future__ import annotations

from collections import Counter

from pyedstem.testing._time import format_timestamp
from pyedstem.testing.render import encoded_course, with_times
from pyedstem.testing.router import Context, Reply, Router
from pyedstem.testing.world import JSONObject

router = Router()


@router.add("GET", "/courses/{course_id}")
def get_course(ctx: Context) -> Reply:
    course, _ = ctx.course(ctx.params["course_id"])
    body = f'{{"course":{encoded_course(ctx.state, course)}}}'
    return Reply(body=body.encode())


def _lab_name(ctx: Context, lab_id: int | None) -> str | None:
    lab = ctx.state.world.labs.get(lab_id) if lab_id is not None else None
    return lab.name if lab is not None else None


@router.add("GET", "/courses/{course_id}/admin")
def course_admin(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    users = []
    for enrollment in ctx.state.members(course.id):
        user = ctx.state.users[enrollment.user_id]
        users.append(
            {
                "id": user.id,
                "role": enrollment.role,
                "name": user.name,
                "email": user.email,
                "sourced_id": enrollment.sourced_id,
                "username": user.username,
                "tutorial": _lab_name(ctx, enrollment.lab_id),
                "lab_id": enrollment.lab_id,
                "accepted": enrollment.accepted,
                "lti_synced": enrollment.lti_synced,
            }
        )
    return Reply(body={"users": users})


@router.add("GET", "/courses/{course_id}/users")
def course_users(ctx: Context) -> Reply:
    course, enrollment = ctx.course(ctx.params["course_id"])
    limit = ctx.request.int_param("limit")
    users = []
    for member in ctx.state.members(course.id):
        user = ctx.state.users[member.user_id]
        entry: JSONObject = {
            "id": user.id,
            "name": user.name,
            "role": member.role,
            "course_role": member.role,
            "avatar": None,
            "username": user.username,
            "tutorial": _lab_name(ctx, member.lab_id),
        }
        if enrollment.is_staff:
            entry["email"] = user.email
        users.append(entry)
    if limit is not None and limit > 0:
        users = users[:limit]
    return Reply(body={"users": users})


@router.add("GET", "/courses/{course_id}/labs")
def course_labs(ctx: Context) -> Reply:
    course, _ = ctx.course(ctx.params["course_id"])
    tutors: dict[int, list[int]] = {}
    for member in ctx.state.members(course.id):
        if member.lab_id is not None and member.is_staff:
            tutors.setdefault(member.lab_id, []).append(member.user_id)
    labs = [
        {
            "id": lab.id,
            "course_id": lab.course_id,
            "name": lab.name,
            "tutor_ids": tutors.get(lab.id, []),
            "created_at": format_timestamp(lab.created_at),
        }
        for lab in ctx.state.world.labs.values()
        if lab.course_id == course.id
    ]
    return Reply(body={"labs": labs})


@router.add("GET", "/courses/{course_id}/groups")
def course_groups(ctx: Context) -> Reply:
    ctx.course(ctx.params["course_id"])
    return Reply(body={"groups": []})


@router.add("GET", "/courses/{course_id}/stats")
def course_stats(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    threads = [t for t in ctx.state.course_threads(course.id) if t.deleted_at is None]
    kinds = Counter(thread.type for thread in threads)
    replies = sum(thread.reply_count for thread in threads)
    stats = {
        "threads": len(threads),
        "questions": kinds["question"],
        "posts": kinds["post"],
        "announcements": kinds["announcement"],
        "replies": replies,
        "unanswered": sum(
            1 for t in threads if t.type == "question" and not t.is_answered
        ),
        "users": len(ctx.state.members(course.id)),
    }
    return Reply(body={"stats": stats})


@router.add("GET", "/courses/{course_id}/resources")
def course_resources(ctx: Context) -> Reply:
    course, enrollment = ctx.course(ctx.params["course_id"])
    resources = [
        with_times(resource)
        for resource in ctx.state.world.resources.get(course.id, [])
        if enrollment.is_staff or not resource["staff_only"]
    ]
    return Reply(body={"resources": resources})


@router.add("GET", "/courses/{course_id}/bots")
def course_bots(ctx: Context) -> Reply:
    ctx.staff_course(ctx.params["course_id"])
    return Reply(body={"bots": []})


@router.add("GET", "/courses/{course_id}/workspaces")
def course_workspaces(ctx: Context) -> Reply:
    ctx.course(ctx.params["course_id"])
    return Reply(body={"workspaces": []})


@router.add("GET", "/courses/{course_id}/challenges")
def course_challenges(ctx: Context) -> Reply:
    course, _ = ctx.course(ctx.params["course_id"])
    challenges = [
        {
            "id": challenge.id,
            "course_id": challenge.course_id,
            "lesson_id": challenge.lesson_id,
            "slide_id": challenge.slide_id,
            "type": challenge.data["type"],
            "title": ctx.state.world.slides[challenge.slide_id].data["title"]
            if challenge.slide_id in ctx.state.world.slides
            else "",
            "created_at": format_timestamp(challenge.data["created_at"]),
        }
        for challenge in ctx.state.world.challenges.values()
        if challenge.course_id == course.id
    ]
    return Reply(body={"challenges": challenges})


@router.add("GET", "/courses/{course_id}/analytics/users")
def analytics_users(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    posts: Counter[int] = Counter()
    replies: Counter[int] = Counter()
    for thread in ctx.state.course_threads(course.id):
        posts[thread.user_id] += 1
        for reply in ctx.state.walk_replies(thread):
            replies[reply.user_id] += 1
    users = []
    for member in ctx.state.members(course.id):
        user = ctx.state.users[member.user_id]
        users.append(
            {
                "user_id": user.id,
                "name": user.name,
                "email": user.email,
                "username": user.username,
                "avatar": None,
                "course_role": member.role,
                "tutorial": _lab_name(ctx, member.lab_id),
                "threads": posts[user.id],
                "replies": replies[user.id],
            }
        )
    return Reply(body={"users": users})


@router.add("GET", "/courses/{course_id}/analytics/discussion")
def analytics_discussion(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    per_day: Counter[str] = Counter()
    for thread in ctx.state.course_threads(course.id):
        per_day[format_timestamp(thread.created_at)[:10]] += 1
    days = [{"date": day, "threads": count} for day, count in sorted(per_day.items())]
    return Reply(body={"days": days, "total_threads": sum(per_day.values())})


@router.add("GET", "/courses/{course_id}/analytics/challenges")
def analytics_challenges(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    rows = []
    for challenge in ctx.state.world.challenges.values():
        if challenge.course_id != course.id:
            continue
        submissions = [
            s
            for s in ctx.state.world.submissions.values()
            if s.challenge_id == challenge.id
        ]
        rows.append(
            {
                "challenge_id": challenge.id,
                "submissions": len(submissions),
                "users": len({s.user_id for s in submissions}),
                "completed": len(
                    {s.user_id for s in submissions if s.data["is_completed"]}
                ),
            }
        )
    return Reply(body={"challenges": rows})
