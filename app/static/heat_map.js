/* The heat map on a process version page: how many cases wait at each element, as badges
   over the diagram (bpmn-js viewer). Loaded from a file: the Content-Security-Policy allows
   no inline script. */
(function () {
  "use strict";
  function showHeatMap() {
    var container = document.getElementById("heat-map");
    if (!container || !window.BpmnJS || !window.fetch) { return; }
    container.hidden = false;
    container.style.height = "480px";
    var viewer = new window.BpmnJS({ container: container });
    var waiting = JSON.parse(container.dataset.waiting);
    fetch(container.dataset.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("diagram " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry");
        var overlays = viewer.get("overlays");
        canvas.zoom("fit-viewport");
        Object.keys(waiting).forEach(function (id) {
          if (!registry.get(id)) { return; }
          var badge = document.createElement("span");
          badge.className = "heat-badge";
          badge.textContent = waiting[id];
          overlays.add(id, { position: { top: -12, right: 12 }, html: badge });
        });
      })
      .catch(function () { container.hidden = true; });
  }
  window.addEventListener("load", showHeatMap);
})();
