"""Reads for notices: a person's notices, a page at a time, and how many are unread."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case
from app.notifications.models import Notice, NoticeRead

UNREAD_CAP = 99


def case_label(case: Case) -> str:
    return case.project_name or f"Untitled application ({case.key})"


def _visible_to(user: User) -> ColumnElement[bool]:
    """The notices whose audience includes ``user``."""
    in_organisation = or_(
        Notice.organisation_id.is_(None), Notice.organisation_id == user.organisation_id
    )
    of_group = and_(
        Notice.user_id.is_(None),
        or_(Notice.role.is_(None), Notice.role.in_(sorted(user.roles))),
        in_organisation,
    )
    return or_(Notice.user_id == user.id, of_group)


def _read_by(user: User) -> ColumnElement[bool]:
    return or_(
        Notice.id <= user.notices_read_through,
        exists().where(NoticeRead.notice_id == Notice.id, NoticeRead.user_id == user.id),
    )


@dataclass(frozen=True)
class NoticePage:
    """One page of a person's notices, newest first, and where the next page starts."""

    notices: list[Notice]
    unread: set[int]  # ids of the notices on this page not read yet
    older: int | None  # the id to continue from (``before``), None on the last page


def notices_of(
    session: Session, user: User, *, before: int | None = None, limit: int = 50
) -> NoticePage:
    query = select(Notice).where(_visible_to(user))
    if before is not None:
        query = query.where(Notice.id < before)
    found = list(session.scalars(query.order_by(Notice.id.desc()).limit(limit + 1)))
    notices = found[:limit]
    ids = [notice.id for notice in notices]
    read = set(
        session.scalars(
            select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
            )
        )
    )
    unread = {i for i in ids if i > user.notices_read_through and i not in read}
    older = notices[-1].id if len(found) > limit else None
    return NoticePage(notices, unread, older)


def unread_count(session: Session, user: User, cap: int = UNREAD_CAP) -> int:
    """How many notices ``user`` has not read, counted up to ``cap`` (the nav shows "99+")."""
    unread = (
        select(Notice.id)
        .where(_visible_to(user), Notice.id > user.notices_read_through, ~_read_by(user))
        .limit(cap + 1)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(unread)) or 0)


def visible_notice(session: Session, user: User, notice_id: int) -> Notice | None:
    return session.scalar(select(Notice).where(Notice.id == notice_id, _visible_to(user)))


def newest_visible(session: Session, user: User) -> int:
    return int(session.scalar(select(func.max(Notice.id)).where(_visible_to(user))) or 0)


def user_by_name(session: Session, username: str | None) -> User | None:
    if not username:
        return None
    return session.scalar(select(User).where(User.username == username, User.is_active))
