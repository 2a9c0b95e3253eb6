/* MHC Control Panel: the app's one script. Pages are server-rendered; this adds in-page actions
   through declarative attributes, so templates need little or no JavaScript of their own.

   Writes go through the JSON API (the same one scripts use); afterwards the affected profile
   section is re-rendered by the server and swapped in with htmx (mhc.refreshSection).

   Attributes it understands:
   - <form data-api-form data-method="POST" data-url="/api/..."> — submit as JSON. Each named
     control becomes a key: checkboxes → booleans, data-type="int" → number, data-type="list" →
     list split on commas, data-type="bool" → true for "true", data-empty="null" → null when
     blank, data-skip-empty → left out when blank; on a data-changed-only form, only the controls
     changed since the page rendered them are sent (an edit does not write back, over a change
     made meanwhile elsewhere, the values it did not touch; hidden inputs are never sent, and a
     select needs its rendered choice marked selected). After success: data-refresh-section="key ..." re-renders those sections,
     data-reload reloads the page, data-redirect="url" goes there, data-follow-url goes to the
     "url" of the API's answer, data-refresh-page="#id ..." fetches the page again and swaps in
     those parts of it (no full reload); controls marked data-clear-after are emptied (on a
     data-keep form); a <dialog> around the form closes. Errors from the API show in
     the form's .form-error element, each field named by its label on the page. A POST the API
     answers 200 (it found what it would have created) toasts data-success-existing, if given,
     instead of data-success.
   - <form data-confirm="Revoke …?"> — any form, API or not, asks first.
   - <button data-api-action data-method="DELETE" data-url="..." data-confirm="Remove …?"
     data-body='{"json": 1}' data-refresh-section="key"> — one API call on click, same follow-ups.
   - <button data-open-modal="dialog-id">, <button data-close-modal> — open/close a <dialog>.
   - <input data-autocomplete="people"> — suggests usernames from /api/people as you type.
   - <img data-fallback="File missing"> — an image whose file cannot be loaded is replaced by a
     tile saying so, not the browser's broken-image icon.
   - <details class="section" data-section="key" data-state="open|closed" data-url="..."> — a change
     of the open/closed state is saved for the user; a section opened for the first time loads its
     body from data-url.
   Events: after a successful data-api-form / data-api-action, the element fires "mhc:done" with
   the response in event.detail, for anything a page wants to do beyond the follow-ups above. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.message = (body && body.detail) || ("Request failed (" + status + ").");
  }

  function api(method, url, data) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" } };
    if (data instanceof FormData) {
      options.body = data;
    } else if (data !== undefined && data !== null) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) return null;
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text.slice(0, 300) }; }
        if (!response.ok) throw new ApiError(response.status, body);
        if (body && typeof body === "object") Object.defineProperty(body, "httpStatus", { value: response.status });
        return body;
      });
    });
  }

  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "toast " + (kind || "");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    item.textContent = message;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, kind === "error" ? 8000 : 3500);
  }

  function sectionElement(key) {
    return document.querySelector('details.section[data-section="' + key + '"]');
  }

  /* The filters a section shows (controls marked data-section-filter) as a query, so that a
     refresh after an action keeps what the section was filtered by. */
  function filtersOf(body) {
    var params = new URLSearchParams();
    body.querySelectorAll("[data-section-filter]").forEach(function (control) {
      if (control.name && control.value) params.append(control.name, control.value);
    });
    return params.toString();
  }

  /* Re-render one profile section from the server and swap it in (returns a promise). A reload
     of a section already on its way with the same address is not sent again: its promise is
     returned (htmx would queue the second and resolve it at once, before it had run, so it
     could land after a filter or tab chosen in between and undo it). */
  var sectionLoads = {};
  function refreshSection(key, query) {
    var section = sectionElement(key);
    if (!section) return Promise.resolve();
    var body = section.querySelector(".section-body");
    if (query === undefined) query = filtersOf(body);
    var url = section.dataset.url + (query ? "?" + query : "");
    var pending = sectionLoads[key];
    if (pending && pending.url === url) return pending.promise;
    body.classList.add("loading");
    // Each section is its own request source: htmx queues requests per source element and, by
    // default, keeps only the last one queued, so three sections refreshed at once from one
    // source (the document) would lose the middle one.
    var promise = htmx.ajax("GET", url, { source: body, target: body, swap: "innerHTML" }).then(function () {
      body.classList.remove("loading");
      body.dataset.loaded = "1";
    }).finally(function () {
      if (sectionLoads[key] && sectionLoads[key].promise === promise) delete sectionLoads[key];
    });
    sectionLoads[key] = { url: url, promise: promise };
    return promise;
  }

  /* Fetch this page again and swap in the elements matching `selectors` (e.g. the header). */
  function refreshPage(selectors) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        selectors.forEach(function (selector) {
          var now = document.querySelector(selector);
          var next = fresh.querySelector(selector);
          if (now && next) { now.replaceWith(document.importNode(next, true)); }
        });
        if (window.htmx) htmx.process(document.body);
      });
  }

  function followUp(element, result) {
    var dialog = element.closest("dialog");
    if (dialog && element.tagName === "FORM") dialog.close();
    if (element.dataset.reload !== undefined) { window.location.reload(); return; }
    if (element.dataset.redirect) { window.location.href = element.dataset.redirect; return; }
    if (element.dataset.followUrl !== undefined && result && result.url) { window.location.href = result.url; return; }
    (element.dataset.refreshSection || "").split(/\s+/).filter(Boolean).forEach(function (key) { refreshSection(key); });
    var parts = (element.dataset.refreshPage || "").split(/\s+/).filter(Boolean);
    if (parts.length) refreshPage(parts);
    if (element.tagName === "FORM") {
      element.querySelectorAll("[data-clear-after]").forEach(function (control) { control.value = ""; });
      if (element.dataset.changedOnly !== undefined) keepAsRendered(element);
    }
    var existing = result && result.httpStatus === 200 && element.dataset.successExisting;
    if (existing || element.dataset.success) toast(existing || element.dataset.success, "ok");
    element.dispatchEvent(new CustomEvent("mhc:done", { bubbles: true, detail: result }));
  }

  /* Whether a control still holds what the page rendered into it. */
  function unchanged(control) {
    if (control.type === "checkbox" || control.type === "radio") return control.checked === control.defaultChecked;
    if (control.tagName === "SELECT") {
      return Array.prototype.every.call(control.options, function (option) { return option.selected === option.defaultSelected; });
    }
    return control.value === control.defaultValue;
  }

  /* After a save, what the form holds is what the next one is compared with. */
  function keepAsRendered(form) {
    Array.prototype.forEach.call(form.elements, function (control) {
      if (control.type === "checkbox" || control.type === "radio") control.defaultChecked = control.checked;
      else if (control.tagName === "SELECT") Array.prototype.forEach.call(control.options, function (option) { option.defaultSelected = option.selected; });
      else if (control.type !== "file") control.defaultValue = control.value;
    });
  }

  function formValues(form) {
    var data = {};
    var changedOnly = form.dataset.changedOnly !== undefined;
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name || control.disabled || control.type === "submit" || control.type === "button") return;
      if (control.type === "radio" && !control.checked) return;
      if (changedOnly && unchanged(control)) return;
      var value;
      if (control.type === "checkbox") value = control.checked;
      else if (control.type === "file") return;
      else value = control.value;
      if (typeof value === "string") {
        value = value.trim();
        if (value === "" && control.dataset.skipEmpty !== undefined) return;
        if (value === "" && control.dataset.empty === "null") value = null;
        else if (control.dataset.type === "int" && value !== "") value = Number(value);
        else if (control.dataset.type === "bool") value = value === "true";
        else if (control.dataset.type === "list") value = value === "" ? [] : value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
        else if (control.type === "datetime-local" && value) value = new Date(value).toISOString();
      }
      data[control.name] = value;
    });
    return data;
  }

  /* The label the page shows for the control named `name` (without "(optional)"), else its
     aria-label, or null. */
  function labelFor(form, name) {
    var control = form.querySelector('[name="' + name + '"]');
    var label = control && control.id ? form.querySelector('label[for="' + control.id + '"]') : null;
    if (!label && control) label = control.closest("label");
    if (label) return label.textContent.replace(/\(optional\)/i, "").trim();
    return control && control.getAttribute("aria-label");
  }

  /* The API's errors in the page's words: "Username: Enter a valid username" rather than
     "collaborator_username: …"; a field the form does not show keeps the API's message. */
  function messageFor(form, error) {
    var errors = error.body && error.body.errors;
    if (!errors) return error.message;
    return Object.keys(errors).map(function (field) {
      var text = [].concat(errors[field]).join(" ");
      if (field === "detail") return text;
      var label = labelFor(form, field.split(".")[0]);
      return label ? label + ": " + text : text;
    }).join(" ");
  }

  function showError(form, error) {
    var box = form.querySelector(".form-error");
    var message = error instanceof ApiError ? messageFor(form, error) : "The server could not be reached.";
    if (box) { box.textContent = message; box.hidden = false; } else { toast(message, "error"); }
  }

  /* Any form with data-confirm="…?" is sent only once the question is answered yes. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-api-form]");
    if (!form) return;
    event.preventDefault();
    var submit = form.querySelector("[type=submit]");
    var box = form.querySelector(".form-error");
    if (box) box.hidden = true;
    if (submit) submit.setAttribute("aria-busy", "true");
    var hasFile = form.querySelector("input[type=file]") !== null;
    var payload = hasFile ? new FormData(form) : formValues(form);
    api(form.dataset.method || "POST", form.dataset.url || form.action, payload)
      .then(function (result) {
        if (form.dataset.keep === undefined) form.reset();
        followUp(form, result);
      })
      .catch(function (error) { showError(form, error); })
      .finally(function () { if (submit) submit.removeAttribute("aria-busy"); });
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-modal]");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.openModal);
      if (dialog) {
        var error = dialog.querySelector(".form-error");
        if (error) error.hidden = true;
        dialog.showModal();
        var first = dialog.querySelector("input:not([type=hidden]), textarea, select");
        if (first) first.focus();
      }
      return;
    }
    var closer = event.target.closest("[data-close-modal]");
    if (closer) { closer.closest("dialog").close(); return; }
    var action = event.target.closest("[data-api-action]");
    if (!action) return;
    event.preventDefault();
    if (action.dataset.confirm && !window.confirm(action.dataset.confirm)) return;
    action.setAttribute("aria-busy", "true");
    var body = action.dataset.body ? JSON.parse(action.dataset.body) : undefined;
    api(action.dataset.method || "POST", action.dataset.url, body)
      .then(function (result) { followUp(action, result); })
      .catch(function (error) { toast(error.message || "The server could not be reached.", "error"); })
      .finally(function () { action.removeAttribute("aria-busy"); });
  });

  /* Sections: remember open/closed per user, and load a body the first time it is opened.
     The parser also fires "toggle" for a section rendered open, and whether this listener hears
     it depends on timing; so only a change from the state last rendered or saved (data-state) is
     saved, never the page load itself. */
  document.addEventListener("toggle", function (event) {
    var section = event.target;
    if (!(section instanceof HTMLDetailsElement) || !section.classList.contains("section")) return;
    var state = section.open ? "open" : "closed";
    var before = section.dataset.state;
    if (state === before) return;
    section.dataset.state = state;
    api("PUT", "/api/ui/sections/" + section.dataset.section, { open: section.open })
      .catch(function (error) {
        if (section.dataset.state === state) section.dataset.state = before;
        toast("Could not remember this section: " + error.message, "error");
      });
    if (section.open && !section.querySelector(".section-body").dataset.loaded) refreshSection(section.dataset.section);
  }, true);

  /* Username autocomplete from /api/people into a <datalist>. */
  var autocompleteTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.dataset.autocomplete !== "people") return;
    clearTimeout(autocompleteTimer);
    autocompleteTimer = setTimeout(function () {
      var text = input.value.trim();
      var list = document.getElementById(input.getAttribute("list"));
      if (!list || text.length < 1) return;
      api("GET", "/api/people?limit=10&search=" + encodeURIComponent(text)).then(function (page) {
        list.replaceChildren.apply(list, page.results.map(function (person) {
          var option = document.createElement("option");
          option.value = person.username;
          if (person.display_name) option.label = person.display_name;
          return option;
        }));
      }).catch(function () { /* suggestions are a convenience; typing still works */ });
    }, 150);
  });

  /* Images whose file is gone: a tile instead of a broken image. `error` does not bubble, so it
     is heard in the capture phase; images that failed before this script ran are found on load. */
  function showMissing(image) {
    if (!image.dataset.fallback || image.dataset.missing) return;
    image.dataset.missing = "1";
    var tile = document.createElement("span");
    tile.className = "file-missing";
    tile.setAttribute("role", "img");
    tile.setAttribute("aria-label", image.alt ? image.dataset.fallback + ": " + image.alt : image.dataset.fallback);
    tile.textContent = image.dataset.fallback;
    image.replaceWith(tile);
  }
  document.addEventListener("error", function (event) {
    if (event.target instanceof HTMLImageElement) showMissing(event.target);
  }, true);
  function checkImages() {
    document.querySelectorAll("img[data-fallback]").forEach(function (image) {
      if (image.complete && image.naturalWidth === 0 && image.getAttribute("src")) showMissing(image);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", checkImages); else checkImages();

  window.mhc = { api: api, toast: toast, refreshSection: refreshSection, refreshPage: refreshPage, ApiError: ApiError };
})();
