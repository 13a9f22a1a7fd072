/* The Editor: the services of the bpmn-js modeler the sidebar needs, and the steps of a change
 * planned as commands of the modeler's command stack. Every change in the sidebar runs as one
 * command (a "gf.multi" command groups the steps one change needs), so Undo and Redo cover it
 * like a change drawn on the canvas. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;
  var SPIFF = gf.SPIFF;

  /* A command that runs other commands: one undo step for one change in the sidebar. */
  function MultiCommand(commandStack) { this._commandStack = commandStack; }
  MultiCommand.$inject = ["commandStack"];
  MultiCommand.prototype.preExecute = function (context) {
    var stack = this._commandStack;
    context.commands.forEach(function (step) { stack.execute(step[0], step[1]); });
  };

  function Editor(modeler) {
    this.modeler = modeler;
    this.moddle = modeler.get("moddle");
    this.registry = modeler.get("elementRegistry");
    this.canvas = modeler.get("canvas");
    this.selection = modeler.get("selection");
    this.commandStack = modeler.get("commandStack");
    this.modeling = modeler.get("modeling");
    this.commandStack.registerHandler("gf.multi", MultiCommand);
    this.current = null; /* the element shown in the sidebar */
    this.marked = []; /* ids of the elements marked as having a problem */
  }
  gf.Editor = Editor;

  Editor.prototype.run = function (commands) {
    if (commands.length === 1) {
      this.commandStack.execute(commands[0][0], commands[0][1]);
    } else if (commands.length > 1) {
      this.commandStack.execute("gf.multi", { commands: commands });
    }
  };

  Editor.prototype.update = function (element, target, properties) {
    return ["element.updateModdleProperties", {
      element: element, moddleElement: target, properties: properties
    }];
  };

  Editor.prototype.definitions = function () {
    return this.modeler.getDefinitions();
  };

  Editor.prototype.rootElements = function (type) {
    return this.definitions().get("rootElements")
      .filter(function (root) { return gf.is(root, type); });
  };

  /* A readable id from a name ("funding decision" -> "funding_decision"), not yet taken. */
  Editor.prototype.freeId = function (name, fallback) {
    var base = name.trim().toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
    if (!/^[a-z_]/.test(base)) { base = fallback + (base ? "_" + base : ""); }
    var ids = this.moddle.ids, id = base, n = 1;
    while (ids.assigned(id)) { n += 1; id = base + "_" + n; }
    ids.claim(id, {});
    return id;
  };

  /* The correlation property with a retrieval expression for the message, and that expression;
   * or null. */
  Editor.prototype.correlationOf = function (message) {
    var found = null;
    this.rootElements("bpmn:CorrelationProperty").forEach(function (property) {
      property.get("correlationPropertyRetrievalExpression").forEach(function (expression) {
        if (!found && message && expression.messageRef === message) {
          found = { property: property, expression: expression };
        }
      });
    });
    return found;
  };

  /* A new root element of the definitions (a message, a correlation property). */
  Editor.prototype.planAddRoot = function (element, root, commands) {
    var definitions = this.definitions();
    root.$parent = definitions;
    commands.push(this.update(element, definitions, {
      rootElements: definitions.get("rootElements").concat([root])
    }));
  };

  Editor.prototype.planAdd = function (element, host, child, commands) {
    var ext = host.get("extensionElements");
    if (ext) {
      child.$parent = ext;
      commands.push(this.update(element, ext, { values: ext.get("values").concat([child]) }));
    } else {
      ext = this.moddle.create("bpmn:ExtensionElements", { values: [child] });
      child.$parent = ext;
      ext.$parent = host;
      commands.push(this.update(element, host, { extensionElements: ext }));
    }
  };

  Editor.prototype.planRemove = function (element, host, child, commands) {
    var ext = host.get("extensionElements");
    var rest = ext.get("values").filter(function (value) { return value !== child; });
    commands.push(rest.length
      ? this.update(element, ext, { values: rest })
      : this.update(element, host, { extensionElements: undefined }));
  };

  /* A text extension (instructionsForEndUser, preScript, messageVariable, ...): set, or remove
   * when empty. */
  Editor.prototype.planBody = function (element, host, type, value, commands) {
    var found = gf.findExtension(host, SPIFF + type);
    if (found && value) {
      commands.push(this.update(element, found, { value: value }));
    } else if (found) {
      this.planRemove(element, host, found, commands);
    } else if (value) {
      this.planAdd(element, host, this.moddle.create(SPIFF + type, { value: value }), commands);
    }
  };

  /* A spiffworkflow:property (formJsonSchemaFilename, ...): set, or remove when empty. */
  Editor.prototype.planProperty = function (element, bo, name, value, commands) {
    var list = gf.propertyList(bo);
    var all = list ? list.get("properties") : [];
    var found = gf.findProperty(list, name);
    if (found && value) {
      commands.push(this.update(element, found, { value: value }));
    } else if (found) {
      var rest = all.filter(function (p) { return p !== found; });
      if (rest.length) {
        commands.push(this.update(element, list, { properties: rest }));
      } else {
        this.planRemove(element, bo, list, commands);
      }
    } else if (value) {
      var created = this.moddle.create(SPIFF + "Property", { name: name, value: value });
      if (list) {
        created.$parent = list;
        commands.push(this.update(element, list, { properties: all.concat([created]) }));
      } else {
        list = this.moddle.create(SPIFF + "Properties", { properties: [created] });
        created.$parent = list;
        this.planAdd(element, bo, list, commands);
      }
    }
  };
})();
