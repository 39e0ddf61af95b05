/* Shared by the graph pages. Every text from the data reaches the page through textContent or a canvas:
   nothing here parses data as HTML. */
"use strict";
(function () {
  var hk = (window.hk = {});
  hk.data = JSON.parse(document.getElementById("hk-data").textContent);
  hk.views = [];
  hk.DIM_NODE = "rgba(205,208,214,0.45)";
  hk.DIM_EDGE = "rgba(205,208,214,0.25)";
  hk.FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif';
  hk.LABEL_PX = 11;          // the smallest label drawn, in screen pixels
  hk.MAX_LABELLED = 400;     // a highlighted set up to this size keeps its labels readable at any zoom

  /* el("div", {text: "...", className: "x"}, [children]): a DOM node; strings become text nodes. */
  hk.el = function (tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (key) {
      if (key === "text") node.textContent = props.text;
      else if (key === "className") node.className = props.className;
      else if (key === "color") node.style.borderColor = node.style.backgroundColor = props.color;
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  hk.fillSelect = function (select, entries, allText) {
    select.replaceChildren(new Option(allText, ""));
    entries.forEach(function (entry) { select.add(new Option(entry.text, entry.value)); });
  };

  hk.list = function (items) {
    return hk.el("ul", {}, items.map(function (item) { return hk.el("li", {}, [].concat(item)); }));
  };

  hk.bilingual = function (zh, en) {
    return hk.el("span", {}, [zh || "", en ? hk.el("span", {className: "en", text: " " + en}) : null]);
  };

  var tip = hk.el("div", {id: "hk-tip", role: "tooltip"});
  document.body.appendChild(tip);
  hk.tip = tip;
  hk.showTip = function (content, x, y) {
    tip.replaceChildren(content);
    tip.style.display = "block";
    var width = tip.offsetWidth, height = tip.offsetHeight;
    var left = x + 14, top = y + 14;
    if (left + width > window.innerWidth - 4) left = Math.max(4, x - width - 14);
    if (top + height > window.innerHeight - 4) top = Math.max(4, window.innerHeight - height - 4);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  };
  hk.hideTip = function () { tip.style.display = "none"; };

  hk.showDetails = function (content) {
    var box = document.getElementById("details");
    if (box) box.replaceChildren(content || hk.el("p", {className: "muted", text: box.dataset.empty || ""}));
  };

  hk.legend = function (container, entries) {
    container.replaceChildren(hk.el("ul", {className: "legend"}, entries.map(function (entry) {
      var swatch = hk.el("span", {className: "swatch" + (entry.line ? " line" : "") + (entry.dashed ? " dashed" : "")});
      if (entry.line) swatch.style.borderTopColor = entry.color; else swatch.style.backgroundColor = entry.color;
      return hk.el("li", {}, [swatch, hk.bilingual(entry.zh, entry.en),
                              entry.count !== undefined ? hk.el("span", {className: "muted", text: " (" + entry.count + ")"}) : null]);
    })));
  };

  /* A vis network on precomputed positions, physics off: it is still as soon as it is drawn.
     view.show(set) shows only the ids in the set (null: all); view.highlight(set) dims the rest. */
  hk.network = function (container, nodes, edges, extra) {
    var big = nodes.length > 800;
    var baseNode = {}, baseEdge = {}, baseFont = {}, enlarged = {}, focus = null;
    nodes.forEach(function (n) { baseNode[n.id] = n.color; baseFont[n.id] = (n.font && n.font.size) || 14; });
    edges.forEach(function (e, i) { if (e.id === undefined) e.id = "e" + i; baseEdge[e.id] = e.color; });
    var nodeSet = new vis.DataSet(nodes), edgeSet = new vis.DataSet(edges);
    var shown = null;
    var nodeView = new vis.DataView(nodeSet, {filter: function (n) { return !shown || shown.has(n.id); }});
    var edgeView = new vis.DataView(edgeSet, {filter: function (e) { return !shown || (shown.has(e.from) && shown.has(e.to)); }});
    var options = {
      autoResize: true,
      physics: {enabled: false},
      layout: {improvedLayout: false, randomSeed: 7},
      interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false},
      // a label is drawn only where it is readable (hk.LABEL_PX on screen, fading in from 1 px less);
      // the selection's labels are enlarged to that size at any zoom (relabel below)
      nodes: {font: {face: hk.FONT, size: 14}, borderWidth: 1,
              scaling: {label: {enabled: false, drawThreshold: hk.LABEL_PX, maxVisible: 40}}},
      edges: {smooth: false, selectionWidth: 2, hoverWidth: 0.5}
    };
    if (extra) Object.keys(extra).forEach(function (key) { options[key] = extra[key]; });
    var started = performance.now();
    var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, options);
    var view = {
      network: network, container: container, nodes: nodeSet, edges: edgeSet, nodeView: nodeView, edgeView: edgeView,
      expected: nodes.length, drawnAt: null, builtIn: null,
      drawn: function () { return network.body.nodeIndices.length; },
      shownIds: function () { return nodeView.getIds(); },
      show: function (ids) {
        shown = ids;
        nodeView.refresh();
        edgeView.refresh();
        network.fit({animation: false});
      },
      selection: [],
      highlight: function (ids) {
        var nodeUpdates = [], edgeUpdates = [];
        view.selection = ids ? Array.from(ids) : [];
        focus = ids && ids.size <= hk.MAX_LABELLED ? ids : null;
        nodeSet.forEach(function (n) {
          var color = ids && !ids.has(n.id) ? hk.DIM_NODE : baseNode[n.id];
          if (n.color !== color) nodeUpdates.push({id: n.id, color: color});
        });
        edgeSet.forEach(function (e) {
          var color = ids && !(ids.has(e.from) && ids.has(e.to)) ? hk.DIM_EDGE : baseEdge[e.id];
          if (e.color !== color) edgeUpdates.push({id: e.id, color: color});
        });
        nodeSet.update(nodeUpdates);
        edgeSet.update(edgeUpdates);
        view.relabel();
      },
      /* The highlighted nodes' labels drawn at hk.LABEL_PX at least whatever the zoom; the others at their own
         size, drawn only when that is readable. */
      relabel: function () {
        var scale = network.getScale(), updates = [], wanted = {};
        if (focus) focus.forEach(function (id) {
          var size = Math.max(baseFont[id], Math.ceil((hk.LABEL_PX + 1) / scale));
          if (size > baseFont[id]) wanted[id] = size;
        });
        Object.keys(enlarged).forEach(function (id) {
          if (!wanted[id]) { updates.push({id: id, font: {size: baseFont[id]}}); delete enlarged[id]; }
        });
        Object.keys(wanted).forEach(function (id) {
          if (enlarged[id] !== wanted[id]) { updates.push({id: id, font: {size: wanted[id]}}); enlarged[id] = wanted[id]; }
        });
        if (updates.length) nodeSet.update(updates);
      },
      setBase: function (id, color) { baseNode[id] = color; },
      setEdgeBase: function (id, color) { baseEdge[id] = color; }
    };
    network.once("afterDrawing", function () {
      view.drawnAt = performance.now();
      view.builtIn = view.drawnAt - started;
      if (hk.views.every(function (v) { return v.drawnAt !== null; })) {
        window.hkReady = true;
        document.body.setAttribute("data-ready", "1");
      }
    });
    network.on("hoverNode", function (params) {
      if (!view.describe) return;
      var rect = container.getBoundingClientRect();
      var content = view.describe(params.node);
      if (content) hk.showTip(content, rect.left + params.pointer.DOM.x, rect.top + params.pointer.DOM.y);
    });
    network.on("blurNode", hk.hideTip);
    network.on("dragStart", hk.hideTip);
    network.on("zoom", hk.hideTip);
    // any change of scale (a user's zoom, fit, focus, moveTo) relabels the selection on the next frame
    var labelledAt = null, relabelling = false;
    network.on("afterDrawing", function () {
      if (relabelling || network.getScale() === labelledAt) return;
      relabelling = true;
      requestAnimationFrame(function () { relabelling = false; labelledAt = network.getScale(); view.relabel(); });
    });
    hk.views.push(view);
    network.fit({animation: false});
    return view;
  };

  /* Text as a researcher types it, for comparison: NFKC (full-width letters and digits as ASCII), lower case,
     no spaces. */
  hk.fold = function (text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  };

  /* One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would read as a
     formula (=, +, -, @ first) starts with an apostrophe. */
  hk.csvCell = function (value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  };
  /* The table as CSV text: UTF-8 with a byte-order mark (Excel, on Chinese Windows too, reads it as UTF-8). */
  hk.csv = function (header, rows) {
    return "\ufeff" + [header].concat(rows).map(function (row) { return row.map(hk.csvCell).join(","); }).join("\r\n") + "\r\n";
  };

  /* A file made in the page handed to the browser as a download (nothing leaves the machine). */
  hk.download = function (name, blob) {
    var url = URL.createObjectURL(blob);
    var link = hk.el("a", {href: url, download: name});
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  };

  /* Search, CSV export of the selection and PNG export of the canvas, for one view.
     config.entries: [{id, texts: [...]}] searched; config.table(ids) -> {header, rows}; config.reveal(ids) shows
     hidden ids (clears filters); config.name: the files' stem; config.describeHits(ids): the details panel. */
  hk.workbench = function (view, config) {
    var input = document.getElementById("search"), found = document.getElementById("search-found");
    var index = config.entries.map(function (entry) { return {id: entry.id, text: entry.texts.map(hk.fold).join("\n")}; });
    view.search = function (query) {
      var words = String(query || "").split(/[\s,，、]+/).map(hk.fold).filter(Boolean);
      if (!words.length) return [];
      return index.filter(function (entry) {
        return words.every(function (word) { return entry.text.indexOf(word) >= 0; });
      }).map(function (entry) { return entry.id; });
    };
    /* Select what the search finds, dim the rest, and centre the view on it. */
    view.find = function (query) {
      var hits = view.search(query);
      if (!hits.length) {
        view.highlight(null);
        view.network.unselectAll();
        found.textContent = "未找到 nothing found";
        return hits;
      }
      var shown = new Set(view.shownIds());
      if (hits.some(function (id) { return !shown.has(id); })) config.reveal();
      if (hits.length === 1) {
        view.selectNode(hits[0]);
      } else {
        view.highlight(new Set(hits));
        hk.showDetails(config.describeHits(hits));
      }
      view.network.selectNodes(hits, false);
      if (hits.length === 1) view.network.focus(hits[0], {scale: Math.max(view.network.getScale(), 1.2), animation: false});
      else view.network.fit({nodes: hits, animation: false});
      view.relabel();
      found.textContent = "找到 found " + hits.length;
      return hits;
    };
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { view.find(input.value); }, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { clearTimeout(timer); view.find(input.value); }
    });
    /* The selection (what is highlighted), else every node shown. */
    view.exportIds = function () {
      return view.selection.length ? view.selection.slice() : view.shownIds();
    };
    view.csvText = function () {
      var table = config.table(view.exportIds());
      return hk.csv(table.header, table.rows);
    };
    document.getElementById("export-csv").addEventListener("click", function () {
      hk.download(config.name + "-selection.csv", new Blob([view.csvText()], {type: "text/csv;charset=utf-8"}));
    });
    /* The canvas as drawn, on white (vis draws on a transparent canvas). */
    document.getElementById("export-png").addEventListener("click", function () {
      var drawn = view.container.querySelector("canvas");
      var copy = document.createElement("canvas");
      copy.width = drawn.width;
      copy.height = drawn.height;
      var g = copy.getContext("2d");
      g.fillStyle = "#ffffff";
      g.fillRect(0, 0, copy.width, copy.height);
      g.drawImage(drawn, 0, 0);
      copy.toBlob(function (blob) { hk.download(config.name + ".png", blob); }, "image/png");
    });
  };

  hk.status = function (text) {
    var box = document.getElementById("status");
    if (box) box.textContent = text;
  };
})();
