/* The knowledge graph: plans, sections, tasks, bodies, chain elements and targets. */
"use strict";
(function () {
  var d = hk.data, el = hk.el;
  var view = hk.network(document.getElementById("graph"), d.nodes, d.edges);
  window.hkView = view;

  var TYPES = {};
  ["plans", "sections", "tasks", "bodies", "elements", "targets"].forEach(function (group) {
    Object.keys(d[group]).forEach(function (id) { TYPES[id] = group; });
  });
  var tasksOfBody = {};
  Object.keys(d.tasks).forEach(function (t) {
    var task = d.tasks[t];
    // A body written as lead and as co-operating on one task has that task once.
    new Set(task.lead.concat(task.cooperating)).forEach(function (b) { (tasksOfBody[b] = tasksOfBody[b] || []).push(t); });
  });
  var targetsOf = {};
  Object.keys(d.targets).forEach(function (g) {
    // a target the plan restates in several tasks belongs to each of them
    (d.targets[g].tasks.length ? d.targets[g].tasks : [d.targets[g].plan]).forEach(function (owner) {
      (targetsOf[owner] = targetsOf[owner] || []).push(g);
    });
  });

  function bodyLine(b) {
    var body = d.bodies[b] || {zh: b, en: "", functions: []};
    var functions = body.functions.map(function (f) { return (d.functions[f] || {}).en || f; }).join(", ");
    return [body.zh + " ", el("span", {className: "en", text: body.en + (functions ? " — functions: " + functions : "")})];
  }
  function conceptNames(ids, table) {
    return ids.map(function (c) { var x = table[c] || {}; return (x.zh || c) + (x.en ? " / " + x.en : ""); }).join("; ");
  }
  function targetText(g) {
    var t = d.targets[g];
    var value = t.value + (t.value_max ? "–" + t.value_max : "");
    return (t.comparator && t.comparator !== "=" ? t.comparator + " " : "") + value + " " + t.unit +
           (t.per ? " per " + t.per : "") + (t.year ? " (" + t.year + (t.year_inferred ? ", inferred" : "") + ")" : "");
  }

  view.describe = function (id) {
    var type = TYPES[id];
    if (type === "tasks") {
      var task = d.tasks[id];
      return el("div", {}, [
        el("h3", {text: "任务 Task " + (task.number || "") + " · " + task.city}),
        el("div", {}, [el("b", {text: task.heading})]),
        el("div", {className: "text", text: task.text}),
        el("div", {}, [el("b", {text: "牵头 Lead: "})]), hk.list(task.lead.map(bodyLine)),
        task.cooperating.length ? el("div", {}, [el("b", {text: "配合 Co-operating: "})]) : null,
        task.cooperating.length ? hk.list(task.cooperating.map(bodyLine)) : null,
        el("div", {className: "muted", text: "链 Chain: " + conceptNames(task.elements, d.elements) +
                                              " · 产业 Industry: " + conceptNames(task.industry ? [task.industry] : [], d.industries)})
      ]);
    }
    if (type === "bodies") {
      var body = d.bodies[id];
      return el("div", {}, [
        el("h3", {text: "单位 Body · " + body.city}), hk.bilingual(body.zh, body.en),
        el("div", {text: "职能 Functions: " + conceptNames(body.functions, d.functions)}),
        el("div", {className: "muted", text: "牵头 leads " + body.lead + " · 仅配合 only co-operates on " + body.cooperating +
                                              " tasks" + (body.listed_twice ? " · 既牵头又配合(按牵头计) written as both, counted as lead: " +
                                              body.listed_twice : "")})
      ]);
    }
    if (type === "sections") {
      var section = d.sections[id];
      return el("div", {}, [el("h3", {text: "章节 Section · " + section.city}),
                            el("div", {text: section.number + " " + section.heading}),
                            el("div", {className: "muted", text: d.plans[section.plan].title})]);
    }
    if (type === "plans") {
      var plan = d.plans[id];
      return el("div", {}, [el("h3", {text: "方案 Plan · " + plan.city}), el("div", {text: plan.title}),
                            el("div", {className: "muted", text: plan.number})]);
    }
    if (type === "elements") {
      var element = d.elements[id];
      var count = Object.keys(d.tasks).filter(function (t) { return d.tasks[t].elements.indexOf(id) >= 0; }).length;
      return el("div", {}, [el("h3", {text: "产业链要素 Chain element"}), hk.bilingual(element.zh, element.en),
                            el("div", {className: "muted", text: count + " tasks"})]);
    }
    if (type === "targets") {
      var target = d.targets[id];
      return el("div", {}, [el("h3", {text: "目标 Target · " + target.city}), el("div", {text: target.label}),
                            el("div", {text: target.indicator + ": " + targetText(id)}),
                            target.tasks.length ? el("div", {className: "muted", text: "任务 " + target.tasks.map(function (t) {
                                                      return d.tasks[t].heading; }).join("; ")}) :
                                                  el("div", {className: "muted", text: "总体目标 goals part"})]);
    }
    return null;
  };

  /* Filters: a task is shown when it matches every chosen filter; with it its sections and plan, its bodies,
     chain elements and targets. A city alone shows all of that city. */
  var select = {city: document.getElementById("filter-city"), element: document.getElementById("filter-element"),
                industry: document.getElementById("filter-industry"), body: document.getElementById("filter-body")};
  hk.fillSelect(select.city, d.cities.map(function (c) { return {value: c, text: c}; }), "全部城市 all cities");
  hk.fillSelect(select.element, Object.keys(d.elements).map(function (e) {
    return {value: e, text: d.elements[e].zh + " " + d.elements[e].en}; }), "全部要素 all chain elements");
  hk.fillSelect(select.industry, Object.keys(d.industries).map(function (i) {
    return {value: i, text: d.industries[i].zh + " " + d.industries[i].en}; }), "全部产业 all industries");
  hk.fillSelect(select.body, Object.keys(d.bodies).sort(function (a, b) {
    var x = d.bodies[a], y = d.bodies[b];
    return x.city === y.city ? (x.zh < y.zh ? -1 : x.zh > y.zh ? 1 : 0) : (x.city < y.city ? -1 : 1);
  }).map(function (b) { return {value: b, text: d.bodies[b].zh + " · " + d.bodies[b].city}; }), "全部单位 all bodies");

  function addContext(visible, t) {
    var task = d.tasks[t];
    visible.add(t);
    var up = task.section || task.plan;
    while (up && !visible.has(up)) { visible.add(up); up = d.sections[up] ? d.sections[up].parent : null; }
    visible.add(task.plan);
    task.lead.concat(task.cooperating, task.elements).forEach(function (x) { visible.add(x); });
    (targetsOf[t] || []).forEach(function (g) { visible.add(g); });
  }

  function apply() {
    var city = select.city.value, element = select.element.value, industry = select.industry.value, body = select.body.value;
    view.highlight(null);
    if (!city && !element && !industry && !body) {
      view.show(null);
    } else {
      var visible = new Set();
      Object.keys(d.tasks).forEach(function (t) {
        var task = d.tasks[t];
        if (city && task.city !== city) return;
        if (element && task.elements.indexOf(element) < 0) return;
        if (industry && task.industry !== industry) return;
        if (body && task.lead.indexOf(body) < 0 && task.cooperating.indexOf(body) < 0) return;
        addContext(visible, t);
      });
      if (!element && !industry && !body) {
        Object.keys(TYPES).forEach(function (id) {
          var type = TYPES[id];
          if (type === "elements" || type === "tasks") return;
          var item = d[type][id];
          if (item.city === city) visible.add(id);
        });
      }
      if (body) visible.add(body);
      view.show(visible);
    }
    hk.status("显示 showing " + view.shownIds().length + " / " + view.expected + " nodes");
  }
  Object.keys(select).forEach(function (key) { select[key].addEventListener("change", apply); });
  document.getElementById("reset").addEventListener("click", function () {
    Object.keys(select).forEach(function (key) { select[key].value = ""; });
    apply();
    hk.showDetails(null);
  });

  /* Selecting a body highlights its tasks; selecting anything else highlights it and its neighbours. */
  view.selectNode = function (id) {
    var lit = new Set([id]);
    if (TYPES[id] === "bodies") (tasksOfBody[id] || []).forEach(function (t) { lit.add(t); });
    else view.network.getConnectedNodes(id).forEach(function (n) { lit.add(n); });
    view.highlight(lit);
    var content = view.describe(id);
    if (TYPES[id] === "bodies" && content) {
      content.appendChild(el("h3", {text: "任务 Tasks"}));
      content.appendChild(hk.list((tasksOfBody[id] || []).map(function (t) {
        var role = d.tasks[t].lead.indexOf(id) >= 0 ? "牵头 lead" : "配合 co-op";
        return [role + " · ", d.tasks[t].heading];
      })));
    }
    hk.showDetails(content);
    return lit.size;
  };
  view.network.on("selectNode", function (params) { view.selectNode(params.nodes[0]); });
  view.network.on("deselectNode", function () { view.highlight(null); hk.showDetails(null); });
  view.visibleTasks = function () { return view.shownIds().filter(function (id) { return TYPES[id] === "tasks"; }); };

  /* Search (bodies by their Chinese or English name, tasks by their text and heading), CSV of the selection
     and PNG of the canvas. */
  function names(ids) { return ids.map(function (b) { return (d.bodies[b] || {zh: b}).zh; }).join("、"); }
  var entries = Object.keys(d.bodies).map(function (b) { return {id: b, texts: [d.bodies[b].zh, d.bodies[b].en]}; })
    .concat(Object.keys(d.tasks).map(function (t) { return {id: t, texts: [d.tasks[t].heading, d.tasks[t].text]}; }));
  var TYPE_NAMES = {plans: "plan", sections: "section", tasks: "task", bodies: "body", elements: "chain element",
                    targets: "target"};
  function row(id) {
    var type = TYPES[id], item = d[type][id], r = {id: id, type: TYPE_NAMES[type], city: item.city || ""};
    if (type === "tasks") {
      r.name_zh = item.heading; r.number = item.number; r.text = item.text; r.lead = names(item.lead);
      r.cooperating = names(item.cooperating); r.elements = conceptNames(item.elements, d.elements);
      r.industry = conceptNames(item.industry ? [item.industry] : [], d.industries);
    } else if (type === "bodies") {
      r.name_zh = item.zh; r.name_en = item.en; r.functions = conceptNames(item.functions, d.functions);
      r.lead = item.lead; r.cooperating = item.cooperating;
    } else if (type === "plans") {
      r.name_zh = item.title; r.number = item.number;
    } else if (type === "sections") {
      r.name_zh = item.heading; r.number = item.number;
    } else if (type === "elements") {
      r.name_zh = item.zh; r.name_en = item.en;
    } else {
      r.name_zh = item.label; r.text = item.indicator + ": " + targetText(id);
    }
    return r;
  }
  var COLUMNS = ["id", "type", "city", "name_zh", "name_en", "number", "text", "lead", "cooperating", "functions",
                 "elements", "industry"];
  hk.workbench(view, {
    name: "knowledge-graph",
    entries: entries,
    reveal: function () { Object.keys(select).forEach(function (key) { select[key].value = ""; }); apply(); },
    table: function (ids) {
      return {header: COLUMNS, rows: ids.filter(function (id) { return TYPES[id]; }).map(function (id) {
        var r = row(id);
        return COLUMNS.map(function (c) { return r[c] === undefined ? "" : r[c]; });
      })};
    },
    describeHits: function (ids) {
      return el("div", {}, [el("h3", {text: "搜索结果 Found " + ids.length}), hk.list(ids.map(function (id) {
        var link = el("button", {type: "button", className: "hit", text: TYPES[id] === "bodies" ? d.bodies[id].zh + " · " + d.bodies[id].city
                                             : "任务 " + (d.tasks[id].number || "") + " " + d.tasks[id].heading + " · " + d.tasks[id].city});
        link.addEventListener("click", function () {
          view.selectNode(id);
          view.network.selectNodes([id], false);
          view.network.focus(id, {scale: Math.max(view.network.getScale(), 1.2), animation: false});
        });
        return [link];
      }))]);
    }
  });

  hk.legend(document.getElementById("legend"), d.legend);
  hk.status("显示 showing " + view.expected + " / " + view.expected + " nodes");
})();
