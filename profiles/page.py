"""The profile page's own section: quick stats. (The activity log is the events app's.)"""

from profiles.sections import Section, register_section


def register() -> None:
    register_section(
        Section(
            key="quick-stats", title="Quick stats", order=10, template="profiles/sections/quick_stats.html"
        )
    )
