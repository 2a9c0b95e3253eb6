/* The collaboration graph, drawn with Cytoscape.js (vendored, loaded only when a graph is shown).

   Two places use it:
   - /graph/: `[data-network-graph]` draws the JSON the page embeds (`data-source` names the
     <script type="application/json"> element); its filter form applies as soon as a choice changes.
   - the profile's Collaborators section: the "Graph" tab (`[data-graph-tab]`) shows
     `[data-collab-graph]`, which fetches its `data-url` (depth 1 or 2, switched with
     `[data-graph-depth]`), draws it, and lists the same nodes and edges in a table.
   Clicking a person opens their profile; hovering a person or a pair shows what is known. */
(function () {
  "use strict";

  var RELATIONSHIP_COLOURS = {
    dom: "#f87171", sub: "#a78bfa", partner: "#f472b6", friend: "#4ade80",
    acquaintance: "#38bdf8", blocked: "#9ca3af"
  };
  var NODE_COLOUR = "#60a5fa";
  var FOCUS_COLOUR = "#e5e7eb";
  var BADGE_BORDER = "#fb7185";
  var loading = null;

  // Cytoscape adds a <style> element to the page unless an element with this id exists; the
  // Content-Security-Policy refuses inline styles, so the rule it would add is in graph.css and
  // this marker tells Cytoscape it is there.
  var CYTOSCAPE_STYLESHEET_ID = "__________cytoscape_stylesheet";

  function markStylesheet() {
    if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
    var marker = document.createElement("meta");
    marker.id = CYTOSCAPE_STYLESHEET_ID;
    document.head.appendChild(marker);
  }

  function loadCytoscape(src) {
    markStylesheet();
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.cytoscape); };
        script.onerror = function () { loading = null; reject(new Error("The graph library could not be loaded.")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function profileUrl(username) { return "/profile/" + encodeURIComponent(username) + "/"; }

  function nodeSize(followers) {
    return 18 + 8 * Math.log10(1 + (followers || 0));
  }

  function elementsOf(data) {
    var elements = [];
    data.nodes.forEach(function (node) {
      elements.push({ group: "nodes", data: {
        id: node.username, label: node.username, size: nodeSize(node.followers),
        colour: node.depth === 0 ? FOCUS_COLOUR :
          (node.relationship && RELATIONSHIP_COLOURS[node.relationship.type]) || NODE_COLOUR,
        border: node.badges && node.badges.length ? 4 : 0, node: node
      }});
    });
    data.edges.forEach(function (edge) {
      elements.push({ group: "edges", data: {
        id: edge.a + "|" + edge.b, source: edge.a, target: edge.b, width: edge.weight, edge: edge
      }});
    });
    return elements;
  }

  function describeNode(node) {
    var lines = [node.username + (node.display_name ? " (" + node.display_name + ")" : "")];
    if (node.followers !== null && node.followers !== undefined) lines.push(node.followers + " followers");
    lines.push(node.degree + " collaboration" + (node.degree === 1 ? "" : "s"));
    if (node.relationship) lines.push("My " + node.relationship.type + " · " + node.relationship.tier);
    if (node.badges && node.badges.length) lines.push(node.badges.map(function (b) { return b.label; }).join(", "));
    return lines;
  }

  function describeEdge(edge) {
    var lines = [edge.a + " & " + edge.b, "first seen together " + edge.first_seen_at.slice(0, 10)];
    if (edge.notes) lines.push(edge.notes);
    return lines;
  }

  function showTip(tip, lines, position) {
    tip.textContent = "";
    lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      tip.appendChild(div);
    });
    tip.hidden = false;
    tip.style.left = position.x + 12 + "px";
    tip.style.top = position.y + 12 + "px";
  }

  function draw(container, data, options) {
    var canvas = container.querySelector("[data-graph-canvas]");
    var tip = container.querySelector("[data-graph-tip]");
    var status = container.querySelector("[data-graph-status]");
    if (status) {
      status.textContent = data.nodes.length + " people, " + data.edges.length + " pairs" +
        (data.truncated ? " — and " + data.truncated + " more not shown" : "");
    }
    return loadCytoscape(container.dataset.cytoscapeSrc).then(function (cytoscape) {
      if (container._graph) container._graph.destroy();
      var ego = data.nodes.some(function (node) { return node.depth === 0; });
      var graph = cytoscape({
        container: canvas,
        elements: elementsOf(data),
        style: [
          { selector: "node", style: {
            "background-color": "data(colour)", width: "data(size)", height: "data(size)",
            label: "data(label)", color: "#e5e7eb", "font-size": 10, "text-valign": "bottom",
            "text-margin-y": 3, "border-width": "data(border)", "border-color": BADGE_BORDER
          }},
          { selector: "edge", style: {
            width: "data(width)", "line-color": "#4b5563", "curve-style": "haystack", opacity: 0.8
          }},
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#fbbf24" } }
        ],
        layout: ego ?
          { name: "concentric", concentric: function (n) { return 3 - n.data("node").depth; },
            levelWidth: function () { return 1; }, animate: false, minNodeSpacing: 12 } :
          { name: "cose", animate: false, randomize: false, numIter: data.nodes.length > 800 ? 300 : 1000 }
      });
      graph.on("tap", "node", function (event) { window.location.href = profileUrl(event.target.id()); });
      graph.on("mouseover", "node", function (event) {
        showTip(tip, describeNode(event.target.data("node")), event.renderedPosition);
      });
      graph.on("mouseover", "edge", function (event) {
        showTip(tip, describeEdge(event.target.data("edge")), event.renderedPosition);
      });
      graph.on("mouseout", "node, edge", function () { tip.hidden = true; });
      container._graph = graph;
      container.dataset.drawn = String(data.nodes.length);
      if (options && options.after) options.after(data);
      return graph;
    });
  }

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      td.appendChild(link);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  function fillTables(container, data) {
    var nodes = container.querySelector("[data-graph-nodes]");
    var edges = container.querySelector("[data-graph-edges]");
    if (!nodes || !edges) return;
    nodes.textContent = "";
    edges.textContent = "";
    data.nodes.forEach(function (node) {
      var row = document.createElement("tr");
      cell(row, node.username, profileUrl(node.username));
      cell(row, node.display_name);
      cell(row, node.followers === null ? "" : String(node.followers));
      cell(row, String(node.depth));
      cell(row, String(node.degree));
      cell(row, node.relationship ? node.relationship.type + " · " + node.relationship.tier : "");
      cell(row, node.badges.map(function (b) { return b.label; }).join(", "));
      nodes.appendChild(row);
    });
    data.edges.forEach(function (edge) {
      var row = document.createElement("tr");
      cell(row, edge.a, profileUrl(edge.a));
      cell(row, edge.b, profileUrl(edge.b));
      cell(row, edge.first_seen_at.slice(0, 10));
      cell(row, edge.notes);
      edges.appendChild(row);
    });
  }

  function loadProfileGraph(container) {
    var depth = container.dataset.depth || "1";
    var status = container.querySelector("[data-graph-status]");
    status.textContent = "Loading…";
    container.querySelectorAll("[data-graph-depth]").forEach(function (button) {
      button.classList.toggle("active", button.dataset.graphDepth === depth);
      button.setAttribute("aria-pressed", String(button.dataset.graphDepth === depth));
    });
    fetch(container.dataset.url + "?depth=" + depth, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("The graph could not be loaded (" + response.status + ").");
        return response.json();
      })
      .then(function (data) { return draw(container, data, { after: function () { fillTables(container, data); } }); })
      .catch(function (error) { status.textContent = error.message; });
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-graph-tab]");
    if (tab) {
      var section = tab.closest(".section-body") || document;
      var showGraph = tab.dataset.graphTab === "graph";
      section.querySelectorAll("[data-graph-tab]").forEach(function (other) {
        other.classList.toggle("active", other === tab);
        other.setAttribute("aria-selected", String(other === tab));
      });
      section.querySelectorAll("[data-graph-panel]").forEach(function (panel) {
        panel.hidden = (panel.dataset.graphPanel === "graph") !== showGraph;
      });
      var container = section.querySelector("[data-collab-graph]");
      if (showGraph && container && !container.dataset.drawn) loadProfileGraph(container);
      return;
    }
    var depthButton = event.target.closest("[data-graph-depth]");
    if (depthButton) {
      var holder = depthButton.closest("[data-collab-graph]");
      holder.dataset.depth = depthButton.dataset.graphDepth;
      loadProfileGraph(holder);
    }
  });

  function initNetwork() {
    document.querySelectorAll("[data-network-graph]").forEach(function (container) {
      var source = document.getElementById(container.dataset.source);
      if (!source) return;
      draw(container, JSON.parse(source.textContent)).catch(function (error) {
        container.querySelector("[data-graph-status]").textContent = error.message;
      });
    });
    document.querySelectorAll("form[data-apply-on-change]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.matches("select, input[type=date]")) form.requestSubmit();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initNetwork);
  else initNetwork();
})();
