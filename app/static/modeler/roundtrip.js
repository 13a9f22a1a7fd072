/* Repairs on import and export, so that a file the modeler opens and saves keeps what the
 * engine reads: references to variables, and the tags of message paths and loop conditions. */
(function () {
  "use strict";

  var gf = window.grantflowModeler;

  /* Warnings of the XML reader that mean content was dropped on reading. */
  gf.lostContent = function (warnings) {
    return warnings.filter(function (warning) {
      return /unknown type|unparsable content|unrecognized element/.test(warning.message || "");
    }).map(function (warning) { return (warning.message || "").split("\n")[0]; });
  };

  /* References the engine reads as variable names (loopDataInputRef "evaluators") point to no
   * BPMN element; the XML reader drops them. Put them back, so that saving keeps them. */
  gf.keepUnresolvedReferences = function (moddle, warnings) {
    warnings.forEach(function (warning) {
      if (!/^unresolved reference/.test(warning.message || "") || !warning.element) { return; }
      var descriptor = warning.element.$descriptor.propertiesByName[warning.property];
      if (!descriptor) { return; }
      var standIn = moddle.create(descriptor.type);
      standIn.id = warning.value; /* what the writer puts in the reference */
      if (descriptor.isMany) {
        warning.element.get(warning.property).push(standIn);
      } else {
        warning.element.set(warning.property, standIn);
      }
    });
  };

  /* bpmn-moddle writes these expressions as <bpmn:formalExpression>, which nothing reads back
   * (the engine reads <bpmn:messagePath>): write them under their property's name. */
  gf.keepExpressionTags = function (moddle) {
    [
      ["bpmn:CorrelationPropertyRetrievalExpression", "messagePath"],
      ["bpmn:CorrelationPropertyBinding", "dataPath"],
      ["bpmn:ComplexBehaviorDefinition", "condition"]
    ].forEach(function (pair) {
      var property = moddle.getType(pair[0]).$descriptor.propertiesByName[pair[1]];
      if (property && !property.xml) { property.xml = { serialize: "property" }; }
    });
  };
})();
