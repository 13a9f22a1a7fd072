/* Start-up of the modeler: load the SpiffWorkflow moddle extension, create the bpmn-js Modeler,
 * open the draft file, then keep the toolbar (Save, Undo, Redo), the status line and the check
 * of the draft up to date. window.gfModeler is the Modeler, for the browser tests and the
 * console. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var config = gf.config, text = gf.text, $ = gf.byId, format = gf.format;
  var status = gf.showStatus;

  /* The whole diagram when it is small enough to read; otherwise its start at a readable size,
   * clear of the palette. */
  function showReadably(canvas) {
    var readable = 0.75, palette = 110;
    canvas.zoom("fit-viewport");
    if (canvas.zoom() >= readable) { return; }
    var box = canvas.viewbox();
    canvas.viewbox({
      x: box.inner.x - palette / readable,
      y: box.inner.y - 20 / readable,
      width: box.outer.width / readable,
      height: box.outer.height / readable
    });
  }

  function loadProblems(editor) {
    return gf.fetchOk(config.problemsUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (problems) { editor.showProblems(problems, false); })
      .catch(function () { $("problems-summary").textContent = text.checkFailed; });
  }

  /* Posts the diagram as XML to the draft file; resolves to the response. */
  function postXml(modeler) {
    return modeler.saveXML({ format: true })
      .then(function (result) {
        return gf.fetchSameOrigin(config.saveUrl, {
          method: "POST",
          headers: {
            "Content-Type": "text/xml; charset=utf-8",
            Accept: "application/json",
            "X-CSRFToken": config.csrfToken
          },
          body: result.xml
        });
      });
  }

  function start(descriptor) {
    var container = $("modeler-canvas");
    var modeler = new window.BpmnJS({
      container: container,
      moddleExtensions: { spiffworkflow: descriptor }
    });
    var editor = new gf.Editor(modeler);
    gf.keepExpressionTags(editor.moddle);
    var saveButton = $("modeler-save"), undo = $("modeler-undo"), redo = $("modeler-redo");
    var dirty = false, changes = 0, saveAllowed = false;

    function refreshButtons() {
      undo.disabled = !editor.commandStack.canUndo();
      redo.disabled = !editor.commandStack.canRedo();
      saveButton.disabled = !saveAllowed;
    }

    function save() {
      var changesAtStart = changes;
      saveButton.disabled = true;
      status(text.saving);
      return postXml(modeler)
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
          if (!json) {
            status(format(text.notSavedStatus, { status: response.status }));
            return;
          }
          return response.json().then(function (answer) {
            if (!answer.saved) {
              status(format(text.notSaved, { error: answer.error }));
              return;
            }
            dirty = changes !== changesAtStart;
            status(editor.showProblems(answer.problems, true));
          });
        })
        .catch(function () { status(text.offline); })
        .then(refreshButtons);
    }

    function opened(result) {
      var warnings = result.warnings || [];
      gf.keepUnresolvedReferences(editor.moddle, warnings);
      var lost = gf.lostContent(warnings);
      saveAllowed = lost.length === 0;
      gf.showAlert(lost.length ? format(text.unknownContent, { what: lost.join("; ") }) : "");
      var svg = container.querySelector("svg");
      if (svg) { svg.setAttribute("aria-label", format(text.canvasLabel, { file: config.file })); }
      showReadably(editor.canvas);
      editor.fillChooser();
      editor.showElement();
      refreshButtons();
      status(text.opened);
      window.gfModeler = modeler; /* for the browser tests and the console */
      return loadProblems(editor);
    }

    modeler.on("selection.changed", function () {
      editor.flushEdit();
      editor.showElement();
    });
    modeler.on("commandStack.changed", function (event) {
      if (event.trigger === "clear") { return; } /* opening the file empties the stack */
      changes += 1;
      dirty = true;
      status(text.unsaved);
      editor.fillChooser();
      editor.showElement();
      refreshButtons();
    });
    modeler.on("import.done", function () { editor.fillChooser(); });
    editor.listenToSidebar();
    editor.listenToProblems();
    saveButton.addEventListener("click", save);
    undo.addEventListener("click", function () { editor.commandStack.undo(); });
    redo.addEventListener("click", function () { editor.commandStack.redo(); });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = text.leave;
      }
    });

    status(text.opening);
    return gf.fetchOk(config.fileUrl)
      .then(function (response) { return response.text(); })
      .then(function (xml) { return modeler.importXML(xml); })
      .then(opened)
      .catch(function (error) {
        status("");
        gf.showOpenFailed(error);
      });
  }

  function boot() {
    if (!window.BpmnJS || !window.fetch) { return; }
    gf.fetchSameOrigin(config.moddleUrl)
      .then(function (response) { return response.json(); })
      .then(start)
      .catch(gf.showOpenFailed);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
