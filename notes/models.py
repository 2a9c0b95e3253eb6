"""Notes the owner keeps on a profile: free text, pasted private or direct messages, public chat
copied from a room, and tip menus."""

from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile


class NoteQuerySet(models.QuerySet):
    def of_profile(self, profile: Profile) -> "NoteQuerySet":
        return self.filter(profile=profile)

    def in_category(self, category: str | None) -> "NoteQuerySet":
        return self.filter(category=category) if category else self

    def newest_first(self) -> "NoteQuerySet":
        return self.order_by("-created_at", "-id")


LINK_MESSAGE = "Enter a valid http or https link."


class NoteCategory(models.TextChoices):
    NOTE = "note", "Note"
    PM = "pm", "PM"
    DM = "dm", "DM"
    PUBLIC_CHAT = "public_chat", "Chat"
    TIP_MENU = "tip_menu", "Menu"


CATEGORY_HELP = "One of: " + ", ".join(f"{value} ({label})" for value, label in NoteCategory.choices) + "."


class Note(models.Model):
    """One note on a profile. `content` is the text as entered or pasted; `formatted_content` is
    the HTML the server built from it (chat logs and tip menus), never taken from a client."""

    Category = NoteCategory
    # Badge colours (mhc.colors tone names): note blue, PM purple, DM indigo, chat green, menu amber.
    TONES = {
        Category.NOTE: "blue",
        Category.PM: "purple",
        Category.DM: "indigo",
        Category.PUBLIC_CHAT: "green",
        Category.TIP_MENU: "amber",
    }

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notes")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.NOTE)
    content = models.TextField(help_text="The text as entered or pasted.")
    formatted_content = models.TextField(
        "formatted", blank=True, editable=False, help_text="HTML the server built from the content."
    )
    source_url = models.URLField(
        "source",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"], message=LINK_MESSAGE)],
        help_text="A link to the original conversation.",
    )
    created_at = models.DateTimeField(
        "when", default=timezone.now, db_index=True, help_text="Back-date it for an old conversation."
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["profile", "category", "-created_at"], name="notes_profile_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=NoteCategory.values),
                name="%(app_label)s_%(class)s_known_category",
                violation_error_message="Category must be one of: note, pm, dm, public_chat, tip_menu.",
            ),
            models.CheckConstraint(
                condition=~models.Q(content=""),
                name="%(app_label)s_%(class)s_content_not_empty",
                violation_error_message="A note needs some content.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on {self.profile.person.username} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("profile-detail", kwargs={"username": self.profile.person.username})

    @property
    def tone(self) -> str:
        return self.TONES[self.category]
