/*
 * Portal behaviour. Our Content-Security-Policy forbids inline scripts and inline
 * event handlers, so everything deform's templates used to do inline is wired here.
 * Nothing is auto-dismissed or auto-advanced (accessibility).
 */
(function () {
  "use strict";

  /* Ask before destructive actions: <form data-confirm="..."> or
     <button|a|input data-confirm="...">. */
  function confirmed(element) {
    var message = element.getAttribute("data-confirm");
    return !message || window.confirm(message);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!target || target.tagName === "FORM") {
      return;
    }
    if (!confirmed(target)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    /* Already confirmed: the enclosing form must not ask a second time. */
    if (target.form) {
      target.form.setAttribute("data-confirmed-by-submitter", "1");
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) {
      return;
    }
    if (form.getAttribute("data-confirmed-by-submitter") === "1") {
      form.removeAttribute("data-confirmed-by-submitter");
      return;
    }
    if (!confirmed(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* Deform sequences: add/remove buttons (deform's templates used onclick="..."). */
  document.addEventListener("click", function (event) {
    if (!window.deform || !event.target.closest) {
      return;
    }
    var add = event.target.closest(".deform-seq-add");
    if (add) {
      event.preventDefault();
      window.deform.appendSequenceItem(add);
      return;
    }
    var remove = event.target.closest(".deform-close-button");
    if (remove) {
      event.preventDefault();
      window.deform.removeSequenceItem(remove);
    }
  });

  /* Show/hide each sequence's add/remove buttons for its current length
     (deform's sequence.pt did this in an inline callback). */
  function initSequences() {
    if (!window.deform || !window.jQuery) {
      return;
    }
    window.jQuery(".deform-seq").each(function () {
      var $seq = window.jQuery(this);
      var $before = $seq.find(".deform-insert-before").last();
      window.deform.processSequenceButtons(
        $seq,
        parseInt($before.attr("min_len") || "0", 10),
        parseInt($before.attr("max_len") || "9999", 10),
        parseInt($before.attr("now_len") || "0", 10),
        0
      );
    });
  }

  /* Move focus to a form's error summary, so screen readers announce it. */
  function focusFormErrors() {
    var summary = document.querySelector(".deform-form-errors");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.deform) {
      window.deform.load();
      initSequences();
    }
    focusFormErrors();
  });
})();
