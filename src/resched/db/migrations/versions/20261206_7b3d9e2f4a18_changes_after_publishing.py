"""Life after publishing: change sets with a revision on schedule versions, the swap board,
decisions on leave requests, the approval policy and undo window on the program, the in-app
inbox and the mail outbox.

Existing versions start at revision 0 and existing programs auto-approve clean changes with a
24-hour undo window. Checked against resched.db.tables by the parity test in
tests/db/test_migrations.py.

Revision ID: 7b3d9e2f4a18
Revises: e3f1a7c5b920
Create Date: 2026-12-06 15:22:06+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b3d9e2f4a18"
down_revision: str | Sequence[str] | None = "e3f1a7c5b920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_outbox_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "request_decided",
                "swap_offered",
                "shift_changed",
                "schedule_published",
                "approval_needed",
                name="notice_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_notification_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_user_id_read_at"), ["user_id", "read_at"], unique=False
        )

    op.create_table(
        "schedule_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "edit",
                "swap",
                "leave",
                "emergency",
                "undo",
                name="change_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "override",
            sa.Enum(
                "sick_call",
                "deployment",
                "safety",
                "coverage_gap",
                "emergency_leave",
                "other",
                name="override_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("revision > 0", name=op.f("ck_schedule_change_revision_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["app_user.id"],
            name=op.f("fk_schedule_change_created_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undoes_id"],
            ["schedule_change.id"],
            name=op.f("fk_schedule_change_undoes_id_schedule_change"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["schedule_change.id"],
            name=op.f("fk_schedule_change_undone_by_id_schedule_change"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["schedule_version.id"],
            name=op.f("fk_schedule_change_version_id_schedule_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_change")),
        sa.UniqueConstraint(
            "version_id", "revision", name=op.f("uq_schedule_change_version_id_revision")
        ),
    )
    with op.batch_alter_table("schedule_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_change_created_by"), ["created_by"], unique=False
        )

    op.create_table(
        "schedule_change_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column(
            "op",
            sa.Enum(
                "add",
                "remove",
                name="change_op",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift_type_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "generated",
                "manual",
                "swap",
                "repair",
                name="assignment_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["schedule_change.id"],
            name=op.f("fk_schedule_change_item_change_id_schedule_change"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_schedule_change_item_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["shift_type_id"],
            ["shift_type.id"],
            name=op.f("fk_schedule_change_item_shift_type_id_shift_type"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_change_item")),
    )
    with op.batch_alter_table("schedule_change_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_change_item_change_id"), ["change_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_schedule_change_item_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "swap_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "giveaway",
                "trade",
                "pickup",
                name="swap_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "pending",
                "approved",
                "denied",
                "cancelled",
                "undone",
                name="swap_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("from_person_id", sa.Integer(), nullable=True),
        sa.Column("to_person_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift_type_id", sa.Integer(), nullable=False),
        sa.Column("want_day", sa.Date(), nullable=True),
        sa.Column("want_shift_type_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "from_person_id IS NULL OR to_person_id IS NULL OR from_person_id <> to_person_id",
            name=op.f("ck_swap_request_not_with_oneself"),
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["schedule_change.id"],
            name=op.f("fk_swap_request_change_id_schedule_change"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["app_user.id"],
            name=op.f("fk_swap_request_created_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
            name=op.f("fk_swap_request_decided_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_person_id"],
            ["person.id"],
            name=op.f("fk_swap_request_from_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_type_id"],
            ["shift_type.id"],
            name=op.f("fk_swap_request_shift_type_id_shift_type"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["to_person_id"],
            ["person.id"],
            name=op.f("fk_swap_request_to_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["schedule_version.id"],
            name=op.f("fk_swap_request_version_id_schedule_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["want_shift_type_id"],
            ["shift_type.id"],
            name=op.f("fk_swap_request_want_shift_type_id_shift_type"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_request")),
    )
    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_swap_request_from_person_id"), ["from_person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_swap_request_to_person_id"), ["to_person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_swap_request_version_id_status"), ["version_id", "status"], unique=False
        )

    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decided_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("decision_note", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("repair_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("change_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_absence_change_id_schedule_change"),
            "schedule_change",
            ["change_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_absence_decided_by_app_user"),
            "app_user",
            ["decided_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_absence_repair_version_id_schedule_version"),
            "schedule_version",
            ["repair_version_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "auto_approve_changes", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("undo_window_hours", sa.Integer(), server_default="24", nullable=False)
        )
        batch_op.add_column(sa.Column("jeopardy_shift", sa.String(length=32), nullable=True))

    with op.batch_alter_table("schedule_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("schedule_version", schema=None) as batch_op:
        batch_op.drop_column("revision")

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_column("jeopardy_shift")
        batch_op.drop_column("undo_window_hours")
        batch_op.drop_column("auto_approve_changes")

    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_absence_repair_version_id_schedule_version"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_absence_decided_by_app_user"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_absence_change_id_schedule_change"), type_="foreignkey"
        )
        batch_op.drop_column("change_id")
        batch_op.drop_column("repair_version_id")
        batch_op.drop_column("decision_note")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("decided_at")

    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swap_request_version_id_status"))
        batch_op.drop_index(batch_op.f("ix_swap_request_to_person_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_from_person_id"))

    op.drop_table("swap_request")
    with op.batch_alter_table("schedule_change_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_change_item_person_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_change_item_change_id"))

    op.drop_table("schedule_change_item")
    with op.batch_alter_table("schedule_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_change_created_by"))

    op.drop_table("schedule_change")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_user_id_read_at"))

    op.drop_table("notification")
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_outbox_sent_at"))

    op.drop_table("mail_outbox")
