/* The draft's problems under the diagram: errors (which stop a deploy) and warnings, each with
 * its file and element. An element of this diagram gets a marker on the canvas and a button in
 * the list that selects it. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var Editor = gf.Editor, text = gf.text, $ = gf.byId;
  var MARKER = "gf-problem";

  /* Shows the problems; returns the summary ("1 problem stops a deploy."), which says "Saved."
   * first when saved. */
  Editor.prototype.showProblems = function (problems, saved) {
    var self = this;
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    var warnings = problems.filter(function (p) { return p.severity !== "error"; });
    var count = errors.length;
    var summary = count === 0 ? (saved ? text.savedNone : text.none)
      : count === 1 ? (saved ? text.savedOne : text.one)
        : gf.format(saved ? text.savedMany : text.many, { num: count });
    $("problems-summary").textContent = summary;
    this.marked.forEach(function (id) {
      if (self.registry.get(id)) { self.canvas.removeMarker(id, MARKER); }
    });
    this.marked = [];
    this.fillProblemList($("problems-list"), errors);
    this.fillProblemList($("warnings-list"), warnings);
    $("warnings-heading").hidden = warnings.length === 0;
    $("warnings-list").hidden = warnings.length === 0;
    return summary;
  };

  /* The problem's file: a link to its editor, or plain when it is this file or has none. */
  function fileLabel(file) {
    var here = file === gf.config.file;
    var node = document.createElement(here || !gf.config.fileLinks[file] ? "strong" : "a");
    node.textContent = file;
    if (node.tagName === "A") { node.href = gf.config.fileLinks[file]; }
    return node;
  }

  function elementButton(id) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button problem-element";
    button.dataset.element = id;
    var code = document.createElement("code");
    code.textContent = id;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " (" + text.show + ")";
    button.appendChild(code);
    button.appendChild(hidden);
    return button;
  }

  Editor.prototype.markProblem = function (element) {
    if (this.marked.indexOf(element.id) < 0) {
      this.canvas.addMarker(element.id, MARKER);
      this.marked.push(element.id);
    }
  };

  Editor.prototype.fillProblemList = function (list, problems) {
    var self = this;
    list.textContent = "";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var here = problem.file === gf.config.file;
      item.appendChild(fileLabel(problem.file));
      var element = here && problem.element ? self.registry.get(problem.element) : null;
      if (problem.element) {
        item.appendChild(document.createTextNode(", " + text.element + " "));
        if (element) {
          item.appendChild(elementButton(problem.element));
          self.markProblem(element);
        } else {
          var plain = document.createElement("code");
          plain.textContent = problem.element;
          item.appendChild(plain);
        }
      }
      item.appendChild(document.createTextNode(": " + problem.message));
      list.appendChild(item);
    });
  };

  /* A button of an element in either list selects the element and moves focus to its details. */
  Editor.prototype.listenToProblems = function () {
    var editor = this;
    ["problems-list", "warnings-list"].forEach(function (id) {
      $(id).addEventListener("click", function (event) {
        var button = event.target.closest("button[data-element]");
        if (button) { editor.choose(button.dataset.element, true); }
      });
    });
  };
})();
