"""Append-only records: what was changed (AuditEvent) and whose data was read (AccessLogEntry).

Neither model can be updated or deleted through Django, and the migration adds database triggers so that
not even raw SQL from the application can rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("Revisjonsdata kan ikke endres."))

    def delete(self):
        raise AppendOnlyError(_("Revisjonsdata kan ikke slettes."))


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Revisjonsdata kan ikke endres."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Revisjonsdata kan ikke slettes."))


class AuditEvent(AppendOnlyModel):
    """One write: who did what to which object, with the changed fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Opprettet")
        UPDATE = "update", _("Endret")
        DELETE = "delete", _("Slettet")
        LOGIN = "login", _("Innlogget")
        LOGOUT = "logout", _("Logget ut")
        ANONYMISE = "anonymise", _("Anonymisert etter lagringstiden")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utført av"),
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("objekttype"), max_length=100, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("objekt"), max_length=200, blank=True)
    before = models.JSONField(_("før"), default=dict, blank=True)
    after = models.JSONField(_("etter"), default=dict, blank=True)

    class Meta:
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonshendelser")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type} {self.object_id}"

    def changes(self) -> list[tuple[str, object, object]]:
        """Each recorded field with its value before and after, for display."""
        return [(name, self.before.get(name), self.after.get(name)) for name in sorted(self.before | self.after)]


class AccessLogEntry(AppendOnlyModel):
    """One read of a person's data, so the person and the data controller can see who looked."""

    class Purpose(models.TextChoices):
        VIEW = "view", _("Visning")
        REVEAL_IDENTITY = "reveal_identity", _("Visning av fødselsnummer")
        EXPORT = "export", _("Eksport")
        API = "api", _("API-oppslag")
        ACCESS_REPORT = "access_report", _("Innsynsrapport til personen")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lest av")
    )
    purpose = models.CharField(_("formål"), max_length=20, choices=Purpose.choices)
    object_type = models.CharField(_("objekttype"), max_length=100, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, db_index=True)
    path = models.CharField(_("side"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("innsynslogg")
        verbose_name_plural = _("innsynslogg")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.object_type} {self.object_id}"
