/* Live annotation in a commission session (no inline script: CSP).
   Polls the annotations endpoint every second with a since-id cursor (short requests that never
   hold a server worker; see docs/commission.md), draws the notes on the page images, and posts
   new notes placed by a click (a point) or a drag (an area). Coordinates are page-relative (0..1). */
(function () {
  "use strict";
  var root = document.getElementById("annotation-workspace");
  if (!root) return;
  var pollUrl = root.getAttribute("data-poll-url");
  var list = document.getElementById("annotation-list");
  var form = document.getElementById("annotation-form");
  var errors = document.getElementById("annotation-errors");
  var where = document.getElementById("annotation-where");
  var cursor = 0;
  var seen = {};
  var POLL_MS = 1000;

  function csrfToken() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function figureFor(version, page) {
    return root.querySelector('figure.annot-page[data-version="' + version + '"][data-page="' + page + '"]');
  }

  function pct(v) { return (v * 100).toFixed(3) + "%"; }

  function draw(a, number) {
    var fig = figureFor(a.version, a.page);
    if (fig) {
      var mark = document.createElement("span");
      mark.className = a.width ? "annot-mark annot-area" : "annot-mark annot-point";
      mark.style.left = pct(a.x);
      mark.style.top = pct(a.y);
      if (a.width) { mark.style.width = pct(a.width); mark.style.height = pct(a.height); }
      mark.textContent = String(number);
      mark.title = a.author + ": " + a.text;
      fig.querySelector(".annot-layer").appendChild(mark);
    }
    var li = document.createElement("li");
    li.setAttribute("data-testid", "annotation");
    li.setAttribute("data-annotation-id", String(a.id));
    var head = document.createElement("small");
    head.className = "muted";
    var who = document.createElement("bdi");
    who.textContent = a.author;
    var when = document.createElement("bdi");
    when.textContent = a.created_at;
    head.appendChild(who);
    head.appendChild(document.createTextNode(" · "));
    head.appendChild(when);
    var body = document.createElement("p");
    body.setAttribute("dir", "auto");
    body.textContent = a.text;
    li.appendChild(head);
    li.appendChild(body);
    list.appendChild(li);
  }

  function receive(items) {
    items.forEach(function (a) {
      if (seen[a.id]) return;
      seen[a.id] = true;
      draw(a, list.children.length + 1);
      if (a.id > cursor) cursor = a.id;
    });
  }

  function poll() {
    fetch(pollUrl + "?since=" + cursor, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) receive(data.annotations); })
      .catch(function () { /* network hiccup: the next poll catches up from the cursor */ })
      .then(function () { window.setTimeout(poll, document.hidden ? POLL_MS * 5 : POLL_MS); });
  }

  function relative(fig, event) {
    var box = fig.querySelector("img").getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width;
    var y = (event.clientY - box.top) / box.height;
    return {x: Math.min(1, Math.max(0, x)), y: Math.min(1, Math.max(0, y))};
  }

  var start = null;
  var pending = null;
  function setField(name, value) { form.elements[name].value = value === null ? "" : String(value); }

  if (form) {
    root.querySelectorAll("figure.annot-page").forEach(function (fig) {
      fig.addEventListener("mousedown", function (event) { start = {fig: fig, at: relative(fig, event)}; event.preventDefault(); });
      fig.addEventListener("mouseup", function (event) {
        if (!start || start.fig !== fig) return;
        var end = relative(fig, event);
        var a = start.at;
        var w = Math.abs(end.x - a.x), h = Math.abs(end.y - a.y);
        var area = w > 0.01 && h > 0.01;
        setField("version", fig.getAttribute("data-version"));
        setField("page", fig.getAttribute("data-page"));
        setField("x", area ? Math.min(a.x, end.x) : a.x);
        setField("y", area ? Math.min(a.y, end.y) : a.y);
        setField("width", area ? w : null);
        setField("height", area ? h : null);
        if (pending) pending.remove();
        pending = document.createElement("span");
        pending.className = area ? "annot-mark annot-area annot-pending" : "annot-mark annot-point annot-pending";
        pending.style.left = pct(area ? Math.min(a.x, end.x) : a.x);
        pending.style.top = pct(area ? Math.min(a.y, end.y) : a.y);
        if (area) { pending.style.width = pct(w); pending.style.height = pct(h); }
        fig.querySelector(".annot-layer").appendChild(pending);
        where.textContent = fig.querySelector("img").alt;
        start = null;
        form.elements.text.focus();
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errors.textContent = "";
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"}})
        .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
        .then(function (res) {
          if (!res.ok) {
            var messages = [];
            Object.keys(res.data).forEach(function (k) { messages = messages.concat(res.data[k]); });
            errors.textContent = messages.join(" ");
            return;
          }
          receive([res.data]);
          form.elements.text.value = "";
          if (pending) { pending.remove(); pending = null; }
        })
        .catch(function () { errors.textContent = root.getAttribute("data-offline") || "…"; });
    });
  }

  poll();
})();
