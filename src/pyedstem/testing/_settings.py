"""The large settings objects Ed attaches to users, courses and realms.

Key sets follow a real ``GET /user`` capture from 2025. Values are the
defaults of a plain course; only the discussion switches and categories vary
between sandbox courses.
"""

from __future__ import annotations

from typing import Any

from pyedstem.testing.world import Category, Course, JSONObject


def category_json(category: Category) -> JSONObject:
    """Render a category in Ed's recursive 2025 shape."""
    return {
        "name": category.name,
        "subcategories": [category_json(sub) for sub in category.subcategories],
        "thread_template": category.thread_template,
    }


def _workspace_settings(saturn_override: bool) -> JSONObject:
    return {
        "default_type": "",
        "student_creation_disabled": False,
        "remote_desktop": False,
        "remote_app": False,
        "saturn_override": saturn_override,
        "saturn_default_kernel": "",
        "disable_student_workspace_upload": False,
        "extra_paths": "",
        "env": None,
        "settings": {"rstudio_layout": ""},
    }


def discussion_settings(course: Course) -> JSONObject:
    """Build ``course.settings.discussion``."""
    return {
        "private": course.allow_private,
        "private_threads_only": False,
        "anonymous_comments": course.allow_anonymous,
        "anonymous_comments_override": False,
        "anonymous": course.allow_anonymous,
        "anonymous_to_staff": False,
        "threads_require_approval": False,
        "unread_indicator_hidden": False,
        "deleted": False,
        "categories": [category_json(category) for category in course.categories],
        "thread_templates_enabled": True,
        "category_unselected": False,
        "snippet_languages": [],
        "default_snippet_language": "py",
        "rejection_comment_template": None,
        "bot_source": None,
        "bot_enabled": False,
        "bot_enabled_v2": False,
        "bot_name": "",
        "bot_avatar": "",
        "full_announcement_emails": False,
        "no_digests": False,
        "digest_interval": None,
        "saved_replies_enabled": False,
        "saved_replies": [],
        "sortable_feed": True,
        "default_feed_sort": "",
        "thread_numbers": True,
        "comment_numbers": False,
        "tutorial_badge_visible_to_all": False,
        "tutorial_badge_visible_anon": False,
        "readonly": course.is_archived,
        "show_all_pinned_threads": True,
        "comment_endorsements": True,
    }


def course_settings(course: Course) -> JSONObject:
    """Build ``course.settings`` with the 2025 key set."""
    null_editor: dict[str, Any] = {
        "show_invisibles": None,
        "detect_indentation": None,
        "soft_tabs": None,
        "tab_size": None,
        "autocomplete": None,
    }
    return {
        "default_page": "discussion",
        "user_lab_enrollment": False,
        "lab_user_agent_regex": "",
        "lockdown_user_agent_regex": "",
        "access_codes_enabled": False,
        "access_codes_public": False,
        "setup_status": "done",
        "discussion": discussion_settings(course),
        "chat": {
            "student_dm_student": False,
            "student_dm_staff": False,
            "channels_enabled": False,
        },
        "lesson": {
            "quiz_question_auto_submit": False,
            "karel_slide_enabled": False,
            "workspace_partition_slide_enabled": False,
            "autoplay_videos": False,
            "hide_video_download": False,
        },
        "workspace": _workspace_settings(True),
        "challenge_workspace": _workspace_settings(False),
        "code_editor": null_editor,
        "theme": {"logo": "", "background": "", "foreground": ""},
        "role_labels": {
            "student": "",
            "mentor": "",
            "tutor": "",
            "staff": "",
            "admin": "",
        },
        "soft_tabs": None,
        "tab_size": None,
        "voiceover": False,
        "highlightable_languages": [],
        "user_avatars_enabled": True,
        "snippet_language_override": None,
        "sync_observers": False,
        "bots_plus": False,
        "export_roster": False,
        "course_files": False,
        "show_inline_feedback_grader": False,
        "codecast_enabled": False,
        "audiocast_enabled": False,
        "sketchcast_enabled": False,
        "codecast_student_creation_disabled": False,
        "cast_captions_enabled": False,
        "poll_enabled": True,
        "poll_student_creation_disabled": True,
        "scratch_enabled": False,
        "hide_emails_from_staff": False,
        "leaderboard_limit": None,
        "lexical_access": None,
        "queue_marking": False,
        "queue_parallelism": 0,
        "queue_limit": 0,
        "new_user_locale": "",
    }


def user_settings(tz: str) -> JSONObject:
    """Build ``user.settings`` for a user in time zone ``tz``."""
    return {
        "digest_interval": None,
        "discuss_feed_style": "",
        "accessible": False,
        "locale": "",
        "theme": "light",
        "character_key_shortcuts_disabled": False,
        "set_tz_automatically": True,
        "tz": tz,
        "reply_via_email": False,
        "email_announcements": True,
        "email_watched_threads": True,
        "email_thread_replies": True,
        "email_comment_replies": True,
        "email_mentions": True,
        "mention_direct_message_digest_interval": "15minutes",
        "channel_digest_interval": "day",
        "allow_password_login": False,
        "desktop_notifications_enabled": False,
        "desktop_notifications_scopes": {
            "announcement": True,
            "thread": True,
            "direct_reply": True,
            "mention": True,
            "chat": True,
            "watch": False,
        },
        "snooze_end": "0001-01-01T00:00:00Z",
        "lexical_access": None,
        "deactivated": False,
    }


def realm_json(realm_id: int) -> JSONObject:
    """Build the sandbox university's realm object."""
    return {
        "id": realm_id,
        "name": "Sandbox University",
        "type": "university",
        "domain": "example.edu",
        "associated_domains": "",
        "features": {},
        "settings": {
            "course_inactive_on_lti_creation": True,
            "allow_course_creation": True,
            "lti_and_course_creation": True,
            "discuss_shared_category": "",
            "theme": {"logo": "", "accent_color": ""},
            "sourced_id_as_unique_identifier": True,
            "can_disable_discussion": True,
            "allow_chat": True,
            "realm_admin_capability": {
                "discussion": True,
                "chat": True,
                "workspaces": True,
                "lessons": True,
                "llm": True,
            },
            "allow_embed_discussion": True,
            "allow_realm_users_report": True,
            "all_docs": True,
            "dashboard_help_button": True,
            "lexical_access": None,
        },
        "affiliate_realm_id": None,
    }
