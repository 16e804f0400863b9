"""One archive run: walk the thread list, fetch what changed, store it.

Ed has no "changed since" filter, so a run walks the whole thread list (100
threads a request, several requests at once) and compares each entry's
signature with the one stored when the thread was last fetched. Only new and
changed threads are fetched again, concurrently within the client's
concurrency bound and rate limit.
Lessons follow the same scheme. The course row and resources are fetched
whole every run, one request each.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from .._version import __version__
from ..client import EdStemClient
from ..errors import EdStemError, NotFoundError, PermissionDeniedError
from ..models import ThreadSummary
from . import rows
from .errors import ArchiveError
from .rows import Privacy
from .store import ArchiveStore

__all__ = ["ArchiveOptions", "ArchiveReport", "ProgressReporter", "archive_course"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Ed's thread list is ordered newest first with sort=new, the one sort value
# that every known client sends. Ed returns at most 100 threads a page.
_THREAD_SORT = "new"
_THREAD_PAGE = 100
# Requests submitted ahead of the ones in flight, per worker, so that a large
# course does not queue thousands of futures at once.
_QUEUE_DEPTH = 4
# The same number as the client's default concurrency bound. More workers
# than the client's bound only wait for a free slot.
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class ArchiveOptions:
    """Options of an archive run: what it stores and how much it fetches at once.

    Attributes:
        privacy: Whether private threads and personal fields are stored.
        lessons: Store lessons with their slides.
        resources: Store the course's resources (file and link metadata).
        full: Fetch every thread and lesson again, even unchanged ones.
        workers: Objects fetched at once, or None for `DEFAULT_WORKERS`. The
            client's ``max_concurrency`` and rate limit apply in any case.
    """

    privacy: Privacy = field(default_factory=Privacy)
    lessons: bool = True
    resources: bool = True
    full: bool = False
    workers: int | None = None


@dataclass
class ArchiveReport:
    """The outcome and counts of one archive run.

    Attributes:
        db_path: The archive file.
        course_id: The archived course.
        mode: ``full`` for a first or forced run, else ``incremental``.
        resumed: Whether the run before this one stopped before finishing
            (a kill, Ctrl-C or an error).
        threads_listed: Threads in Ed's list, private ones included.
        threads_fetched: Threads fetched and stored in this run.
        threads_unchanged: Stored threads whose list entry had not changed.
        threads_removed: Threads deleted from the archive because Ed no
            longer lists them or they are private and not included.
        private_skipped: Private threads left out.
        lessons_fetched: Lessons fetched and stored in this run.
        resources: Resources stored.
        seconds: Wall-clock duration of the run.
        warnings: Parts that could not be archived, such as a section the
            token may not read.
    """

    db_path: Path
    course_id: int
    mode: str = "full"
    resumed: bool = False
    threads_listed: int = 0
    threads_fetched: int = 0
    threads_unchanged: int = 0
    threads_removed: int = 0
    private_skipped: int = 0
    lessons_fetched: int = 0
    resources: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return the counters kept in ``archive_runs``."""
        return {
            "threads_listed": self.threads_listed,
            "threads_fetched": self.threads_fetched,
            "threads_removed": self.threads_removed,
            "lessons_fetched": self.lessons_fetched,
        }


@dataclass
class ThreadRows:
    """The rows of one fetched thread, built in a worker thread."""

    thread: rows.Row = field(default_factory=dict)
    comments: list[rows.Row] = field(default_factory=list)
    users: list[rows.Row] = field(default_factory=list)
    participants: list[rows.Row] = field(default_factory=list)
    private_left_out: bool = False


class ProgressReporter(Protocol):
    """Receives progress: a phase with its total, then one call per item."""

    def phase(self, name: str, total: int | None) -> None:
        """Start a phase; `total` is None while the item count is unknown."""

    def advance(self, count: int = 1) -> None:
        """Record `count` finished items of the current phase."""


class _NoProgress:
    def phase(self, name: str, total: int | None) -> None:
        return

    def advance(self, count: int = 1) -> None:
        return


def archive_course(
    client: EdStemClient,
    course_id: int,
    db_path: Path,
    options: ArchiveOptions | None = None,
    progress: ProgressReporter | None = None,
) -> ArchiveReport:
    """Archive one course into an SQLite file, fetching only what changed.

    Args:
        client: The client to read Ed with; its concurrency bound and rate
            limit also bound the archive.
        course_id: The course to archive.
        db_path: The SQLite file; created when missing.
        options: What to store; the defaults leave out private threads and
            personal fields.
        progress: Receives the phases and items as they finish.

    Returns:
        What the run did.

    Raises:
        ArchiveError: The file contains another course or a newer schema.
        EdStemError: A request failed; what was stored before it is kept and
            the next run continues from there.
    """
    run = _Run(client, course_id, db_path, options or ArchiveOptions(), progress)
    return run.execute()


class _Run:
    def __init__(
        self,
        client: EdStemClient,
        course_id: int,
        db_path: Path,
        options: ArchiveOptions,
        progress: ProgressReporter | None,
    ) -> None:
        self.client = client
        self.course_id = course_id
        self.options = options
        self.privacy = options.privacy
        self.progress: ProgressReporter = progress or _NoProgress()
        self.report = ArchiveReport(db_path=db_path, course_id=course_id)
        self.workers = max(1, options.workers or DEFAULT_WORKERS)

    def execute(self) -> ArchiveReport:
        started = time.perf_counter()
        store = ArchiveStore(self.report.db_path)
        try:
            mode = self._prepare(store)
            run_id, previous = store.start_run(mode)
            self.report.mode = mode
            self.report.resumed = previous in ("failed", "interrupted")
            try:
                self._archive(store)
            except BaseException as exc:
                status = (
                    "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                )
                store.finish_run(run_id, status, self.report.counts(), _describe(exc))
                raise
            store.finish_run(run_id, "complete", self.report.counts(), None)
        finally:
            store.close()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _prepare(self, store: ArchiveStore) -> str:
        """Bind the file to this course and choose a full or incremental run."""
        stored_course = store.meta("course_id")
        if stored_course is not None and int(stored_course) != self.course_id:
            raise ArchiveError(
                f"{str(self.report.db_path)!r} archives course {stored_course}, not "
                f"course {self.course_id}. Pass another --db file for this course."
            )

        stored_region = store.meta("region")
        region = self.client.region or ""
        if stored_region and region and stored_region != region:
            raise ArchiveError(
                f"{str(self.report.db_path)!r} archives a course of Ed's "
                f"{stored_region!r} region, not {region!r}. Pass another --db file."
            )

        privacy = self.privacy.as_meta()
        changed = store.meta("privacy") not in (None, privacy)
        if changed:
            # Rows stored under other privacy settings must all be rewritten.
            store.forget_signatures()

        store.set_meta(
            {
                "course_id": str(self.course_id),
                "region": region,
                "base_url": self.client.base_url,
                "privacy": privacy,
                "pyedstem_version": __version__,
            }
        )
        if self.options.full or changed or store.completed_runs() == 0:
            return "full"
        return "incremental"

    def _archive(self, store: ArchiveStore) -> None:
        course = self.client.courses.get(self.course_id)
        store.save_course(rows.course_row(course, self.client.region))
        self._archive_threads(store)
        if self.options.lessons:
            self._optional(self._archive_lessons, store, "lessons")
        if self.options.resources:
            self._optional(self._archive_resources, store, "resources")
        if self.privacy.include_personal:
            self._optional(self._add_user_details, store, "user emails")
        store.prune_users(keep_personal=self.privacy.include_personal)

    def _optional(
        self, step: Callable[[ArchiveStore], None], store: ArchiveStore, what: str
    ) -> None:
        """Run a step that a student token or a course setting may not allow."""
        try:
            step(store)
        except (PermissionDeniedError, NotFoundError) as exc:
            message = f"Skipped {what}: {exc}"
            logger.warning("%s", message)
            self.report.warnings.append(message)

    # Threads

    def _archive_threads(self, store: ArchiveStore) -> None:
        in_archive = store.stored_ids("threads")
        to_fetch, listed = self._walk_thread_list(store, in_archive)
        self.report.threads_listed = len(listed)

        # A thread can drop out of a walk because a deletion shifted the
        # offsets under it, so each one is fetched before it is removed.
        for thread_id in sorted(in_archive - listed):
            to_fetch[thread_id] = ""

        self.progress.phase("Fetching threads", len(to_fetch))
        fetched = self._fetch_all(to_fetch, self._thread_rows)
        with store.batch() as batch:
            for thread_id, result in fetched:
                self.progress.advance()
                if result is None or result.private_left_out:
                    if thread_id in in_archive:
                        with batch.unit():
                            store.remove_thread(thread_id)
                        self.report.threads_removed += 1
                    continue
                with batch.unit():
                    store.save_thread(
                        result.thread,
                        result.comments,
                        result.users,
                        result.participants,
                        to_fetch[thread_id],
                    )
                self.report.threads_fetched += 1

    def _walk_thread_list(
        self, store: ArchiveStore, in_archive: set[int]
    ) -> tuple[dict[int, str], set[int]]:
        """Walk Ed's thread list and pick the threads to fetch.

        Returns:
            The ids to fetch with their list signatures, and every listed id.
        """
        stored = store.signatures("thread")
        to_fetch: dict[int, str] = {}
        listed: set[int] = set()
        self.progress.phase("Listing threads", None)
        entries = self._list_threads()
        with store.batch() as batch:
            for entry in entries:
                self.progress.advance()
                listed.add(entry.id)

                if entry.is_private and not self.privacy.include_private:
                    self.report.private_skipped += 1
                    if entry.id in in_archive:
                        with batch.unit():
                            store.remove_thread(entry.id)
                        self.report.threads_removed += 1
                    continue

                # NOTE: an edit that leaves the list entry unchanged (in the
                # sandbox, a comment edit or a vote) is only seen with --full.
                signature = rows.thread_signature(entry)
                if self.options.full or stored.get(entry.id) != signature:
                    to_fetch[entry.id] = signature
                elif entry.id in in_archive:
                    self.report.threads_unchanged += 1
                    with batch.unit():
                        store.update_view_counts(
                            entry.id, entry.view_count, entry.unique_view_count
                        )
        return to_fetch, listed

    def _list_threads(self) -> Iterator[ThreadSummary]:
        """Yield every entry of Ed's thread list once, fetching pages in parallel.

        Ed's list has no total, so the first page is fetched alone and, when
        it is full, the next pages are fetched `workers` at a time until one
        comes back short. Ids already seen are skipped, because new threads
        shift entries to later pages while the walk runs.
        """
        seen: set[int] = set()
        offsets = [0]
        with ThreadPoolExecutor(self.workers, thread_name_prefix="list") as pool:
            while offsets:
                pages = list(pool.map(self._list_page, offsets))
                for page in pages:
                    for entry in page:
                        if entry.id not in seen:
                            seen.add(entry.id)
                            yield entry
                if any(len(page) < _THREAD_PAGE for page in pages):
                    return
                start = offsets[-1] + _THREAD_PAGE
                offsets = [start + i * _THREAD_PAGE for i in range(self.workers)]

    def _list_page(self, offset: int) -> list[ThreadSummary]:
        return self.client.threads.list(
            self.course_id, limit=_THREAD_PAGE, offset=offset, sort=_THREAD_SORT
        )

    def _thread_rows(self, thread_id: int) -> ThreadRows:
        """Fetch a thread and build its rows (in a worker thread)."""
        thread = self.client.threads.get(thread_id)
        if thread.is_private and not self.privacy.include_private:
            return ThreadRows(private_left_out=True)
        comments = rows.stored_comments(thread, self.privacy)
        users, links = rows.participants(
            thread, [comment for comment, _ in comments], self.privacy
        )
        return ThreadRows(
            thread=rows.thread_row(thread, self.privacy, self.client.region),
            comments=rows.comment_rows(thread, comments, self.privacy),
            users=users,
            participants=links,
        )

    def _fetch_all(
        self, to_fetch: dict[int, str], fetch: Callable[[int], T]
    ) -> Iterator[tuple[int, T | None]]:
        """Fetch objects concurrently and yield each as it arrives.

        The caller stores each result in the calling thread, so SQLite is
        only touched from one thread. An object that Ed no longer has, or
        that the token may no longer see, is yielded as None.
        """
        ids = iter(sorted(to_fetch))
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="archive")
        pending: dict[Future[T], int] = {}
        try:
            self._submit(pool, pending, ids, fetch)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    object_id = pending.pop(future)
                    yield object_id, _result_or_none(future)
                self._submit(pool, pending, ids, fetch)
        finally:
            # On an error or Ctrl-C, queued fetches are dropped and the ones
            # in flight are waited for, because closing the client under a
            # blocked read leaves it waiting for its timeout. Nothing more is
            # stored.
            pool.shutdown(wait=True, cancel_futures=True)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        pending: dict[Future[T], int],
        ids: Iterator[int],
        fetch: Callable[[int], T],
    ) -> None:
        while len(pending) < self.workers * _QUEUE_DEPTH:
            object_id = next(ids, None)
            if object_id is None:
                return
            pending[pool.submit(fetch, object_id)] = object_id

    # Lessons, resources, users

    def _in_course(self, row: rows.Row) -> rows.Row:
        if row.get("course_id") is None:
            row["course_id"] = self.course_id
        return row

    def _archive_lessons(self, store: ArchiveStore) -> None:
        lessons = self.client.lessons.list(self.course_id)
        modules = self.client.lessons.list_modules(self.course_id)
        module_rows = [self._in_course(rows.module_row(m)) for m in modules]
        store.replace_all("modules", self.course_id, module_rows)

        stored = store.signatures("lesson")
        positions = {lesson.id: index for index, lesson in enumerate(lessons)}
        to_fetch: dict[int, str] = {}
        with store.batch() as batch:
            for lesson in lessons:
                signature = rows.lesson_signature(lesson)
                if self.options.full or stored.get(lesson.id) != signature:
                    to_fetch[lesson.id] = signature
                else:
                    with batch.unit():
                        store.update_lesson_position(lesson.id, positions[lesson.id])

        self.progress.phase("Fetching lessons", len(to_fetch))
        fetched = self._fetch_all(to_fetch, self._lesson_rows)
        with store.batch() as batch:
            for lesson_id in store.stored_ids("lessons") - set(positions):
                with batch.unit():
                    store.remove_lesson(lesson_id)
            for lesson_id, result in fetched:
                self.progress.advance()
                with batch.unit():
                    if result is None:
                        store.remove_lesson(lesson_id)
                        continue
                    lesson_row, slide_rows = result
                    lesson_row["position"] = positions[lesson_id]
                    store.save_lesson(lesson_row, slide_rows, to_fetch[lesson_id])
                self.report.lessons_fetched += 1

    def _lesson_rows(self, lesson_id: int) -> tuple[rows.Row, list[rows.Row]]:
        """Fetch a lesson and build its rows (in a worker thread)."""
        lesson = self.client.lessons.get(lesson_id)
        slides = [rows.slide_row(s, lesson.id, self.privacy) for s in lesson.slides]
        return self._in_course(rows.lesson_row(lesson, 0, self.privacy)), slides

    def _archive_resources(self, store: ArchiveStore) -> None:
        # NOTE: only the metadata of resources is stored. Their files are not
        # downloaded, because pyedstem has no method for Ed's download route.
        resources = self.client.courses.list_resources(self.course_id)
        resource_rows = [
            self._in_course(rows.resource_row(r)) for r in resources if "id" in r
        ]
        store.replace_all("resources", self.course_id, resource_rows)
        self.report.resources = len(resource_rows)

    def _add_user_details(self, store: ArchiveStore) -> None:
        members = self.client.courses.list_users(self.course_id)
        store.set_user_details(
            [{"id": m.id, "email": m.email, "username": m.username} for m in members]
        )


def _result_or_none(future: Future[T]) -> T | None:
    try:
        return future.result()
    except (NotFoundError, PermissionDeniedError):
        return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, EdStemError | ArchiveError):
        return str(exc)
    return type(exc).__name__
