import re

from playwright.sync_api import expect

from collaborations.models import Collaboration, ordered_pair
from collaborations.services import network_clusters_compute
from tests.factories import ProfileFactory


def _network(*pairs: str) -> None:
    people = {}
    for pair in pairs:
        for username in pair.split("-"):
            if username not in people:
                people[username] = ProfileFactory(person__username=username).person
    for pair in pairs:
        a, b = ordered_pair(*(people[name] for name in pair.split("-")))
        Collaboration.objects.create(person_a=a, person_b=b, notes=f"show {pair}")


def _click_node(page, container: str, username: str) -> None:
    """Click a person drawn on the canvas, where Cytoscape placed them."""
    position = page.evaluate(
        """([selector, id]) => {
            const holder = document.querySelector(selector);
            const node = holder._graph.getElementById(id);
            const box = holder.querySelector("[data-graph-canvas]").getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        [container, username],
    )
    page.mouse.click(position["x"], position["y"])


def test_the_network_page_draws_every_person_and_a_click_opens_their_profile(page):
    _network("ann-bob", "bob-cat", "cat-ann", "dan-eve")
    network_clusters_compute()  # as the collaboration-clusters job does

    page.goto("/graph/")

    holder = page.locator("[data-network-graph]")
    expect(holder).to_have_attribute("data-drawn", "5")
    expect(page.locator("#clusters [data-cluster]")).to_have_count(2)
    _click_node(page, "[data-network-graph]", "dan")
    expect(page).to_have_url(re.compile(r"/profile/dan/$"))


def test_the_collaborators_graph_tab_switches_between_depths(page):
    _network("hub-a", "hub-b", "a-far")

    page.goto("/profile/hub/")
    section = page.locator("#section-collaborators")
    if section.get_attribute("open") is None:
        with page.expect_response(re.compile(r"/api/ui/sections/collaborators$")):
            section.locator("summary").click()
    section.get_by_role("tab", name="Graph").click()
    holder = section.locator("[data-collab-graph]")
    expect(holder).to_have_attribute("data-drawn", "3")
    expect(holder.locator("[data-graph-nodes] tr")).to_have_count(3)

    holder.get_by_role("button", name="…and theirs").click()
    expect(holder).to_have_attribute("data-drawn", "4")
    expect(holder.locator("[data-graph-edges] tr")).to_have_count(3)
    _click_node(page, "#section-collaborators [data-collab-graph]", "far")
    expect(page).to_have_url(re.compile(r"/profile/far/$"))
