/* kg's timeline page: reads the JSON block #kg-data, draws its items with vis-timeline and
   filters them by actor and place (the form's selects, pre-set from ?actor= and ?place=).
   Every text is written with textContent: nothing from the data is read as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  data.items.forEach(function (item) { byId[item.id] = item; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function card(item) {
    var box = el("div", "kg-card");
    box.appendChild(el("div", "kg-card-title", item.text));
    var dl = el("dl");
    item.rows.forEach(function (row) {
      dl.appendChild(el("dt", "", row[0]));
      dl.appendChild(el("dd", "", row[1]));
    });
    box.appendChild(dl);
    return box;
  }

  function show(id) {
    var details = document.getElementById("kg-details");
    details.textContent = "";
    if (byId[id]) details.appendChild(card(byId[id]));
  }

  var actor = document.getElementById("kg-actor");
  var place = document.getElementById("kg-place");
  var params = new URLSearchParams(window.location.search);
  [[actor, "actor"], [place, "place"]].forEach(function (pair) {
    var wanted = params.get(pair[1]);
    if (wanted !== null && Array.prototype.some.call(pair[0].options, function (o) { return o.value === wanted; })) {
      pair[0].value = wanted;
    }
  });

  function matches(item) {
    return (!actor.value || item.actors.indexOf(actor.value) >= 0) &&
      (!place.value || item.places.indexOf(place.value) >= 0);
  }

  var placed = data.items.filter(function (item) { return item.start; }).map(function (item) {
    var out = { id: item.id, group: item.group, start: item.start, type: item.type, className: item.className, text: item.text };
    if (item.end) out.end = item.end;
    return out;
  });
  var items = new vis.DataSet(placed);
  var view = new vis.DataView(items, { filter: function (item) { return matches(byId[item.id]); } });
  var groups = new vis.DataSet(data.groups.map(function (g) { return { id: g.id, text: g.text }; }));
  var options = {
    orientation: { axis: "top", item: "top" },
    stack: true,
    selectable: true,
    zoomMin: 1000 * 60 * 60 * 24 * 7,
    margin: { item: { horizontal: 4, vertical: 4 } },
    template: function (item) { return el("span", "kg-item-text", item.text); },
    groupTemplate: function (group) { return el("span", "kg-group-text", group.text); },
    tooltip: { followMouse: false },
    showTooltips: false
  };
  var timeline = new vis.Timeline(document.getElementById("kg-timeline"), view, groups, options);
  var state = { timeline: timeline, view: view, ready: false };
  window.kgTimeline = state;

  function apply() {
    view.refresh();
    var shown = 0;
    var rows = document.querySelectorAll("#kg-items tbody tr");
    Array.prototype.forEach.call(rows, function (row) {
      var keep = !byId[row.dataset.id] || matches(byId[row.dataset.id]);
      row.hidden = !keep;
      shown += keep ? 1 : 0;
    });
    document.getElementById("kg-count").textContent = shown + " of " + rows.length + " items";
    if (view.length) timeline.fit({ animation: false });
  }

  actor.addEventListener("change", apply);
  place.addEventListener("change", apply);
  document.getElementById("kg-filters").addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  timeline.on("select", function (props) { if (props.items.length) show(props.items[0]); });
  timeline.on("itemover", function (props) { show(props.item); });
  timeline.once("changed", function () {
    state.ready = true;
    document.body.dataset.state = "ready";
  });
  apply();
})();
