"""Factories for every app's models. Each builds a valid row with the fewest arguments."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from profiles.models import Person, Profile


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"person_{n:04d}")
    role = Person.Role.MODEL


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    person = factory.SubFactory(PersonFactory)
    display_name = factory.LazyAttribute(lambda p: p.person.username.replace("_", " ").title())
    location = "Berlin, Germany"
    age = 30
    followers = 1200
    rank = 4321


# --- notes ---------------------------------------------------------------------------------------
class NoteFactory(DjangoModelFactory):
    """A plain note (use `notes.services.note_create` for chat logs and tip menus: it formats them)."""

    class Meta:
        model = "notes.Note"

    profile = factory.SubFactory(ProfileFactory)
    category = "note"
    content = factory.Sequence(lambda n: f"Note number {n}.")
