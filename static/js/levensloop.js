/*
 * Levensloop: small progressive enhancements. Every page works without this file.
 * Loaded with `defer` from templates/base.html (CSP script-src 'self'; no inline script).
 *
 * - Move keyboard focus to the error summary when a form comes back with errors,
 *   on page load and after an htmx swap (WCAG 3.3.1, STYLE.md B5).
 * - Error-summary links focus the field they point at (not just scroll to it).
 */
(function () {
  "use strict";

  function focusErrorSummary(scope) {
    var summary = null;
    if (scope && scope.id === "error-summary") {
      summary = scope;
    } else if (scope && scope.querySelector) {
      summary = scope.querySelector("#error-summary");
    }
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }

  function onSummaryClick(event) {
    var link = event.target.closest ? event.target.closest("#error-summary a[href^='#']") : null;
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target && typeof target.focus === "function") {
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("click", onSummaryClick);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!focusErrorSummary(target)) {
      var heading = target && target.querySelector ? target.querySelector("h1, h2") : null;
      if (heading) {
        if (!heading.hasAttribute("tabindex")) {
          heading.setAttribute("tabindex", "-1");
        }
        heading.focus();
      }
    }
  });
})();
