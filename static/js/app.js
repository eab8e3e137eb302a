// PatentDesk's small enhancements. Every page works without this file.
(function () {
  "use strict";
  // Move focus to the first field with an error, so keyboard and screen
  // reader users land where the form needs them.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
    }
  });
  // Ask before a destructive action marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Unfold for printing what a page folds on screen but paper needs (the
  // timeline's table, data-print-open), and fold it again afterwards.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-print-open]:not([open])").forEach(function (d) {
      d.open = true;
      unfolded.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) {
      d.open = false;
    });
    unfolded = [];
  });
})();
