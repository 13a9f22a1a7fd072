/* The form editor of a draft: a JSON Schema and its UI schema in two text areas, a preview the
 * server renders as the owner types (400 ms after the last key), and a Save button that stores
 * both files through the draft file API. Plain ES2015, no build step. */
(function () {
  "use strict";

  var DELAY_MS = 400;
  var config = JSON.parse(document.getElementById("form-editor-config").textContent);
  var text = config.text;

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  var schema = $("schema-text"), uischema = $("uischema-text");
  var saved = { schema: schema.value, uischema: uischema.value };
  var uiExists = config.uiExists;
  var timer = null, asked = 0;

  function dirty() {
    return schema.value !== saved.schema || uischema.value !== saved.uischema;
  }

  function showPreview(html, error) {
    $("preview-error").textContent = error || "";
    $("preview-error").hidden = !error;
    if (html !== null) { $("preview-form").innerHTML = html; }
  }

  /* Ask the server for the preview; answers to older requests than the latest are ignored. */
  function refreshPreview() {
    var number = ++asked;
    fetch(config.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": config.csrfToken
      },
      body: JSON.stringify({ schema: schema.value, uischema: uischema.value })
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (!json) { throw new Error(format(text.previewFailed, { status: response.status })); }
        return response.json();
      })
      .then(function (answer) {
        if (number !== asked) { return; }
        if (answer.html !== undefined) {
          showPreview(answer.html, "");
        } else {
          showPreview(null, answer.error);
        }
      })
      .catch(function (error) {
        if (number === asked) { showPreview(null, error.message); }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refreshPreview, DELAY_MS);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        Accept: "application/json",
        "X-CSRFToken": config.csrfToken
      },
      body: body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (!json) { throw new Error(format(text.notSavedStatus, { status: response.status })); }
      return response.json().then(function (answer) {
        if (!answer.saved) { throw new Error(format(text.notSaved, { error: answer.error })); }
        return answer;
      });
    });
  }

  function showProblems(problems) {
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    var list = $("form-problems");
    list.textContent = "";
    errors.forEach(function (problem) {
      var item = document.createElement("li");
      var file = document.createElement("strong");
      file.textContent = problem.file;
      item.appendChild(file);
      if (problem.element) {
        var code = document.createElement("code");
        code.textContent = problem.element;
        item.appendChild(document.createTextNode(", "));
        item.appendChild(code);
      }
      item.appendChild(document.createTextNode(": " + problem.message));
      list.appendChild(item);
    });
    list.hidden = errors.length === 0;
    return errors.length === 0 ? text.savedNone
      : errors.length === 1 ? text.savedOne : format(text.savedMany, { num: errors.length });
  }

  /* Both files must be JSON before either is saved, so that a save never stores only one. */
  function unreadable(sent) {
    try {
      JSON.parse(sent.schema);
      if (sent.uischema.trim()) { JSON.parse(sent.uischema); }
    } catch (error) {
      return format(text.notSaved, { error: error.message });
    }
    return "";
  }

  function save() {
    var sent = { schema: schema.value, uischema: uischema.value };
    var button = $("form-save");
    var problem = unreadable(sent);
    if (problem) {
      $("form-status").textContent = problem;
      return;
    }
    button.disabled = true;
    $("form-status").textContent = text.saving;
    post(config.schemaUrl, sent.schema)
      .then(function (answer) {
        /* An empty UI schema that the draft does not have stays absent; emptying one that it
         * has leaves an empty layout. */
        if (!uiExists && !sent.uischema.trim()) { return answer; }
        return post(config.uiUrl, sent.uischema.trim() || "{}").then(function (second) {
          uiExists = true;
          return second;
        });
      })
      .then(function (answer) {
        saved = sent;
        $("form-status").textContent = showProblems(answer.problems);
      })
      .catch(function (error) {
        var message = error instanceof TypeError ? text.offline : error.message;
        $("form-status").textContent = message;
      })
      .then(function () { button.disabled = false; });
  }

  if (!window.fetch) { return; }
  schema.addEventListener("input", later);
  uischema.addEventListener("input", later);
  $("form-sources").addEventListener("submit", function (event) { event.preventDefault(); });
  $("form-save").addEventListener("click", save);
  window.addEventListener("beforeunload", function (event) {
    if (dirty()) {
      event.preventDefault();
      event.returnValue = text.leave;
    }
  });
})();
